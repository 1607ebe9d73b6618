/**
 * ID003 codec: pure functions from bytes to frames and back, the CRC, status decoding, the
 * denomination mask and the currency-assign (denomination) table. Shared by the driver and the
 * wire-level emulator. Frame: FC LNG CMD DATA(0-250) CRC_L CRC_H, LNG = total length.
 * Protocol facts: `../shared/reference/id003.md`; anything beyond them is marked as an invention.
 */
import { CodecError } from '../common/codec-error.js';
import type { Tiyn } from '../../domain/money.js';
import type { RejectReason } from './cash-acceptor.js';
import { crc16Kermit } from './ccnet-codec.js';

export const SYNC = 0xfc;
/** FC LNG CMD CRC CRC */
export const MIN_FRAME = 5;
export const MAX_DATA = 250;
export const MAX_FRAME = MAX_DATA + MIN_FRAME;

const fail = (message: string): never => {
  throw new CodecError('id003', message);
};

/** ID003 uses the same CRC routine as CCNET (CRC-CCITT reflected, "Kermit", init 0). */
export const crc16 = crc16Kermit;

export const Cmd = {
  statusRequest: 0x11,
  ack: 0x50,
  reset: 0x40,
  stack1: 0x41,
  stack2: 0x42,
  return: 0x43,
  hold: 0x44,
  wait: 0x45,
  setEnable: 0xc0,
  setSecurity: 0xc1,
  setInhibit: 0xc3,
  setDirection: 0xc4,
  setOptional: 0xc5,
  getEnable: 0x80,
  getSecurity: 0x81,
  getInhibit: 0x83,
  getDirection: 0x84,
  getOptional: 0x85,
  getVersion: 0x88,
  getBootVersion: 0x89,
  /** not in [BDP]; confirmed by two host implementations (reference section 4) */
  currencyAssign: 0x8a,
} as const;

/** Status codes (the CMD byte of a reply to STATUS REQUEST). */
export const St = {
  idling: 0x11,
  accepting: 0x12,
  escrow: 0x13,
  stacking: 0x14,
  vendValid: 0x15,
  stacked: 0x16,
  rejecting: 0x17,
  returning: 0x18,
  holding: 0x19,
  disabled: 0x1a,
  initialize: 0x1b,
  powerUp: 0x40,
  powerUpBillInAcceptor: 0x41,
  powerUpBillInStacker: 0x42,
  stackerFull: 0x43,
  stackerOpen: 0x44,
  jamInAcceptor: 0x45,
  jamInStacker: 0x46,
  pause: 0x47,
  cheated: 0x48,
  failure: 0x49,
  communicationError: 0x4a,
  invalidCommand: 0x4b,
} as const;

/** escrow codes 61..68 name denominations 1..8 (model-specific values: read them with 8A) */
export const FIRST_ESCROW_CODE = 0x61;
export const LAST_ESCROW_CODE = 0x68;

export interface Id003Frame {
  cmd: number;
  /** bytes between CMD and CRC */
  data: Uint8Array;
}

export function encodeFrame(cmd: number, data: Uint8Array | readonly number[] = []): Uint8Array {
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 0xff) fail(`command byte ${cmd} is not a byte`);
  if (data.length > MAX_DATA) fail(`${data.length} data bytes (at most ${MAX_DATA})`);
  const len = data.length + MIN_FRAME;
  const out = new Uint8Array(len);
  out[0] = SYNC;
  out[1] = len;
  out[2] = cmd;
  out.set(data, 3);
  const crc = crc16(out, len - 2);
  out[len - 2] = crc & 0xff;
  out[len - 1] = crc >>> 8;
  return out;
}

/** Exactly one whole frame, CRC checked. */
export function decodeFrame(bytes: Uint8Array): Id003Frame {
  if (bytes.length < MIN_FRAME) fail(`frame of ${bytes.length} bytes (at least ${MIN_FRAME})`);
  if (bytes[0] !== SYNC) fail(`frame starts with 0x${bytes[0]!.toString(16)}, not FC`);
  if (bytes[1] !== bytes.length) fail(`LNG ${bytes[1]} but ${bytes.length} bytes`);
  const crc = crc16(bytes, bytes.length - 2);
  if ((crc & 0xff) !== bytes[bytes.length - 2] || crc >>> 8 !== bytes[bytes.length - 1]) fail('bad CRC');
  return { cmd: bytes[2]!, data: bytes.slice(3, bytes.length - 2) };
}

export type ParserDiagnostic = 'crc' | 'garbage';

/**
 * Stream parser: hunts FC, waits for split frames, and on a bad CRC or impossible length drops
 * one byte and hunts again. Never buffers more than one maximal frame.
 */
export class Id003Parser {
  #buf: Uint8Array = new Uint8Array(0);

  constructor(private readonly onDiagnostic?: (kind: ParserDiagnostic) => void) {}

  get pending(): number {
    return this.#buf.length;
  }

  reset(): void {
    this.#buf = new Uint8Array(0);
  }

  push(chunk: Uint8Array): Id003Frame[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf, 0);
    merged.set(chunk, this.#buf.length);
    const frames: Id003Frame[] = [];
    let i = 0;
    let skipped = 0;
    while (i < merged.length) {
      if (merged[i] !== SYNC) {
        i++;
        skipped++;
        continue;
      }
      if (merged.length - i < 2) break;
      const len = merged[i + 1]!;
      if (len < MIN_FRAME) {
        i++;
        skipped++;
        continue;
      }
      if (merged.length - i < len) {
        // a corrupted LNG can wait for bytes that never come: a complete valid frame further on wins
        const next = findCompleteFrame(merged, i + 1);
        if (next < 0) break;
        skipped += next - i;
        i = next;
        continue;
      }
      const frame = merged.subarray(i, i + len);
      if (!crcOk(frame)) {
        this.onDiagnostic?.('crc');
        i++;
        continue;
      }
      if (skipped > 0) this.onDiagnostic?.('garbage');
      skipped = 0;
      frames.push({ cmd: frame[2]!, data: frame.slice(3, len - 2) });
      i += len;
    }
    if (skipped > 0) this.onDiagnostic?.('garbage');
    if (merged.length - i > MAX_FRAME) i = merged.length - MAX_FRAME;
    this.#buf = merged.slice(i);
    return frames;
  }
}

function crcOk(frame: Uint8Array): boolean {
  const len = frame.length;
  const crc = crc16(frame, len - 2);
  return (crc & 0xff) === frame[len - 2] && crc >>> 8 === frame[len - 1];
}

function findCompleteFrame(buf: Uint8Array, from: number): number {
  for (let j = from; j + MIN_FRAME <= buf.length; j++) {
    if (buf[j] !== SYNC) continue;
    const len = buf[j + 1]!;
    if (len < MIN_FRAME || j + len > buf.length) continue;
    if (crcOk(buf.subarray(j, j + len))) return j;
  }
  return -1;
}

// ---- statuses ----

export type Id003Status =
  | { kind: 'powerUp'; billIn?: 'acceptor' | 'stacker' }
  | { kind: 'idling' | 'accepting' | 'stacking' | 'vendValid' | 'stacked' | 'returning' | 'holding' | 'disabled' | 'initialize' | 'pause' }
  | { kind: 'escrow'; escrowCode: number }
  | { kind: 'rejecting'; code: number; reason: RejectReason }
  | { kind: 'stackerFull' | 'stackerOpen' | 'cheated' | 'communicationError' | 'invalidCommand' }
  | { kind: 'jammed'; where: 'acceptor' | 'stacker' }
  | { kind: 'failure'; code: number; message: string };

/**
 * Reject codes (reference section 3) onto the protocol-neutral reasons. Where ID003 names a cause
 * the neutral list lacks, the nearest reason is chosen: 76 denomination assessing -> identification,
 * 77 / 78 / 7E photo -> optic, 7C bill remaining in the stacker -> conveying, 7F true-bill feature
 * (only in one host, unconfirmed) -> verification.
 */
const rejectReasons: Record<number, RejectReason> = {
  0x71: 'insertion', 0x72: 'magnetic', 0x73: 'remainedInHead', 0x74: 'multiplying', 0x75: 'conveying',
  0x76: 'identification', 0x77: 'optic', 0x78: 'optic', 0x79: 'inhibit', 0x7b: 'operation',
  0x7c: 'conveying', 0x7d: 'length', 0x7e: 'optic', 0x7f: 'verification',
};

/** reject code the emulator reports for a reason (first code per reason) */
export const rejectCode: Partial<Record<RejectReason, number>> = Object.fromEntries(
  Object.entries(rejectReasons).map(([k, v]) => [v, Number(k)]).reverse(),
);

const failureMessages: Record<number, string> = {
  0xa2: 'stack motor failure', 0xa5: 'transport motor speed failure', 0xa6: 'transport motor failure',
  0xab: 'cash box not ready', 0xaf: 'validator head removed', 0xb0: 'boot ROM failure',
  0xb1: 'external ROM failure', 0xb2: 'ROM failure', 0xb3: 'external ROM writing failure',
};

const simple: Record<number, Id003Status['kind']> = {
  [St.idling]: 'idling', [St.accepting]: 'accepting', [St.stacking]: 'stacking', [St.vendValid]: 'vendValid',
  [St.stacked]: 'stacked', [St.returning]: 'returning', [St.holding]: 'holding', [St.disabled]: 'disabled',
  [St.initialize]: 'initialize', [St.pause]: 'pause', [St.stackerFull]: 'stackerFull', [St.stackerOpen]: 'stackerOpen',
  [St.cheated]: 'cheated', [St.communicationError]: 'communicationError', [St.invalidCommand]: 'invalidCommand',
};

/** Decodes a reply to STATUS REQUEST; a code or shape the reference does not list is a CodecError. */
export function decodeStatus(f: Id003Frame): Id003Status {
  const { cmd, data } = f;
  const one = (): number => (data.length === 1 ? data[0]! : fail(`status 0x${cmd.toString(16)} needs 1 data byte, got ${data.length}`));
  const none = (): void => {
    if (data.length !== 0) fail(`status 0x${cmd.toString(16)} carries no data, got ${data.length} bytes`);
  };
  switch (cmd) {
    case St.escrow: {
      const code = one();
      if (code < FIRST_ESCROW_CODE || code > LAST_ESCROW_CODE) fail(`escrow code 0x${code.toString(16)} outside 61-68`);
      return { kind: 'escrow', escrowCode: code };
    }
    case St.rejecting: {
      const code = one();
      return { kind: 'rejecting', code, reason: rejectReasons[code] ?? 'unknown' };
    }
    case St.failure: {
      const code = one();
      return { kind: 'failure', code, message: failureMessages[code] ?? `failure 0x${code.toString(16)}` };
    }
    case St.powerUp: none(); return { kind: 'powerUp' };
    case St.powerUpBillInAcceptor: none(); return { kind: 'powerUp', billIn: 'acceptor' };
    case St.powerUpBillInStacker: none(); return { kind: 'powerUp', billIn: 'stacker' };
    case St.jamInAcceptor: none(); return { kind: 'jammed', where: 'acceptor' };
    case St.jamInStacker: none(); return { kind: 'jammed', where: 'stacker' };
    default: {
      const kind = simple[cmd];
      if (!kind) return fail(`unknown status 0x${cmd.toString(16)}`);
      none();
      return { kind } as Id003Status;
    }
  }
}

/** The frame a device sends for a status (used by the emulator). */
export function encodeStatus(s: Id003Status): Uint8Array {
  switch (s.kind) {
    case 'escrow': return encodeFrame(St.escrow, [s.escrowCode]);
    case 'rejecting': return encodeFrame(St.rejecting, [s.code]);
    case 'failure': return encodeFrame(St.failure, [s.code]);
    case 'powerUp':
      return encodeFrame(s.billIn === 'acceptor' ? St.powerUpBillInAcceptor : s.billIn === 'stacker' ? St.powerUpBillInStacker : St.powerUp);
    case 'jammed': return encodeFrame(s.where === 'acceptor' ? St.jamInAcceptor : St.jamInStacker);
    default: {
      const code = Object.entries(simple).find(([, k]) => k === s.kind)?.[0];
      return encodeFrame(Number(code));
    }
  }
}

/** A stable key per device state, so the driver emits one event per transition. */
export function statusKey(s: Id003Status): string {
  switch (s.kind) {
    case 'powerUp': return `powerUp:${s.billIn ?? ''}`;
    case 'escrow': return `escrow:${s.escrowCode}`;
    case 'rejecting': case 'failure': return `${s.kind}:${s.code}`;
    case 'jammed': return `jammed:${s.where}`;
    default: return s.kind;
  }
}

// ---- denomination mask (C0 / 80) ----

/**
 * C0's two data bytes: bit = 1 DISABLES; DATA1 bit0..7 = denomination 1..8 (escrow codes 61..68).
 * DATA2 (denominations 9..16, unconfirmed) is sent 00 as in the reference's "enable all" frame.
 */
export function encodeEnableMask(escrowCodes: Iterable<number>): [number, number] {
  let enabled = 0;
  for (const c of escrowCodes) {
    if (!Number.isInteger(c) || c < FIRST_ESCROW_CODE || c > LAST_ESCROW_CODE) fail(`escrow code ${c} outside 61-68`);
    enabled |= 1 << (c - FIRST_ESCROW_CODE);
  }
  return [~enabled & 0xff, 0x00];
}

/** escrow codes the mask enables (DATA1 only) */
export function decodeEnableMask(data: ArrayLike<number>): number[] {
  if (data.length !== 2) fail(`enable mask of ${data.length} bytes (expected 2)`);
  const codes: number[] = [];
  for (let b = 0; b < 8; b++) if ((data[0]! & (1 << b)) === 0) codes.push(FIRST_ESCROW_CODE + b);
  return codes;
}

// ---- currency assign (8A): the denomination table ----

/** Country byte for tenge (TerminalClient's list; unconfirmed against a JCM list). */
export const COUNTRY_KZT = 0x51;

export interface DenominationEntry {
  escrowCode: number;
  country: number;
  /** value in tiyn when the entry is tenge and a whole tiyn; otherwise undefined */
  denomination?: Tiyn;
}

/** 8A reply: 4-byte entries [escrow code, country, value, exponent], amount = value x 10^exponent. */
export function parseCurrencyAssign(data: Uint8Array): DenominationEntry[] {
  if (data.length % 4 !== 0) fail(`currency assign of ${data.length} bytes (a multiple of 4)`);
  const out: DenominationEntry[] = [];
  for (let i = 0; i < data.length; i += 4) {
    const [code, country, value, exp] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    if (value === 0) continue; // unused entry
    if (code < FIRST_ESCROW_CODE || code > LAST_ESCROW_CODE) fail(`currency assign names escrow code 0x${code.toString(16)}`);
    // tenge -> tiyn is x100; an exponent past 10 is no banknote
    const denomination = country === COUNTRY_KZT && exp <= 10 ? value * 10 ** (exp + 2) : undefined;
    out.push({ escrowCode: code, country, ...(denomination !== undefined ? { denomination } : {}) });
  }
  return out;
}

/** Builds an 8A reply body from whole-tenge denominations (used by the emulator). */
export function encodeCurrencyAssign(entries: ReadonlyArray<{ escrowCode: number; denomination: Tiyn; country?: number }>): Uint8Array {
  const out: number[] = [];
  for (const e of entries) {
    let value = e.denomination / 100;
    if (!Number.isInteger(value) || value <= 0) fail(`denomination ${e.denomination} is not whole tenge`);
    let exp = 0;
    while (value % 10 === 0) {
      value /= 10;
      exp++;
    }
    if (value > 255) fail(`denomination ${e.denomination} does not fit a value byte`);
    out.push(e.escrowCode, e.country ?? COUNTRY_KZT, value, exp);
  }
  return Uint8Array.from(out);
}

/** 88 reply: ASCII; spacing between its fields is unconfirmed, so it is kept as one trimmed line. */
export function parseVersion(data: Uint8Array): string {
  return String.fromCharCode(...data).replace(/[^\x20-\x7e]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Bytes on the wire at `baud`, 8E1 = 11 bits per byte, in ms. */
export const lineTimeMs = (len: number, baud: number): number => (len * 11 * 1000) / baud;

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ').toUpperCase();
