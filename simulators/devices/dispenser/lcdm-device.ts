/**
 * The dispenser's mechanics apart from the wire: two cassettes (upper, lower), a reject tray, and
 * this terminal's presenter (a stack behind a shutter) with a retract bin.
 */
import type { Tiyn } from '../../../domain/money.js';
import { LcdmCmd, encodeBothReply, encodeCassetteReply, encodeCount, encodeStatusBytes, type CassetteCounts } from '../../../drivers/dispenser/lcdm-codec.js';

export interface EmulatedCassette {
  denomination: Tiyn;
  count: number;
  present: boolean;
}

export type DispenserFault = 'empty' | 'jam' | 'doubleNote' | 'partial' | 'notTaken' | 'shutterFail';

const OK = 0x30;
const BILL_END = [0x38, 0x40] as const;
const NOT_RECOGNISED = [0x45, 0x46] as const;

export class LcdmDevice {
  cassettes: EmulatedCassette[] = [
    { denomination: 500_000, count: 100, present: true },
    { denomination: 1_000_000, count: 100, present: true },
  ];
  rejectBin = 0;
  retractBin = 0;
  notesInPath = 0;
  presenter = { notes: [] as Tiyn[], shutterOpen: false };
  taken: Tiyn[] = [];
  nearEndAt = 10;
  lastError = OK;
  readonly faults = new Map<DispenserFault, Record<string, unknown>>();

  /** `hasPresenter` false: a stock module; `presenter.notes` is then the exit slot, with no shutter */
  constructor(readonly perNoteMs = 25, readonly hasPresenter = true) {}

  #nearEnd(i: number): boolean {
    const c = this.cassettes[i];
    return !c || c.count <= this.nearEndAt;
  }

  #faultCassette(f: DispenserFault): number | undefined {
    const p = this.faults.get(f);
    if (!p) return undefined;
    return typeof p.cassette === 'number' ? p.cassette : 0;
  }

  /** counts notes out of cassette i; returns the per-cassette counts and the error byte */
  #pick(i: number, n: number): { counts: CassetteCounts; err: number } {
    const c = this.cassettes[i]!;
    const counts: CassetteCounts = { checked: 0, exited: 0, rejected: 0, nearEnd: false };
    if (!c.present) return { counts, err: NOT_RECOGNISED[i] ?? 0x45 };
    if (this.#faultCassette('empty') === i) c.count = 0;
    let err = OK;
    let target = n;
    if (this.#faultCassette('jam') === i) {
      target = Math.floor(n / 2);
      err = 0x33;
    } else if (this.#faultCassette('partial') === i) {
      target = Math.floor(n / 2);
      err = 0x32;
    }
    if (this.#faultCassette('doubleNote') === i && c.count >= 2) {
      // one double pick detected at the check sensors: both notes diverted to the reject tray
      c.count -= 2;
      counts.rejected += 2;
      this.rejectBin += 2;
    }
    const out = Math.min(target, c.count);
    c.count -= out;
    counts.exited = out;
    if (out < target && err === OK) err = BILL_END[i] ?? 0x38;
    if (err === 0x33 && c.count > 0) {
      c.count -= 1; // the jammed note stays in the path until a purge
      this.notesInPath += 1;
    }
    counts.checked = counts.exited + counts.rejected;
    counts.nearEnd = this.#nearEnd(i);
    for (let k = 0; k < out; k++) this.presenter.notes.push(c.denomination);
    return { counts, err };
  }

  /** runs one command; returns reply data and how long the mechanics take */
  run(cmd: number, data: Uint8Array): { data: number[]; ms: number } | undefined {
    const count = (at: number): number | undefined => {
      const t = data[at];
      const u = data[at + 1];
      if (t === undefined || u === undefined || t < 0x30 || t > 0x39 || u < 0x30 || u > 0x39) return undefined;
      return (t - 0x30) * 10 + (u - 0x30);
    };
    switch (cmd) {
      case LcdmCmd.purge: {
        this.rejectBin += this.notesInPath;
        this.notesInPath = 0;
        this.lastError = OK;
        return { data: [OK], ms: 200 };
      }
      case LcdmCmd.dispenseUpper:
      case LcdmCmd.dispenseLower: {
        const n = count(0);
        const i = cmd === LcdmCmd.dispenseUpper ? 0 : 1;
        if (n === undefined || n < 1 || n > 60 || data.length !== 2 || this.presenter.shutterOpen) {
          return { data: encodeCassetteReply({ checked: 0, exited: 0, rejected: 0, nearEnd: this.#nearEnd(i) }, 0x3b), ms: 20 };
        }
        const r = this.#pick(i, n);
        this.lastError = r.err;
        return { data: encodeCassetteReply(r.counts, r.err), ms: 100 + this.perNoteMs * r.counts.checked };
      }
      case LcdmCmd.dispenseBoth: {
        const u = count(0);
        const l = count(2);
        const zero = (i: number): CassetteCounts => ({ checked: 0, exited: 0, rejected: 0, nearEnd: this.#nearEnd(i) });
        if (u === undefined || l === undefined || u > 60 || l > 60 || u + l === 0 || data.length !== 4 || this.presenter.shutterOpen) {
          return { data: encodeBothReply(zero(0), zero(1), 0x3b), ms: 20 };
        }
        const ru = u > 0 ? this.#pick(0, u) : { counts: zero(0), err: OK };
        const rl = ru.err === OK && l > 0 ? this.#pick(1, l) : { counts: zero(1), err: OK };
        const err = ru.err !== OK ? ru.err : rl.err;
        this.lastError = err;
        return { data: encodeBothReply(ru.counts, rl.counts, err), ms: 100 + this.perNoteMs * (ru.counts.checked + rl.counts.checked) };
      }
      case LcdmCmd.status: {
        const [s0, s1] = encodeStatusBytes({
          upperNearEnd: this.#nearEnd(0), lowerNearEnd: this.#nearEnd(1),
          upperMissing: !this.cassettes[0]?.present, lowerMissing: !this.cassettes[1]?.present,
          sensorsBlocked: this.notesInPath > 0,
        });
        return { data: [0x30, this.lastError, s0, s1], ms: 10 };
      }
      case LcdmCmd.romVersion:
        return { data: [...'O04T1A2B'].map((c) => c.charCodeAt(0)), ms: 10 };
      case LcdmCmd.testUpper:
      case LcdmCmd.testLower: {
        const i = cmd === LcdmCmd.testUpper ? 0 : 1;
        const c = this.cassettes[i]!;
        if (!c.present || c.count === 0) {
          return { data: encodeCassetteReply({ checked: 0, exited: 0, rejected: 0, nearEnd: true }, c.present ? BILL_END[i]! : NOT_RECOGNISED[i]!), ms: 50 };
        }
        c.count -= 1;
        this.rejectBin += 1;
        return { data: encodeCassetteReply({ checked: 1, exited: 0, rejected: 1, nearEnd: this.#nearEnd(i) }, OK), ms: 150 };
      }
      case LcdmCmd.present: {
        const n = this.presenter.notes.length;
        if (n === 0) return { data: [OK, ...encodeCount(0), 0x30], ms: 10 };
        if (this.faults.has('shutterFail')) return { data: [0x41, ...encodeCount(n), 0x30], ms: 300 };
        this.presenter.shutterOpen = true;
        return { data: [OK, ...encodeCount(Math.min(n, 99)), 0x31], ms: 300 };
      }
      case LcdmCmd.retract: {
        const n = this.presenter.notes.length;
        this.retractBin += n;
        this.presenter.notes = [];
        this.presenter.shutterOpen = false;
        return { data: [OK, ...encodeCount(Math.min(n, 99))], ms: n > 0 ? 400 : 10 };
      }
      case LcdmCmd.presenterStatus:
        return {
          data: [OK, ...encodeCount(Math.min(this.presenter.notes.length, 99)), this.presenter.shutterOpen ? 0x31 : 0x30],
          ms: 5,
        };
      default:
        return undefined;
    }
  }

  /** the customer takes the notes from the open shutter; the shutter closes behind them */
  take(): string | undefined {
    if (this.faults.has('notTaken')) return 'the customer does not take the notes';
    if (!this.hasPresenter) {
      if (this.presenter.notes.length === 0) return 'no notes are in the exit slot';
      this.taken.push(...this.presenter.notes);
      this.presenter.notes = [];
      return undefined;
    }
    if (!this.presenter.shutterOpen || this.presenter.notes.length === 0) return 'no notes are presented';
    this.taken.push(...this.presenter.notes);
    this.presenter.notes = [];
    this.presenter.shutterOpen = false;
    return undefined;
  }
}
