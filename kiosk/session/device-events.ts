/**
 * Driver events -> session machine events. Card data is reduced to the masked PAN and the PAN
 * token here, at the edge; device health is summarised for the operations menu.
 */
import type { Devices } from '../bridge/schema.js';
import type { DeviceStatusBase } from '../../drivers/common/device.js';
import type { SessionDevices } from './ports.js';
import type { SessionEvent } from './types.js';
import type { RejectReason } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { PalmGuidance } from '../../drivers/palm/palm-scanner.js';

type Health = Devices['cashAcceptor'];

export function healthOf(status: DeviceStatusBase | undefined): Health {
  if (!status) return 'absent';
  if (status.link !== 'online') return 'offline';
  return status.fault ? 'degraded' : 'ok';
}

export function devicesHealth(devices: SessionDevices): Omit<Devices, 'bank'> {
  const acceptor = devices.cashAcceptor?.status();
  const acceptorBroken = acceptor && ['jammed', 'cassetteFull', 'cassetteRemoved', 'failure'].includes(acceptor.state);
  const printer = devices.printer?.status();
  const printerBroken = printer && (printer.paper === 'out' || printer.coverOpen || printer.error);
  return {
    cashAcceptor: acceptorBroken ? 'offline' : healthOf(acceptor),
    dispenser: healthOf(devices.dispenser?.status()),
    printer: printerBroken ? 'offline' : healthOf(printer),
    cardReader: healthOf(devices.cardReader?.status()),
    palm: healthOf(devices.palm?.status()),
  };
}

type DeviceName = keyof Omit<Devices, 'bank'>;
const good = (h: Health): boolean => h === 'ok' || h === 'degraded';

/**
 * subscribes to every device; returns the unsubscribe. A device coming back is reported at once;
 * one going away only once it stayed away for `flapMs`, so a missed poll on a busy line does not
 * take operations off the menu in the middle of a customer's choice.
 */
export function connectDevices(devices: SessionDevices, send: (e: SessionEvent) => void, options: { flapMs?: number; health?: boolean } = {}): () => void {
  const flapMs = options.flapMs ?? 3_000;
  const reportHealth = options.health ?? true;
  const offs: Array<() => void> = [];
  const reported: Partial<Record<DeviceName, Health>> = {};
  const timers = new Map<DeviceName, NodeJS.Timeout>();
  const health = (): void => {
    if (!reportHealth) return;
    const now = devicesHealth(devices);
    const out: Partial<Devices> = {};
    for (const name of Object.keys(now) as DeviceName[]) {
      const h = now[name];
      const was = reported[name];
      if (h === was) {
        clearTimeout(timers.get(name));
        timers.delete(name);
        continue;
      }
      if (was === undefined || good(h)) {
        clearTimeout(timers.get(name));
        timers.delete(name);
        reported[name] = h;
        out[name] = h;
      } else if (!timers.has(name)) {
        const timer = setTimeout(() => {
          timers.delete(name);
          const still = devicesHealth(devices)[name];
          if (still !== reported[name]) {
            reported[name] = still;
            send({ type: 'device.health', devices: { [name]: still } });
          }
        }, flapMs);
        timer.unref?.();
        timers.set(name, timer);
      }
    }
    if (Object.keys(out).length > 0) send({ type: 'device.health', devices: out });
  };
  offs.push(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });

  const a = devices.cashAcceptor;
  if (a) {
    const onEscrow = (p: { denomination: number }) => send({ type: 'device.noteEscrow', denomination: p.denomination });
    const onStacked = (p: { denomination: number }) => send({ type: 'device.noteStacked', denomination: p.denomination });
    const onReturned = (p: { denomination: number }) => send({ type: 'device.noteReturned', denomination: p.denomination });
    const onRejected = (p: { reason: RejectReason }) =>
      send({ type: 'device.noteRejected', reason: p.reason });
    const onFailure = (p: { code: string }) => {
      send({ type: 'device.acceptorFailure', code: p.code });
      health();
    };
    const onJam = () => {
      send({ type: 'device.acceptorFailure', code: 'jammed' });
      health();
    };
    a.on('escrow', onEscrow).on('stacked', onStacked).on('returned', onReturned).on('rejected', onRejected);
    a.on('failure', onFailure).on('jammed', onJam).on('cassetteFull', onJam).on('cassetteRemoved', onJam);
    a.on('online', health).on('offline', health);
    offs.push(() => {
      a.off('escrow', onEscrow).off('stacked', onStacked).off('returned', onReturned).off('rejected', onRejected);
      a.off('failure', onFailure).off('jammed', onJam).off('cassetteFull', onJam).off('cassetteRemoved', onJam);
      a.off('online', health).off('offline', health);
    });
  }

  const d = devices.dispenser;
  if (d) {
    const onTaken = () => send({ type: 'device.cashTaken' });
    d.on('taken', onTaken).on('online', health).on('offline', health).on('failure', health);
    offs.push(() => d.off('taken', onTaken).off('online', health).off('offline', health).off('failure', health));
  }

  const r = devices.cardReader;
  if (r) {
    const onInserted = (p: { card: { maskedPan: string; panToken: string } } | { error: 'badLrc' | 'unreadable' | 'notBankCard' | 'expired' }) => {
      if ('card' in p) send({ type: 'device.cardInserted', card: { maskedPan: p.card.maskedPan, panToken: p.card.panToken } });
      else send({ type: 'device.cardReadError', error: p.error });
    };
    const onRemoved = () => send({ type: 'device.cardRemoved' });
    r.on('cardInserted', onInserted).on('cardRemoved', onRemoved).on('online', health).on('offline', health);
    offs.push(() => r.off('cardInserted', onInserted).off('cardRemoved', onRemoved).off('online', health).off('offline', health));
  }

  const p = devices.printer;
  if (p) {
    p.on('status', health).on('online', health).on('offline', health);
    offs.push(() => p.off('status', health).off('online', health).off('offline', health));
  }

  const palm = devices.palm;
  if (palm) {
    const onGuidance = (g: { guidance: PalmGuidance }) => send({ type: 'device.palmGuidance', guidance: g.guidance });
    palm.on('guidance', onGuidance).on('online', health).on('offline', health);
    offs.push(() => palm.off('guidance', onGuidance).off('online', health).off('offline', health));
  }

  health();
  return () => offs.forEach((off) => off());
}
