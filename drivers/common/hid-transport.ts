/**
 * The HID seam: drivers see whole input reports and a link state, and write output reports.
 * Two implementations feed the same parsers: `NodeHidTransport` (real USB devices through
 * node-hid / hidapi) and `HidSocketTransport` (the simulators' Unix socket, in
 * ./hid-socket-transport.ts). A report is exactly what hidapi returns: for devices that number
 * their reports, byte 0 is the report ID; for devices without report IDs (MagTek), the payload.
 */
import { createRequire } from 'node:module';
import type * as NodeHid from 'node-hid';
import { Backoff } from './backoff.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';

export interface HidTransportEvents {
  /** one input report; the receiver owns the buffer and may zero it */
  report: Uint8Array;
  online: Record<string, never>;
  offline: { reason: string };
}

export interface HidTransport extends TypedEmitter<HidTransportEvents> {
  readonly isOpen: boolean;
  /** resolves after the first attempt; keeps retrying with backoff while the device is absent */
  open(): Promise<void>;
  close(): Promise<void>;
  /** one output report, laid out like input reports (report ID first where the device uses IDs) */
  write(report: Uint8Array): Promise<void>;
}

/** How to find the device: a hidraw path (stable through udev rules) or vendor/product id. */
export type HidTarget = { path: string } | { vendorId: number; productId: number };

/** The part of node-hid's `HID` object the transport uses: the library edge tests stand in for. */
export interface HidDeviceHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  removeAllListeners(): unknown;
  write(values: number[] | Buffer): number;
  close(): void;
}

export type HidOpener = (target: HidTarget) => HidDeviceHandle;

export interface NodeHidOptions {
  target: HidTarget;
  /**
   * hidapi wants a report ID as the first byte of every write; devices without numbered
   * reports take 0 there. Set false for such devices and the transport prepends the 0.
   */
  numberedReports: boolean;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** defaults to node-hid; tests inject a fake here */
  openDevice?: HidOpener;
}

const requireCjs = createRequire(import.meta.url);

/** Loads node-hid only when a real device is opened, so simulator-only runs never need the binding. */
export const openWithNodeHid: HidOpener = (target) => {
  const hid = requireCjs('node-hid') as typeof NodeHid;
  return 'path' in target ? new hid.HID(target.path) : new hid.HID(target.vendorId, target.productId);
};

export function describeTarget(target: HidTarget): string {
  if ('path' in target) return target.path;
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return `${hex(target.vendorId)}:${hex(target.productId)}`;
}

export class NodeHidTransport extends TypedEmitter<HidTransportEvents> implements HidTransport {
  #device: HidDeviceHandle | undefined;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #backoff: Backoff;
  readonly #open: HidOpener;

  constructor(private readonly options: NodeHidOptions) {
    super();
    this.#backoff = new Backoff(options.backoffMs ?? 250, options.maxBackoffMs ?? 5_000);
    this.#open = options.openDevice ?? openWithNodeHid;
  }

  get isOpen(): boolean {
    return this.#device !== undefined;
  }

  async open(): Promise<void> {
    this.#closing = false;
    this.#attempt();
  }

  #attempt(): void {
    this.#timer = undefined;
    if (this.#closing) return;
    let device: HidDeviceHandle;
    try {
      device = this.#open(this.options.target);
    } catch (err) {
      this.#lost(`cannot open HID ${describeTarget(this.options.target)}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.#device = device;
    this.#backoff.reset();
    device.on('data', (data: Buffer) => {
      if (this.#device !== device) return;
      // hidapi reuses nothing, but copying keeps ownership simple: the receiver may zero it
      const report = new Uint8Array(data);
      data.fill(0);
      this.emit('report', report);
    });
    device.on('error', (err: unknown) => {
      if (this.#device !== device) return;
      this.#drop(device);
      this.#lost(`HID ${describeTarget(this.options.target)} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.emit('online', {});
  }

  #drop(device: HidDeviceHandle): void {
    if (this.#device === device) this.#device = undefined;
    device.removeAllListeners();
    try {
      device.close();
    } catch {
      /* already gone with the USB device */
    }
  }

  #lost(reason: string): void {
    if (this.#closing) return;
    this.emit('offline', { reason });
    this.#timer = setTimeout(() => this.#attempt(), this.#backoff.take());
  }

  async write(report: Uint8Array): Promise<void> {
    const device = this.#device;
    if (!device) throw new Error(`HID ${describeTarget(this.options.target)} is not open`);
    const bytes = this.options.numberedReports ? Buffer.from(report) : Buffer.concat([Buffer.of(0), report]);
    let written: number;
    try {
      written = device.write(bytes);
    } finally {
      bytes.fill(0);
    }
    if (written < 0) throw new Error(`HID ${describeTarget(this.options.target)}: write failed`);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const device = this.#device;
    if (device) this.#drop(device);
  }
}
