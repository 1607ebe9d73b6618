/**
 * ESC/POS thermal printer on a socat pty pair: the kiosk opens `runDir/printer.tty` as it would
 * open the printer's USB-serial port. Faults (POST /faults {device: 'printer', fault}):
 *   paperNearEnd   - near-end sensor on, printing goes on
 *   paperOut       - no paper: nothing prints, DLE EOT reports paper end
 *   paperOutMidJob - the roll ends after `params.afterLines` (default 5) more lines: the job stops
 *                    there, the partial receipt is kept marked `truncated`
 *   coverOpen      - cover open: offline, nothing prints
 *   offline        - offline for another reason (e.g. waiting for recovery)
 *   cutterError    - autocutter error: offline, DLE EOT 3 reports it
 *   slowPrint      - a busy mechanism: every chunk the host sends (status requests included) is
 *                    taken `params.ms` (default 300) after it arrived, in order, so a receipt takes
 *                    seconds and a crash can land mid-job (the chaos harness's `print` point, the
 *                    lost-receipt test); keep `ms` under the driver's status timeout (1 s) or the
 *                    job fails
 * POST /printer/load-paper {lines?} puts in a fresh roll (clears paper out / near end).
 * The emulated model's ESC t numbering is its own (`escT`, default Epson's: SIM_PRINTER_ESC_T), as
 * a real printer's firmware is: a kiosk configured with another model's number prints in the wrong
 * table here too. Raster lines are read back as receipt-font text for the panel and tests.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PtySerialLine, type SerialLinePlacement } from '../../common/pty-serial-line.js';
import { defaultEndpointName, type DeviceEmulator, type EmulatorContext, type Endpoint } from '../emulator.js';
import { PrintMechanism } from './print-mechanism.js';
import { EPSON_ESC_T, type EscTNumbering } from '../../../drivers/printer/code-page.js';
import { receiptSvg } from './receipt-svg.js';

export const PRINTER_FAULTS = ['paperNearEnd', 'paperOut', 'paperOutMidJob', 'coverOpen', 'offline', 'cutterError', 'slowPrint'] as const;

const LoadPaperBody = z.object({ lines: z.number().int().positive().optional() }).strict().optional();

export interface PrinterEmulatorOptions extends SerialLinePlacement {
  /** columns of the emulated paper, for the SVG (48 = 80 mm, 32 = 58 mm) */
  columns?: number;
  /** false: a printer without native QR (GS ( k is skipped); the kiosk must send the raster fallback */
  nativeQr?: boolean;
  /** the model's ESC t numbering (default Epson's); a table left out is one the model lacks */
  escT?: EscTNumbering;
  /** dots per line of the emulated head (default 576, 80 mm at 203 dpi) */
  dotWidth?: number;
}

export class PrinterEmulator implements DeviceEmulator {
  readonly kind = 'printer' as const;
  readonly protocol = 'escpos';
  readonly endpoint: Endpoint;
  readonly faults: readonly string[] = PRINTER_FAULTS;
  readonly mechanism: PrintMechanism;
  readonly #line: PtySerialLine;
  readonly #columns: number;
  readonly dotWidth: number;
  #activeFaults = new Set<string>();
  /** slowPrint: how long each chunk waits before the mechanism takes it */
  #slowMs = 0;
  /** chunks still waiting: a chunk never overtakes an earlier one, even once slowPrint is cleared */
  #held: Promise<void> = Promise.resolve();
  #heldCount = 0;

  constructor(options: PrinterEmulatorOptions) {
    this.#line = PtySerialLine.inRunDir(options, { devicePathName: defaultEndpointName.printer, emulatorPathName: 'printer.emulator.tty', baudRate: 115_200 });
    this.endpoint = this.#line.endpoint;
    this.dotWidth = options.dotWidth ?? 576;
    this.#columns = options.columns ?? Math.floor(this.dotWidth / 12);
    this.mechanism = new PrintMechanism(undefined, { nativeQr: options.nativeQr ?? true, escT: options.escT ?? EPSON_ESC_T });
  }

  async start(): Promise<void> {
    await this.#line.open((chunk, port) => {
      const take = (): void => {
        const replies = this.mechanism.receive(chunk);
        if (replies.length > 0 && port.isOpen) port.write(Buffer.from(replies));
      };
      if (this.#slowMs === 0 && this.#heldCount === 0) return take();
      const wait = this.#slowMs;
      this.#heldCount++;
      this.#held = this.#held
        .then(() => new Promise<void>((r) => setTimeout(r, wait)))
        .then(take)
        // a chunk the mechanism choked on must not stall the ones behind it
        .catch(() => undefined)
        .finally(() => {
          this.#heldCount--;
        });
    });
  }

  async stop(): Promise<void> {
    await this.#line.close();
  }

  state(): Record<string, unknown> {
    return {
      portOpen: this.#line.isOpen,
      sensors: { ...this.mechanism.sensors },
      linesLeft: this.mechanism.linesLeft ?? null,
      nativeQr: this.mechanism.nativeQr,
      escT: { ...this.mechanism.escT },
      dotWidth: this.dotWidth,
      unknownCodePages: this.mechanism.unknownCodePages,
      faults: [...this.#activeFaults],
      receipts: this.mechanism.receipts.length,
      unknownCommands: this.mechanism.unknownCommands,
    };
  }

  setFault(fault: string, params?: Record<string, unknown>): void {
    const s = this.mechanism.sensors;
    switch (fault) {
      case 'paperNearEnd':
        s.nearEnd = true;
        break;
      case 'paperOut':
        s.paperOut = true;
        s.nearEnd = true;
        break;
      case 'paperOutMidJob': {
        const n = Number(params?.afterLines ?? 5);
        this.mechanism.linesLeft = Number.isInteger(n) && n > 0 ? n : 5;
        break;
      }
      case 'coverOpen':
        s.coverOpen = true;
        break;
      case 'offline':
        s.offline = true;
        break;
      case 'cutterError':
        s.cutterError = true;
        break;
      case 'slowPrint': {
        const ms = Number(params?.ms ?? 300);
        this.#slowMs = Number.isInteger(ms) && ms > 0 && ms <= 10_000 ? ms : 300;
        break;
      }
      default:
        throw new Error(`printer has no fault ${fault}`);
    }
    this.#activeFaults.add(fault);
  }

  clearFaults(): void {
    Object.assign(this.mechanism.sensors, { coverOpen: false, offline: false, nearEnd: false, paperOut: false, cutterError: false });
    this.mechanism.linesLeft = undefined;
    this.#slowMs = 0;
    this.#activeFaults.clear();
  }

  routes(app: FastifyInstance): void {
    app.get('/printer/receipts', async () => this.mechanism.receipts.map((r, index) => ({ index, ...r })));
    app.get<{ Params: { name: string } }>('/printer/receipts/:name', async (req, reply) => {
      const m = /^(\d{1,6})(\.svg)?$/.exec(req.params.name);
      const r = m ? this.mechanism.receipts[Number(m[1])] : undefined;
      if (!m || !r) return reply.code(404).send({ error: `no receipt ${req.params.name}` });
      if (m[2]) return reply.type('image/svg+xml; charset=utf-8').send(receiptSvg(r, this.#columns));
      return { index: Number(m[1]), ...r };
    });
    app.post('/printer/load-paper', async (req, reply) => {
      const body = LoadPaperBody.safeParse(req.body ?? undefined);
      if (!body.success) return reply.code(400).send({ error: 'invalid body', issues: body.error.issues });
      this.mechanism.loadPaper(body.data?.lines);
      for (const f of ['paperOut', 'paperOutMidJob', 'paperNearEnd']) this.#activeFaults.delete(f);
      return { ok: true, state: this.state() };
    });
  }
}

export const printerEmulatorFactory = (ctx: EmulatorContext): DeviceEmulator =>
  new PrinterEmulator({
    runDir: ctx.runDir,
    ...(ctx.printerEscT ? { escT: ctx.printerEscT } : {}),
    ...(ctx.printerDotWidth ? { dotWidth: ctx.printerDotWidth } : {}),
  });
