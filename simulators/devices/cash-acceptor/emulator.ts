/**
 * CCNET bill validator emulator on the far end of a socat pty pair, opened with the real
 * serialport stack. It replies at the device's pace: a reply delay, then the frame held back for
 * its line time at the configured baud (10 bits per byte, 8N1).
 *
 * Faults for `POST /faults {device: 'cashAcceptor', fault, params?}`:
 * - `jamValidator`, `jamCassette`, `cassetteFull`, `cassetteRemoved`, `cheated`, `failure`: the
 *   validator reports that state (43, 44, 41, 42, 45, 47 50) until the faults are cleared.
 * - `counterfeit`: every inserted note is rejected as counterfeit (1C 66).
 * - `slow` {ms = 60}: each reply starts `ms` late (past the host's reply window when large).
 * - `slowStack` {ms = 3000}: the stacker takes `ms` to move a note from escrow to the box; the
 *   validator reports STACKING meanwhile and finishes on its own, whether the host still listens
 *   or not (a host killed in between finds the note in the box).
 * - `noResponse`: the validator stays silent.
 * - `dropStack`: STACK frames never reach the validator (noise on the line eats them): the host's
 *   re-sends go unanswered, the note waits in escrow until the validator's own escrow timeout hands
 *   it back.
 * - `badCrc` {every = 2}: every `every`-th reply goes out with a corrupted CRC.
 * - `garbage` {bytes = 6}: random bytes (SYNC included) precede every reply.
 * - `loseReply` {command = 0x35 (STACK), count = 1}: the device acts on that command but its
 *   reply is lost on the line, `count` times (the host hears silence and re-sends).
 * - `powerCycle`: one-shot; power drops and returns (masks cleared, a note in the path is
 *   reported as 11 / 12 at power-up).
 * Routes: `POST /cash-acceptor/insert {denomination: tenge} | {counterfeit: true}`;
 * `POST /cash-acceptor/timing {initMs?, acceptMs?, stackMs?, returnMs?, rejectMs?, replyDelayMs?}` sets the
 * mechanism's and the reply's delays from now on (a rig's knob: realistic or zero);
 * `GET /cash-acceptor/trace` the last moments on the device's side (a note in escrow, a STACK
 * frame heard, a note in the box) as epoch ms with sub-ms precision, `DELETE` empties it.
 */
import { join } from 'node:path';
import { ACCEPTOR_STATE_FILE, AcceptorStateFile, keepAcrossRestarts } from './acceptor-state-file.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADDR_BILL_VALIDATOR, CcnetParser, Cmd, ILLEGAL_COMMAND, encodeFrame, lineTimeMs } from '../../../drivers/cash-acceptor/ccnet-codec.js';
import { PtySerialLine, type SerialLinePlacement } from '../../common/pty-serial-line.js';
import { defaultEndpointName, type DeviceEmulator, type EmulatorContext, type Endpoint } from '../emulator.js';
import { CcnetValidator, defaultTiming, type HardFault, type ValidatorTiming } from './ccnet-validator.js';

export const CASH_ACCEPTOR_FAULTS = [
  'jamValidator', 'jamCassette', 'cassetteFull', 'cassetteRemoved', 'cheated', 'failure',
  'counterfeit', 'slow', 'slowStack', 'noResponse', 'dropStack', 'badCrc', 'garbage', 'loseReply', 'powerCycle',
] as const;

export const HARD_FAULTS: readonly string[] = ['jamValidator', 'jamCassette', 'cassetteFull', 'cassetteRemoved', 'cheated', 'failure'];

const TimingBody = z.object({
  initMs: z.number().min(0).max(60_000),
  acceptMs: z.number().min(0).max(60_000),
  stackMs: z.number().min(0).max(60_000),
  returnMs: z.number().min(0).max(60_000),
  rejectMs: z.number().min(0).max(60_000),
  replyDelayMs: z.number().min(0).max(1_000),
}).partial().strict();

export type TraceMoment = 'escrow' | 'stackHeard' | 'stacked';
const TRACE_LIMIT = 10_000;
/** wall-clock ms with the monotonic clock's precision, comparable with another process's on this machine */
const preciseNow = (): number => performance.timeOrigin + performance.now();

export const InsertBody = z.union([
  z.object({ denomination: z.number().int().positive().max(1_000_000), counterfeit: z.literal(false).optional() }),
  z.object({ counterfeit: z.literal(true) }),
]);

export interface CashAcceptorEmulatorOptions extends SerialLinePlacement {
  /** where the cash box and a note caught in the path outlive a restart (default: not kept) */
  stateFile?: string;
  /** delay before a reply starts (the device's own processing time) */
  replyDelayMs?: number;
  timing?: Partial<ValidatorTiming>;
  /**
   * false: replies leave as soon as they are made, without the line time a real 8N1 line takes
   * (a rig for measuring the host's own cost; default true)
   */
  lineTime?: boolean;
  /** seed for the garbage generator, so runs are reproducible */
  seed?: number;
}

export class CashAcceptorEmulator implements DeviceEmulator {
  readonly kind = 'cashAcceptor' as const;
  readonly protocol = 'ccnet';
  readonly endpoint: Endpoint;
  readonly faults = CASH_ACCEPTOR_FAULTS;
  readonly validator: CcnetValidator;
  readonly #line: PtySerialLine;
  readonly #baud: number;
  #replyDelayMs: number;
  readonly trace: Array<{ moment: TraceMoment; at: number }> = [];
  #parser = new CcnetParser((d) => {
    if (d === 'crc') this.#send(encodeFrame(ADDR_BILL_VALIDATOR, [Cmd.nak]));
  });
  #active = new Map<string, Record<string, unknown>>();
  #lastReply: Uint8Array | undefined;
  #lastWasPoll = false;
  #replies = 0;
  #rand: () => number;
  #writeChain: Promise<void> = Promise.resolve();
  #rxFreeAt = 0;
  #pendingReplies = 0;
  readonly stats = { commands: 0, replies: 0 };

  constructor(private readonly options: CashAcceptorEmulatorOptions) {
    this.#line = PtySerialLine.inRunDir(options, { devicePathName: defaultEndpointName.cashAcceptor, emulatorPathName: 'cash-acceptor.emu.tty', baudRate: 9600 });
    this.endpoint = this.#line.endpoint;
    this.#baud = this.#line.baudRate;
    this.#replyDelayMs = options.replyDelayMs ?? 3;
    this.validator = new CcnetValidator({ ...defaultTiming, ...options.timing });
    this.validator.onMoment = (moment) => this.#mark(moment);
    if (options.stateFile !== undefined) keepAcrossRestarts(this.validator, new AcceptorStateFile(options.stateFile));
    let s = (options.seed ?? 0x5eed) >>> 0;
    this.#rand = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  async start(): Promise<void> {
    await this.#line.open((chunk) => this.#onData(chunk));
    this.#parser.reset();
  }

  async stop(): Promise<void> {
    await this.#line.close(() => this.#writeChain.catch(() => undefined));
  }

  /** stop() keeps the validator's state (a cable pulled); dispose() also stops its timers */
  async dispose(): Promise<void> {
    await this.stop();
    this.validator.dispose();
  }

  state(): Record<string, unknown> {
    const v = this.validator;
    return {
      state: v.hardFault ?? v.state,
      enabledTypes: v.enabled,
      billTable: v.billTypes.map((t) => t / 100),
      escrow: v.state === 'escrow' || v.state === 'holding' ? (v.escrowDenomination ?? 0) / 100 : null,
      billInPathAtPowerUp: v.powerUpBill ?? null,
      cashBox: Object.fromEntries([...v.cashBox].map(([d, n]) => [String(d / 100), n])),
      activeFaults: [...this.#active.keys()],
    };
  }

  setFault(fault: string, params: Record<string, unknown> = {}): void {
    if (fault === 'powerCycle') {
      this.validator.powerCycle();
      return;
    }
    if (HARD_FAULTS.includes(fault)) this.validator.setHardFault(fault as HardFault);
    if (fault === 'slowStack') this.validator.stackDelayMs = typeof params.ms === 'number' && params.ms >= 0 ? params.ms : 3_000;
    this.#active.set(fault, params);
  }

  clearFaults(): void {
    this.#active.clear();
    this.validator.stackDelayMs = undefined;
    this.validator.setHardFault(undefined);
  }

  insert(body: { denomination?: number; counterfeit?: boolean }): string | undefined {
    const counterfeit = body.counterfeit === true || this.#active.has('counterfeit');
    return this.validator.insert({ denomination: body.denomination === undefined ? undefined : body.denomination * 100, counterfeit });
  }

  #mark(moment: TraceMoment): void {
    if (this.trace.length >= TRACE_LIMIT) this.trace.shift();
    this.trace.push({ moment, at: preciseNow() });
  }

  routes(app: FastifyInstance): void {
    app.post('/cash-acceptor/timing', async (req, reply) => {
      const body = TimingBody.safeParse(req.body ?? {});
      if (!body.success) return reply.code(400).send({ error: 'body must be {initMs?, acceptMs?, stackMs?, returnMs?, rejectMs?, replyDelayMs?} in ms' });
      const { replyDelayMs, ...mechanism } = body.data;
      Object.assign(this.validator.timing, mechanism);
      if (replyDelayMs !== undefined) this.#replyDelayMs = replyDelayMs;
      return { ok: true, timing: { ...this.validator.timing, replyDelayMs: this.#replyDelayMs } };
    });
    app.get('/cash-acceptor/trace', async () => ({ moments: this.trace }));
    app.delete('/cash-acceptor/trace', async () => {
      this.trace.length = 0;
      return { ok: true };
    });
    app.post('/cash-acceptor/insert', async (req, reply) => {
      const body = InsertBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send({ error: 'body must be {denomination: tenge} or {counterfeit: true}' });
      const refused = this.insert(body.data);
      if (refused) return reply.code(409).send({ error: refused });
      return { ok: true };
    });
  }

  #onData(chunk: Buffer): void {
    for (const frame of this.#parser.push(chunk)) {
      // a pty delivers the host's bytes at once; a real line takes 10 bits per byte, so the
      // device could not have heard this frame before the line had carried all of it
      const now = performance.now();
      this.#rxFreeAt = Math.max(now, this.#rxFreeAt) + this.#lineTime(frame.body.length + 5);
      if (frame.addr !== ADDR_BILL_VALIDATOR || frame.body.length === 0) continue;
      const cmd = frame.body[0]!;
      this.stats.commands++;
      if (cmd === Cmd.stack) this.#mark('stackHeard');
      if (cmd === Cmd.ack) {
        if (this.#lastWasPoll) this.validator.pollAcked();
        this.#lastWasPoll = false;
        continue;
      }
      if (cmd === Cmd.nak) {
        if (this.#lastReply) this.#reply(this.#lastReply);
        continue;
      }
      // half duplex: while a reply is still on its way the device is not listening
      if (this.#pendingReplies > 0) continue;
      if (cmd === Cmd.stack && this.#active.has('dropStack')) continue;
      const outcome = this.validator.command(cmd, frame.body.subarray(1));
      this.#lastWasPoll = cmd === Cmd.poll;
      const body = 'reply' in outcome ? outcome.reply : 'ack' in outcome ? Uint8Array.of(Cmd.ack) : Uint8Array.of(ILLEGAL_COMMAND);
      const reply = encodeFrame(ADDR_BILL_VALIDATOR, body);
      this.#lastReply = reply;
      if (this.#loseReplyTo(cmd)) continue;
      this.#reply(reply);
    }
  }

  /** the `loseReply` fault: true when this command's reply is to vanish on the line */
  #loseReplyTo(cmd: number): boolean {
    const lose = this.#active.get('loseReply');
    if (!lose) return false;
    const target = typeof lose.command === 'number' ? lose.command : Cmd.stack;
    if (cmd !== target) return false;
    const left = (typeof lose.count === 'number' && lose.count >= 1 ? lose.count : 1) - 1;
    if (left <= 0) this.#active.delete('loseReply');
    else this.#active.set('loseReply', { ...lose, count: left });
    return true;
  }

  #reply(frame: Uint8Array): void {
    if (this.#active.has('noResponse')) return;
    let out = frame;
    const badCrc = this.#active.get('badCrc');
    this.#replies++;
    if (badCrc) {
      const every = typeof badCrc.every === 'number' && badCrc.every >= 1 ? badCrc.every : 2;
      if (this.#replies % every === 0) {
        out = frame.slice();
        out[out.length - 1]! ^= 0x5a;
      }
    }
    const garbage = this.#active.get('garbage');
    if (garbage) {
      const n = typeof garbage.bytes === 'number' ? garbage.bytes : 6;
      const junk = Array.from({ length: n }, () => Math.floor(this.#rand() * 256));
      out = Uint8Array.from([...junk, ...out]);
    }
    const slow = this.#active.get('slow');
    const heard = Math.max(0, this.#rxFreeAt - performance.now());
    const delay = heard + this.#replyDelayMs + (slow ? (typeof slow.ms === 'number' ? slow.ms : 60) : 0);
    this.#send(out, delay);
  }

  #lineTime(bytes: number): number {
    return this.options.lineTime === false ? 0 : lineTimeMs(bytes, this.#baud);
  }

  /** Writes after `delayMs` plus the frame's line time, one frame at a time, like a UART. */
  #send(bytes: Uint8Array, delayMs = this.#replyDelayMs): void {
    const wait = delayMs + this.#lineTime(bytes.length);
    this.#pendingReplies++;
    this.#writeChain = this.#writeChain.then(async () => {
      await new Promise((r) => setTimeout(r, wait));
      if (!this.#line.isOpen) return;
      this.stats.replies++;
      await this.#line.write(bytes);
    }).catch(() => undefined).finally(() => {
      this.#pendingReplies--;
    });
  }
}

export const createCcnetEmulator = (ctx: EmulatorContext): CashAcceptorEmulator => new CashAcceptorEmulator({ runDir: ctx.runDir, stateFile: ctx.cashAcceptorStateFile ?? join(ctx.runDir, ACCEPTOR_STATE_FILE) });
