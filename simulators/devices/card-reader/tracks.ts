/**
 * Encodes a card's magnetic tracks as a swipe reader reports them, with the project's LRC
 * extension (the LRC character after the end sentinel). Service code 101: international,
 * normal authorisation, no restrictions; the discretionary data is zeros (no CVV simulated).
 */
import { trackLrc } from '../../../drivers/card-reader/track-parser.js';

export interface CardFace {
  pan: string;
  expiry: string; // YYMM
  name: string; // SURNAME/GIVEN
}

const SERVICE_CODE = '101';

function withLrc(track: 1 | 2, text: string, corruptLrc: boolean): Uint8Array {
  const chars = Buffer.from(text, 'ascii');
  let lrc = trackLrc(track, chars);
  // flip one data bit of the LRC, staying inside the track's character set
  if (corruptLrc) lrc ^= 0x01;
  const out = new Uint8Array(chars.length + 1);
  out.set(chars);
  out[chars.length] = lrc;
  return out;
}

export function encodeTrack1(card: CardFace, corruptLrc = false): Uint8Array {
  return withLrc(1, `%B${card.pan}^${card.name}^${card.expiry}${SERVICE_CODE}0000000000?`, corruptLrc);
}

export function encodeTrack2(card: CardFace, corruptLrc = false): Uint8Array {
  return withLrc(2, `;${card.pan}=${card.expiry}${SERVICE_CODE}0000000000?`, corruptLrc);
}
