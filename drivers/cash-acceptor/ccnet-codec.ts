/**
 * CCNET (CashCode NET) codec: pure functions from bytes to frames and back, CRC-16/KERMIT,
 * poll-state and bill-table decoding. Shared by the driver and the wire-level emulator.
 * Frame: 02 ADR LNG [CMD] DATA CRC_L CRC_H, LNG = total length. Long frames (LNG = 0) are never
 * used by a bill validator (its largest reply, the bill table, is 125 bytes), so they are rejected.
 */
import { CodecError } from '../common/codec-error.js';
import type { Tiyn } from '../../domain/money.js';
import type { RejectReason } from './cash-acceptor.js';

export const SYNC = 0x02;
export const ADDR_BILL_VALIDATOR = 0x03;
export const MIN_FRAME = 6;
export const MAX_FRAME = 255;

export const Cmd = {
  ack: 0x00,
  nak: 0xff,
  reset: 0x30,
  getStatus: 0x31,
  setSecurity: 0x32,
  poll: 0x33,
  enableBillTypes: 0x34,
  stack: 0x35,
  return: 0x36,
  identification: 0x37,
  hold: 0x38,
  getBillTable: 0x41,
} as const;

/** ILLEGAL COMMAND reply byte (same value as RESET). */
export const ILLEGAL_COMMAND = 0x30;

export function crc16Kermit(bytes: Uint8Array, end = bytes.length): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

/** Builds a frame around `body` (CMD + DATA for a host command, DATA for a device reply). */
export function encodeFrame(addr: number, body: Uint8Array | readonly number[]): Uint8Array {
  const len = body.length + 5;
  if (len > MAX_FRAME) throw new CodecError('ccnet', `CCNET frame of ${len} bytes needs a long frame, which this codec does not send`);
  const out = new Uint8Array(len);
  out[0] = SYNC;
  out[1] = addr;
  out[2] = len;
  out.set(body, 3);
  const crc = crc16Kermit(out, len - 2);
  out[len - 2] = crc & 0xff;
  out[len - 1] = crc >>> 8;
  return out;
}

export const encodeCommand = (cmd: number, data: readonly number[] = [], addr = ADDR_BILL_VALIDATOR): Uint8Array =>
  encodeFrame(addr, [cmd, ...data]);

export interface CcnetFrame {
  addr: number;
  /** bytes between LNG and CRC */
  body: Uint8Array;
}

export type ParserDiagnostic = 'crc' | 'garbage';

/**
 * Stream parser: feed it chunks as they arrive; it hunts for SYNC, waits for split frames,
 * and on a bad CRC or impossible length drops one byte and hunts again, so a frame that
 * starts inside garbage is still found.
 */
export class CcnetParser {
  #buf: Uint8Array = new Uint8Array(0);

  constructor(private readonly onDiagnostic?: (kind: ParserDiagnostic) => void) {}

  get pending(): number {
    return this.#buf.length;
  }

  reset(): void {
    this.#buf = new Uint8Array(0);
  }

  push(chunk: Uint8Array): CcnetFrame[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf, 0);
    merged.set(chunk, this.#buf.length);
    const frames: CcnetFrame[] = [];
    let i = 0;
    let skipped = 0;
    while (i < merged.length) {
      if (merged[i] !== SYNC) {
        i++;
        skipped++;
        continue;
      }
      if (merged.length - i < 3) break;
      const len = merged[i + 2]!;
      if (len < MIN_FRAME) {
        i++;
        skipped++;
        continue;
      }
      if (merged.length - i < len) {
        // A corrupted LNG can make us wait for bytes that never come; if a complete valid frame
        // already sits further on, the candidate here was garbage.
        const next = this.#findCompleteFrame(merged, i + 1);
        if (next < 0) break;
        skipped += next - i;
        i = next;
        continue;
      }
      const frame = merged.subarray(i, i + len);
      const crc = crc16Kermit(frame, len - 2);
      if ((crc & 0xff) !== frame[len - 2] || crc >>> 8 !== frame[len - 1]) {
        this.onDiagnostic?.('crc');
        i++;
        continue;
      }
      if (skipped > 0) this.onDiagnostic?.('garbage');
      skipped = 0;
      frames.push({ addr: frame[1]!, body: frame.slice(3, len - 2) });
      i += len;
    }
    if (skipped > 0) this.onDiagnostic?.('garbage');
    // never buffer more than one maximal frame: older bytes cannot start a frame any more
    if (merged.length - i > MAX_FRAME) i = merged.length - MAX_FRAME;
    this.#buf = merged.slice(i);
    return frames;
  }

  #findCompleteFrame(buf: Uint8Array, from: number): number {
    for (let j = from; j + MIN_FRAME <= buf.length; j++) {
      if (buf[j] !== SYNC) continue;
      const len = buf[j + 2]!;
      if (len < MIN_FRAME || j + len > buf.length) continue;
      const crc = crc16Kermit(buf.subarray(j, j + len), len - 2);
      if ((crc & 0xff) === buf[j + len - 2] && crc >>> 8 === buf[j + len - 1]) return j;
    }
    return -1;
  }
}

/** Bill-type masks: byte 1 bit 7 = type 23 ... byte 3 bit 0 = type 0. */
export function encodeTypeMask(types: Iterable<number>): [number, number, number] {
  let bits = 0;
  for (const t of types) {
    if (!Number.isInteger(t) || t < 0 || t > 23) throw new CodecError('ccnet', `bill type ${t} is outside 0-23`);
    bits |= 1 << t;
  }
  return [(bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff];
}

export function decodeTypeMask(b: ArrayLike<number>, offset = 0): number[] {
  const bits = ((b[offset]! << 16) | (b[offset + 1]! << 8) | b[offset + 2]!) >>> 0;
  const types: number[] = [];
  for (let t = 0; t < 24; t++) if (bits & (1 << t)) types.push(t);
  return types;
}

export const encodeEnable = (enabled: Iterable<number>, escrow: Iterable<number> = enabled): Uint8Array =>
  encodeCommand(Cmd.enableBillTypes, [...encodeTypeMask(enabled), ...encodeTypeMask(escrow)]);

// ---- poll states ----

export const St = {
  powerUp: 0x10,
  powerUpBillInValidator: 0x11,
  powerUpBillInStacker: 0x12,
  initialize: 0x13,
  idling: 0x14,
  accepting: 0x15,
  stacking: 0x17,
  returning: 0x18,
  disabled: 0x19,
  holding: 0x1a,
  busy: 0x1b,
  rejecting: 0x1c,
  cassetteFull: 0x41,
  cassetteOut: 0x42,
  validatorJammed: 0x43,
  cassetteJammed: 0x44,
  cheated: 0x45,
  pause: 0x46,
  failure: 0x47,
  escrow: 0x80,
  stacked: 0x81,
  returned: 0x82,
} as const;

export type PollState =
  | { kind: 'powerUp'; billIn?: 'validator' | 'stacker' }
  | { kind: 'initialize' | 'idling' | 'accepting' | 'stacking' | 'returning' | 'disabled' | 'holding' | 'pause' }
  | { kind: 'busy'; retryMs: number }
  | { kind: 'rejecting'; reason: RejectReason; code: number }
  | { kind: 'cassetteFull' | 'cassetteOut' | 'cheated' }
  | { kind: 'jammed'; where: 'validator' | 'cassette' }
  | { kind: 'failure'; code: number; message: string }
  | { kind: 'escrow' | 'stacked' | 'returned'; billType: number };

const rejectReasons: Record<number, RejectReason> = {
  0x60: 'insertion', 0x61: 'magnetic', 0x62: 'remainedInHead', 0x63: 'multiplying', 0x64: 'conveying',
  0x65: 'identification', 0x66: 'verification', 0x67: 'optic', 0x68: 'inhibit', 0x69: 'capacity',
  0x6a: 'operation', 0x6c: 'length', 0x6d: 'uv', 0x92: 'barcode', 0x93: 'barcode', 0x94: 'barcode', 0x95: 'barcode',
};

export const rejectCode: Partial<Record<RejectReason, number>> = Object.fromEntries(
  Object.entries(rejectReasons).map(([k, v]) => [v, Number(k)]).reverse(),
);

const failureMessages: Record<number, string> = {
  0x50: 'stack motor failure', 0x51: 'transport motor speed failure', 0x52: 'transport motor failure',
  0x53: 'aligning motor failure', 0x54: 'initial cassette status failure', 0x55: 'optic canal failure',
  0x56: 'magnetic canal failure', 0x57: 'operating system failure', 0x58: 'memory stick failure',
  0x59: 'DPLINK failure', 0x5a: 'I2C failure', 0x5b: 'SPI failure', 0x5c: 'second CPU link failure',
  0x5f: 'capacitance canal failure',
};

/** Decodes a POLL reply body; undefined if the bytes are not a state this validator can report. */
export function decodePollState(body: Uint8Array): PollState | undefined {
  const code = body[0];
  const sub = body[1];
  if (code === undefined) return undefined;
  const one = body.length === 1;
  const two = body.length === 2 && sub !== undefined;
  switch (code) {
    case St.powerUp: return one ? { kind: 'powerUp' } : undefined;
    case St.powerUpBillInValidator: return one ? { kind: 'powerUp', billIn: 'validator' } : undefined;
    case St.powerUpBillInStacker: return one ? { kind: 'powerUp', billIn: 'stacker' } : undefined;
    case St.initialize: return one ? { kind: 'initialize' } : undefined;
    case St.idling: return one ? { kind: 'idling' } : undefined;
    case St.accepting: return one ? { kind: 'accepting' } : undefined;
    case St.stacking: return one ? { kind: 'stacking' } : undefined;
    case St.returning: return one ? { kind: 'returning' } : undefined;
    case St.disabled: return one ? { kind: 'disabled' } : undefined;
    case St.holding: return one ? { kind: 'holding' } : undefined;
    case St.pause: return one ? { kind: 'pause' } : undefined;
    case St.busy: return two ? { kind: 'busy', retryMs: sub * 100 } : undefined;
    case St.rejecting: return two ? { kind: 'rejecting', code: sub, reason: rejectReasons[sub] ?? 'unknown' } : undefined;
    case St.cassetteFull: return one ? { kind: 'cassetteFull' } : undefined;
    case St.cassetteOut: return one ? { kind: 'cassetteOut' } : undefined;
    case St.validatorJammed: return one ? { kind: 'jammed', where: 'validator' } : undefined;
    case St.cassetteJammed: return one ? { kind: 'jammed', where: 'cassette' } : undefined;
    case St.cheated: return one ? { kind: 'cheated' } : undefined;
    case St.failure:
      return two ? { kind: 'failure', code: sub, message: failureMessages[sub] ?? `failure 0x${sub.toString(16)}` } : undefined;
    case St.escrow:
    case St.stacked:
    case St.returned: {
      if (!two || sub > 23) return undefined;
      const kind = code === St.escrow ? 'escrow' : code === St.stacked ? 'stacked' : 'returned';
      return { kind, billType: sub };
    }
    default:
      return undefined;
  }
}

/** A stable key per device state, so the driver emits one event per transition. */
export function pollStateKey(s: PollState): string {
  switch (s.kind) {
    case 'powerUp': return `powerUp:${s.billIn ?? ''}`;
    case 'rejecting': return `rejecting:${s.code}`;
    case 'jammed': return `jammed:${s.where}`;
    case 'failure': return `failure:${s.code}`;
    case 'escrow': case 'stacked': case 'returned': return `${s.kind}:${s.billType}`;
    case 'busy': return 'busy';
    default: return s.kind;
  }
}

// ---- bill table ----

export interface BillTableEntry {
  billType: number;
  currency: string;
  /** value in the currency's minor units (tiyn for KZT); fractional values are not representable */
  denomination: Tiyn;
}

const TENGE_CODES = new Set(['KAZ', 'KZT']);

/**
 * Parses the 120-byte (24 x 5) bill table. Entries that are zero, not tenge, or not a whole
 * number of tiyn are left out; gaps in the type numbering are normal.
 */
export function parseBillTable(data: Uint8Array): BillTableEntry[] {
  if (data.length !== 120 && data.length !== 240) throw new CodecError('ccnet', `bill table of ${data.length} bytes (expected 120)`);
  const out: BillTableEntry[] = [];
  for (let t = 0; t < data.length / 5; t++) {
    const w = data.subarray(t * 5, t * 5 + 5);
    const lead = w[0]!;
    if (lead === 0) continue;
    const currency = String.fromCharCode(w[1]!, w[2]!, w[3]!);
    if (!TENGE_CODES.has(currency)) continue;
    const exp = w[4]! & 0x7f;
    const divide = (w[4]! & 0x80) !== 0;
    // value in tenge = lead * 10^exp (or / 10^exp); in tiyn multiply by 100 = 10^2
    const pow = divide ? 2 - exp : 2 + exp;
    if (pow < 0 || pow > 12) continue;
    out.push({ billType: t, currency, denomination: lead * 10 ** pow });
  }
  return out;
}

/** Builds a bill table (used by the emulator). Denominations in tiyn, whole tenge. */
export function encodeBillTable(entries: ReadonlyArray<{ billType: number; denomination: Tiyn; currency?: string }>): Uint8Array {
  const out = new Uint8Array(120);
  for (const e of entries) {
    let tenge = e.denomination / 100;
    if (!Number.isInteger(tenge) || tenge <= 0) throw new CodecError('ccnet', `denomination ${e.denomination} is not whole tenge`);
    let exp = 0;
    while (tenge % 10 === 0) {
      tenge /= 10;
      exp++;
    }
    if (tenge > 255) throw new CodecError('ccnet', `denomination ${e.denomination} does not fit a bill-table word`);
    const code = e.currency ?? 'KAZ';
    out.set([tenge, code.charCodeAt(0), code.charCodeAt(1), code.charCodeAt(2), exp], e.billType * 5);
  }
  return out;
}

export interface Identification {
  partNumber: string;
  serial: string;
}

export function parseIdentification(data: Uint8Array): Identification {
  if (data.length < 27) throw new CodecError('ccnet', `identification of ${data.length} bytes (expected 34)`);
  const text = (b: Uint8Array): string => String.fromCharCode(...b).replace(/[^\x20-\x7e]/g, '').trim();
  return { partNumber: text(data.subarray(0, 15)), serial: text(data.subarray(15, 27)) };
}

export function encodeIdentification(id: Identification): Uint8Array {
  const out = new Uint8Array(34);
  const put = (s: string, at: number, width: number): void => {
    const padded = s.padEnd(width, ' ').slice(0, width);
    for (let i = 0; i < width; i++) out[at + i] = padded.charCodeAt(i) & 0x7f;
  };
  put(id.partNumber, 0, 15);
  put(id.serial, 15, 12);
  return out;
}

/** Bytes on the wire a frame of `len` bytes occupies at `baud` (8N1 = 10 bits per byte), in ms. */
export const lineTimeMs = (len: number, baud: number): number => (len * 10 * 1000) / baud;

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ').toUpperCase();
