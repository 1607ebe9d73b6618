/**
 * CCNET bill validator driver: one loop owns the line. It initialises the device (POLL, RESET,
 * wait out INITIALIZE, bill table, identification, enable), then polls at the configured
 * interval and turns each change of the device's state into exactly one typed event. Commands
 * from the caller are queued onto the same line between polls. It never stacks on its own.
 */
import type { ByteTransport } from '../common/serial-transport.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';
import { WakeableSleep } from '../common/wakeable-sleep.js';
import type { LinkState } from '../common/device.js';
import type { Tiyn } from '../../domain/money.js';
import type { AcceptorState, CashAcceptor, CashAcceptorEvents, CashAcceptorStatus } from './cash-acceptor.js';
import {
  ADDR_BILL_VALIDATOR, CcnetParser, Cmd, ILLEGAL_COMMAND, decodePollState, encodeCommand, encodeTypeMask,
  lineTimeMs, parseBillTable, parseIdentification, pollStateKey, type BillTableEntry, type PollState,
} from './ccnet-codec.js';
import { sleep } from '../../domain/async.js';

export interface CcnetDriverOptions {
  transport: ByteTransport;
  /** poll period; the spec's minimum is 100 ms, 200 ms recommended */
  pollIntervalMs?: number;
  /** the line's baud, used to allow a reply its time on the wire */
  baudRate?: number;
  /** how long a reply may take to start, beyond its own line time */
  responseTimeoutMs?: number;
  /** a partial frame older than this is discarded */
  interByteTimeoutMs?: number;
  /** attempts per command (the first plus re-sends) */
  attempts?: number;
  /** failed transactions in a row before the device counts as offline */
  offlineAfterFailures?: number;
  /** pause between init attempts while the device is not answering */
  reinitIntervalMs?: number;
  /** INITIALIZE may last this long */
  initTimeoutMs?: number;
  /** HOLD is re-sent this often while the caller holds a note (the device holds ~10 s per HOLD) */
  holdRefreshMs?: number;
  /** bill table to assume when a note is found in escrow at open (no table can be read then) */
  billTable?: ReadonlyArray<{ billType: number; denomination: Tiyn }>;
  /** silence after an ACK before the next command (t-free, spec: at least 10 ms) */
  tFreeMs?: number;
}

export class CcnetError extends Error {}

type Waiter = { resolve: (body: Uint8Array) => void; onCrc: () => void };

/** marks "a frame arrived but its CRC was bad" while waiting for a reply */
const CORRUPTED = new Uint8Array(0);


export class CcnetBillValidator extends TypedEmitter<CashAcceptorEvents> implements CashAcceptor {
  readonly #t: ByteTransport;
  readonly #o: Required<Omit<CcnetDriverOptions, 'transport' | 'billTable'>>;
  readonly #parser: CcnetParser;
  #waiter: Waiter | undefined;
  #interByteTimer: NodeJS.Timeout | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  /** set when an attempt of the current command met silence (see #command) */
  #silenceBeforeReply = false;
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #pause = new WakeableSleep();
  #ready = false;
  #link: LinkState = 'closed';
  #state: AcceptorState = 'unknown';
  #lastKey: string | undefined;
  #table: BillTableEntry[] = [];
  #tableFromDevice = false;
  #wantedTypes: number[] = [];
  #escrow: Tiyn | undefined;
  #escrowType: number | undefined;
  #escrowFoundAtOpen = false;
  #billInPathAtPowerUp: 'validator' | 'stacker' | undefined;
  /** `billType` undefined: the device handed back a note nobody named (11 at power-up, the note never seen in escrow) */
  #settledAtOpen: { outcome: 'stacked' | 'returned'; billType: number | undefined } | undefined;
  /** the device came back from a power cut finishing a note (81 after RESET): enable the wanted types once it idles */
  #enableWhenIdle = false;
  /** the link was online before: a re-initialisation, not the first open */
  #wasEverOnline = false;
  /** an 81 / 82 found pending at a re-initialisation: the device's word on a note, said once online */
  #wordAfterInit: { outcome: 'stacked' | 'returned'; billType: number } | undefined;
  /**
   * 12 seen at power-up (a note in the stacker; RESET stores it and says 81 once INITIALIZE ends),
   * with the note's type if this driver saw it in escrow. Kept across failed initialisations: a
   * RESET whose ACK is lost is sent again, and a second RESET ends the 81 before anyone polls it,
   * while the note is in the box all the same.
   */
  #stackerNote: { billType: number | undefined } | undefined;
  #holding = false;
  #lastHoldAt = 0;
  #failures = 0;
  #fault: { code: string; message: string } | undefined;
  #model: string | undefined;
  #serial: string | undefined;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onOffline = ({ reason }: { reason: string }): void => this.#goOffline(`serial link: ${reason}`);
  readonly #onOnline = (): void => this.#pause.wake();
  /** counters for diagnostics and the technician's tool */
  readonly stats = { transactions: 0, retries: 0, crcErrors: 0, timeouts: 0, garbage: 0 };

  constructor(options: CcnetDriverOptions) {
    super();
    this.#t = options.transport;
    this.#o = {
      pollIntervalMs: options.pollIntervalMs ?? 200,
      baudRate: options.baudRate ?? 9600,
      responseTimeoutMs: options.responseTimeoutMs ?? 60,
      interByteTimeoutMs: options.interByteTimeoutMs ?? 50,
      attempts: options.attempts ?? 3,
      offlineAfterFailures: options.offlineAfterFailures ?? 3,
      reinitIntervalMs: options.reinitIntervalMs ?? 1000,
      initTimeoutMs: options.initTimeoutMs ?? 40_000,
      holdRefreshMs: options.holdRefreshMs ?? 5_000,
      tFreeMs: options.tFreeMs ?? 12,
    };
    if (options.billTable) this.#table = options.billTable.map((e) => ({ ...e, currency: 'KZT' }));
    this.#parser = new CcnetParser((d) => {
      if (d === 'crc') {
        this.stats.crcErrors++;
        this.#waiter?.onCrc();
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
    return {
      link: this.#link,
      ...(this.#fault ? { fault: this.#fault } : {}),
      state: this.#state,
      ...(this.#escrow !== undefined ? { escrow: this.#escrow } : {}),
      ...(this.#escrowType !== undefined ? { escrowBillType: this.#escrowType } : {}),
      ...(this.#escrowFoundAtOpen ? { escrowFoundAtOpen: true } : {}),
      ...(this.#billInPathAtPowerUp ? { billInPathAtPowerUp: this.#billInPathAtPowerUp } : {}),
      ...(this.#settledAtOpen ? { noteSettledAtOpen: this.#settledView(this.#settledAtOpen) } : {}),
      billTable: this.#table.map((e) => e.denomination),
      ...(this.#model ? { model: this.#model } : {}),
      ...(this.#serial ? { serial: this.#serial } : {}),
    };
  }

  async enable(denominations: readonly Tiyn[]): Promise<void> {
    const types = denominations.map((d) => {
      const e = this.#table.find((x) => x.denomination === d);
      if (!e) throw new CcnetError(`denomination ${d} tiyn is not in the validator's bill table`);
      return e.billType;
    });
    // remembered for a re-initialisation only once the device took them: a failed enable (the
    // validator re-initialising, silent) must not enable notes later, outside any cash-in
    this.#wantedTypes = [];
    await this.#command(Cmd.enableBillTypes, [...encodeTypeMask(types), ...encodeTypeMask(types)]);
    this.#wantedTypes = types;
  }

  async disable(): Promise<void> {
    this.#wantedTypes = [];
    await this.#command(Cmd.enableBillTypes, [0, 0, 0, 0, 0, 0]);
  }

  async stack(): Promise<void> {
    this.#requireEscrow('stack');
    this.#holding = false;
    await this.#command(Cmd.stack, [], { heardIfRefusedAfterSilence: true });
  }

  async return(): Promise<void> {
    this.#requireEscrow('return');
    this.#holding = false;
    await this.#command(Cmd.return, [], { heardIfRefusedAfterSilence: true });
  }

  /** Keeps the note in escrow until stack() or return(): HOLD now and again every holdRefreshMs. */
  async hold(): Promise<void> {
    this.#requireEscrow('hold');
    await this.#command(Cmd.hold);
    this.#holding = true;
    this.#lastHoldAt = Date.now();
  }

  #requireEscrow(what: string): void {
    if (this.#state !== 'escrow' && this.#state !== 'holding') throw new CcnetError(`cannot ${what}: no note in escrow (state ${this.#state})`);
  }

  /**
   * `heardIfRefusedAfterSilence`: STACK and RETURN change the device's state. When the first copy
   * met silence (its ACK lost on the line) and a re-sent copy is refused as illegal, the first copy
   * was heard and the device is already stacking / returning: that is success, and the poll's
   * 81 / 82 event tells what became of the note. Refusing it would leave a stacked note uncounted.
   */
  async #command(cmd: number, data: number[] = [], options: { heardIfRefusedAfterSilence?: boolean } = {}): Promise<void> {
    if (!this.#ready) throw new CcnetError(`bill validator is ${this.#link}`);
    const { body, afterSilence } = await this.#exclusive(async () => {
      this.#silenceBeforeReply = false;
      const reply = await this.#transact(cmd, data, false);
      return { body: reply, afterSilence: this.#silenceBeforeReply };
    });
    if (body.length === 1 && body[0] === ILLEGAL_COMMAND) {
      if (afterSilence && options.heardIfRefusedAfterSilence) return;
      throw new CcnetError(`validator refused command 0x${cmd.toString(16)} as illegal now`);
    }
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
    if (this.#parser.pending > 0) {
      this.#interByteTimer = setTimeout(() => this.#parser.reset(), this.#o.interByteTimeoutMs);
    }
    for (const f of frames) {
      if (f.addr !== ADDR_BILL_VALIDATOR) continue;
      const w = this.#waiter;
      if (!w) continue; // unsolicited or stale: the device speaks only when asked
      this.#waiter = undefined;
      w.resolve(f.body);
    }
  }

  /**
   * One command, its reply, and our ACK of a data reply. Re-sends on silence, on the device's
   * NAK and after our NAK of a corrupted reply, up to `attempts` times.
   */
  async #transact(cmd: number, data: number[], dataReply: boolean, maxReplyLen = 7): Promise<Uint8Array> {
    const frame = encodeCommand(cmd, data);
    const wait = this.#o.responseTimeoutMs + lineTimeMs(frame.length + maxReplyLen, this.#o.baudRate);
    for (let attempt = 0; attempt < this.#o.attempts; attempt++) {
      if (attempt > 0) this.stats.retries++;
      this.stats.transactions++;
      let naks = 0;
      let deadline = Date.now() + wait;
      this.#t.write(frame).catch(() => undefined);
      let body: Uint8Array | undefined;
      for (;;) {
        body = await new Promise<Uint8Array | undefined>((resolve) => {
          const timer = setTimeout(() => {
            this.#waiter = undefined;
            resolve(undefined);
          }, Math.max(0, deadline - Date.now()));
          this.#waiter = {
            resolve: (b) => {
              clearTimeout(timer);
              resolve(b);
            },
            onCrc: () => {
              clearTimeout(timer);
              resolve(CORRUPTED);
            },
          };
        });
        if (body === undefined) break;
        if (body === CORRUPTED) {
          // a corrupted reply: NAK it and the device sends it again (bounded like re-sends)
          if (++naks > this.#o.attempts) {
            body = undefined;
            break;
          }
          this.#waiter = undefined;
          await this.#t.write(encodeCommand(Cmd.nak)).catch(() => undefined);
          deadline = Date.now() + wait;
          continue;
        }
        // A late answer to an earlier command cannot be this command's reply: an ACK where data
        // is due, or data where an ACK is due. Keep listening until the deadline.
        const single = body.length === 1 ? body[0] : undefined;
        const control = single === Cmd.ack || single === Cmd.nak || single === ILLEGAL_COMMAND;
        if (dataReply ? single === Cmd.ack : !control) continue;
        break;
      }
      if (body === undefined) {
        this.stats.timeouts++;
        this.#silenceBeforeReply = true;
        // a late reply must not be taken for the answer to the re-sent command
        await sleep(this.#o.responseTimeoutMs);
        this.#parser.reset();
        continue;
      }
      if (body.length === 1 && body[0] === Cmd.nak) continue; // device saw a corrupted command
      const isAck = body.length === 1 && body[0] === Cmd.ack;
      const isIllegal = body.length === 1 && body[0] === ILLEGAL_COMMAND;
      if (dataReply && !isAck && !isIllegal) {
        await this.#t.write(encodeCommand(Cmd.ack)).catch(() => undefined);
        await sleep(this.#o.tFreeMs);
      } else await sleep(this.#o.tFreeMs);
      return body;
    }
    throw new CcnetError(`no valid reply to command 0x${cmd.toString(16)} after ${this.#o.attempts} attempts`);
  }

  #transactLocked(cmd: number, dataReply: boolean, maxReplyLen?: number): Promise<Uint8Array> {
    return this.#exclusive(() => this.#transact(cmd, [], dataReply, maxReplyLen));
  }

  async #poll(): Promise<PollState | undefined> {
    const body = await this.#transactLocked(Cmd.poll, true);
    return decodePollState(body);
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
          await this.#transactLocked(Cmd.hold, false);
        }
        const state = await this.#poll();
        this.#failures = 0;
        if (state) await this.#onState(state);
      } catch (err) {
        if (!this.#running) return;
        if (++this.#failures >= this.#o.offlineAfterFailures) {
          this.#goOffline(err instanceof Error ? err.message : String(err));
        }
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
    const first = await this.#poll();
    if (first?.kind === 'escrow' || first?.kind === 'holding') {
      // A note waits in escrow from before we (re)started: keep it there for the caller to settle.
      const type = first.kind === 'escrow' ? first.billType : this.#escrowType;
      this.#escrowType = type;
      this.#escrow = type === undefined ? undefined : this.#table.find((e) => e.billType === type)?.denomination;
      this.#escrowFoundAtOpen = true;
      this.#state = first.kind;
      this.#lastKey = pollStateKey(first);
      await this.#transactLocked(Cmd.hold, false);
      this.#holding = true;
      this.#lastHoldAt = Date.now();
      this.#markOnline();
      return;
    }
    if (first?.kind === 'powerUp' && first.billIn) {
      this.#billInPathAtPowerUp = first.billIn;
      if (first.billIn === 'stacker') this.#stackerNote ??= { billType: this.#escrowType };
      if (first.billIn === 'validator') {
        // [ccnet.md §6]: RESET hands a note in the head back with no 82. Its value is known only if
        // this driver saw it in escrow before the power cut; otherwise nobody can name it.
        this.#settledAtOpen = { outcome: 'returned', billType: this.#escrowType };
      }
      this.#escrow = undefined;
      this.#escrowType = undefined;
      this.#holding = false;
    }
    // a one-shot 81 / 82 still pending: the note left escrow while no host was listening
    if (first?.kind === 'stacked' || first?.kind === 'returned') {
      this.#stackerNote = undefined;
      this.#settledAtOpen = { outcome: first.kind, billType: first.billType };
      // the RESET below ends the one-shot; a host that was listening before hears it as it would have live
      if (this.#wasEverOnline) this.#wordAfterInit = { outcome: first.kind, billType: first.billType };
    }
    this.#state = 'initialising';
    const reset = await this.#transactLocked(Cmd.reset, false);
    if (!(reset.length === 1 && reset[0] === Cmd.ack)) throw new CcnetError('validator did not acknowledge RESET');
    const started = Date.now();
    for (;;) {
      await sleep(this.#o.pollIntervalMs);
      const s = await this.#poll();
      if (s && s.kind !== 'initialize' && s.kind !== 'powerUp' && s.kind !== 'busy') {
        if (s.kind !== 'disabled') {
          // a fault or a recovered note: read the table if the device allows, and report it
          if (s.kind === 'stacked' || s.kind === 'returned') this.#stackerNote = undefined;
          if ((s.kind === 'stacked' || s.kind === 'returned') && !this.#settledAtOpen) this.#settledAtOpen = { outcome: s.kind, billType: s.billType };
          this.#stackerNoteStored();
          this.#enableWhenIdle = this.#wantedTypes.length > 0;
          this.#lastKey = undefined;
          await this.#readInfo().catch(() => undefined);
          this.#markOnline();
          await this.#onState(s);
          return;
        }
        break;
      }
      if (Date.now() - started > this.#o.initTimeoutMs) throw new CcnetError('validator stayed in INITIALIZE');
    }
    await this.#readInfo();
    this.#stackerNoteStored();
    this.#state = 'disabled';
    this.#lastKey = 'disabled';
    if (this.#wantedTypes.length > 0) {
      await this.#transactLocked0(Cmd.enableBillTypes, [...encodeTypeMask(this.#wantedTypes), ...encodeTypeMask(this.#wantedTypes)]);
    }
    this.#markOnline();
  }

  /**
   * The device finished INITIALIZE after a 12 without the 81 this driver waited for (its RESET was
   * repeated): the note went into the box all the same ([ccnet.md §6], credit recovery), so it is
   * reported as stacked, by value where this driver knew it, as a heard 81 would have been.
   */
  #stackerNoteStored(): void {
    const note = this.#stackerNote;
    if (!note) return;
    this.#stackerNote = undefined;
    if (this.#settledAtOpen) return;
    this.#settledAtOpen = { outcome: 'stacked', billType: note.billType };
    if (this.#wasEverOnline && note.billType !== undefined) this.#wordAfterInit = { outcome: 'stacked', billType: note.billType };
  }

  #transactLocked0(cmd: number, data: number[]): Promise<Uint8Array> {
    return this.#exclusive(() => this.#transact(cmd, data, false));
  }

  async #readInfo(): Promise<void> {
    const table = await this.#transactLocked(Cmd.getBillTable, true, 125);
    this.#table = parseBillTable(table);
    this.#tableFromDevice = true;
    const id = await this.#transactLocked(Cmd.identification, true, 39);
    if (id.length >= 27) {
      const parsed = parseIdentification(id);
      this.#model = parsed.partNumber;
      this.#serial = parsed.serial;
    }
  }

  #markOnline(): void {
    this.#ready = true;
    this.#failures = 0;
    this.#fault = undefined;
    if (this.#link !== 'online') {
      this.#link = 'online';
      this.#wasEverOnline = true;
      this.emit('online', { ...(this.#model ? { model: this.#model } : {}), ...(this.#serial ? { serial: this.#serial } : {}) });
    }
    const word = this.#wordAfterInit;
    this.#wordAfterInit = undefined;
    if (word) this.emit(word.outcome, { denomination: this.#denomination(word.billType) });
  }

  #settledView(n: { outcome: 'stacked' | 'returned'; billType: number | undefined }): NonNullable<CashAcceptorStatus['noteSettledAtOpen']> {
    if (n.billType === undefined) return { outcome: n.outcome };
    const denomination = this.#table.find((e) => e.billType === n.billType)?.denomination;
    return { outcome: n.outcome, billType: n.billType, ...(denomination !== undefined ? { denomination } : {}) };
  }

  #denomination(type: number): Tiyn {
    return this.#table.find((e) => e.billType === type)?.denomination ?? 0;
  }

  async #onState(s: PollState): Promise<void> {
    const key = pollStateKey(s);
    if (s.kind === 'busy') {
      await sleep(Math.min(s.retryMs, 5_000));
      return;
    }
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    this.#fault = undefined;
    switch (s.kind) {
      case 'powerUp':
        // the device lost power while we were talking to it: the link is new (offline, then online
        // once the init sequence ran again), and its word on a note in the path is read at init
        if (s.billIn) this.#billInPathAtPowerUp = s.billIn;
        this.#state = 'initialising';
        this.#goOffline('validator powered up');
        return;
      case 'initialize': this.#state = 'initialising'; return;
      case 'idling': case 'accepting': case 'stacking': case 'returning': case 'disabled': case 'holding':
        this.#state = s.kind;
        if (s.kind === 'idling' || s.kind === 'disabled') this.#clearEscrow();
        if (s.kind === 'disabled' && this.#enableWhenIdle && this.#wantedTypes.length > 0) {
          // power-up cleared the masks; the customer's cash-in goes on with the types it had
          this.#enableWhenIdle = false;
          await this.#transactLocked0(Cmd.enableBillTypes, [...encodeTypeMask(this.#wantedTypes), ...encodeTypeMask(this.#wantedTypes)]);
        }
        return;
      case 'pause': this.#state = 'accepting'; return;
      case 'escrow': {
        this.#state = 'escrow';
        this.#escrowType = s.billType;
        this.#escrow = this.#denomination(s.billType);
        this.emit('escrow', { denomination: this.#escrow });
        return;
      }
      case 'stacked':
        this.#state = 'stacking';
        this.#clearEscrow();
        this.emit('stacked', { denomination: this.#denomination(s.billType) });
        return;
      case 'returned':
        this.#state = 'returning';
        this.#clearEscrow();
        this.emit('returned', { denomination: this.#denomination(s.billType) });
        return;
      case 'rejecting':
        this.#state = 'rejecting';
        this.emit('rejected', { reason: s.reason });
        return;
      case 'jammed':
        this.#state = 'jammed';
        this.#fault = { code: `jam.${s.where}`, message: `bill jammed in the ${s.where}` };
        this.emit('jammed', { where: s.where });
        return;
      case 'cassetteFull':
        this.#state = 'cassetteFull';
        this.#fault = { code: 'cassetteFull', message: 'drop cassette full' };
        this.emit('cassetteFull', {});
        return;
      case 'cassetteOut':
        this.#state = 'cassetteRemoved';
        this.#fault = { code: 'cassetteRemoved', message: 'drop cassette out of position' };
        this.emit('cassetteRemoved', {});
        return;
      case 'cheated':
        this.#state = 'failure';
        this.#fault = { code: 'cheated', message: 'validator detected a cheating attempt' };
        this.emit('cheated', {});
        return;
      case 'failure':
        this.#state = 'failure';
        this.#fault = { code: `failure.0x${s.code.toString(16)}`, message: s.message };
        this.emit('failure', { code: this.#fault.code, message: s.message });
        return;
    }
  }

  #clearEscrow(): void {
    this.#escrow = undefined;
    this.#escrowType = undefined;
    this.#holding = false;
    if (this.#escrowFoundAtOpen) {
      this.#escrowFoundAtOpen = false;
      // the table may never have been read (a note sat in escrow at open): read it now
      if (!this.#tableFromDevice) this.#ready = false;
    }
  }
}
