/**
 * HID reports over a local Unix socket: how the kiosk talks to the simulated card reader, palm
 * scanner and cabinet board. The device end (the emulator) listens; this end connects and, like
 * the serial transport, reconnects with backoff when the socket goes away.
 */
import { createConnection, type Socket } from 'node:net';
import { Backoff } from './backoff.js';
import { encodeHidFrame, HidFrameDecoder } from './hid-frame.js';
import type { HidTransport, HidTransportEvents } from './hid-transport.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';

export interface HidSocketOptions {
  path: string;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** how long one connect attempt may take */
  connectTimeoutMs?: number;
}

export class HidSocketTransport extends TypedEmitter<HidTransportEvents> implements HidTransport {
  #socket: Socket | undefined;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #backoff: Backoff;
  readonly #decoder = new HidFrameDecoder();

  constructor(private readonly options: HidSocketOptions) {
    super();
    this.#backoff = new Backoff(options.backoffMs ?? 250, options.maxBackoffMs ?? 5_000);
  }

  get isOpen(): boolean {
    return this.#socket !== undefined;
  }

  /** Resolves once the first attempt finished (connected or not); retries in the background. */
  async open(): Promise<void> {
    this.#closing = false;
    await this.#attempt();
  }

  #attempt(): Promise<void> {
    this.#timer = undefined;
    if (this.#closing) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const socket = createConnection({ path: this.options.path });
      const timeout = setTimeout(() => socket.destroy(new Error('connect timed out')), this.options.connectTimeoutMs ?? 2_000);
      let connected = false;
      socket.once('connect', () => {
        clearTimeout(timeout);
        if (this.#closing) {
          socket.destroy();
          return resolve();
        }
        connected = true;
        this.#socket = socket;
        this.#decoder.reset();
        this.#backoff.reset();
        this.emit('online', {});
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        const reports = this.#decoder.push(chunk);
        chunk.fill(0);
        for (const report of reports) this.emit('report', report);
        if (this.#decoder.error) socket.destroy(new Error(this.#decoder.error));
      });
      let failure = 'socket closed';
      socket.on('error', (err) => {
        failure = err.message;
      });
      socket.once('close', () => {
        clearTimeout(timeout);
        if (this.#socket === socket) this.#socket = undefined;
        this.#decoder.reset();
        if (!connected) resolve();
        this.#lost(connected ? `HID socket ${this.options.path}: ${failure}` : `cannot connect ${this.options.path}: ${failure}`);
      });
    });
  }

  #lost(reason: string): void {
    if (this.#closing) return;
    this.emit('offline', { reason });
    this.#timer = setTimeout(() => void this.#attempt(), this.#backoff.take());
  }

  async write(report: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket) throw new Error(`HID socket ${this.options.path} is not connected`);
    const frame = encodeHidFrame(report);
    await new Promise<void>((resolve, reject) => socket.write(frame, (err) => (err ? reject(err) : resolve())));
    frame.fill(0);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
}
