/**
 * ESC/POS command bytes as pure functions (facts: shared reference escpos.md §1, §3, §5, §6).
 * Every builder returns a fresh Uint8Array; callers concatenate with `concatBytes`.
 */
import { CodecError } from '../common/codec-error.js';
import { encodeText, type CodePageProfile } from './code-page.js';

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const EOT = 0x04;
const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';
export type CutKind = 'full' | 'partial';

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function byte(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new CodecError('escpos', `${what} must be a byte, got ${n}`);
  return n;
}

export const initialize = (): Uint8Array => Uint8Array.of(ESC, 0x40);
export const selectCodePage = (profile: CodePageProfile): Uint8Array => Uint8Array.of(ESC, 0x74, byte(profile.escT, 'ESC t n'));
export const bold = (on: boolean): Uint8Array => Uint8Array.of(ESC, 0x45, on ? 1 : 0);
export const align = (a: Align): Uint8Array => Uint8Array.of(ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2);

/** GS ! n: width and height multipliers 1..8 */
export function size(width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || width < 1 || width > 8 || !Number.isInteger(height) || height < 1 || height > 8) {
    throw new CodecError('escpos', `character size must be 1..8 x 1..8, got ${width}x${height}`);
  }
  return Uint8Array.of(GS, 0x21, ((width - 1) << 4) | (height - 1));
}

export const lineFeed = (): Uint8Array => Uint8Array.of(LF);
export const feedLines = (n: number): Uint8Array => Uint8Array.of(ESC, 0x64, byte(n, 'ESC d n'));
/** ESC J n: feed n vertical motion units without starting a text line (used for QR quiet zones) */
export const feedDots = (n: number): Uint8Array => Uint8Array.of(ESC, 0x4a, byte(n, 'ESC J n'));

/** a text line in the selected page, then LF */
export function textLine(text: string, profile: CodePageProfile): Uint8Array {
  return concatBytes([encodeText(text, profile.name), lineFeed()]);
}

/** GS V 41/42 n: feed to the cutter (+n units) and cut, so the last printed line is above the blade */
export const cut = (kind: CutKind = 'full', feed = 0): Uint8Array => Uint8Array.of(GS, 0x56, kind === 'full' ? 0x41 : 0x42, byte(feed, 'cut feed'));

/** DLE EOT n real-time status request, n = 1 printer, 2 offline cause, 3 error, 4 paper */
export function statusRequest(n: 1 | 2 | 3 | 4): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

const QR_LEVEL: Record<QrErrorLevel, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };
/** longest QR payload we send: keeps pL/pH away from forming DLE EOT and fits any model-2 symbol we print */
export const QR_MAX_PAYLOAD_BYTES = 512;

function gsParenK(fnAndData: readonly number[]): Uint8Array {
  const len = fnAndData.length + 1; // cn (0x31) + fn + params
  return Uint8Array.of(GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, ...fnAndData);
}

/**
 * Printer-native QR (GS ( k, cn 49): model 2, module size, error level, store, print.
 * Payload bytes are UTF-8; control characters are refused, so the data can never look like DLE EOT.
 */
export function qrNative(payload: string, options: { moduleSize?: number; level?: QrErrorLevel } = {}): Uint8Array {
  const data = new TextEncoder().encode(payload);
  if (data.length === 0 || data.length > QR_MAX_PAYLOAD_BYTES) {
    throw new CodecError('escpos', `QR payload must be 1..${QR_MAX_PAYLOAD_BYTES} bytes, got ${data.length}`);
  }
  if (data.some((b) => b < 0x20 || b === 0x7f)) throw new CodecError('escpos', 'QR payload must not contain control characters');
  const moduleSize = options.moduleSize ?? 6;
  if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 16) throw new CodecError('escpos', `QR module size must be 1..16, got ${moduleSize}`);
  return concatBytes([
    gsParenK([0x41, 0x32, 0x00]),
    gsParenK([0x43, moduleSize]),
    gsParenK([0x45, QR_LEVEL[options.level ?? 'M']]),
    gsParenK([0x50, 0x30, ...data]),
    gsParenK([0x51, 0x30]),
  ]);
}

/**
 * GS v 0 raster image, normal density. `bits` is row-major, one entry per dot, 1 = black;
 * `widthDots` is padded to whole bytes (MSB = leftmost dot).
 */
export function rasterImage(bits: ArrayLike<number>, widthDots: number, heightDots: number): Uint8Array {
  if (widthDots < 1 || heightDots < 1 || bits.length !== widthDots * heightDots) {
    throw new CodecError('escpos', `raster image needs ${widthDots}x${heightDots} dots, got ${bits.length}`);
  }
  const rowBytes = Math.ceil(widthDots / 8);
  if (rowBytes > 0xffff || heightDots > 0xffff) throw new CodecError('escpos', 'raster image too large');
  const out = new Uint8Array(8 + rowBytes * heightDots);
  out.set([GS, 0x76, 0x30, 0x00, rowBytes & 0xff, rowBytes >> 8, heightDots & 0xff, heightDots >> 8]);
  for (let y = 0; y < heightDots; y++) {
    for (let x = 0; x < widthDots; x++) {
      if (bits[y * widthDots + x]) out[8 + y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** true when the bytes hold a real-time command (DLE EOT / DLE ENQ / DLE DC4) the printer would act on mid-job */
export function containsRealtimeCommand(job: Uint8Array): boolean {
  for (let i = 0; i + 1 < job.length; i++) {
    if (job[i] === DLE && (job[i + 1] === EOT || job[i + 1] === 0x05 || job[i + 1] === 0x14)) return true;
  }
  return false;
}
