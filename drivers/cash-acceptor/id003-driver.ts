/**
 * ID003 bill acceptor driver behind the protocol-neutral `CashAcceptor`. One loop owns the line:
 * it initialises the device (STATUS REQUEST, RESET, the settings while INITIALIZE lasts, currency
 * assign, version), then asks for the status at the configured interval and turns each change of
 * the device's state into exactly one typed event. Caller commands are queued onto the same line
 * between requests; every exchange has a reply window and a bounded number of attempts.
 *
 * What ID003 does not say and this driver decides (marked in `../shared/reference/id003.md` terms):
 * - acceptance is switched with INHIBIT (C3), the one setting [BDP] applies in any state; the
 *   denomination mask (C0) takes effect only in INITIALIZE, so a new mask means a RESET;
 * - a host ACK of VEND VALID gets no reply (the reference names none);
 * - a note that leaves escrow without a VEND VALID (RETURN, the device's own escrow limit, an
 *   INHIBIT in escrow) is reported `returned` when the device is idle again: ID003 has no
 *   "returned" status of its own.
 */
import type { ByteTransport } from '../common/serial-transport.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';
import { sleep } from '../../domain/async.js';
import { WakeableSleep } from '../common/wakeable-sleep.js';
import { CodecError } from '../common/codec-error.js';
import type { LinkState } from '../common/device.js';
import type { Tiyn } from '../../domain/money.js';
import type { AcceptorState, CashAcceptor, CashAcceptorEvents, CashAcceptorStatus } from './cash-acceptor.js';
import {
  Cmd, FIRST_ESCROW_CODE, Id003Parser, LAST_ESCROW_CODE, St, decodeEnableMask, decodeStatus, encodeEnableMask, encodeFrame,
  lineTimeMs, parseCurrencyAssign, parseVersion, statusKey, type Id003Frame, type Id003Status,
} from './id003-codec.js';

export interface Id003DriverOptions {
  transport: ByteTransport;
  /** status request period; the device hands an escrowed note back after 3 s without one */
  pollIntervalMs?: number;
  baudRate?: number;
  /** how long a reply may take to start, beyond its own line time ([TC] waits 300 ms) */
  responseTimeoutMs?: number;
  /** a partial frame older than this is discarded (no inter-byte limit is documented) */
  interByteTimeoutMs?: number;
  /** attempts per command (the first plus re-sends) */
  attempts?: number;
  offlineAfterFailures?: number;
  reinitIntervalMs?: number;
  /** INITIALIZE may last this long */
  initTimeoutMs?: number;
  /** HOLD keeps escrow 10 s; the driver re-sends it this often while the caller holds a note */
  holdRefreshMs?: number;
  /** STACK-1 (VEND VALID once the note passes the stacker lever, the default) or STACK-2 (once fully stored) */
  stackCommand?: 'stack1' | 'stack2';
  /** escrow code -> denomination to assume until currency assign (8A) has been read */
  billTable?: ReadonlyArray<{ billType: number; denomination: Tiyn }>;
}

export class Id003Error extends Error {}

type Reply = Id003Frame | 'corrupted' | undefined;
type Waiter = { accepts: (f: Id003Frame) => boolean; resolve: (r: Reply) => void };

/** what the driver knows of the note in the device's path */
type NoteInPath = { escrowCode: number | undefined; stage: 'escrow' | 'stacking' | 'returning' };

const STATUS_CODES: ReadonlySet<number> = new Set(Object.values(St));

export class Id003BillAcceptor extends TypedEmitter<CashAcceptorEvents> implements CashAcceptor {
  readonly #t: ByteTransport;
  readonly #o: Required<Omit<Id003DriverOptions, 'transport' | 'billTable'>>;
  readonly #parser: Id003Parser;
  #waiter: Waiter | undefined;
  #interByteTimer: NodeJS.Timeout | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #silenceBeforeReply = false;
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #pause = new WakeableSleep();
  #ready = false;
  #link: LinkState = 'closed';
  #state: AcceptorState = 'unknown';
  #lastKey: string | undefined;
  /** escrow code -> tiyn */
  #table = new Map<number, Tiyn>();
  #tableFromDevice = false;
  /** escrow codes the caller wants enabled; undefined: every code (C0 00 00) */
  #wantedCodes: number[] | undefined;
  /** the mask the device took in its last INITIALIZE */
  #appliedCodes: number[] | undefined;
  /** INHIBIT off is wanted: only after a successful enable() and until disable() */
  #accepting = false;
  #note: NoteInPath | undefined;
  #escrowFoundAtOpen = false;
  #billInPathAtPowerUp: 'validator' | 'stacker' | undefined;
  #settledAtOpen: { outcome: 'stacked' | 'returned'; escrowCode: number | undefined } | undefined;
  /** escrow code of a note this driver saw before the acceptor lost power, stored by the RESET at 42: said once online */
  #storedAtPowerUp: number | undefined;
  #holding = false;
  #lastHoldAt = 0;
  #failures = 0;
  #fault: { code: string; message: string } | undefined;
  #model: string | undefined;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onOffline = ({ reason }: { reason: string }): void => this.#goOffline(`serial link: ${reason}`);
  readonly #onOnline = (): void => this.#pause.wake();
  readonly stats = { transactions: 0, retries: 0, crcErrors: 0, timeouts: 0, garbage: 0, undecodable: 0 };

  constructor(options: Id003DriverOptions) {
    super();
    this.#t = options.transport;
    this.#o = {
      pollIntervalMs: options.pollIntervalMs ?? 200,
      baudRate: options.baudRate ?? 9600,
      responseTimeoutMs: options.responseTimeoutMs ?? 150,
      interByteTimeoutMs: options.interByteTimeoutMs ?? 50,
      attempts: options.attempts ?? 3,
      offlineAfterFailures: options.offlineAfterFailures ?? 3,
      reinitIntervalMs: options.reinitIntervalMs ?? 1000,
      initTimeoutMs: options.initTimeoutMs ?? 40_000,
      holdRefreshMs: options.holdRefreshMs ?? 5_000,
      stackCommand: options.stackCommand ?? 'stack1',
    };
    // the neutral bill table numbers types from 0; ID003 escrow codes start at 61
    for (const e of options.billTable ?? []) this.#table.set(FIRST_ESCROW_CODE + e.billType, e.denomination);
    this.#parser = new Id003Parser((d) => {
      if (d === 'crc') {
        this.stats.crcErrors++;
        const w = this.#waiter;
        this.#waiter = undefined;
        w?.resolve('corrupted');
      } else this.stats.garbage++;
    });
  }

  async open(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#link = 'connecting';
    this.#t.on('data', this.#onData);
    this.#t.on('offline', this.#onOffline);
    this.#t.on('online', this.#onOnline);
    if (!this.#t.isOpen) await this.#t.open();
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#pause.wake();
    await this.#loop?.catch(() => undefined);
    this.#t.off('data', this.#onData);
    this.#t.off('offline', this.#onOffline);
    this.#t.off('online', this.#onOnline);
    if (this.#interByteTimer) clearTimeout(this.#interByteTimer);
    this.#link = 'closed';
    this.#ready = false;
    await this.#t.close();
  }

  status(): CashAcceptorStatus {
    const escrowCode = this.#note?.stage === 'escrow' ? this.#note.escrowCode : undefined;
    const escrow = escrowCode === undefined ? undefined : this.#table.get(escrowCode);
    const settled = this.#settledAtOpen;
    const settledDenomination = settled?.escrowCode === undefined ? undefined : this.#table.get(settled.escrowCode);
    return {
      link: this.#link,
      ...(this.#fault ? { fault: this.#fault } : {}),
      state: this.#state,
      ...(escrow !== undefined ? { escrow } : {}),
      ...(escrowCode !== undefined ? { escrowBillType: escrowCode - FIRST_ESCROW_CODE } : {}),
      ...(this.#escrowFoundAtOpen ? { escrowFoundAtOpen: true } : {}),
      ...(this.#billInPathAtPowerUp ? { billInPathAtPowerUp: this.#billInPathAtPowerUp } : {}),
      ...(settled
        ? {
            noteSettledAtOpen: {
              outcome: settled.outcome,
              ...(settled.escrowCode !== undefined ? { billType: settled.escrowCode - FIRST_ESCROW_CODE } : {}),
              ...(settledDenomination !== undefined ? { denomination: settledDenomination } : {}),
            },
          }
        : {}),
      billTable: [...this.#table.entries()].sort(([a], [b]) => a - b).map(([, d]) => d),
      ...(this.#model ? { model: this.#model } : {}),
    };
  }

  async enable(denominations: readonly Tiyn[]): Promise<void> {
    const codes = denominations.map((d) => {
      const code = [...this.#table.entries()].find(([, v]) => v === d)?.[0];
      if (code === undefined) throw new Id003Error(`denomination ${d} tiyn is not in the acceptor's currency table`);
      return code;
    });
    this.#requireReady();
    const all = codes.length === this.#table.size;
    const wanted = all ? undefined : [...new Set(codes)].sort((a, b) => a - b);
    if (!sameCodes(wanted, this.#appliedCodes)) {
      // C0 takes effect only in INITIALIZE: a different mask needs a RESET (no note is in the path here)
      if (this.#note) throw new Id003Error('cannot change the denomination mask with a note in the acceptor');
      this.#wantedCodes = wanted;
      this.#ready = false;
      await this.#exclusive(() => this.#applySettingsAfterReset());
      this.#ready = true;
    }
    await this.#setting(Cmd.setInhibit, [0]);
    this.#accepting = true;
  }

  async disable(): Promise<void> {
    // wanted off first: whatever happens on the line, a re-init never enables again on its own
    this.#accepting = false;
    await this.#setting(Cmd.setInhibit, [1]);
  }

  async stack(): Promise<void> {
    this.#requireEscrow('stack');
    this.#holding = false;
    await this.#operation(this.#o.stackCommand === 'stack2' ? Cmd.stack2 : Cmd.stack1, { heardIfRefusedAfterSilence: true });
  }

  async return(): Promise<void> {
    this.#requireEscrow('return');
    this.#holding = false;
    await this.#operation(Cmd.return, { heardIfRefusedAfterSilence: true });
  }

  /** Keeps the note in escrow until stack() or return(): HOLD now and every holdRefreshMs. */
  async hold(): Promise<void> {
    this.#requireEscrow('hold');
    await this.#operation(Cmd.hold);
    this.#holding = true;
    this.#lastHoldAt = Date.now();
  }

  #requireEscrow(what: string): void {
    if (this.#state !== 'escrow' && this.#state !== 'holding') throw new Id003Error(`cannot ${what}: no note in escrow (state ${this.#state})`);
  }

  #requireReady(): void {
    if (!this.#ready) throw new Id003Error(`bill acceptor is ${this.#link}`);
  }

  /**
   * An operation command (ACK 50, or 4B outside escrow). `heardIfRefusedAfterSilence`: a STACK or
   * RETURN whose ACK was lost and whose re-send is refused was heard the first time; the device's
   * statuses tell what became of the note.
   */
  async #operation(cmd: number, options: { heardIfRefusedAfterSilence?: boolean } = {}): Promise<void> {
    this.#requireReady();
    const { reply, afterSilence } = await this.#exclusive(async () => {
      this.#silenceBeforeReply = false;
      const r = await this.#transact(cmd, [], (f) => f.cmd === Cmd.ack || f.cmd === St.invalidCommand);
      return { reply: r, afterSilence: this.#silenceBeforeReply };
    });
    if (reply.cmd === St.invalidCommand) {
      if (afterSilence && options.heardIfRefusedAfterSilence) return;
      throw new Id003Error(`acceptor refused command 0x${cmd.toString(16)} as invalid now`);
    }
  }

  /** A setting command: the device echoes code and data. */
  async #setting(cmd: number, data: number[]): Promise<void> {
    this.#requireReady();
    await this.#exclusive(() => this.#settingUnlocked(cmd, data));
  }

  async #settingUnlocked(cmd: number, data: number[]): Promise<void> {
    const reply = await this.#transact(cmd, data, (f) => f.cmd === cmd || f.cmd === St.invalidCommand);
    if (reply.cmd !== cmd || !sameBytes(reply.data, data)) throw new Id003Error(`acceptor did not echo setting 0x${cmd.toString(16)}`);
  }

  // ---- the line ----

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  #receive(chunk: Buffer): void {
    const frames = this.#parser.push(chunk);
    if (this.#interByteTimer) clearTimeout(this.#interByteTimer);
    if (this.#parser.pending > 0) this.#interByteTimer = setTimeout(() => this.#parser.reset(), this.#o.interByteTimeoutMs);
    for (const f of frames) {
      const w = this.#waiter;
      // a reply that cannot answer the command is late (an earlier command's); keep listening
      if (!w || !w.accepts(f)) continue;
      this.#waiter = undefined;
      w.resolve(f);
    }
  }

  /** One command and its reply; re-sent on silence or a corrupted reply, `attempts` times in all. */
  async #transact(cmd: number, data: number[], accepts: (f: Id003Frame) => boolean, maxReplyLen = 7): Promise<Id003Frame> {
    const frame = encodeFrame(cmd, data);
    const wait = this.#o.responseTimeoutMs + lineTimeMs(frame.length + maxReplyLen, this.#o.baudRate);
    for (let attempt = 0; attempt < this.#o.attempts; attempt++) {
      if (attempt > 0) this.stats.retries++;
      this.stats.transactions++;
      this.#t.write(frame).catch(() => undefined);
      const reply = await new Promise<Reply>((resolve) => {
        const timer = setTimeout(() => {
          this.#waiter = undefined;
          resolve(undefined);
        }, wait);
        this.#waiter = {
          accepts,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
      });
      if (reply === 'corrupted') continue; // ID003 has no NAK: ask again
      if (reply === undefined) {
        this.stats.timeouts++;
        this.#silenceBeforeReply = true;
        // a late reply must not be taken for the answer to the re-sent command
        await sleep(this.#o.responseTimeoutMs);
        this.#parser.reset();
        continue;
      }
      return reply;
    }
    throw new Id003Error(`no valid reply to command 0x${cmd.toString(16)} after ${this.#o.attempts} attempts`);
  }

  /** STATUS REQUEST; a VEND VALID is ACKed at once, every time the device repeats it. */
  async #requestStatus(): Promise<Id003Status | undefined> {
    return this.#exclusive(async () => {
      const f = await this.#transact(Cmd.statusRequest, [], (r) => STATUS_CODES.has(r.cmd));
      let s: Id003Status;
      try {
        s = decodeStatus(f);
      } catch (err) {
        if (!(err instanceof CodecError)) throw err;
        this.stats.undecodable++;
        return undefined;
      }
      // no reply to the host's ACK is documented: none is waited for
      if (s.kind === 'vendValid') await this.#t.write(encodeFrame(Cmd.ack)).catch(() => undefined);
      return s;
    });
  }

  // ---- the loop ----

  async #run(): Promise<void> {
    while (this.#running) {
      if (!this.#ready) {
        try {
          await this.#initialise();
        } catch (err) {
          if (!this.#running) return;
          this.#goOffline(err instanceof Error ? err.message : String(err));
          await this.#pause.sleep(this.#o.reinitIntervalMs);
          continue;
        }
      }
      try {
        if (this.#holding && Date.now() - this.#lastHoldAt >= this.#o.holdRefreshMs) {
          this.#lastHoldAt = Date.now();
          await this.#exclusive(() => this.#transact(Cmd.hold, [], (f) => f.cmd === Cmd.ack || f.cmd === St.invalidCommand));
        }
        const s = await this.#requestStatus();
        this.#failures = 0;
        if (s) this.#onStatus(s);
      } catch (err) {
        if (!this.#running) return;
        if (++this.#failures >= this.#o.offlineAfterFailures) this.#goOffline(err instanceof Error ? err.message : String(err));
      }
      if (this.#running) await this.#pause.sleep(this.#o.pollIntervalMs);
    }
  }

  #goOffline(reason: string): void {
    const wasOnline = this.#link === 'online';
    this.#ready = false;
    this.#failures = 0;
    this.#lastKey = undefined;
    this.#holding = false;
    // what the device says at the next open is about the time from now on, not before
    if (wasOnline) this.#settledAtOpen = undefined;
    if (!this.#running) return;
    this.#link = 'offline';
    if (wasOnline) this.emit('offline', { reason });
  }

  async #initialise(): Promise<void> {
    const first = await this.#requestStatus();
    if (first?.kind === 'escrow' || first?.kind === 'holding') {
      // A note waits in escrow from before we (re)started: keep it there for the caller to settle.
      const code = first.kind === 'escrow' ? first.escrowCode : this.#note?.escrowCode;
      this.#note = { escrowCode: code, stage: 'escrow' };
      this.#escrowFoundAtOpen = true;
      this.#state = first.kind;
      this.#lastKey = statusKey(first);
      await this.#exclusive(() => this.#transact(Cmd.hold, [], (f) => f.cmd === Cmd.ack || f.cmd === St.invalidCommand));
      this.#holding = true;
      this.#lastHoldAt = Date.now();
      this.#markOnline();
      return;
    }
    if (first?.kind === 'powerUp' && first.billIn) {
      // [BDP]: RESET returns a note found in the acceptor and stores one found in the stacker.
      // Its value is known only if this driver saw it in escrow before the power cut.
      this.#billInPathAtPowerUp = first.billIn === 'acceptor' ? 'validator' : 'stacker';
      this.#settledAtOpen = { outcome: first.billIn === 'acceptor' ? 'returned' : 'stacked', escrowCode: this.#note?.escrowCode };
      // kept until said, also when this init attempt fails after the RESET stored the note
      if (first.billIn === 'stacker' && this.#note?.escrowCode !== undefined) this.#storedAtPowerUp = this.#note.escrowCode;
      this.#note = undefined;
    }
    this.#state = 'initialising';
    await this.#exclusive(() => this.#applySettingsAfterReset());
    this.#lastKey = undefined;
    await this.#readInfo();
    if (this.#accepting) await this.#exclusive(() => this.#settingUnlocked(Cmd.setInhibit, [0]));
    this.#markOnline();
    // the device's word on a note it was stacking when its power went, as CCNET gives it (81 after
    // RESET): 42 names no note, this driver does from what it saw. A host that never saw the note
    // (the whole terminal lost power) reads noteSettledAtOpen instead.
    const stored = this.#storedAtPowerUp;
    this.#storedAtPowerUp = undefined;
    if (stored !== undefined) this.emit('stacked', { denomination: this.#denomination(stored) });
  }

  /** RESET, the settings while INITIALIZE lasts (checked by reading the mask back), then wait it out. */
  async #applySettingsAfterReset(): Promise<void> {
    const reset = await this.#transact(Cmd.reset, [], (f) => f.cmd === Cmd.ack || f.cmd === St.invalidCommand);
    if (reset.cmd !== Cmd.ack) throw new Id003Error('acceptor did not acknowledge RESET');
    const mask = encodeEnableMask(this.#wantedCodes ?? []);
    const data = this.#wantedCodes === undefined ? [0, 0] : mask;
    await this.#settingUnlocked(Cmd.setEnable, data);
    await this.#settingUnlocked(Cmd.setSecurity, [0, 0]);
    await this.#settingUnlocked(Cmd.setInhibit, [1]);
    const started = Date.now();
    for (;;) {
      await sleep(this.#o.pollIntervalMs);
      const f = await this.#transact(Cmd.statusRequest, [], (r) => STATUS_CODES.has(r.cmd));
      if (f.cmd !== St.initialize && f.cmd !== St.powerUp) break;
      if (Date.now() - started > this.#o.initTimeoutMs) throw new Id003Error('acceptor stayed in INITIALIZE');
    }
    // a mask sent too late for INITIALIZE did not take: read it back and start again if so
    const back = await this.#transact(Cmd.getEnable, [], (r) => r.cmd === Cmd.getEnable, 9);
    let codes: number[];
    try {
      codes = decodeEnableMask(back.data);
    } catch (err) {
      if (err instanceof CodecError) throw new Id003Error(`enable mask read-back: ${err.message}`);
      throw err;
    }
    const expected = this.#wantedCodes ?? range(FIRST_ESCROW_CODE, LAST_ESCROW_CODE);
    if (!sameCodes(codes, expected)) throw new Id003Error('the acceptor did not take the denomination mask during INITIALIZE');
    this.#appliedCodes = this.#wantedCodes;
  }

  async #readInfo(): Promise<void> {
    const table = await this.#exclusive(() => this.#transact(Cmd.currencyAssign, [], (r) => r.cmd === Cmd.currencyAssign, 40));
    try {
      const entries = parseCurrencyAssign(table.data).filter((e) => e.denomination !== undefined);
      this.#table = new Map(entries.map((e) => [e.escrowCode, e.denomination!]));
      this.#tableFromDevice = true;
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      // keep the configured table: the device's could not be read
    }
    try {
      const v = await this.#exclusive(() => this.#transact(Cmd.getVersion, [], (r) => r.cmd === Cmd.getVersion, 64));
      this.#model = parseVersion(v.data) || undefined;
    } catch {
      // the version is for the technician only; a device that does not give it still works
    }
  }

  #markOnline(): void {
    this.#ready = true;
    this.#failures = 0;
    this.#fault = undefined;
    if (this.#state === 'initialising') {
      this.#state = this.#accepting ? 'idling' : 'disabled';
      this.#lastKey = this.#accepting ? 'idling' : 'disabled';
    }
    if (this.#link !== 'online') {
      this.#link = 'online';
      this.emit('online', this.#model ? { model: this.#model } : {});
    }
  }

  #denomination(code: number | undefined): Tiyn {
    return code === undefined ? 0 : (this.#table.get(code) ?? 0);
  }

  /** the note left the path without a VEND VALID: it went back to the customer */
  #noteGoneBack(): void {
    const n = this.#note;
    if (!n || n.stage === 'stacking') return;
    this.#clearNote();
    this.emit('returned', { denomination: this.#denomination(n.escrowCode) });
  }

  #clearNote(): void {
    this.#note = undefined;
    this.#holding = false;
    if (this.#escrowFoundAtOpen) {
      this.#escrowFoundAtOpen = false;
      // the table may never have been read (a note sat in escrow at open): initialise now
      if (!this.#tableFromDevice) this.#ready = false;
    }
  }

  #onStatus(s: Id003Status): void {
    const key = statusKey(s);
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    this.#fault = undefined;
    switch (s.kind) {
      case 'powerUp':
        // the device lost power while we talked to it: the link is new, and its word on the note is read at init
        this.#goOffline('acceptor powered up');
        return;
      case 'initialize': this.#state = 'initialising'; return;
      case 'idling': case 'disabled':
        this.#state = s.kind;
        this.#noteGoneBack();
        return;
      case 'accepting': case 'pause':
        this.#state = 'accepting';
        this.#noteGoneBack();
        return;
      case 'escrow':
        this.#state = 'escrow';
        this.#note = { escrowCode: s.escrowCode, stage: 'escrow' };
        this.emit('escrow', { denomination: this.#denomination(s.escrowCode) });
        return;
      case 'holding': this.#state = 'holding'; return;
      case 'stacking':
        this.#state = 'stacking';
        if (this.#note) this.#note.stage = 'stacking';
        return;
      case 'vendValid': {
        // [BDP]: the host credits on VEND VALID
        const code = this.#note?.escrowCode;
        this.#state = 'stacking';
        this.#clearNote();
        this.emit('stacked', { denomination: this.#denomination(code) });
        return;
      }
      case 'stacked': this.#state = 'stacking'; return;
      case 'returning':
        this.#state = 'returning';
        if (this.#note) this.#note.stage = 'returning';
        return;
      case 'rejecting':
        this.#state = 'rejecting';
        this.#noteGoneBack();
        this.emit('rejected', { reason: s.reason });
        return;
      case 'jammed': {
        const where = s.where === 'acceptor' ? 'validator' : 'cassette';
        this.#state = 'jammed';
        this.#fault = { code: `jam.${where}`, message: `bill jammed in the ${s.where}` };
        this.emit('jammed', { where });
        return;
      }
      case 'stackerFull':
        this.#state = 'cassetteFull';
        this.#fault = { code: 'cassetteFull', message: 'stacker full' };
        this.emit('cassetteFull', {});
        return;
      case 'stackerOpen':
        this.#state = 'cassetteRemoved';
        this.#fault = { code: 'cassetteRemoved', message: 'stacker open or cash box removed' };
        this.emit('cassetteRemoved', {});
        return;
      case 'cheated':
        this.#state = 'failure';
        this.#fault = { code: 'cheated', message: 'acceptor detected a cheating attempt' };
        this.emit('cheated', {});
        return;
      case 'failure':
        this.#state = 'failure';
        this.#fault = { code: `failure.0x${s.code.toString(16)}`, message: s.message };
        this.emit('failure', { code: this.#fault.code, message: s.message });
        return;
      case 'communicationError': case 'invalidCommand':
        // the device's word on our last frame, not a state: ask again
        this.#lastKey = undefined;
        return;
    }
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function sameCodes(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  const norm = (x: readonly number[] | undefined): string => (x === undefined ? 'all' : [...x].sort((p, q) => p - q).join(','));
  return norm(a) === norm(b);
}

const sameBytes = (a: Uint8Array, b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
