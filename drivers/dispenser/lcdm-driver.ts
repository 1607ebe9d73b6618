/**
 * LCDM-2000 dispenser driver, with or without this terminal's presenter extension. Every exchange is
 * command -> device ACK -> device reply -> our ACK; a NAK or silence re-sends the command
 * (bounded), a corrupted reply is NAKed so the device sends it again. One exchange at a time.
 * A light status poll keeps the link state honest and, while notes are presented, watches the
 * presenter so `taken` fires once when the customer takes them.
 *
 * Without a presenter (a stock LCDM-1000/2000: no stacker, shutter or retract) the extension commands
 * 70/71/72 never go out: notes counted at the exit sensor have left the machine (reference section 6),
 * so `present()` answers `presented` from the DISPENSE reply alone, nothing is ever retracted and
 * `taken` never fires (no sensor says so).
 */
import type { ByteTransport } from '../common/serial-transport.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';
import { WakeableSleep } from '../common/wakeable-sleep.js';
import type { LinkState } from '../common/device.js';
import type { Tiyn } from '../../domain/money.js';
import type {
  CashDispenser, CashDispenserEvents, CashDispenserStatus, CassetteResult, CassetteStatus, DispensePlanItem, DispenseResult,
  PresentState,
} from './cash-dispenser.js';
import {
  LcdmCmd, LcdmParser, decodeReply, encodeCount, encodeHostFrame, type CassetteCounts, type LcdmError, type LcdmReply, type StatusBits,
} from './lcdm-codec.js';
import { sleep } from '../../domain/async.js';

export interface LcdmDriverOptions {
  transport: ByteTransport;
  /** denominations loaded in the upper (0) and lower (1) cassettes */
  denominations: readonly [Tiyn, Tiyn];
  /** the exit feeds this terminal's presenter (commands 70/71/72); false for a stock LCDM */
  presenter: boolean;
  /** the spec allows 500 ms for the device's ACK */
  ackTimeoutMs?: number;
  /** a reply may take up to 60 s after the ACK (long dispenses) */
  replyTimeoutMs?: number;
  attempts?: number;
  statusIntervalMs?: number;
  /** how often the presenter is checked while notes are presented */
  takenPollMs?: number;
}

export class DispenserError extends Error {}

const MAX_PER_COMMAND = 60;

type Waiter = { kind: 'ack'; resolve: (ok: 'ack' | 'nak') => void } | { kind: 'reply'; cmd: number; resolve: (r: LcdmReply) => void; lost: () => void };

/** commands that only ask: safe to give up when the link drops */
const READ_ONLY: ReadonlySet<number> = new Set([LcdmCmd.status, LcdmCmd.presenterStatus]);

export class LcdmDispenser extends TypedEmitter<CashDispenserEvents> implements CashDispenser {
  readonly #t: ByteTransport;
  readonly #o: Required<Omit<LcdmDriverOptions, 'transport' | 'denominations' | 'presenter'>>;
  readonly #hasPresenter: boolean;
  readonly #denoms: readonly [Tiyn, Tiyn];
  readonly #parser: LcdmParser;
  #waiter: Waiter | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #pause = new WakeableSleep();
  #link: LinkState = 'closed';
  #bits: StatusBits | undefined;
  #empty = [false, false];
  #notesInPresenter = 0;
  #presented = false;
  #fault: { code: string; message: string } | undefined;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onOffline = ({ reason }: { reason: string }): void => {
    this.#setOffline(`serial link: ${reason}`);
    // a status question whose link went away is not answered: give it up now, so the next poll
    // finds the device once the link is back (a power-cycled module), instead of after the reply
    // timeout; a command that moves notes keeps waiting, its reply must never be guessed
    const w = this.#waiter;
    if (w?.kind === 'reply' && READ_ONLY.has(w.cmd)) {
      this.#waiter = undefined;
      w.lost();
    }
  };
  readonly stats = { exchanges: 0, retries: 0, bccErrors: 0 };

  constructor(options: LcdmDriverOptions) {
    super();
    this.#t = options.transport;
    this.#denoms = options.denominations;
    this.#hasPresenter = options.presenter;
    this.#o = {
      ackTimeoutMs: options.ackTimeoutMs ?? 500,
      replyTimeoutMs: options.replyTimeoutMs ?? 60_000,
      attempts: options.attempts ?? 3,
      statusIntervalMs: options.statusIntervalMs ?? 1_000,
      takenPollMs: options.takenPollMs ?? 200,
    };
    this.#parser = new LcdmParser(0x01, (d) => {
      if (d !== 'bcc') return;
      this.stats.bccErrors++;
      // a corrupted reply: ask for it again (the device re-sends up to 3 times)
      if (this.#waiter?.kind === 'reply') this.#t.write(Uint8Array.of(0x15)).catch(() => undefined);
    });
  }

  async open(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#link = 'connecting';
    this.#t.on('data', this.#onData);
    this.#t.on('offline', this.#onOffline);
    if (!this.#t.isOpen) await this.#t.open();
    await this.refreshStatus().catch(() => undefined);
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#pause.wake();
    await this.#loop?.catch(() => undefined);
    this.#t.off('data', this.#onData);
    this.#t.off('offline', this.#onOffline);
    this.#link = 'closed';
    await this.#t.close();
  }

  status(): CashDispenserStatus {
    const cassettes: CassetteStatus[] = this.#denoms.map((denomination, index) => {
      const b = this.#bits;
      const missing = index === 0 ? b?.upperMissing : b?.lowerMissing;
      const low = index === 0 ? b?.upperNearEnd : b?.lowerNearEnd;
      const state = missing ? 'missing' : this.#empty[index] ? 'empty' : low ? 'low' : 'ok';
      return { index, denomination, state };
    });
    return {
      link: this.#link,
      ...(this.#fault ? { fault: this.#fault } : {}),
      cassettes,
      notesInPresenter: this.#notesInPresenter,
      hasPresenter: this.#hasPresenter,
    };
  }

  async refreshStatus(): Promise<CashDispenserStatus> {
    const s = await this.#exchange(LcdmCmd.status);
    if (s.cmd === LcdmCmd.status) {
      // a cassette that is no longer near its end has been replenished
      if (this.#bits?.upperMissing && !s.bits.upperMissing) this.#empty[0] = false;
      if (this.#bits?.lowerMissing && !s.bits.lowerMissing) this.#empty[1] = false;
      if (!s.bits.upperNearEnd) this.#empty[0] = false;
      if (!s.bits.lowerNearEnd) this.#empty[1] = false;
      this.#bits = s.bits;
    }
    if (this.#hasPresenter) {
      const p = await this.#exchange(LcdmCmd.presenterStatus);
      if (p.cmd === LcdmCmd.presenterStatus) this.#notesInPresenter = p.inPresenter;
    }
    return this.status();
  }

  async reset(): Promise<void> {
    const r = await this.#exchange(LcdmCmd.purge);
    if (r.cmd === LcdmCmd.purge && !r.err.ok) throw new DispenserError(`purge failed: ${r.err.message}`);
    this.#fault = undefined;
    await this.refreshStatus();
  }

  async dispense(plan: readonly DispensePlanItem[]): Promise<DispenseResult> {
    const want = [0, 0];
    for (const p of plan) {
      if (p.cassette !== 0 && p.cassette !== 1) throw new DispenserError(`no cassette ${p.cassette} (this dispenser has upper 0 and lower 1)`);
      if (!Number.isInteger(p.count) || p.count < 0) throw new DispenserError(`invalid note count ${p.count}`);
      want[p.cassette]! += p.count;
    }
    if (want[0]! > MAX_PER_COMMAND || want[1]! > MAX_PER_COMMAND) throw new DispenserError(`at most ${MAX_PER_COMMAND} notes per cassette per dispense`);
    if (want[0]! + want[1]! === 0) throw new DispenserError('nothing to dispense');
    if (this.#hasPresenter && this.#presented) throw new DispenserError('notes are still presented: they must be taken or retracted first');
    const [u, l] = want as [number, number];
    let perCassette: CassetteResult[];
    let err: LcdmError;
    try {
      if (u > 0 && l > 0) {
        const r = await this.#exchange(LcdmCmd.dispenseBoth, [...encodeCount(u), ...encodeCount(l)]);
        if (r.cmd !== LcdmCmd.dispenseBoth) throw new DispenserError('unexpected reply');
        perCassette = [this.#result(0, u, r.upper), this.#result(1, l, r.lower)];
        err = r.err;
      } else {
        const i = u > 0 ? 0 : 1;
        const n = u > 0 ? u : l;
        const r = await this.#exchange(i === 0 ? LcdmCmd.dispenseUpper : LcdmCmd.dispenseLower, encodeCount(n));
        if (r.cmd !== LcdmCmd.dispenseUpper && r.cmd !== LcdmCmd.dispenseLower) throw new DispenserError('unexpected reply');
        perCassette = [this.#result(i, n, r.cassette)];
        err = r.err;
      }
    } catch (e) {
      // what left the cassettes is unknown: the caller reconciles (presenter count, purge)
      const message = e instanceof Error ? e.message : String(e);
      this.#fault = { code: 'dispense.timeout', message };
      return { ok: false, perCassette: plan.map((p) => ({ cassette: p.cassette, requested: p.count, dispensed: 0, rejected: 0 })), error: 'timeout' };
    }
    const dispensed = perCassette.reduce((a, c) => a + c.dispensed, 0);
    // without a presenter nothing waits inside: the exit-counted notes are out
    if (this.#hasPresenter) this.#notesInPresenter += dispensed;
    const short = perCassette.some((c) => c.dispensed < c.requested);
    if (err.kind === 'empty') {
      if (err.code === 0x38) this.#empty[0] = true;
      if (err.code === 0x40) this.#empty[1] = true;
    }
    if (!err.ok) {
      this.#fault = { code: `lcdm.0x${err.code.toString(16)}`, message: err.message };
      this.emit('failure', { code: this.#fault.code, message: err.message });
    }
    const ok = err.ok && !short;
    const error: DispenseResult['error'] = ok ? undefined : err.ok ? 'shortfall' : err.kind === 'ok' ? 'failure' : err.kind;
    return { ok, perCassette, ...(error ? { error } : {}) };
  }

  #result(cassette: number, requested: number, c: CassetteCounts): CassetteResult {
    return { cassette, requested, dispensed: c.exited, rejected: c.rejected };
  }

  /** technician check: one note from a cassette straight to the reject tray */
  async testDispense(cassette: 0 | 1): Promise<{ ok: boolean; rejected: number; message: string }> {
    const r = await this.#exchange(cassette === 0 ? LcdmCmd.testUpper : LcdmCmd.testLower);
    if (r.cmd !== LcdmCmd.testUpper && r.cmd !== LcdmCmd.testLower) throw new DispenserError('unexpected reply');
    return { ok: r.err.ok, rejected: r.cassette.rejected, message: r.err.message };
  }

  /** ROM version string, for the technician */
  async romVersion(): Promise<string> {
    const r = await this.#exchange(LcdmCmd.romVersion);
    return r.cmd === LcdmCmd.romVersion ? r.version : '';
  }

  /**
   * Opens the shutter on the notes in the presenter. `unknown` when the device did not answer:
   * the notes may or may not be within the customer's reach, which only a technician can settle.
   */
  async present(): Promise<PresentState> {
    // a stock LCDM has no shutter: what the DISPENSE reply counted at the exit is already within
    // the customer's reach (reference section 6: a spray dispenser's successful dispense is `presented`)
    if (!this.#hasPresenter) return 'presented';
    let r: LcdmReply;
    try {
      r = await this.#exchange(LcdmCmd.present);
    } catch {
      return 'unknown';
    }
    if (r.cmd !== LcdmCmd.present) return 'unknown';
    if (r.err.ok && r.shutterOpen && r.presented > 0) {
      this.#notesInPresenter = r.presented;
      this.#presented = true;
      this.#pause.wake();
      return 'presented';
    }
    if (!r.err.ok) this.#fault = { code: `presenter.0x${r.err.code.toString(16)}`, message: `shutter: ${r.err.message}` };
    return 'notPresented';
  }

  async retract(): Promise<{ retracted: number }> {
    if (!this.#hasPresenter) throw new DispenserError('this dispenser has no presenter: notes past the exit cannot be retracted');
    const r = await this.#exchange(LcdmCmd.retract);
    if (r.cmd !== LcdmCmd.retract) throw new DispenserError('unexpected reply');
    this.#presented = false;
    this.#notesInPresenter = 0;
    return { retracted: r.retracted };
  }

  // ---- the line ----

  #receive(chunk: Buffer): void {
    for (const t of this.#parser.push(chunk)) {
      const w = this.#waiter;
      if (!w) continue;
      if (w.kind === 'ack' && (t.type === 'ack' || t.type === 'nak')) {
        this.#waiter = undefined;
        w.resolve(t.type);
      } else if (w.kind === 'reply' && t.type === 'frame' && t.cmd === w.cmd) {
        const r = decodeReply(t.cmd, t.data);
        if (!r) continue; // malformed: wait for the re-send
        this.#waiter = undefined;
        this.#t.write(Uint8Array.of(0x06)).catch(() => undefined);
        w.resolve(r);
      }
    }
  }

  #exchange(cmd: number, data: number[] = []): Promise<LcdmReply> {
    const run = async (): Promise<LcdmReply> => {
      try {
        const r = await this.#exchangeUnlocked(cmd, data);
        this.#setOnline();
        return r;
      } catch (e) {
        this.#setOffline(e instanceof Error ? e.message : String(e));
        throw e;
      }
    };
    const p = this.#lock.then(run, run);
    this.#lock = p.catch(() => undefined);
    return p;
  }

  async #exchangeUnlocked(cmd: number, data: number[]): Promise<LcdmReply> {
    const frame = encodeHostFrame(cmd, data);
    for (let attempt = 0; attempt < this.#o.attempts; attempt++) {
      if (attempt > 0) this.stats.retries++;
      this.stats.exchanges++;
      this.#parser.reset();
      const acked = await new Promise<'ack' | 'nak' | 'silence'>((resolve) => {
        const timer = setTimeout(() => {
          this.#waiter = undefined;
          resolve('silence');
        }, this.#o.ackTimeoutMs);
        this.#waiter = { kind: 'ack', resolve: (a) => { clearTimeout(timer); resolve(a); } };
        this.#t.write(frame).catch(() => undefined);
      });
      if (acked !== 'ack') continue;
      let linkLost = false;
      const reply = await new Promise<LcdmReply | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.#waiter = undefined;
          resolve(undefined);
        }, this.#o.replyTimeoutMs);
        this.#waiter = {
          kind: 'reply', cmd,
          resolve: (r) => { clearTimeout(timer); resolve(r); },
          lost: () => { clearTimeout(timer); linkLost = true; resolve(undefined); },
        };
      });
      if (reply) return reply;
      if (linkLost) throw new DispenserError(`the link dropped before the reply to command 0x${cmd.toString(16)}`);
      // The device accepted the command but never answered: re-sending a dispense could pay twice.
      throw new DispenserError(`no reply to command 0x${cmd.toString(16)} within ${this.#o.replyTimeoutMs} ms`);
    }
    throw new DispenserError(`dispenser did not acknowledge command 0x${cmd.toString(16)} after ${this.#o.attempts} attempts`);
  }

  #setOnline(): void {
    if (this.#link !== 'online' && this.#running) {
      this.#link = 'online';
      this.emit('online', {});
    }
  }

  #setOffline(reason: string): void {
    if (!this.#running) return;
    const was = this.#link;
    this.#link = 'offline';
    if (was === 'online') this.emit('offline', { reason });
  }

  async #run(): Promise<void> {
    let lastStatus = Date.now();
    while (this.#running) {
      const interval = this.#presented ? this.#o.takenPollMs : this.#o.statusIntervalMs;
      await this.#pause.sleep(Math.max(0, interval - (Date.now() - lastStatus)));
      if (!this.#running) return;
      lastStatus = Date.now();
      try {
        if (this.#presented) {
          const p = await this.#exchange(LcdmCmd.presenterStatus);
          if (p.cmd === LcdmCmd.presenterStatus && this.#presented && p.inPresenter === 0 && !p.shutterOpen) {
            this.#presented = false;
            this.#notesInPresenter = 0;
            this.emit('taken', {});
          }
        } else await this.refreshStatus();
      } catch {
        await sleep(50);
      }
    }
  }
}
