/**
 * The ID003 bill acceptor's own state machine, apart from the wire: what the device does with each
 * command and with each note a customer inserts. Time-driven (accepting, stacking, the escrow
 * limits) with timers the emulator clears on stop. Facts from `../shared/reference/id003.md`;
 * where the reference is silent the choice is marked "invention" here.
 */
import { Cmd, FIRST_ESCROW_CODE, St, decodeEnableMask, encodeCurrencyAssign, encodeFrame, encodeStatus, rejectCode, type Id003Status } from '../../../drivers/cash-acceptor/id003-codec.js';
import type { RejectReason } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import type { Tiyn } from '../../../domain/money.js';
import { KZT_BILL_TYPES, type HardFault } from './ccnet-validator.js';
import type { AcceptorMechanics } from './acceptor-state-file.js';

export type Id003State =
  | 'powerUp' | 'initialize' | 'disabled' | 'idling' | 'accepting' | 'escrow' | 'holding'
  | 'stacking' | 'vendValid' | 'stacked' | 'returning' | 'rejecting';

export interface Id003Timing {
  initMs: number;
  acceptMs: number;
  /** STACK to VEND VALID; the note is then stored (16) for a short while before idling */
  stackMs: number;
  returnMs: number;
  rejectMs: number;
  /** [BDP]: a note in escrow is returned if no operation command comes within 10 s ... */
  escrowTimeoutMs: number;
  /** ... or no STATUS REQUEST for 3 s */
  statusSilenceMs: number;
  /** HOLD keeps escrow 10 s */
  holdMs: number;
}

export const defaultId003Timing: Id003Timing = {
  initMs: 500, acceptMs: 300, stackMs: 400, returnMs: 400, rejectMs: 300, escrowTimeoutMs: 10_000, statusSilenceMs: 3_000, holdMs: 10_000,
};

/** `reply`: the whole frame the device sends back */
export type Id003Outcome = { reply: Uint8Array } | { silent: true };

const frame = (cmd: number, data: ArrayLike<number> = []): Id003Outcome => ({ reply: encodeFrame(cmd, Array.from(data)) });

const ALL_CODES = [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68];
const IN_HEAD: readonly Id003State[] = ['accepting', 'escrow', 'holding', 'returning'];

export class Id003Acceptor {
  #state: Id003State = 'powerUp';
  /** told of every change to what outlives a power cut (the cash box, a note in the path) */
  onMechanics: (() => void) | undefined;
  /** escrow code of the note in the path (accepting .. stored / returned) */
  escrowCode: number | undefined;
  /** where a note was when power failed: reported as 41 / 42 until RESET */
  powerUpBill: 'acceptor' | 'stacker' | undefined;
  hardFault: HardFault | undefined;
  /** C3: inhibit is the power-up default */
  inhibited = true;
  /** escrow codes C0 enabled at the last INITIALIZE */
  enabledCodes: number[] = [...ALL_CODES];
  #settings = new Map<number, number[]>([[Cmd.setSecurity, [0, 0]], [Cmd.setDirection, [0]], [Cmd.setOptional, [0, 0]]]);
  #mask: [number, number] = [0, 0];
  readonly cashBox = new Map<Tiyn, number>();
  rejectReason: RejectReason = 'identification';
  stackDelayMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #silence: NodeJS.Timeout | undefined;

  constructor(
    readonly timing: Id003Timing = defaultId003Timing,
    /** denomination of escrow codes 61, 62, ... */
    readonly denominations: readonly Tiyn[] = KZT_BILL_TYPES,
    readonly version = 'i(KZT)-100-SS ID003-05V200-00 01DEC26 A1B2',
  ) {}

  get state(): Id003State {
    return this.#state;
  }

  set state(s: Id003State) {
    this.#state = s;
    this.onMechanics?.();
  }

  /** what a power cut leaves: the cash box and a note caught in the transport */
  mechanics(): AcceptorMechanics {
    const at = this.#state === 'stacking' ? 'stacker' : IN_HEAD.includes(this.#state) ? 'acceptor' : this.#state === 'powerUp' ? this.powerUpBill : undefined;
    const where = at === 'acceptor' ? 'validator' : at;
    return {
      cashBox: Object.fromEntries([...this.cashBox].map(([d, n]) => [String(d), n])),
      ...(where ? { noteInPath: { where, ...(this.escrowCode !== undefined ? { billType: this.escrowCode - FIRST_ESCROW_CODE } : {}) } } : {}),
    };
  }

  /** power comes back on what a power cut left: the box as it was, a note in the path reported as 41 / 42 */
  restore(m: AcceptorMechanics): void {
    this.dispose();
    this.cashBox.clear();
    for (const [d, n] of Object.entries(m.cashBox)) this.cashBox.set(Number(d), n);
    const where = m.noteInPath?.where;
    this.powerUpBill = where === 'validator' ? 'acceptor' : where;
    this.escrowCode = m.noteInPath?.billType === undefined ? undefined : FIRST_ESCROW_CODE + m.noteInPath.billType;
    this.inhibited = true;
    this.#mask = [0, 0];
    this.enabledCodes = [...ALL_CODES];
    this.state = 'powerUp';
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#silence) clearTimeout(this.#silence);
    this.#timer = undefined;
    this.#silence = undefined;
  }

  #after(ms: number, then: () => void): void {
    this.dispose();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      then();
    }, ms);
  }

  #goIdle(): void {
    this.dispose();
    this.escrowCode = undefined;
    this.state = this.inhibited ? 'disabled' : 'idling';
  }

  get escrowDenomination(): Tiyn | undefined {
    return this.escrowCode === undefined ? undefined : this.denominations[this.escrowCode - FIRST_ESCROW_CODE];
  }

  status(): Id003Status {
    if (this.hardFault) {
      switch (this.hardFault) {
        case 'jamValidator': return { kind: 'jammed', where: 'acceptor' };
        case 'jamCassette': return { kind: 'jammed', where: 'stacker' };
        case 'cassetteFull': return { kind: 'stackerFull' };
        case 'cassetteRemoved': return { kind: 'stackerOpen' };
        case 'cheated': return { kind: 'cheated' };
        case 'failure': return { kind: 'failure', code: 0xa2, message: '' };
      }
    }
    switch (this.state) {
      case 'powerUp': return { kind: 'powerUp', ...(this.powerUpBill ? { billIn: this.powerUpBill } : {}) };
      case 'escrow': return { kind: 'escrow', escrowCode: this.escrowCode ?? FIRST_ESCROW_CODE };
      case 'rejecting': return { kind: 'rejecting', code: rejectCode[this.rejectReason] ?? 0x76, reason: this.rejectReason };
      default: return { kind: this.state };
    }
  }

  command(cmd: number, data: Uint8Array): Id003Outcome {
    const ack = frame(Cmd.ack);
    const invalid = frame(St.invalidCommand);
    const echo = frame(cmd, data);
    const inEscrow = this.state === 'escrow' || this.state === 'holding';
    switch (cmd) {
      case Cmd.statusRequest: {
        if (this.state === 'escrow') this.#watchSilence();
        return { reply: encodeStatus(this.status()) };
      }
      case Cmd.ack:
        // the host's ACK of VEND VALID: the note counts as delivered; no reply (invention: none is documented)
        if (this.state === 'vendValid') {
          this.state = 'stacked';
          this.#after(Math.max(20, this.timing.stackMs / 4), () => this.#goIdle());
        }
        return { silent: true };
      case Cmd.reset:
        this.#reset();
        return ack;
      case Cmd.stack1:
      case Cmd.stack2:
        if (!inEscrow) return invalid;
        this.#stack();
        return ack;
      case Cmd.return:
        if (!inEscrow) return invalid;
        this.#return();
        return ack;
      case Cmd.hold:
        if (!inEscrow) return invalid;
        this.state = 'holding';
        this.#after(this.timing.holdMs, () => this.#return());
        return ack;
      case Cmd.wait:
        // WAIT holds the current status 2 s; not modelled beyond its ACK
        return ack;
      case Cmd.setInhibit: {
        if (data.length !== 1 || data[0]! > 1) return invalid;
        this.inhibited = data[0] === 1;
        if (this.inhibited && ['accepting', 'escrow', 'holding'].includes(this.state)) this.#return();
        else if (this.state === 'idling' || this.state === 'disabled') this.state = this.inhibited ? 'disabled' : 'idling';
        return echo;
      }
      case Cmd.setEnable: {
        if (data.length !== 2) return invalid;
        // [BDP]: settings other than C3 take effect only in INITIALIZE; elsewhere echoed, not applied
        if (this.state === 'initialize') {
          this.#mask = [data[0]!, data[1]!];
          this.enabledCodes = decodeEnableMask(this.#mask);
        }
        return echo;
      }
      case Cmd.setSecurity:
      case Cmd.setOptional:
        if (data.length !== 2) return invalid;
        if (this.state === 'initialize') this.#settings.set(cmd, [...data]);
        return echo;
      case Cmd.setDirection:
        if (data.length !== 1) return invalid;
        if (this.state === 'initialize') this.#settings.set(cmd, [...data]);
        return echo;
      case Cmd.getEnable: return frame(cmd, this.#mask);
      case Cmd.getSecurity: return frame(cmd, this.#settings.get(Cmd.setSecurity) ?? []);
      case Cmd.getInhibit: return frame(cmd, [this.inhibited ? 1 : 0]);
      case Cmd.getDirection: return frame(cmd, this.#settings.get(Cmd.setDirection) ?? []);
      case Cmd.getOptional: return frame(cmd, this.#settings.get(Cmd.setOptional) ?? []);
      case Cmd.getVersion: return frame(cmd, new TextEncoder().encode(this.version));
      case Cmd.getBootVersion: return frame(cmd, new TextEncoder().encode('B100'));
      case Cmd.currencyAssign:
        return frame(cmd, encodeCurrencyAssign(this.denominations.map((denomination, i) => ({ escrowCode: FIRST_ESCROW_CODE + i, denomination }))));
      default:
        return invalid;
    }
  }

  #reset(): void {
    this.dispose();
    const storeStackerNote = this.powerUpBill === 'stacker' || this.state === 'stacking';
    this.powerUpBill = undefined;
    this.inhibited = true;
    // [BDP]: RESET stores a note in the stacker and returns one in the acceptor. Whether a VEND
    // VALID follows is unconfirmed: this model stores it silently (invention).
    if (storeStackerNote) this.#countStacked(this.escrowCode);
    this.escrowCode = undefined;
    this.state = 'initialize';
    this.#after(this.timing.initMs, () => this.#goIdle());
  }

  /** Customer inserts a note; returns why it cannot be inserted now, if so. */
  insert(note: { denomination?: Tiyn; counterfeit?: boolean }): string | undefined {
    if (this.hardFault) return `acceptor is in fault ${this.hardFault}`;
    if (this.state !== 'idling') return `acceptor is ${this.state}, not accepting notes`;
    this.state = 'accepting';
    const index = note.denomination === undefined ? -1 : this.denominations.indexOf(note.denomination);
    this.#after(this.timing.acceptMs, () => {
      // ID003 has no "counterfeit" reason: a forgery fails the photo pattern check (77)
      if (note.counterfeit) return this.#reject('optic');
      if (index < 0) return this.#reject('identification');
      const code = FIRST_ESCROW_CODE + index;
      if (!this.enabledCodes.includes(code)) return this.#reject('inhibit');
      this.escrowCode = code;
      this.state = 'escrow';
      this.#after(this.timing.escrowTimeoutMs, () => this.#return());
      this.#watchSilence();
    });
    return undefined;
  }

  /** [BDP]: in escrow, no STATUS REQUEST for 3 s returns the note */
  #watchSilence(): void {
    if (this.#silence) clearTimeout(this.#silence);
    this.#silence = setTimeout(() => {
      this.#silence = undefined;
      if (this.state === 'escrow') this.#return();
    }, this.timing.statusSilenceMs);
  }

  #reject(reason: RejectReason): void {
    this.rejectReason = reason;
    this.state = 'rejecting';
    this.escrowCode = undefined;
    this.#after(this.timing.rejectMs, () => this.#goIdle());
  }

  #stack(): void {
    this.state = 'stacking';
    this.#after(this.stackDelayMs ?? this.timing.stackMs, () => {
      if (this.hardFault === 'cassetteFull' || this.hardFault === 'cassetteRemoved') return;
      this.#countStacked(this.escrowCode);
      // VEND VALID repeats until the host ACKs it
      this.state = 'vendValid';
    });
  }

  #countStacked(code: number | undefined): void {
    const d = code === undefined ? undefined : this.denominations[code - FIRST_ESCROW_CODE];
    // saved with the state change that follows every call
    if (d !== undefined) this.cashBox.set(d, (this.cashBox.get(d) ?? 0) + 1);
  }

  #return(): void {
    this.state = 'returning';
    this.#after(this.timing.returnMs, () => this.#goIdle());
  }

  /** Power lost and restored: settings back to defaults, a note in the path reported as 41 / 42. */
  powerCycle(): void {
    this.dispose();
    if (this.state === 'stacking') this.powerUpBill = 'stacker';
    else if (IN_HEAD.includes(this.state)) this.powerUpBill = 'acceptor';
    else {
      this.powerUpBill = undefined;
      this.escrowCode = undefined;
    }
    this.inhibited = true;
    this.#mask = [0, 0];
    this.enabledCodes = [...ALL_CODES];
    this.state = 'powerUp';
  }

  setHardFault(f: HardFault | undefined): void {
    this.hardFault = f;
    if (f === 'jamValidator' && ['accepting', 'escrow', 'holding', 'returning'].includes(this.state)) {
      // the note is stuck in the head; the technician pulls it out
      this.#goIdle();
    }
    if (f === undefined && this.state === 'stacking' && !this.#timer) this.#stack();
  }
}
