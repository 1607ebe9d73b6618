/**
 * Shared by the technician's device tools: the device settings come from the kiosk's own
 * configuration (kiosk/config: KIOSK_CONFIG, config/kiosk.json, KIOSK_* variables), a --port
 * option overrides the path, and every wait has a timeout that ends in a clear message.
 */
import { existsSync } from 'node:fs';
import { loadConfig, type KioskConfig } from '../kiosk/config/index.js';
import { HidSocketTransport } from '../drivers/common/hid-socket-transport.js';
import { NodeHidTransport, type HidTransport } from '../drivers/common/hid-transport.js';
import type { TimeoutMessage } from '../domain/async.js';

export type HidKind = 'cardReader' | 'palm' | 'cabinet';

/** the MagTek reader has no report IDs; PV-HID 1 and CAB-HID 1 number theirs (drivers/common/hid-transport.md) */
const NUMBERED_REPORTS: Record<HidKind, boolean> = { cardReader: false, palm: true, cabinet: true };

let loaded: KioskConfig | undefined;
export function kioskConfig(): KioskConfig {
  loaded ??= loadConfig();
  return loaded;
}

export function deviceConfig(): KioskConfig['devices'] {
  return kioskConfig().devices;
}

/** seconds from --timeout (default `fallback`), as milliseconds */
export function timeoutMs(value: string | undefined, fallback: number): number {
  const s = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(s) || s <= 0 || s > 3600) throw new Error(`--timeout must be a number of seconds 1-3600 (got "${value}")`);
  return Math.round(s * 1000);
}

/** The HID transport the config names for this device; `port` overrides its path. */
export function hidTransport(kind: HidKind, port?: string): { transport: HidTransport; where: string } {
  const d = deviceConfig()[kind];
  const path = port ?? d.path;
  if (d.transport === 'socket') {
    if (!path) throw new Error(`devices.${kind}: no socket path configured`);
    if (!existsSync(path)) throw new Error(`${kind} not found: no socket at ${path} (is the device simulator running, or is the config's devices.${kind} right?)`);
    return { transport: new HidSocketTransport({ path, connectTimeoutMs: 2_000 }), where: path };
  }
  if (path) {
    if (!existsSync(path)) throw new Error(`${kind} not found: no HID device at ${path} (check the cable and the udev rules)`);
    return { transport: new NodeHidTransport({ target: { path }, numberedReports: NUMBERED_REPORTS[kind] }), where: path };
  }
  if (d.vendorId === undefined || d.productId === undefined) throw new Error(`devices.${kind}: hid needs a path or both vendorId and productId`);
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return { transport: new NodeHidTransport({ target: { vendorId: d.vendorId, productId: d.productId }, numberedReports: NUMBERED_REPORTS[kind] }), where: `USB ${hex(d.vendorId)}:${hex(d.productId)}` };
}

/** Resolves when isOnline() holds; rejects with `what` and a hint after `ms`. */
export function waitFor(isOnline: () => boolean, what: string, ms: number): Promise<void> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const tick = (): void => {
      if (isOnline()) return res();
      if (Date.now() - started > ms) return rej(new Error(`${what} did not answer within ${ms / 1000} s (check the port, cable and power)`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

/** a technician's timeout message for `withTimeout`: "<what> within N s" */
export const withinSeconds = (what: string): TimeoutMessage => (ms) => `${what} within ${ms / 1000} s`;

/** Resolves on Ctrl-C / SIGTERM, so a waiting tool still closes its device. */
export function untilSignal(): { promise: Promise<'signal'>; dispose: () => void } {
  let onSignal: () => void = () => undefined;
  const promise = new Promise<'signal'>((r) => (onSignal = () => r('signal')));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
