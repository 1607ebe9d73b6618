/**
 * Palm-vein scanner driver for the PV-HID 1 protocol over any HidTransport. One capture at a
 * time: START_CAPTURE, guidance events while the customer positions the hand, then CAPTURE_OK
 * and the template in 59-byte chunks, accepted only if all arrive in order within the chunk
 * window and the CRC-32 matches. The template goes to the caller, who zeroes it after the bank
 * call; every other copy (reports, partial templates) is zeroed here. Nothing is logged.
 */
import { HidLinkDriver } from '../common/hid-link-driver.js';
import type { HidTransport } from '../common/hid-transport.js';
import type { DeviceStatusBase } from '../common/device.js';
import { crc32 } from './crc32.js';
import type { PalmCaptureResult, PalmGuidance, PalmScanner, PalmScannerEvents } from './palm-scanner.js';
import {
  CaptureMode,
  Command,
  DeviceState,
  decodeDeviceReport,
  encodeCommand,
  PV_CHUNK_DATA,
  PvError,
  startCapturePayload,
  type CaptureOk,
  type DeviceInfo,
  type DeviceMessage,
  type DeviceStatusReply,
} from './pv-hid-codec.js';

export interface PvHidScannerOptions {
  transport: HidTransport;
  /** how long the device has to answer a command */
  replyTimeoutMs?: number;
  /** all chunks must arrive within this window after CAPTURE_OK (protocol: 2 s) */
  chunkWindowMs?: number;
  /** the device ends a capture by itself; this much past its timeout the host gives up on it */
  deviceGraceMs?: number;
  /** liveness check requested from the device (default true) */
  livenessRequired?: boolean;
}

const ERROR_NAMES: Record<number, string> = {
  [PvError.badCommand]: 'bad command',
  [PvError.badParameter]: 'bad parameter',
  [PvError.busy]: 'busy',
  [PvError.notCapturing]: 'not capturing',
  [PvError.sensorFault]: 'sensor fault',
  [PvError.illuminationFault]: 'illumination fault',
  [PvError.extractionFailed]: 'template extraction failed',
  [PvError.internal]: 'internal error',
};

type Reply = Extract<DeviceMessage, { tag: number }>;

interface PendingReply {
  resolve(reply: Reply | undefined): void;
  timer: NodeJS.Timeout;
}

interface Assembly {
  capture: CaptureOk;
  buffer: Uint8Array;
  nextSeq: number;
  filled: number;
  timer: NodeJS.Timeout;
}

interface CaptureRun {
  onMessage(m: DeviceMessage): void;
  finish(result: PalmCaptureResult): void;
}

/** Device timeout in whole seconds, as START_CAPTURE takes it (1..60; 0 would mean 20). */
export function deviceTimeoutSeconds(timeoutMs: number): number {
  return Math.min(60, Math.max(1, Math.ceil(timeoutMs / 1000)));
}

export class PvHidPalmScanner extends HidLinkDriver<PalmScannerEvents> implements PalmScanner {
  #tag = 0;
  readonly #pending = new Map<number, PendingReply>();
  #run: CaptureRun | undefined;

  constructor(private readonly options: PvHidScannerOptions) {
    super(options.transport);
  }

  protected override linkLost(reason: string): void {
    this.#run?.finish({ kind: 'error', message: `palm scanner offline: ${reason}` });
  }

  protected override closing(): void {
    this.#run?.finish({ kind: 'cancelled' });
    for (const [tag, p] of this.#pending) {
      clearTimeout(p.timer);
      p.resolve(undefined);
      this.#pending.delete(tag);
    }
  }

  status(): DeviceStatusBase {
    return { link: this.link };
  }

  /** GET_INFO: firmware, serial, maximum template length (for the technician's device test). */
  async info(): Promise<DeviceInfo> {
    const reply = await this.#request(Command.getInfo);
    if (reply?.kind !== 'info') throw new Error(this.#describeFailure('GET_INFO', reply));
    return reply.info;
  }

  /** GET_STATUS: the device's own view (state, last event and error, distance). */
  async deviceStatus(): Promise<DeviceStatusReply> {
    const reply = await this.#request(Command.getStatus);
    if (reply?.kind !== 'status') throw new Error(this.#describeFailure('GET_STATUS', reply));
    return reply.status;
  }

  /**
   * Presence from GET_STATUS: an idle device with a non-zero distance has something over the
   * sensor. Nothing is captured; the template exists only after START_CAPTURE.
   */
  async handPresent(): Promise<boolean> {
    if (this.#run) return false;
    const status = await this.deviceStatus();
    return status.state === DeviceState.idle && status.distanceMm > 0;
  }

  #describeFailure(what: string, reply: Reply | undefined): string {
    if (!reply) return `palm scanner did not answer ${what}`;
    if (reply.kind === 'nak') return `palm scanner refused ${what}: ${ERROR_NAMES[reply.error] ?? reply.error}`;
    return `palm scanner answered ${what} with ${reply.kind}`;
  }

  #nextTag(): number {
    this.#tag = (this.#tag % 0xff) + 1;
    return this.#tag;
  }

  /** sends a command and waits for the reply with its tag; undefined on timeout or write failure */
  async #request(cmd: number, payload?: Uint8Array): Promise<Reply | undefined> {
    const tag = this.#nextTag();
    const reply = new Promise<Reply | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(tag);
        resolve(undefined);
      }, this.options.replyTimeoutMs ?? 1_000);
      this.#pending.set(tag, { resolve, timer });
    });
    try {
      await this.transport.write(encodeCommand(cmd, tag, payload));
    } catch {
      const p = this.#pending.get(tag);
      if (p) {
        clearTimeout(p.timer);
        this.#pending.delete(tag);
        p.resolve(undefined);
      }
    }
    return reply;
  }

  protected onReport(report: Uint8Array): void {
    try {
      const decoded = decodeDeviceReport(report);
      // a malformed report is dropped; a capture it belonged to fails on its CRC or deadline
      if (!decoded.ok) return;
      const m = decoded.value;
      if ((m.kind === 'ack' || m.kind === 'nak' || m.kind === 'info' || m.kind === 'status') && this.#pending.has(m.tag)) {
        const p = this.#pending.get(m.tag) as PendingReply;
        this.#pending.delete(m.tag);
        clearTimeout(p.timer);
        p.resolve(m);
        return;
      }
      this.#run?.onMessage(m);
    } finally {
      report.fill(0);
    }
  }

  async capture(options: { timeoutMs: number; signal?: AbortSignal }): Promise<PalmCaptureResult> {
    if (this.#run) return { kind: 'error', message: 'a palm capture is already running' };
    if (options.signal?.aborted) return { kind: 'cancelled' };
    if (!this.transport.isOpen) return { kind: 'error', message: 'palm scanner offline' };
    const timeoutS = deviceTimeoutSeconds(options.timeoutMs);

    return new Promise<PalmCaptureResult>((resolve) => {
      let assembly: Assembly | undefined;
      let lastGuidance: PalmGuidance | undefined;
      let cancelling = false;
      let settled = false;
      const watchdog = setTimeout(
        () => {
          void this.#request(Command.cancel);
          run.finish({ kind: 'error', message: 'palm scanner did not end the capture' });
        },
        timeoutS * 1000 + (this.options.deviceGraceMs ?? 2_000),
      );
      const onAbort = (): void => {
        if (cancelling) return;
        cancelling = true;
        void this.#request(Command.cancel).then((reply) => {
          // no CANCELLED event (device idle, or silent): the capture is over for us anyway
          if (reply?.kind !== 'ack') run.finish({ kind: 'cancelled' });
          else setTimeout(() => run.finish({ kind: 'cancelled' }), this.options.replyTimeoutMs ?? 1_000).unref();
        });
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });

      const dropAssembly = (): void => {
        if (!assembly) return;
        clearTimeout(assembly.timer);
        assembly.buffer.fill(0);
        assembly = undefined;
      };
      const guide = (g: PalmGuidance): void => {
        if (g === lastGuidance || cancelling) return;
        lastGuidance = g;
        this.emit('guidance', { guidance: g });
      };
      const transferFailed = (why: string): void => {
        dropAssembly();
        run.finish({ kind: 'error', message: `palm template transfer failed (${why}): scan again` });
      };

      const run: CaptureRun = {
        finish: (result) => {
          if (settled) {
            if (result.kind === 'template') result.template.fill(0);
            return;
          }
          settled = true;
          clearTimeout(watchdog);
          dropAssembly();
          options.signal?.removeEventListener('abort', onAbort);
          if (this.#run === run) this.#run = undefined;
          if (cancelling && result.kind === 'template') {
            result.template.fill(0);
            resolve({ kind: 'cancelled' });
            return;
          }
          resolve(result);
        },
        onMessage: (m) => {
          if (m.kind === 'chunk') {
            if (!assembly) return; // stray chunk of an abandoned transfer
            const a = assembly;
            if (m.captureId !== a.capture.captureId) return transferFailed('capture id');
            if (m.seq !== a.nextSeq) return transferFailed('sequence');
            const last = a.nextSeq === a.capture.chunkCount - 1;
            const expected = last ? a.capture.totalLength - a.filled : PV_CHUNK_DATA;
            if (m.data.length !== expected) return transferFailed('chunk length');
            a.buffer.set(m.data, a.filled);
            a.filled += m.data.length;
            a.nextSeq++;
            if (!last) return;
            if (crc32(a.buffer) !== a.capture.crc) return transferFailed('CRC');
            clearTimeout(a.timer);
            const template = a.buffer;
            assembly = undefined;
            run.finish({ kind: 'template', template });
            return;
          }
          if (m.kind !== 'event') return;
          switch (m.event) {
            case 'presentPalm':
            case 'handNotPresent':
              return guide('placeHand');
            case 'tooFar':
              return guide('moveCloser');
            case 'tooClose':
              return guide('moveAway');
            case 'move':
              return guide('holdStill');
            case 'capturing':
              return guide('processing');
            case 'captureOk':
              dropAssembly();
              assembly = {
                capture: m.capture,
                buffer: new Uint8Array(m.capture.totalLength),
                nextSeq: 0,
                filled: 0,
                timer: setTimeout(() => transferFailed('chunks late'), this.options.chunkWindowMs ?? 2_000),
              };
              return;
            case 'livenessFail':
              return run.finish({ kind: 'liveness' });
            case 'timeout':
              return run.finish({ kind: 'timeout' });
            case 'cancelled':
              return run.finish({ kind: 'cancelled' });
            case 'error':
              return run.finish({ kind: 'error', message: `palm scanner: ${ERROR_NAMES[m.code] ?? m.code}` });
          }
        },
      };
      this.#run = run;

      void this.#request(Command.startCapture, startCapturePayload(CaptureMode.identify, timeoutS, this.options.livenessRequired ?? true)).then(
        (reply) => {
          if (reply?.kind === 'ack') return;
          run.finish({ kind: 'error', message: this.#describeFailure('START_CAPTURE', reply) });
        },
      );
    });
  }
}
