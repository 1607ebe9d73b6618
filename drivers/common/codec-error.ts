/**
 * A frame or field a codec cannot parse or encode. Drivers tell a bad frame on the wire (drop it,
 * count it, poll again) from a bug in their own code by this class, never by a message's text.
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    /** which codec refused: 'ccnet', 'id003', 'lcdm', 'escpos', 'pv-hid', ... */
    readonly codec: string,
    message: string,
  ) {
    super(`${codec}: ${message}`);
  }
}
