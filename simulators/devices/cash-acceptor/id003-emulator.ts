/**
 * ID003 bill acceptor emulator on the far end of a socat pty pair, opened with the real serialport
 * stack: the same control routes and faults as the CCNET emulator (`./emulator.ts`), spoken in
 * ID003 (`FC LNG CMD DATA CRC`). Full duplex, as the protocol is; each reply waits the device's
 * reply delay and its own line time at 11 bits per byte (8E1).
 *
 * Faults for `POST /faults {device: 'cashAcceptor', fault, params?}` mean what they mean for CCNET:
 * - `jamValidator`, `jamCassette`, `cassetteFull`, `cassetteRemoved`, `cheated`, `failure`: the
 *   acceptor reports 45, 46, 43, 44, 48, 49 A2 until the faults are cleared.
 * - `counterfeit`: every inserted note is rejected (17 77, photo pattern: ID003 names no counterfeit).
 * - `slow` {ms = 60}, `slowStack` {ms = 3000}, `noResponse`, `badCrc` {every = 2}, `garbage` {bytes = 6}.
 * - `dropStack`: STACK-1 / STACK-2 frames never reach the acceptor; its escrow limit hands the note back.
 * - `loseReply` {command = 0x41 (STACK-1), count = 1}: the acceptor acts but its reply is lost.
 * - `powerCycle`: one-shot; a note in the path is reported 41 (acceptor) / 42 (stacker) until RESET.
 * ID003 has no NAK: a frame with a bad CRC is dropped and the host hears silence.
 */
import { join } from 'node:path';
import { ACCEPTOR_STATE_FILE, AcceptorStateFile, keepAcrossRestarts } from './acceptor-state-file.js';
import type { FastifyInstance } from 'fastify';
import { Cmd, Id003Parser, lineTimeMs } from '../../../drivers/cash-acceptor/id003-codec.js';
import { PtySerialLine, type SerialLinePlacement } from '../../common/pty-serial-line.js';
import { defaultEndpointName, type DeviceEmulator, type EmulatorContext, type Endpoint } from '../emulator.js';
import { CASH_ACCEPTOR_FAULTS, HARD_FAULTS, InsertBody } from './emulator.js';
import type { HardFault } from './ccnet-validator.js';
import { Id003Acceptor, defaultId003Timing, type Id003Timing } from './id003-acceptor.js';

export interface Id003EmulatorOptions extends SerialLinePlacement {
  /** where the cash box and a note caught in the path outlive a restart (default: not kept) */
  stateFile?: string;
  replyDelayMs?: number;
  timing?: Partial<Id003Timing>;
  seed?: number;
}

export class Id003AcceptorEmulator implements DeviceEmulator {
  readonly kind = 'cashAcceptor' as const;
  readonly protocol = 'id003';
  readonly endpoint: Endpoint;
  readonly faults = CASH_ACCEPTOR_FAULTS;
  readonly acceptor: Id003Acceptor;
  readonly #line: PtySerialLine;
  readonly #baud: number;
  readonly #replyDelayMs: number;
  #parser = new Id003Parser();
  #active = new Map<string, Record<string, unknown>>();
  #replies = 0;
  #rand: () => number;
  #writeChain: Promise<void> = Promise.resolve();
  #rxFreeAt = 0;
  readonly stats = { commands: 0, replies: 0 };

  constructor(options: Id003EmulatorOptions) {
    this.#line = PtySerialLine.inRunDir(options, { devicePathName: defaultEndpointName.cashAcceptor, emulatorPathName: 'cash-acceptor.emu.tty', baudRate: 9600 });
    this.endpoint = this.#line.endpoint;
    this.#baud = this.#line.baudRate;
    this.#replyDelayMs = options.replyDelayMs ?? 3;
    this.acceptor = new Id003Acceptor({ ...defaultId003Timing, ...options.timing });
    if (options.stateFile !== undefined) keepAcrossRestarts(this.acceptor, new AcceptorStateFile(options.stateFile));
    let s = (options.seed ?? 0x1d003) >>> 0;
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

  /** stop() keeps the acceptor's state (a cable pulled); dispose() also stops its timers */
  async dispose(): Promise<void> {
    await this.stop();
    this.acceptor.dispose();
  }

  state(): Record<string, unknown> {
    const a = this.acceptor;
    return {
      state: a.hardFault ?? a.state,
      inhibited: a.inhibited,
      enabledTypes: a.enabledCodes.filter((c) => a.denominations[c - 0x61] !== undefined).map((c) => c - 0x61),
      billTable: a.denominations.map((t) => t / 100),
      escrow: a.state === 'escrow' || a.state === 'holding' ? (a.escrowDenomination ?? 0) / 100 : null,
      billInPathAtPowerUp: a.powerUpBill === 'acceptor' ? 'validator' : (a.powerUpBill ?? null),
      cashBox: Object.fromEntries([...a.cashBox].map(([d, n]) => [String(d / 100), n])),
      activeFaults: [...this.#active.keys()],
    };
  }

  setFault(fault: string, params: Record<string, unknown> = {}): void {
    if (fault === 'powerCycle') {
      this.acceptor.powerCycle();
      return;
    }
    if (HARD_FAULTS.includes(fault)) this.acceptor.setHardFault(fault as HardFault);
    if (fault === 'slowStack') this.acceptor.stackDelayMs = typeof params.ms === 'number' && params.ms >= 0 ? params.ms : 3_000;
    this.#active.set(fault, params);
  }

  clearFaults(): void {
    this.#active.clear();
    this.acceptor.stackDelayMs = undefined;
    this.acceptor.setHardFault(undefined);
  }

  insert(body: { denomination?: number; counterfeit?: boolean }): string | undefined {
    const counterfeit = body.counterfeit === true || this.#active.has('counterfeit');
    return this.acceptor.insert({ denomination: body.denomination === undefined ? undefined : body.denomination * 100, counterfeit });
  }

  routes(app: FastifyInstance): void {
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
      // a pty delivers the host's bytes at once; the line would have taken 11 bits per byte
      const now = performance.now();
      this.#rxFreeAt = Math.max(now, this.#rxFreeAt) + lineTimeMs(frame.data.length + 5, this.#baud);
      this.stats.commands++;
      if ((frame.cmd === Cmd.stack1 || frame.cmd === Cmd.stack2) && this.#active.has('dropStack')) continue;
      const outcome = this.acceptor.command(frame.cmd, frame.data);
      if ('silent' in outcome) continue;
      if (this.#loseReplyTo(frame.cmd)) continue;
      this.#reply(outcome.reply);
    }
  }

  #loseReplyTo(cmd: number): boolean {
    const lose = this.#active.get('loseReply');
    if (!lose) return false;
    const target = typeof lose.command === 'number' ? lose.command : Cmd.stack1;
    if (cmd !== target) return false;
    const left = (typeof lose.count === 'number' && lose.count >= 1 ? lose.count : 1) - 1;
    if (left <= 0) this.#active.delete('loseReply');
    else this.#active.set('loseReply', { ...lose, count: left });
    return true;
  }

  #reply(frame: Uint8Array): void {
    if (this.#active.has('noResponse')) return;
    let out = frame;
    this.#replies++;
    const badCrc = this.#active.get('badCrc');
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
      out = Uint8Array.from([...Array.from({ length: n }, () => Math.floor(this.#rand() * 256)), ...out]);
    }
    const slow = this.#active.get('slow');
    const heard = Math.max(0, this.#rxFreeAt - performance.now());
    this.#send(out, heard + this.#replyDelayMs + (slow ? (typeof slow.ms === 'number' ? slow.ms : 60) : 0));
  }

  /** Writes after `delayMs` plus the frame's line time, one frame at a time, like a UART. */
  #send(bytes: Uint8Array, delayMs: number): void {
    const wait = delayMs + lineTimeMs(bytes.length, this.#baud);
    this.#writeChain = this.#writeChain
      .then(async () => {
        await new Promise((r) => setTimeout(r, wait));
        if (!this.#line.isOpen) return;
        this.stats.replies++;
        await this.#line.write(bytes);
      })
      .catch(() => undefined);
  }
}

export const createId003Emulator = (ctx: EmulatorContext): Id003AcceptorEmulator => new Id003AcceptorEmulator({ runDir: ctx.runDir, stateFile: ctx.cashAcceptorStateFile ?? join(ctx.runDir, ACCEPTOR_STATE_FILE) });
