/**
 * Framing of raw HID reports on a byte stream (the simulators' Unix socket): each report is sent
 * as a 2-byte big-endian length followed by exactly that many report bytes. A report is what the
 * OS HID stack hands an application: for devices with numbered reports the report ID is byte 0.
 */

/** larger than any report our devices use (MagTek: 337 bytes, PV-HID 1: 64 bytes) */
export const MAX_HID_FRAME = 1024;

export function encodeHidFrame(report: Uint8Array): Buffer {
  if (report.length === 0 || report.length > MAX_HID_FRAME) {
    throw new RangeError(`HID report length ${report.length} outside 1..${MAX_HID_FRAME}`);
  }
  const frame = Buffer.alloc(2 + report.length);
  frame.writeUInt16BE(report.length, 0);
  frame.set(report, 2);
  return frame;
}

/**
 * Splits a byte stream into reports. Feed it chunks as they arrive; it returns the complete
 * reports (fresh copies the caller may zero) and keeps a partial frame for the next chunk.
 * A length of 0 or above MAX_HID_FRAME means the stream is out of step: `error` is set and the
 * connection must be dropped, since there is no way to find the next frame boundary.
 */
export class HidFrameDecoder {
  #pending: Buffer = Buffer.alloc(0);
  #error: string | undefined;

  get error(): string | undefined {
    return this.#error;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#error) return [];
    const old = this.#pending;
    this.#pending = Buffer.concat([old, chunk]);
    old.fill(0);
    const reports: Uint8Array[] = [];
    let offset = 0;
    while (this.#pending.length - offset >= 2) {
      const length = this.#pending.readUInt16BE(offset);
      if (length === 0 || length > MAX_HID_FRAME) {
        this.#wipe();
        this.#error = `bad HID frame length ${length}`;
        return reports;
      }
      if (this.#pending.length - offset - 2 < length) break;
      // a plain Uint8Array copy: Buffer.slice would share memory the caller zeroes
      reports.push(new Uint8Array(this.#pending.subarray(offset + 2, offset + 2 + length)));
      offset += 2 + length;
    }
    if (offset > 0) {
      const rest = Buffer.from(this.#pending.subarray(offset));
      this.#pending.fill(0);
      this.#pending = rest;
    }
    return reports;
  }

  /** start afresh (after a reconnect); a partial frame is zeroed since it may hold card data */
  reset(): void {
    this.#wipe();
    this.#error = undefined;
  }

  #wipe(): void {
    this.#pending.fill(0);
    this.#pending = Buffer.alloc(0);
  }
}
