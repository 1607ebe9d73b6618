/**
 * The device end of a simulated HID link: a Unix socket server carrying raw HID reports in
 * length-prefixed frames (drivers/common/hid-frame.ts). Like a USB HID device, it serves one
 * host at a time; a new connection replaces the old one, so a restarted kiosk always gets in.
 * `setUnplugged` makes the socket vanish and come back, as a pulled and replugged USB cable does.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeHidFrame, HidFrameDecoder } from '../../drivers/common/hid-frame.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';

export interface HidSocketServerEvents {
  /** an output report from the host */
  report: Uint8Array;
  /** a host connected (replacing any earlier one): the device starts afresh */
  connected: Record<string, never>;
  disconnected: Record<string, never>;
}

export class HidSocketServer extends TypedEmitter<HidSocketServerEvents> {
  #server: Server | undefined;
  #host: Socket | undefined;
  #unplugged = false;

  constructor(readonly path: string) {
    super();
  }

  get hostConnected(): boolean {
    return this.#host !== undefined;
  }

  async listen(): Promise<void> {
    this.#unplugged = false;
    await this.#bind();
  }

  async #bind(): Promise<void> {
    if (this.#server) return;
    await mkdir(dirname(this.path), { recursive: true });
    await rm(this.path, { force: true }); // a stale socket file from a killed run
    const server = createServer((socket) => this.#accept(socket));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async #unbind(): Promise<void> {
    const host = this.#host;
    this.#host = undefined;
    if (host) {
      host.destroy();
      this.emit('disconnected', {});
    }
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(this.path, { force: true });
  }

  #accept(socket: Socket): void {
    this.#host?.destroy();
    this.#host = socket;
    const decoder = new HidFrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const report of decoder.push(chunk)) this.emit('report', report);
      if (decoder.error) socket.destroy();
    });
    socket.on('error', () => {
      /* the close that follows is what matters */
    });
    socket.once('close', () => {
      decoder.reset();
      if (this.#host !== socket) return;
      this.#host = undefined;
      this.emit('disconnected', {});
    });
    this.emit('connected', {});
  }

  /** sends one input report; false when no host is connected (the report is lost, as on USB) */
  send(report: Uint8Array): boolean {
    const host = this.#host;
    if (!host || host.destroyed) return false;
    const frame = encodeHidFrame(report);
    host.write(frame, () => frame.fill(0));
    return true;
  }

  /**
   * true: drop the host and remove the socket, as a pulled USB cable makes the device vanish;
   * false: the device is back at the same path.
   */
  async setUnplugged(unplugged: boolean): Promise<void> {
    if (unplugged === this.#unplugged) return;
    this.#unplugged = unplugged;
    if (unplugged) await this.#unbind();
    else await this.#bind();
  }

  get unplugged(): boolean {
    return this.#unplugged;
  }

  async close(): Promise<void> {
    this.#unplugged = false;
    await this.#unbind();
  }
}
