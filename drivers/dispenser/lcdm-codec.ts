/**
 * Puloon LCDM-2000 codec (two cassettes, upper and lower) plus this terminal's presenter
 * extension (see README.md): pure functions from bytes to frames and back.
 * Host -> device: 04 ID 02 CMD DATA 03 BCC; device -> host: 01 ID 02 CMD DATA 03 BCC, where BCC is
 * the XOR of every byte from the first through ETX. ACK 06 / NAK 15 are single bytes.
 */
import { CodecError } from '../common/codec-error.js';
export const EOT = 0x04;
export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
export const LCDM_ID = 0x50;
/** longest frame we accept: the 21-byte two-cassette reply, with room for the extension */
export const MAX_FRAME = 32;

export const LcdmCmd = {
  purge: 0x44,
  dispenseUpper: 0x45,
  status: 0x46,
  romVersion: 0x47,
  dispenseLower: 0x55,
  dispenseBoth: 0x56,
  testUpper: 0x76,
  testLower: 0x77,
  // presenter extension (this terminal's module; not LCDM)
  present: 0x70,
  retract: 0x71,
  presenterStatus: 0x72,
} as const;

export function bcc(bytes: ArrayLike<number>, end = bytes.length): number {
  let x = 0;
  for (let i = 0; i < end; i++) x ^= bytes[i]!;
  return x;
}

function frame(start: number, cmd: number, data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(data.length + 6);
  out.set([start, LCDM_ID, STX, cmd], 0);
  out.set(Array.from(data), 4);
  out[out.length - 2] = ETX;
  out[out.length - 1] = bcc(out, out.length - 1);
  return out;
}

export const encodeHostFrame = (cmd: number, data: ArrayLike<number> = []): Uint8Array => frame(EOT, cmd, data);
export const encodeDeviceFrame = (cmd: number, data: ArrayLike<number> = []): Uint8Array => frame(SOH, cmd, data);

/** Counts travel as two ASCII digits, tens then units. */
export function encodeCount(n: number): [number, number] {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new CodecError('lcdm', `count ${n} is outside 0-99`);
  return [0x30 + Math.floor(n / 10), 0x30 + (n % 10)];
}

export function decodeCount(data: ArrayLike<number>, at: number): number | undefined {
  const t = data[at];
  const u = data[at + 1];
  if (t === undefined || u === undefined || t < 0x30 || t > 0x39 || u < 0x30 || u > 0x39) return undefined;
  return (t - 0x30) * 10 + (u - 0x30);
}

export type LcdmToken = { type: 'ack' } | { type: 'nak' } | { type: 'frame'; cmd: number; data: Uint8Array };

/**
 * Stream parser for one direction: `start` is SOH when reading the device's replies, EOT when
 * reading host commands (the emulator). Resynchronises after garbage, split frames and bad BCCs.
 */
export class LcdmParser {
  #buf: number[] = [];

  constructor(
    private readonly start: number,
    private readonly onDiagnostic?: (kind: 'bcc' | 'garbage') => void,
  ) {}

  get pending(): number {
    return this.#buf.length;
  }

  reset(): void {
    this.#buf = [];
  }

  push(chunk: ArrayLike<number>): LcdmToken[] {
    const b = this.#buf;
    for (let i = 0; i < chunk.length; i++) b.push(chunk[i]!);
    const out: LcdmToken[] = [];
    let i = 0;
    let garbage = false;
    while (i < b.length) {
      const c = b[i]!;
      if (c === ACK || c === NAK) {
        out.push({ type: c === ACK ? 'ack' : 'nak' });
        i++;
        continue;
      }
      if (c !== this.start) {
        garbage = true;
        i++;
        continue;
      }
      // header: start ID STX CMD
      if (b.length - i < 2) break;
      if (b[i + 1] !== LCDM_ID || (b.length - i >= 3 && b[i + 2] !== STX)) {
        garbage = true;
        i++;
        continue;
      }
      let etx = -1;
      let restart = -1;
      for (let k = i + 3; k < b.length && k - i < MAX_FRAME - 1; k++) {
        // data never holds a start byte: one here means this frame was cut short
        if (b[k] === this.start) {
          restart = k;
          break;
        }
        if (k > i + 3 && b[k] === ETX) {
          etx = k;
          break;
        }
      }
      if (restart >= 0) {
        garbage = true;
        i = restart;
        continue;
      }
      if (etx < 0) {
        if (b.length - i >= MAX_FRAME - 1) {
          garbage = true;
          i++;
          continue;
        }
        break; // wait for the rest
      }
      if (etx + 1 >= b.length) break; // BCC still to come
      if (bcc(b.slice(i, etx + 1)) !== b[etx + 1]) {
        this.onDiagnostic?.('bcc');
        i++;
        continue;
      }
      out.push({ type: 'frame', cmd: b[i + 3]!, data: Uint8Array.from(b.slice(i + 4, etx)) });
      i = etx + 2;
    }
    if (garbage) this.onDiagnostic?.('garbage');
    this.#buf = b.slice(i);
    return out;
  }
}

// ---- replies ----

export type LcdmErrorKind = 'ok' | 'empty' | 'jam' | 'doubleNote' | 'timeout' | 'failure';

export interface LcdmError {
  code: number;
  ok: boolean;
  kind: LcdmErrorKind;
  message: string;
}

const errors: Record<number, [LcdmErrorKind, string]> = {
  0x30: ['ok', 'good'], 0x31: ['ok', 'normal stop'], 0x32: ['failure', 'pickup error'],
  0x33: ['jam', 'jam at CHK1,2 sensor'], 0x34: ['failure', 'overflow bill'], 0x35: ['jam', 'jam at EXIT or EJT sensor'],
  0x36: ['jam', 'jam at DIV sensor'], 0x37: ['failure', 'undefined command'], 0x38: ['empty', 'upper bill end'],
  0x3a: ['doubleNote', 'counting error CHK3,4-DIV'], 0x3b: ['failure', 'note request error'],
  0x3c: ['doubleNote', 'counting error DIV-EJT'], 0x3d: ['doubleNote', 'counting error EJT-EXIT'],
  0x3f: ['failure', 'reject tray not recognised'], 0x40: ['empty', 'lower bill end'], 0x41: ['failure', 'motor stop'],
  0x42: ['jam', 'jam at DIV sensor'], 0x43: ['timeout', 'timeout DIV to EJT'], 0x44: ['doubleNote', 'over reject'],
  0x45: ['failure', 'upper cassette not recognised'], 0x46: ['failure', 'lower cassette not recognised'],
  0x47: ['timeout', 'dispensing timeout'], 0x48: ['jam', 'jam at EJT sensor'], 0x49: ['failure', 'diverter solenoid or SOL sensor'],
  0x4a: ['failure', 'SOL sensor'], 0x4c: ['jam', 'jam at CHK3,4 sensor'], 0x4e: ['failure', 'purge error'],
};

export function decodeError(code: number): LcdmError {
  const e = errors[code];
  if (!e) return { code, ok: false, kind: 'failure', message: `unknown error 0x${code.toString(16)}` };
  return { code, ok: e[0] === 'ok', kind: e[0], message: e[1] };
}

export interface CassetteCounts {
  /** notes counted at the check sensors */
  checked: number;
  /** notes past the exit sensor: paid out */
  exited: number;
  /** notes diverted to the reject tray */
  rejected: number;
  nearEnd: boolean;
}

export interface StatusBits {
  upperNearEnd: boolean;
  lowerNearEnd: boolean;
  upperMissing: boolean;
  lowerMissing: boolean;
  rejectTrayMissing: boolean;
  /** notes sitting on any path sensor (S0 b0-b5, S1 b3-b4) */
  sensorsBlocked: boolean;
}

export type LcdmReply =
  | { cmd: 0x44; err: LcdmError }
  | { cmd: 0x45 | 0x55 | 0x76 | 0x77; err: LcdmError; cassette: CassetteCounts }
  | { cmd: 0x56; err: LcdmError; upper: CassetteCounts; lower: CassetteCounts }
  | { cmd: 0x46; err: LcdmError; s0: number; s1: number; bits: StatusBits }
  | { cmd: 0x47; version: string }
  | { cmd: 0x70; err: LcdmError; presented: number; shutterOpen: boolean }
  | { cmd: 0x71; err: LcdmError; retracted: number }
  | { cmd: 0x72; err: LcdmError; inPresenter: number; shutterOpen: boolean };

export const statusBits = (s0: number, s1: number): StatusBits => ({
  upperNearEnd: (s0 & 0x40) !== 0,
  lowerNearEnd: (s1 & 0x20) !== 0,
  upperMissing: (s1 & 0x02) !== 0,
  lowerMissing: (s1 & 0x04) !== 0,
  rejectTrayMissing: (s1 & 0x40) !== 0,
  sensorsBlocked: (s0 & 0x3f) !== 0 || (s1 & 0x18) !== 0,
});

const flag = (b: number | undefined): boolean | undefined => (b === 0x30 ? false : b === 0x31 ? true : undefined);

/**
 * Decodes a reply's data for the command it answers (dispatch on the command, never on the
 * first data byte). Undefined when the shape is wrong: a caller treats that as no reply.
 */
export function decodeReply(cmd: number, d: Uint8Array): LcdmReply | undefined {
  switch (cmd) {
    case LcdmCmd.purge:
      return d.length === 1 ? { cmd, err: decodeError(d[0]!) } : undefined;
    case LcdmCmd.dispenseUpper: case LcdmCmd.dispenseLower: case LcdmCmd.testUpper: case LcdmCmd.testLower: {
      if (d.length !== 8) return undefined;
      const checked = decodeCount(d, 0);
      const exited = decodeCount(d, 2);
      const rejected = decodeCount(d, 6);
      const st = flag(d[5]);
      if (checked === undefined || exited === undefined || rejected === undefined || st === undefined) return undefined;
      return { cmd, err: decodeError(d[4]!), cassette: { checked, exited, rejected, nearEnd: st } };
    }
    case LcdmCmd.dispenseBoth: {
      if (d.length !== 15) return undefined;
      const nums = [0, 2, 4, 6, 11, 13].map((at) => decodeCount(d, at));
      const stU = flag(d[9]);
      const stL = flag(d[10]);
      if (nums.some((n) => n === undefined) || stU === undefined || stL === undefined) return undefined;
      const [cu, eu, cl, el, ru, rl] = nums as number[];
      return {
        cmd, err: decodeError(d[8]!),
        upper: { checked: cu!, exited: eu!, rejected: ru!, nearEnd: stU },
        lower: { checked: cl!, exited: el!, rejected: rl!, nearEnd: stL },
      };
    }
    case LcdmCmd.status: {
      if (d.length !== 4 || d[0] !== 0x30) return undefined;
      const s0 = d[2]!;
      const s1 = d[3]!;
      if ((s0 & 0x80) === 0 || (s1 & 0x80) === 0) return undefined;
      return { cmd, err: decodeError(d[1]!), s0, s1, bits: statusBits(s0, s1) };
    }
    case LcdmCmd.romVersion:
      if (d.length !== 8 || [...d].some((c) => c < 0x20 || c > 0x7e)) return undefined;
      return { cmd, version: String.fromCharCode(...d) };
    case LcdmCmd.present: {
      const n = decodeCount(d, 1);
      const open = flag(d[3]);
      if (d.length !== 4 || n === undefined || open === undefined) return undefined;
      return { cmd, err: decodeError(d[0]!), presented: n, shutterOpen: open };
    }
    case LcdmCmd.retract: {
      const n = decodeCount(d, 1);
      if (d.length !== 3 || n === undefined) return undefined;
      return { cmd, err: decodeError(d[0]!), retracted: n };
    }
    case LcdmCmd.presenterStatus: {
      const n = decodeCount(d, 1);
      const open = flag(d[3]);
      if (d.length !== 4 || n === undefined || open === undefined) return undefined;
      return { cmd, err: decodeError(d[0]!), inPresenter: n, shutterOpen: open };
    }
    default:
      return undefined;
  }
}

// ---- encoders for the emulator (the device side) ----

export const encodeCassetteReply = (c: CassetteCounts, err: number): number[] => [
  ...encodeCount(c.checked), ...encodeCount(c.exited), err, c.nearEnd ? 0x31 : 0x30, ...encodeCount(c.rejected),
];

export const encodeBothReply = (u: CassetteCounts, l: CassetteCounts, err: number): number[] => [
  ...encodeCount(u.checked), ...encodeCount(u.exited), ...encodeCount(l.checked), ...encodeCount(l.exited),
  err, u.nearEnd ? 0x31 : 0x30, l.nearEnd ? 0x31 : 0x30, ...encodeCount(u.rejected), ...encodeCount(l.rejected),
];

export function encodeStatusBytes(bits: Partial<StatusBits>): [number, number] {
  const s0 = 0x80 | (bits.upperNearEnd ? 0x40 : 0) | (bits.sensorsBlocked ? 0x20 : 0);
  const s1 = 0x80 | (bits.upperMissing ? 0x02 : 0) | (bits.lowerMissing ? 0x04 : 0) | (bits.lowerNearEnd ? 0x20 : 0)
    | (bits.rejectTrayMissing ? 0x40 : 0);
  return [s0, s1];
}
