/**
 * The emulator's end of a simulated serial line: a socat pty pair (./pty-pair.ts) whose device
 * end the kiosk opens, and whose emulator end is opened here with the real serialport stack.
 * Every serial emulator opens and closes its line the same way; what it says on it is its own.
 */
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { Endpoint } from '../devices/emulator.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';

/** Where a serial emulator's line lives: both pty links in the run folder. */
export interface SerialLinePlacement {
  runDir: string;
  baudRate?: number;
  /** file names in runDir; each device has its own defaults */
  devicePathName?: string;
  emulatorPathName?: string;
}

export type SerialLineDefaults = Required<Omit<SerialLinePlacement, 'runDir'>>;

export class PtySerialLine {
  #pty: PtyPair | undefined;
  #port: SerialPort | undefined;

  constructor(
    /** the end the kiosk opens */
    readonly devicePath: string,
    /** the end the emulator opens */
    readonly emulatorPath: string,
    readonly baudRate: number,
  ) {}

  static inRunDir(placement: SerialLinePlacement, defaults: SerialLineDefaults): PtySerialLine {
    return new PtySerialLine(
      join(placement.runDir, placement.devicePathName ?? defaults.devicePathName),
      join(placement.runDir, placement.emulatorPathName ?? defaults.emulatorPathName),
      placement.baudRate ?? defaults.baudRate,
    );
  }

  /** what the kiosk opens, for GET /devices */
  get endpoint(): Endpoint {
    return { type: 'serial', path: this.devicePath, baudRate: this.baudRate };
  }

  /** the emulator's open port; undefined before open() and from the moment close() starts */
  get port(): SerialPort | undefined {
    return this.#port;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  /** Makes the pty pair and opens the emulator's end; `onData` gets every chunk the host sends. */
  async open(onData: (chunk: Buffer, port: SerialPort) => void): Promise<void> {
    this.#pty = await openPtyPair(this.devicePath, this.emulatorPath);
    const port = new SerialPort({ path: this.emulatorPath, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => onData(chunk, port));
    // an emulator has no one to report a port error to: the host sees it as silence
    port.on('error', () => undefined);
    this.#port = port;
  }

  /**
   * Drops the port first, so nothing more goes out; waits for `settle` (the emulator's replies
   * still in flight), then closes the port and the pty pair.
   */
  async close(settle?: () => Promise<void>): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    await settle?.();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.#pty?.close();
    this.#pty = undefined;
  }

  /** Writes and waits until the bytes have left; nothing happens when the port is not open. */
  async write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.write(Buffer.from(bytes), () => port.drain(() => resolve())));
  }
}
