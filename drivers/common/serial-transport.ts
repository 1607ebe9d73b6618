/**
 * A serial line that survives unplug/replug: opens the port, reports online/offline, and
 * reopens with exponential backoff. Drivers see a byte stream and a link state, nothing else.
 */
import { SerialPort } from 'serialport';
import { TypedEmitter } from '../../domain/typed-emitter.js';

export interface SerialOptions {
  path: string;
  baudRate: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** first reconnect delay; doubles up to maxBackoffMs */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface ByteTransportEvents {
  data: Buffer;
  online: Record<string, never>;
  offline: { reason: string };
}

/** The seam drivers depend on, so tests and other links (TCP, HID bridges) can stand in. */
export interface ByteTransport extends TypedEmitter<ByteTransportEvents> {
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
}

export class SerialTransport extends TypedEmitter<ByteTransportEvents> implements ByteTransport {
  #port: SerialPort | undefined;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  #backoff: number;

  constructor(private readonly options: SerialOptions) {
    super();
    this.#backoff = options.backoffMs ?? 250;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  /** Resolves once the first attempt finished; keeps retrying in the background if it failed. */
  async open(): Promise<void> {
    this.#closing = false;
    await this.#attempt();
  }

  async #attempt(): Promise<void> {
    const o = this.options;
    const port = new SerialPort({
      path: o.path,
      baudRate: o.baudRate,
      dataBits: o.dataBits ?? 8,
      parity: o.parity ?? 'none',
      stopBits: o.stopBits ?? 1,
      autoOpen: false,
    });
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      this.#scheduleReopen(err instanceof Error ? err.message : String(err));
      return;
    }
    this.#port = port;
    this.#backoff = o.backoffMs ?? 250;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('error', () => {
      /* a close follows; handled there */
    });
    port.on('close', () => {
      if (this.#port === port) this.#port = undefined;
      if (!this.#closing) this.#scheduleReopen('port closed');
    });
    this.emit('online', {});
  }

  #scheduleReopen(reason: string): void {
    if (this.#closing) return;
    this.emit('offline', { reason });
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, this.options.maxBackoffMs ?? 5_000);
    this.#timer = setTimeout(() => void this.#attempt(), delay);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) throw new Error(`serial port ${this.options.path} is not open`);
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    const port = this.#port;
    this.#port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
