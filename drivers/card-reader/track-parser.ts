/**
 * ISO/IEC 7813 track 1 (format B) and track 2 parsing, pure functions over the ASCII bytes a
 * reader reports (start sentinel through end sentinel, optionally followed by the LRC character
 * in the project's reader extension). Works on bytes so the caller can zero the raw track after.
 */

export interface TrackFields {
  pan: string;
  expiry: string; // YYMM
  serviceCode: string;
  /** track 1 only: SURNAME/GIVEN as encoded, trailing spaces trimmed */
  name?: string;
  /** whether an LRC character followed the end sentinel and was verified */
  lrcChecked: boolean;
}

export type TrackError = 'badLrc' | 'format';
export type TrackResult = { ok: true; fields: TrackFields } | { ok: false; error: TrackError };

/** 'auto': verify the LRC when the reader passes it on; 'required': a missing LRC is an error */
export type LrcMode = 'auto' | 'required';

export const PAN_MIN_DIGITS = 12; // project rule (ISO/IEC 7812 allows 8)
export const PAN_MAX_DIGITS = 19;

const TRACK1 = { ss: 0x25, es: 0x3f, fs: 0x5e, base: 0x20, mask: 0x3f, min: 0x20, max: 0x5f, maxLength: 79 } as const;
const TRACK2 = { ss: 0x3b, es: 0x3f, fs: 0x3d, base: 0x30, mask: 0x0f, min: 0x30, max: 0x3f, maxLength: 40 } as const;
type TrackSpec = typeof TRACK1 | typeof TRACK2;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** LRC character of a track: XOR of the character values SS..ES (parity excluded), as ASCII. */
export function trackLrc(track: 1 | 2, chars: Uint8Array): number {
  const spec = track === 1 ? TRACK1 : TRACK2;
  let lrc = 0;
  for (const c of chars) lrc ^= (c - spec.base) & spec.mask;
  return lrc + spec.base;
}

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 0x30;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function validExpiry(yymm: string): boolean {
  const month = Number(yymm.slice(2));
  return /^\d{4}$/.test(yymm) && month >= 1 && month <= 12;
}

/** Checks sentinels, character set, length and LRC; returns the index of the end sentinel. */
function frame(spec: TrackSpec, track: 1 | 2, bytes: Uint8Array, mode: LrcMode): number | TrackError {
  if (bytes.length < 3 || bytes.length > spec.maxLength || bytes[0] !== spec.ss) return 'format';
  const es = bytes.indexOf(spec.es, 1);
  if (es < 0) return 'format';
  const trailing = bytes.length - 1 - es;
  if (trailing > 1) return 'format';
  for (let i = 1; i < es; i++) {
    const c = bytes[i] as number;
    if (c < spec.min || c > spec.max || c === spec.ss) return 'format';
    // track 1: [ \ ] are national characters, not valid in card data
    if (track === 1 && c >= 0x5b && c <= 0x5d) return 'format';
  }
  if (trailing === 1) {
    const lrc = bytes[es + 1] as number;
    if (lrc < spec.min || lrc > spec.max) return 'badLrc';
    if (trackLrc(track, bytes.subarray(0, es + 1)) !== lrc) return 'badLrc';
  } else if (mode === 'required') {
    return 'badLrc';
  }
  return es;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

function digitsEnd(bytes: Uint8Array, from: number, limit: number): number {
  let i = from;
  while (i < limit && isDigit(bytes[i])) i++;
  return i;
}

/** `%B` PAN `^` NAME `^` YYMM SVC discretionary `?` [LRC] */
export function parseTrack1(bytes: Uint8Array, mode: LrcMode = 'auto'): TrackResult {
  const es = frame(TRACK1, 1, bytes, mode);
  if (typeof es !== 'number') return { ok: false, error: es };
  if (bytes[1] !== 0x42) return { ok: false, error: 'format' }; // format code B
  const panEnd = digitsEnd(bytes, 2, es);
  const panLength = panEnd - 2;
  if (panLength < PAN_MIN_DIGITS || panLength > PAN_MAX_DIGITS || bytes[panEnd] !== TRACK1.fs) return { ok: false, error: 'format' };
  const nameStart = panEnd + 1;
  const nameEnd = bytes.indexOf(TRACK1.fs, nameStart);
  if (nameEnd < 0 || nameEnd > es || nameEnd - nameStart < 2 || nameEnd - nameStart > 26) return { ok: false, error: 'format' };
  const rest = nameEnd + 1;
  if (es - rest < 7 || digitsEnd(bytes, rest, rest + 7) !== rest + 7) return { ok: false, error: 'format' };
  if (bytes.subarray(rest, es).includes(TRACK1.fs)) return { ok: false, error: 'format' };
  const expiry = ascii(bytes, rest, rest + 4);
  if (!validExpiry(expiry)) return { ok: false, error: 'format' };
  const name = ascii(bytes, nameStart, nameEnd).trimEnd();
  if (name.length === 0) return { ok: false, error: 'format' };
  return {
    ok: true,
    fields: {
      pan: ascii(bytes, 2, panEnd),
      expiry,
      serviceCode: ascii(bytes, rest + 4, rest + 7),
      name,
      lrcChecked: es + 1 < bytes.length,
    },
  };
}

/** `;` PAN `=` YYMM SVC discretionary-digits `?` [LRC] */
export function parseTrack2(bytes: Uint8Array, mode: LrcMode = 'auto'): TrackResult {
  const es = frame(TRACK2, 2, bytes, mode);
  if (typeof es !== 'number') return { ok: false, error: es };
  const panEnd = digitsEnd(bytes, 1, es);
  const panLength = panEnd - 1;
  if (panLength < PAN_MIN_DIGITS || panLength > PAN_MAX_DIGITS || bytes[panEnd] !== TRACK2.fs) return { ok: false, error: 'format' };
  const rest = panEnd + 1;
  // expiry, service code, then digits only; a lone separator (no expiry) is no use to the kiosk
  if (es - rest < 7 || digitsEnd(bytes, rest, es) !== es) return { ok: false, error: 'format' };
  const expiry = ascii(bytes, rest, rest + 4);
  if (!validExpiry(expiry)) return { ok: false, error: 'format' };
  return {
    ok: true,
    fields: { pan: ascii(bytes, 1, panEnd), expiry, serviceCode: ascii(bytes, rest + 4, rest + 7), lrcChecked: es + 1 < bytes.length },
  };
}
