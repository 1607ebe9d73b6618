/**
 * ESC/POS receipt printer driver over a byte transport (serial). One exchange at a time: a
 * DLE EOT n request gets exactly one byte back, so requests are serialised and each waits with
 * a timeout. A job is sent in chunks, cut only between commands, with a status poll after each,
 * so paper running out mid-job is caught and the job is reported failed with how far it got,
 * never as printed.
 *
 * Limitation (documented for real hardware): DLE EOT is answered on arrival, so on printers with
 * a large receive buffer the poll after the last chunk may precede the last printed line by the
 * buffer's print time. Chunks are small (256 B by default) to keep that window short.
 */
import { TypedEmitter } from '../../domain/typed-emitter.js';
import type { ByteTransport } from '../common/serial-transport.js';
import type { PrinterStatus, PrintResult, ReceiptPrinter, ReceiptPrinterEvents } from './receipt-printer.js';
import { containsRealtimeCommand, statusRequest } from './escpos-commands.js';
import { commandEnds } from './escpos-decoder.js';
import { foldStatus, isStatusReply, type StatusQuery } from './status-codec.js';
import { withTimeout } from '../../domain/async.js';

export interface EscPosPrinterOptions {
  transport: ByteTransport;
  /** wait for one DLE EOT reply (default 1000 ms) */
  statusTimeoutMs?: number;
  /** wait for one chunk write to drain (default 5000 ms) */
  writeTimeoutMs?: number;
  /** bytes sent between status polls (default 256) */
  chunkBytes?: number;
  /** idle status poll period; 0 (default) polls only around jobs and on refreshStatus() */
  pollIntervalMs?: number;
}

class StatusTimeout extends Error {}

const OFFLINE: PrinterStatus = { link: 'closed', online: false, coverOpen: false, paper: 'ok', error: false };

export class EscPosPrinter extends TypedEmitter<ReceiptPrinterEvents> implements ReceiptPrinter {
  readonly #t: ByteTransport;
  readonly #statusTimeoutMs: number;
  readonly #writeTimeoutMs: number;
  readonly #chunkBytes: number;
  readonly #pollIntervalMs: number;
  #status: PrinterStatus = { ...OFFLINE };
  #lock: Promise<unknown> = Promise.resolve();
  #waiter: ((b: number) => void) | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #closed = true;
  /** after a timeout, a late reply may still come: drop bytes until this time before asking again */
  #quietUntil = 0;

  constructor(options: EscPosPrinterOptions) {
    super();
    this.#t = options.transport;
    this.#statusTimeoutMs = options.statusTimeoutMs ?? 1_000;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 5_000;
    this.#chunkBytes = Math.max(16, options.chunkBytes ?? 256);
    this.#pollIntervalMs = options.pollIntervalMs ?? 0;
  }

  readonly #onData = (chunk: Buffer): void => {
    for (const b of chunk) {
      const w = this.#waiter;
      // bytes nobody asked for (late replies after a timeout, ASB) are dropped
      if (w) {
        this.#waiter = undefined;
        w(b);
      }
    }
  };
  readonly #onOnline = (): void => {
    void this.refreshStatus().catch(() => undefined);
  };
  readonly #onOffline = ({ reason }: { reason: string }): void => this.#setLinkDown(reason);

  async open(): Promise<void> {
    this.#closed = false;
    this.#t.on('data', this.#onData);
    this.#t.on('online', this.#onOnline);
    this.#t.on('offline', this.#onOffline);
    this.#setStatus({ ...this.#status, link: 'connecting' });
    await this.#t.open();
    if (this.#t.isOpen) await this.refreshStatus().catch(() => undefined);
    this.#schedulePoll();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#t.off('data', this.#onData);
    this.#t.off('online', this.#onOnline);
    this.#t.off('offline', this.#onOffline);
    await this.#t.close();
    this.#setStatus({ ...OFFLINE });
  }

  status(): PrinterStatus {
    return { ...this.#status };
  }

  /** polls all four DLE EOT statuses; rejects on timeout or a broken link (status goes offline) */
  refreshStatus(): Promise<PrinterStatus> {
    return this.#exclusive(() => this.#readStatus());
  }

  print(job: Uint8Array): Promise<PrintResult> {
    if (containsRealtimeCommand(job)) {
      return Promise.resolve({ ok: false, failure: 'error', detail: 'job contains a DLE real-time command sequence; refused before sending' });
    }
    return this.#exclusive(async () => {
      const before = await this.#statusOrFailure('before the job');
      if ('failure' in before) return before;
      const blocked = failureOf(before, 'before the job');
      if (blocked) return blocked;
      for (const [at, end] of this.#chunks(job)) {
        try {
          await withTimeout(this.#t.write(job.subarray(at, end)), this.#writeTimeoutMs, (ms) => `write did not finish within ${ms} ms`);
        } catch (err) {
          this.#setLinkDown(message(err));
          return { ok: false, failure: 'offline', detail: `write failed after ${at} of ${job.length} bytes: ${message(err)}` };
        }
        const during = await this.#statusOrFailure(`after ${end} of ${job.length} bytes`);
        if ('failure' in during) return during;
        const failed = failureOf(during, `after ${end} of ${job.length} bytes`);
        if (failed) return failed;
      }
      return { ok: true };
    });
  }

  /** [start, end) pieces of about chunkBytes, cut only between commands (an image is one piece) */
  #chunks(job: Uint8Array): [number, number][] {
    const out: [number, number][] = [];
    let start = 0;
    for (const end of commandEnds(job)) {
      if (end - start >= this.#chunkBytes || end === job.length) {
        out.push([start, end]);
        start = end;
      }
    }
    return out;
  }

  async #statusOrFailure(when: string): Promise<PrinterStatus | Extract<PrintResult, { ok: false }>> {
    try {
      return await this.#readStatus();
    } catch (err) {
      if (err instanceof StatusTimeout) return { ok: false, failure: 'timeout', detail: `no status reply ${when}` };
      return { ok: false, failure: 'offline', detail: `${message(err)} (${when})` };
    }
  }

  async #readStatus(): Promise<PrinterStatus> {
    const printer = await this.#query(1);
    const offline = await this.#query(2);
    const error = await this.#query(3);
    const paper = await this.#query(4);
    const s: PrinterStatus = { link: 'online', ...foldStatus({ printer, offline, error, paper }) };
    this.#setStatus(s);
    return s;
  }

  async #query(n: StatusQuery): Promise<number> {
    if (!this.#t.isOpen) throw new Error('printer port is not open');
    const wait = this.#quietUntil - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const reply = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        this.#quietUntil = Date.now() + 100;
        reject(new StatusTimeout(`no reply to DLE EOT ${n} within ${this.#statusTimeoutMs} ms`));
      }, this.#statusTimeoutMs);
      this.#waiter = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
    });
    // the timer may fire while the request is still being written (a loaded machine): the await
    // below or the catch here handles it, never an unhandled rejection
    reply.catch(() => undefined);
    try {
      await this.#t.write(statusRequest(n));
    } catch (err) {
      this.#waiter = undefined;
      throw err;
    }
    let b: number;
    try {
      b = await reply;
    } catch (err) {
      this.#setLinkDown(message(err));
      throw err;
    }
    if (!isStatusReply(b)) throw new Error(`invalid reply 0x${b.toString(16)} to DLE EOT ${n}`);
    return b;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  #schedulePoll(): void {
    if (this.#pollIntervalMs <= 0 || this.#closed) return;
    this.#pollTimer = setTimeout(() => {
      void this.refreshStatus()
        .catch(() => undefined)
        .finally(() => this.#schedulePoll());
    }, this.#pollIntervalMs);
  }

  #setLinkDown(reason: string): void {
    if (this.#closed) return;
    this.#setStatus({ ...this.#status, link: 'offline', online: false, fault: { code: 'printer.link', message: reason } });
  }

  #setStatus(next: PrinterStatus): void {
    const prev = this.#status;
    this.#status = next;
    const wasUp = prev.link === 'online' && prev.online;
    const isUp = next.link === 'online' && next.online;
    if (isUp && !wasUp) this.emit('online', {});
    if (!isUp && wasUp) this.emit('offline', { reason: next.fault?.message ?? (next.coverOpen ? 'cover open' : 'printer offline') });
    if (JSON.stringify(prev) !== JSON.stringify(next)) this.emit('status', { ...next });
  }
}

/** the reason a status forbids printing, most specific first */
function failureOf(s: PrinterStatus, when: string): Extract<PrintResult, { ok: false }> | undefined {
  if (s.coverOpen) return { ok: false, failure: 'coverOpen', detail: `cover open ${when}` };
  if (s.paper === 'out') return { ok: false, failure: 'paperOut', detail: `paper out ${when}` };
  if (s.error) return { ok: false, failure: 'error', detail: `${s.fault?.message ?? 'printer error'} ${when}` };
  if (!s.online) return { ok: false, failure: 'offline', detail: `printer offline ${when}` };
  return undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
