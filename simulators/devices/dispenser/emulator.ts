/**
 * LCDM-2000 dispenser emulator, either with this terminal's presenter extension (see
 * drivers/dispenser/README.md) or as a stock LCDM-1000/2000 (`presenter: false`), on the far end of a socat pty pair, opened with the real
 * serialport stack. Handshake as the device does it: ACK the command, work, send the reply,
 * re-send it up to 3 times on NAK or silence. Writes are held back for their line time.
 *
 * Faults for `POST /faults {device: 'dispenser', fault, params?}` (params.cassette 0 = upper, 1 = lower; default 0):
 * - `empty`: that cassette is empty (error 38 / 40, bill end).
 * - `jam`: half the notes come out, then a jam at CHK1,2 (error 33); one note stays in the path until a purge.
 * - `doubleNote`: one double pick is diverted to the reject tray (2 notes); the dispense still completes.
 * - `partial`: half the notes come out, then a pickup error (error 32).
 * - `notTaken`: the customer does not take presented notes (`POST /dispenser/take` is refused).
 * - `shutterFail`: the presenter's shutter does not open (motor stop, error 41).
 * - `noResponse`: the dispenser stays silent.
 * - `lostReply`: commands are ACKed and carried out, but the reply never arrives (the host must
 *   reconcile from the presenter count, never re-send a dispense).
 * - `slowPresent` {ms = 3000}: the presenter's shutter motor starts `ms` late: PRESENT is ACKed at
 *   once, the notes stay behind the closed shutter meanwhile (`presenter.opening` in the state), then
 *   the shutter opens and the reply goes out, whether the host still listens or not.
 * - `badBcc` {every = 2}: every `every`-th reply goes out with a corrupted BCC.
 * A stock module NAKs every command outside the LCDM-1000/2000 set (44 45 46 47 55 56 76 77), as the
 * device does a bad command (reference section 3); its notes land in the exit slot, where nothing
 * senses them, and `POST /dispenser/take` empties that slot.
 * Routes: `POST /dispenser/take`, `POST /dispenser/load {cassettes: [{denomination: tenge, count}]}`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ACK, EOT, LcdmCmd, LcdmParser, NAK, encodeDeviceFrame } from '../../../drivers/dispenser/lcdm-codec.js';
import { lineTimeMs } from '../../../drivers/cash-acceptor/ccnet-codec.js';
import { PtySerialLine, type SerialLinePlacement } from '../../common/pty-serial-line.js';
import { defaultEndpointName, type DeviceEmulator, type EmulatorContext, type Endpoint } from '../emulator.js';
import { LcdmDevice, type DispenserFault } from './lcdm-device.js';
import { sleep } from '../../../domain/async.js';

export const DISPENSER_FAULTS = ['empty', 'jam', 'doubleNote', 'partial', 'notTaken', 'shutterFail', 'noResponse', 'lostReply', 'slowPresent', 'badBcc'] as const;
const DEVICE_FAULTS: readonly string[] = ['empty', 'jam', 'doubleNote', 'partial', 'notTaken', 'shutterFail'];

const LoadBody = z.object({
  cassettes: z.array(z.object({ denomination: z.number().int().positive().max(1_000_000), count: z.number().int().min(0).max(3000) })).min(1).max(2),
});

export interface DispenserEmulatorOptions extends SerialLinePlacement {
  perNoteMs?: number;
  /** how long the device waits for the host's ACK of a reply before re-sending it */
  ackWaitMs?: number;
  /** the presenter extension is fitted (default); false: a stock LCDM-1000/2000 */
  presenter?: boolean;
}

/** the commands a stock LCDM-1000/2000 knows (reference section 4) */
const STOCK_COMMANDS: ReadonlySet<number> = new Set([
  LcdmCmd.purge, LcdmCmd.dispenseUpper, LcdmCmd.status, LcdmCmd.romVersion, LcdmCmd.dispenseLower, LcdmCmd.dispenseBoth,
  LcdmCmd.testUpper, LcdmCmd.testLower,
]);

export class DispenserEmulator implements DeviceEmulator {
  readonly kind = 'dispenser' as const;
  readonly protocol: string;
  readonly presenter: boolean;
  /** commands NAKed because a stock module does not know them */
  readonly refusedCommands: number[] = [];
  readonly endpoint: Endpoint;
  readonly faults = DISPENSER_FAULTS;
  readonly device: LcdmDevice;
  readonly #line: PtySerialLine;
  readonly #baud: number;
  readonly #ackWaitMs: number;
  #parser = new LcdmParser(EOT, (d) => {
    if (d === 'bcc') void this.#write(Uint8Array.of(NAK));
  });
  #wire = new Map<string, Record<string, unknown>>();
  #work: Promise<void> = Promise.resolve();
  #hostAnswer: ((a: 'ack' | 'nak') => void) | undefined;
  #replies = 0;
  /** a PRESENT is accepted and the shutter motor has not started yet (`slowPresent`) */
  #shutterPending = false;

  constructor(options: DispenserEmulatorOptions) {
    this.#line = PtySerialLine.inRunDir(options, { devicePathName: defaultEndpointName.dispenser, emulatorPathName: 'dispenser.emu.tty', baudRate: 9600 });
    this.endpoint = this.#line.endpoint;
    this.#baud = this.#line.baudRate;
    this.#ackWaitMs = options.ackWaitMs ?? 500;
    this.presenter = options.presenter ?? true;
    this.protocol = this.presenter ? 'lcdm-2000+presenter' : 'lcdm-2000';
    this.device = new LcdmDevice(options.perNoteMs ?? 25, this.presenter);
  }

  async start(): Promise<void> {
    await this.#line.open((chunk) => this.#onData(chunk));
    this.#parser.reset();
  }

  async stop(): Promise<void> {
    await this.#line.close(async () => {
      this.#hostAnswer?.('nak');
      await this.#work.catch(() => undefined);
    });
  }

  state(): Record<string, unknown> {
    const d = this.device;
    return {
      cassettes: d.cassettes.map((c, i) => ({ position: i === 0 ? 'upper' : 'lower', denomination: c.denomination / 100, count: c.count, present: c.present })),
      rejectBin: d.rejectBin,
      retractBin: d.retractBin,
      notesInPath: d.notesInPath,
      ...(this.presenter
        ? { presenter: { notes: d.presenter.notes.length, amount: d.presenter.notes.reduce((a, b) => a + b, 0) / 100, shutterOpen: d.presenter.shutterOpen, opening: this.#shutterPending } }
        : { exitSlot: { notes: d.presenter.notes.length, amount: d.presenter.notes.reduce((a, b) => a + b, 0) / 100 } }),
      taken: d.taken.length,
      /** whole tenge: what customers took, for a check that compares it with the bank's debits */
      takenAmount: d.taken.reduce((a, b) => a + b, 0) / 100,
      /** commands a stock module NAKed: the host sent something no LCDM-1000/2000 knows */
      refusedCommands: [...this.refusedCommands],
      activeFaults: [...d.faults.keys(), ...this.#wire.keys()],
    };
  }

  setFault(fault: string, params: Record<string, unknown> = {}): void {
    if (DEVICE_FAULTS.includes(fault)) this.device.faults.set(fault as DispenserFault, params);
    else this.#wire.set(fault, params);
  }

  clearFaults(): void {
    this.device.faults.clear();
    this.#wire.clear();
  }

  load(cassettes: Array<{ denomination: number; count: number }>): void {
    cassettes.forEach((c, i) => {
      this.device.cassettes[i] = { denomination: c.denomination * 100, count: c.count, present: true };
    });
  }

  routes(app: FastifyInstance): void {
    app.post('/dispenser/take', async (_req, reply) => {
      const refused = this.device.take();
      if (refused) return reply.code(409).send({ error: refused });
      return { ok: true };
    });
    app.post('/dispenser/load', async (req, reply) => {
      const body = LoadBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send({ error: 'body must be {cassettes: [{denomination: tenge, count}]}' });
      this.load(body.data.cassettes);
      return { ok: true, state: this.state() };
    });
  }

  #onData(chunk: Buffer): void {
    if (this.#wire.has('noResponse')) {
      this.#parser.reset();
      return;
    }
    for (const t of this.#parser.push(chunk)) {
      if (t.type === 'ack' || t.type === 'nak') {
        this.#hostAnswer?.(t.type);
        continue;
      }
      const { cmd, data } = t;
      if (!this.presenter && !STOCK_COMMANDS.has(cmd)) {
        this.refusedCommands.push(cmd);
        void this.#write(Uint8Array.of(NAK));
        continue;
      }
      void this.#write(Uint8Array.of(ACK));
      this.#work = this.#work.then(() => this.#serve(cmd, data)).catch(() => undefined);
    }
  }

  async #serve(cmd: number, data: Uint8Array): Promise<void> {
    const slowPresent = cmd === LcdmCmd.present ? this.#wire.get('slowPresent') : undefined;
    if (slowPresent) {
      this.#shutterPending = true;
      await sleep(typeof slowPresent.ms === 'number' && slowPresent.ms >= 0 ? slowPresent.ms : 3_000).finally(() => (this.#shutterPending = false));
    }
    const result = this.device.run(cmd, data) ?? { data: [0x37], ms: 5 }; // 37: undefined command
    await sleep(result.ms);
    if (this.#wire.has('lostReply')) return;
    const reply = encodeDeviceFrame(cmd, result.data);
    for (let attempt = 0; attempt < 4; attempt++) {
      if (!this.#line.port) return;
      let out = reply;
      const bad = this.#wire.get('badBcc');
      this.#replies++;
      if (bad) {
        const every = typeof bad.every === 'number' && bad.every >= 1 ? bad.every : 2;
        if (this.#replies % every === 0) {
          out = reply.slice();
          out[out.length - 1]! ^= 0x21;
        }
      }
      const answer = new Promise<'ack' | 'nak' | 'silence'>((resolve) => {
        const timer = setTimeout(() => resolve('silence'), this.#ackWaitMs + lineTimeMs(out.length, this.#baud));
        this.#hostAnswer = (a) => {
          clearTimeout(timer);
          resolve(a);
        };
      });
      await this.#write(out);
      const a = await answer;
      this.#hostAnswer = undefined;
      if (a === 'ack') return;
    }
  }

  async #write(bytes: Uint8Array): Promise<void> {
    await sleep(1 + lineTimeMs(bytes.length, this.#baud));
    await this.#line.write(bytes);
  }
}

export const createDispenserEmulator = (ctx: EmulatorContext): DispenserEmulator =>
  new DispenserEmulator({ runDir: ctx.runDir, presenter: ctx.dispenserPresenter ?? false });
