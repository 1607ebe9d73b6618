/**
 * Streaming ESC/POS decoder: the printer's side of the wire (the emulator uses it; the driver
 * uses `commandEnds` to send jobs in chunks that never split a command). Bytes arrive in arbitrary chunks
 * (a pty splits them where it likes), so an incomplete command stays buffered until the rest
 * arrives. Unknown or malformed input becomes an `unknown` command; the decoder never throws and
 * never buffers more than MAX_COMMAND_BYTES (an oversized length field is skipped, not awaited).
 */

export type DecodedCommand =
  | { type: 'text'; bytes: Uint8Array }
  | { type: 'lf' }
  | { type: 'cr' }
  | { type: 'tab' }
  | { type: 'init' }
  | { type: 'codePage'; n: number }
  | { type: 'bold'; on: boolean }
  | { type: 'underline'; n: number }
  | { type: 'align'; align: 'left' | 'center' | 'right' }
  | { type: 'size'; width: number; height: number }
  | { type: 'mode'; bold: boolean; doubleHeight: boolean; doubleWidth: boolean }
  | { type: 'feedLines'; n: number }
  | { type: 'feedDots'; n: number }
  | { type: 'cut'; kind: 'full' | 'partial'; feed: number }
  | { type: 'status'; n: number }
  | { type: 'qrModel'; model: number }
  | { type: 'qrModuleSize'; n: number }
  | { type: 'qrErrorLevel'; level: 'L' | 'M' | 'Q' | 'H' }
  | { type: 'qrStore'; data: Uint8Array }
  | { type: 'qrPrint' }
  | { type: 'raster'; mode: number; widthBytes: number; height: number; data: Uint8Array }
  | { type: 'ignored'; name: string; bytes: Uint8Array }
  | { type: 'unknown'; bytes: Uint8Array; reason: string };

/** the largest single command we hold back for (a 72-byte-wide raster 14,000 rows tall) */
export const MAX_COMMAND_BYTES = 1 << 20;

type Parse = { cmd: DecodedCommand; len: number } | 'incomplete';

const INCOMPLETE = 'incomplete' as const;
const QR_LEVELS = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' } as const;

export class EscPosDecoder {
  #buf: Uint8Array = new Uint8Array(0);

  /** feeds bytes, returns every command now complete, in order */
  push(chunk: Uint8Array): DecodedCommand[] {
    const buf = this.#buf.length === 0 ? chunk : concat(this.#buf, chunk);
    const out: DecodedCommand[] = [];
    let i = 0;
    while (i < buf.length) {
      const r = parseAt(buf, i);
      if (r === INCOMPLETE) break;
      out.push(r.cmd);
      i += r.len;
    }
    this.#buf = buf.slice(i);
    return out;
  }

  /** bytes held back waiting for the rest of a command */
  get pending(): number {
    return this.#buf.length;
  }

  reset(): void {
    this.#buf = new Uint8Array(0);
  }
}

/**
 * Offsets just past each complete command of a job, in order (the last is job.length even when
 * the job ends inside a command). A DLE EOT poll may be sent at these offsets only: sent inside
 * a command's parameters or data it would become part of that data.
 */
export function commandEnds(job: Uint8Array): number[] {
  const ends: number[] = [];
  let i = 0;
  while (i < job.length) {
    const r = parseAt(job, i);
    if (r === INCOMPLETE) break;
    i += r.len;
    ends.push(i);
  }
  if (ends.at(-1) !== job.length) ends.push(job.length);
  return ends.filter((e) => e > 0);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** a fixed-length command of `len` bytes starting at i, or incomplete */
function fixed(buf: Uint8Array, i: number, len: number, make: (b: Uint8Array) => DecodedCommand): Parse {
  if (buf.length - i < len) return INCOMPLETE;
  const b = buf.subarray(i, i + len);
  return { cmd: make(b), len };
}

function unknown(buf: Uint8Array, i: number, len: number, reason: string): Parse {
  const n = Math.max(1, Math.min(len, buf.length - i));
  return { cmd: { type: 'unknown', bytes: buf.slice(i, i + n), reason }, len: n };
}

function ignored(name: string, len: number) {
  return (b: Uint8Array): DecodedCommand => ({ type: 'ignored', name, bytes: b.slice(0, len) });
}

function parseAt(buf: Uint8Array, i: number): Parse {
  const b0 = buf[i]!;
  if (b0 >= 0x20) {
    let j = i;
    while (j < buf.length && buf[j]! >= 0x20) j++;
    return { cmd: { type: 'text', bytes: buf.slice(i, j) }, len: j - i };
  }
  switch (b0) {
    case 0x0a:
      return { cmd: { type: 'lf' }, len: 1 };
    case 0x0c:
      return { cmd: { type: 'lf' }, len: 1 };
    case 0x0d:
      return { cmd: { type: 'cr' }, len: 1 };
    case 0x09:
      return { cmd: { type: 'tab' }, len: 1 };
    case 0x18:
      return { cmd: { type: 'ignored', name: 'CAN', bytes: buf.slice(i, i + 1) }, len: 1 };
    case 0x10:
      return parseDle(buf, i);
    case 0x1b:
      return parseEsc(buf, i);
    case 0x1d:
      return parseGs(buf, i);
    case 0x1c:
      return fixed(buf, i, 2, ignored('FS', 2));
    default:
      return unknown(buf, i, 1, `control byte 0x${b0.toString(16)}`);
  }
}

function parseDle(buf: Uint8Array, i: number): Parse {
  if (buf.length - i < 3) return buf.length - i < 2 || isRealtime(buf[i + 1]!) ? INCOMPLETE : unknown(buf, i, 1, 'DLE');
  const fn = buf[i + 1]!;
  const n = buf[i + 2]!;
  if (fn === 0x04) {
    if (n >= 1 && n <= 4) return { cmd: { type: 'status', n }, len: 3 };
    return unknown(buf, i, 3, `DLE EOT ${n}`);
  }
  if (fn === 0x05) return { cmd: { type: 'ignored', name: 'DLE ENQ', bytes: buf.slice(i, i + 3) }, len: 3 };
  if (fn === 0x14) return fixed(buf, i, 5, ignored('DLE DC4', 5));
  return unknown(buf, i, 1, 'DLE');
}

const isRealtime = (b: number): boolean => b === 0x04 || b === 0x05 || b === 0x14;

function parseEsc(buf: Uint8Array, i: number): Parse {
  if (buf.length - i < 2) return INCOMPLETE;
  const c = buf[i + 1]!;
  const n3 = (make: (n: number) => DecodedCommand): Parse => fixed(buf, i, 3, (b) => make(b[2]!));
  switch (c) {
    case 0x40:
      return { cmd: { type: 'init' }, len: 2 };
    case 0x74:
      return n3((n) => ({ type: 'codePage', n }));
    case 0x45:
      return n3((n) => ({ type: 'bold', on: (n & 1) === 1 }));
    case 0x2d:
      return n3((n) => ({ type: 'underline', n: n & 3 }));
    case 0x61:
      return n3((n) => ({ type: 'align', align: (n & 0x0f) === 1 ? 'center' : (n & 0x0f) === 2 ? 'right' : 'left' }));
    case 0x21:
      return n3((n) => ({ type: 'mode', bold: (n & 0x08) !== 0, doubleHeight: (n & 0x10) !== 0, doubleWidth: (n & 0x20) !== 0 }));
    case 0x64:
      return n3((n) => ({ type: 'feedLines', n }));
    case 0x4a:
      return n3((n) => ({ type: 'feedDots', n }));
    case 0x69:
      return { cmd: { type: 'cut', kind: 'full', feed: 0 }, len: 2 };
    case 0x6d:
      return { cmd: { type: 'cut', kind: 'partial', feed: 0 }, len: 2 };
    case 0x32:
      return fixed(buf, i, 2, ignored('ESC 2', 2));
    case 0x47: case 0x4d: case 0x33: case 0x20: case 0x7b: case 0x52: case 0x72: case 0x3d: case 0x65: case 0x56: case 0x55:
      return fixed(buf, i, 3, ignored(`ESC ${String.fromCharCode(c)}`, 3));
    case 0x63:
      return fixed(buf, i, 4, ignored('ESC c', 4));
    case 0x24: case 0x5c:
      return fixed(buf, i, 4, ignored(`ESC ${String.fromCharCode(c)}`, 4));
    case 0x70:
      return fixed(buf, i, 5, ignored('ESC p', 5));
    case 0x2a: {
      if (buf.length - i < 5) return INCOMPLETE;
      const m = buf[i + 2]!;
      const dots = buf[i + 3]! + buf[i + 4]! * 256;
      const len = 5 + (m === 32 || m === 33 ? 3 * dots : dots);
      return fixed(buf, i, len, ignored('ESC *', len));
    }
    default:
      return unknown(buf, i, 2, `ESC 0x${c.toString(16)}`);
  }
}

function parseGs(buf: Uint8Array, i: number): Parse {
  if (buf.length - i < 2) return INCOMPLETE;
  const c = buf[i + 1]!;
  switch (c) {
    case 0x21:
      return fixed(buf, i, 3, (b) => ({ type: 'size', width: ((b[2]! >> 4) & 7) + 1, height: (b[2]! & 7) + 1 }));
    case 0x56: {
      if (buf.length - i < 3) return INCOMPLETE;
      const m = buf[i + 2]!;
      if (m === 0x00 || m === 0x30) return { cmd: { type: 'cut', kind: 'full', feed: 0 }, len: 3 };
      if (m === 0x01 || m === 0x31) return { cmd: { type: 'cut', kind: 'partial', feed: 0 }, len: 3 };
      if ([0x41, 0x42, 0x61, 0x62, 0x67, 0x68].includes(m)) {
        return fixed(buf, i, 4, (b) => ({ type: 'cut', kind: m % 2 === 1 ? 'full' : 'partial', feed: b[3]! }));
      }
      return unknown(buf, i, 3, `GS V ${m}`);
    }
    case 0x28:
      return parseGsParen(buf, i);
    case 0x76: {
      if (buf.length - i < 8) return INCOMPLETE;
      if (buf[i + 2] !== 0x30) return unknown(buf, i, 3, 'GS v (not 0)');
      const mode = buf[i + 3]! & 0x03;
      const widthBytes = buf[i + 4]! + buf[i + 5]! * 256;
      const height = buf[i + 6]! + buf[i + 7]! * 256;
      const k = widthBytes * height;
      if (k === 0 || k + 8 > MAX_COMMAND_BYTES) return unknown(buf, i, 8, `GS v 0 of ${widthBytes}x${height} bytes`);
      return fixed(buf, i, 8 + k, (b) => ({ type: 'raster', mode, widthBytes, height, data: b.slice(8) }));
    }
    case 0x6b:
      return parseBarcode(buf, i);
    case 0x42: case 0x62: case 0x48: case 0x68: case 0x77: case 0x66: case 0x61: case 0x72: case 0x49: case 0x2f: case 0x3a:
      return fixed(buf, i, c === 0x3a ? 2 : 3, ignored(`GS ${String.fromCharCode(c)}`, c === 0x3a ? 2 : 3));
    case 0x4c: case 0x57: case 0x50: case 0x24: case 0x5c:
      return fixed(buf, i, 4, ignored(`GS ${String.fromCharCode(c)}`, 4));
    case 0x38: {
      if (buf.length - i < 7) return INCOMPLETE;
      const p = buf[i + 3]! + buf[i + 4]! * 256 + buf[i + 5]! * 65536 + buf[i + 6]! * 16777216;
      if (buf[i + 2] !== 0x4c || p + 7 > MAX_COMMAND_BYTES) return unknown(buf, i, 3, 'GS 8');
      return fixed(buf, i, 7 + p, ignored('GS 8 L', 7 + p));
    }
    default:
      return unknown(buf, i, 2, `GS 0x${c.toString(16)}`);
  }
}

/** GS ( X pL pH d1..dk: every GS ( function carries its own length */
function parseGsParen(buf: Uint8Array, i: number): Parse {
  if (buf.length - i < 5) return INCOMPLETE;
  const fnClass = buf[i + 2]!;
  const k = buf[i + 3]! + buf[i + 4]! * 256;
  const len = 5 + k;
  if (buf.length - i < len) return INCOMPLETE;
  const body = buf.subarray(i + 5, i + len);
  if (fnClass !== 0x6b) return { cmd: { type: 'ignored', name: `GS ( ${String.fromCharCode(fnClass)}`, bytes: buf.slice(i, i + len) }, len };
  if (k < 2 || body[0] !== 0x31) return { cmd: { type: 'ignored', name: 'GS ( k (not QR)', bytes: buf.slice(i, i + len) }, len };
  const fn = body[1]!;
  const p = body[2];
  switch (fn) {
    case 0x41:
      return { cmd: { type: 'qrModel', model: (p ?? 0x32) - 0x30 }, len };
    case 0x43:
      return { cmd: { type: 'qrModuleSize', n: p ?? 3 }, len };
    case 0x45: {
      const level = QR_LEVELS[(p ?? 0x30) as keyof typeof QR_LEVELS];
      return level ? { cmd: { type: 'qrErrorLevel', level }, len } : unknown(buf, i, len, 'QR error level');
    }
    case 0x50:
      return k < 3 ? unknown(buf, i, len, 'QR store without data') : { cmd: { type: 'qrStore', data: body.slice(3) }, len };
    case 0x51:
      return { cmd: { type: 'qrPrint' }, len };
    default:
      return { cmd: { type: 'ignored', name: `GS ( k fn ${fn}`, bytes: buf.slice(i, i + len) }, len };
  }
}

function parseBarcode(buf: Uint8Array, i: number): Parse {
  if (buf.length - i < 3) return INCOMPLETE;
  const m = buf[i + 2]!;
  if (m <= 6) {
    // form A: data up to NUL; a barcode is short, so a missing NUL after 255 bytes is garbage
    const end = buf.indexOf(0, i + 3);
    if (end < 0) return buf.length - i > 258 ? unknown(buf, i, 3, 'GS k form A without NUL') : INCOMPLETE;
    return { cmd: { type: 'ignored', name: 'GS k', bytes: buf.slice(i, end + 1) }, len: end + 1 - i };
  }
  if (m >= 0x41 && m <= 0x4e) {
    if (buf.length - i < 4) return INCOMPLETE;
    return fixed(buf, i, 4 + buf[i + 3]!, ignored('GS k', 4 + buf[i + 3]!));
  }
  return unknown(buf, i, 3, `GS k ${m}`);
}
