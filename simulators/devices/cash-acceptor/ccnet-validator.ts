/**
 * The bill validator's own state machine, apart from the wire: what a CCNET validator does with
 * each command and with each note a customer inserts. Time-driven (accepting, stacking, escrow
 * timeout) with timers the emulator clears on stop.
 */
import {
  Cmd, St, decodeTypeMask, encodeBillTable, encodeIdentification, encodeTypeMask, rejectCode,
} from '../../../drivers/cash-acceptor/ccnet-codec.js';
import type { RejectReason } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import { KZT_BANKNOTES_TIYN, type Tiyn } from '../../../domain/money.js';
import type { AcceptorMechanics } from './acceptor-state-file.js';

export type ValidatorState =
  | 'powerUp' | 'initialize' | 'disabled' | 'idling' | 'accepting' | 'escrow' | 'holding'
  | 'stacking' | 'stacked' | 'returning' | 'returned' | 'rejecting';

export type HardFault = 'jamValidator' | 'jamCassette' | 'cassetteFull' | 'cassetteRemoved' | 'cheated' | 'failure';

export interface ValidatorTiming {
  initMs: number;
  acceptMs: number;
  stackMs: number;
  returnMs: number;
  rejectMs: number;
  /** the device hands a note back if no STACK/RETURN/HOLD arrives within this time */
  escrowTimeoutMs: number;
  holdMs: number;
}

export const defaultTiming: ValidatorTiming = {
  initMs: 500, acceptMs: 300, stackMs: 400, returnMs: 400, rejectMs: 300, escrowTimeoutMs: 10_000, holdMs: 10_000,
};

/** KZT notes: 200 ... 20 000 tenge as bill types 0-6. */
export const KZT_BILL_TYPES: readonly Tiyn[] = KZT_BANKNOTES_TIYN;

export type CommandOutcome = { reply: Uint8Array } | { ack: true } | { illegal: true };

const IN_HEAD: readonly ValidatorState[] = ['accepting', 'escrow', 'holding', 'returning'];

export class CcnetValidator {
  #state: ValidatorState = 'powerUp';
  /** told of every change to what outlives a power cut (the cash box, a note in the path) */
  onMechanics: (() => void) | undefined;
  /** bill type of the note in the path (accepting .. stacked/returned) */
  billType: number | undefined;
  /** where a note was when power failed: reported as 11 / 12 until RESET */
  powerUpBill: 'validator' | 'stacker' | undefined;
  hardFault: HardFault | undefined;
  enabled: number[] = [];
  escrowTypes: number[] = [];
  readonly cashBox = new Map<Tiyn, number>();
  rejectReason: RejectReason = 'identification';
  /** a slow stacker: when set, a note takes this long from STACK to the box instead of `stackMs` */
  stackDelayMs: number | undefined;
  /** told the moment a note reaches escrow or the box (the emulator's timing trace) */
  onMoment: ((moment: 'escrow' | 'stacked') => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stickyReported = false;

  constructor(
    readonly timing: ValidatorTiming = defaultTiming,
    readonly billTypes: readonly Tiyn[] = KZT_BILL_TYPES,
    readonly identity = { partNumber: 'SM-KZ1706', serial: '41K0000001' },
  ) {}

  get state(): ValidatorState {
    return this.#state;
  }

  set state(s: ValidatorState) {
    this.#state = s;
    this.onMechanics?.();
  }

  /** what a power cut leaves: the cash box and a note caught in the transport */
  mechanics(): AcceptorMechanics {
    const where = this.#state === 'stacking' ? 'stacker' : IN_HEAD.includes(this.#state) ? 'validator' : this.#state === 'powerUp' ? this.powerUpBill : undefined;
    return {
      cashBox: Object.fromEntries([...this.cashBox].map(([d, n]) => [String(d), n])),
      ...(where ? { noteInPath: { where, ...(this.billType !== undefined ? { billType: this.billType } : {}) } } : {}),
    };
  }

  /** power comes back on what a power cut left: the box as it was, a note in the path reported as 11 / 12 */
  restore(m: AcceptorMechanics): void {
    this.dispose();
    this.cashBox.clear();
    for (const [d, n] of Object.entries(m.cashBox)) this.cashBox.set(Number(d), n);
    this.powerUpBill = m.noteInPath?.where;
    this.billType = m.noteInPath?.billType;
    this.enabled = [];
    this.escrowTypes = [];
    this.state = 'powerUp';
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #after(ms: number, then: () => void): void {
    this.dispose();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      then();
    }, ms);
  }

  #goIdle(): void {
    this.billType = undefined;
    this.state = this.enabled.length > 0 ? 'idling' : 'disabled';
  }

  get escrowDenomination(): Tiyn | undefined {
    return this.billType === undefined ? undefined : this.billTypes[this.billType];
  }

  /** POLL reply body */
  pollBody(): number[] {
    // only an ACK of a reply that carried the one-shot state may retire it
    this.#stickyReported = !this.hardFault && (this.state === 'stacked' || this.state === 'returned');
    if (this.hardFault) {
      const f = { jamValidator: St.validatorJammed, jamCassette: St.cassetteJammed, cassetteFull: St.cassetteFull,
        cassetteRemoved: St.cassetteOut, cheated: St.cheated, failure: St.failure }[this.hardFault];
      return f === St.failure ? [f, 0x50] : [f];
    }
    switch (this.state) {
      case 'powerUp':
        return [this.powerUpBill === 'validator' ? St.powerUpBillInValidator : this.powerUpBill === 'stacker' ? St.powerUpBillInStacker : St.powerUp];
      case 'initialize': return [St.initialize];
      case 'disabled': return [St.disabled];
      case 'idling': return [St.idling];
      case 'accepting': return [St.accepting];
      case 'escrow': return [St.escrow, this.billType ?? 0];
      case 'holding': return [St.holding];
      case 'stacking': return [St.stacking];
      case 'stacked': return [St.stacked, this.billType ?? 0];
      case 'returning': return [St.returning];
      case 'returned': return [St.returned, this.billType ?? 0];
      case 'rejecting': return [St.rejecting, rejectCode[this.rejectReason] ?? 0x65];
    }
  }

  /** the host ACKed a POLL reply: one-shot states (stacked, returned, reject) are delivered */
  pollAcked(): void {
    if (this.hardFault) return;
    if ((this.state === 'stacked' || this.state === 'returned') && this.#stickyReported) {
      this.#stickyReported = false;
      this.#goIdle();
    }
  }

  command(cmd: number, data: Uint8Array): CommandOutcome {
    const ack = { ack: true } as const;
    const illegal = { illegal: true } as const;
    const infoAllowed = ['powerUp', 'initialize', 'disabled'].includes(this.state) || this.hardFault !== undefined;
    switch (cmd) {
      case Cmd.reset:
        this.#reset();
        return ack;
      case Cmd.getStatus:
        return { reply: Uint8Array.from([...encodeTypeMask(this.enabled), 0, 0, 0]) };
      case Cmd.setSecurity:
        return data.length === 3 ? ack : illegal;
      case Cmd.poll:
        return { reply: Uint8Array.from(this.pollBody()) };
      case Cmd.enableBillTypes: {
        if (data.length !== 6) return illegal;
        this.enabled = decodeTypeMask(data, 0).filter((t) => this.billTypes[t] !== undefined);
        this.escrowTypes = decodeTypeMask(data, 3);
        if (this.state === 'disabled' && this.enabled.length > 0) this.state = 'idling';
        else if (this.state === 'idling' && this.enabled.length === 0) this.state = 'disabled';
        return ack;
      }
      case Cmd.stack:
        if (this.state !== 'escrow' && this.state !== 'holding') return illegal;
        this.#stack();
        return ack;
      case Cmd.return:
        if (this.state !== 'escrow' && this.state !== 'holding') return illegal;
        this.#return();
        return ack;
      case Cmd.hold:
        if (this.state !== 'escrow' && this.state !== 'holding') return illegal;
        this.state = 'holding';
        this.#after(this.timing.holdMs, () => this.#return());
        return ack;
      case Cmd.identification:
        return infoAllowed ? { reply: encodeIdentification(this.identity) } : illegal;
      case Cmd.getBillTable:
        return infoAllowed
          ? { reply: encodeBillTable(this.billTypes.map((denomination, billType) => ({ billType, denomination }))) }
          : illegal;
      default:
        return illegal;
    }
  }

  #reset(): void {
    this.dispose();
    const stackerBill = this.powerUpBill === 'stacker' || this.state === 'stacking' ? this.billType : undefined;
    this.powerUpBill = undefined;
    this.enabled = [];
    this.escrowTypes = [];
    // a note already past the point of no return goes on into the box, reported as stacked after INITIALIZE
    if (stackerBill !== undefined) this.#countStacked(stackerBill);
    this.state = 'initialize';
    this.#after(this.timing.initMs, () => {
      if (stackerBill !== undefined) {
        this.billType = stackerBill;
        this.#stickyReported = false;
        this.state = 'stacked';
      } else this.#goIdle();
    });
    // a note in the validator's head goes back to the customer (no 82: the device was reset)
    if (stackerBill === undefined) this.billType = undefined;
  }

  /** Customer inserts a note; returns why it cannot be inserted now, if so. */
  insert(note: { denomination?: Tiyn; counterfeit?: boolean }): string | undefined {
    if (this.hardFault) return `validator is in fault ${this.hardFault}`;
    if (this.state !== 'idling') return `validator is ${this.state}, not accepting notes`;
    this.state = 'accepting';
    const type = note.denomination === undefined ? -1 : this.billTypes.indexOf(note.denomination);
    this.#after(this.timing.acceptMs, () => {
      if (note.counterfeit || type < 0) return this.#reject(note.counterfeit ? 'verification' : 'identification');
      if (!this.enabled.includes(type)) return this.#reject('inhibit');
      this.billType = type;
      if (!this.escrowTypes.includes(type)) return this.#stack();
      this.state = 'escrow';
      this.onMoment?.('escrow');
      this.#after(this.timing.escrowTimeoutMs, () => this.#return());
    });
    return undefined;
  }

  #reject(reason: RejectReason): void {
    this.rejectReason = reason;
    this.state = 'rejecting';
    this.#after(this.timing.rejectMs, () => this.#goIdle());
  }

  #stack(): void {
    this.state = 'stacking';
    this.#after(this.stackDelayMs ?? this.timing.stackMs, () => {
      if (this.hardFault === 'cassetteFull' || this.hardFault === 'cassetteRemoved') return;
      this.#countStacked(this.billType ?? 0);
      this.#stickyReported = false;
      this.state = 'stacked';
      this.onMoment?.('stacked');
    });
  }

  #countStacked(type: number): void {
    const d = this.billTypes[type];
    // saved with the state change that follows every call
    if (d !== undefined) this.cashBox.set(d, (this.cashBox.get(d) ?? 0) + 1);
  }

  #return(): void {
    this.state = 'returning';
    this.#after(this.timing.returnMs, () => {
      this.#stickyReported = false;
      this.state = 'returned';
    });
  }

  /** Power lost and restored: masks cleared, a note in the path is reported as 11 or 12. */
  powerCycle(): void {
    this.dispose();
    if (this.state === 'stacking') this.powerUpBill = 'stacker';
    else if (IN_HEAD.includes(this.state)) this.powerUpBill = 'validator';
    else {
      this.powerUpBill = undefined;
      this.billType = undefined;
    }
    this.enabled = [];
    this.escrowTypes = [];
    this.state = 'powerUp';
  }

  setHardFault(f: HardFault | undefined): void {
    this.hardFault = f;
    if (f === 'jamValidator' && ['accepting', 'escrow', 'holding', 'returning'].includes(this.state)) {
      // the note is stuck in the head; the technician pulls it out
      this.dispose();
      this.billType = undefined;
      this.state = this.enabled.length > 0 ? 'idling' : 'disabled';
    }
    if (f === undefined && this.state === 'stacking' && !this.#timer) this.#stack();
  }
}
