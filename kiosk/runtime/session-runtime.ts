/**
 * The customer session wired to the real world: SQLite store, bank client, sync worker, drivers
 * over the configured ports, start-up reconciliation, then the session machine. What the core
 * gets back is a SessionHost it can serve over the bridge and stop.
 */
import { randomUUID } from 'node:crypto';
import type { CoreContext, StoppableSessionHost } from '../core.js';
import { createBankClient } from '../bank/client.js';
import { openKioskStore } from '../store/store.js';
import { SyncWorker } from '../sync/sync-worker.js';
import { createSessionActors } from '../session/actors.js';
import { connectDevices } from '../session/device-events.js';
import { createSessionMachine } from '../session/machine.js';
import { defaultTimeouts, systemClock, type SessionConfig, type SessionPorts } from '../session/ports.js';
import { startSessionHost } from '../session/session-host.js';
import { serviceMode } from '../service-mode/service-mode.js';
import { buildDevices, closeDevices, openDevices } from './devices.js';
import { cassettePlanner } from './planner.js';
import { receiptDelivery } from './receipts.js';
import { recoverAtStartup } from './recovery.js';
import { StoreAdapter } from './store-adapter.js';

const TENGE = 100;

export function sessionConfigFrom(config: CoreContext['config'], cassettes: readonly number[]): SessionConfig {
  const t = config.timeouts;
  const step = cassettes.reduce((g, d) => gcd(g, d), 0) || 1000 * TENGE;
  return {
    terminalId: config.terminalId,
    localeDefault: config.locale,
    identificationMethods: ['phone', 'iin', 'card', 'palm', 'qr'],
    timeouts: { ...defaultTimeouts, inactivityMs: t.inactivityMs, moreTimeMs: t.moreTimeMs, takeCashMs: t.cashTakeMs, approvalMs: t.approvalMs },
    offlineCaps: { perPayment: config.offline.perPaymentTiyn, total: config.offline.totalTiyn },
    acceptedDenominations: [200, 500, 1000, 2000, 5000, 10000, 20000].map((n) => n * TENGE),
    withdrawal: {
      presets: [10_000, 20_000, 50_000, 100_000].map((n) => n * TENGE).filter((a) => a % step === 0),
      multipleOf: step,
      max: 500_000 * TENGE,
    },
    otpLength: 6,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export interface SessionRuntimeOptions {
  cassetteDenominations?: readonly [number, number];
  bankName?: string;
  address?: string;
}

export async function createSessionRuntime(ctx: CoreContext, options: SessionRuntimeOptions = {}): Promise<StoppableSessionHost> {
  const { config, logger } = ctx;
  const kstore = openKioskStore({ dataDir: config.dataDir, terminalId: config.terminalId });
  const bank = createBankClient({ ...config.bank, terminalId: config.terminalId });
  const devices = buildDevices(config, options.cassetteDenominations ? { cassetteDenominations: options.cassetteDenominations } : {});
  await openDevices(devices, (what, err) => logger.warn({ device: what, err: err instanceof Error ? err.message : String(err) }, 'device did not open; it keeps retrying'));

  const sync = new SyncWorker({ db: kstore.db, deliver: (batch) => bank.postMessages(config.terminalId, batch) });

  const report = await recoverAtStartup({
    store: kstore.money,
    acceptor: devices.cashAcceptor,
    dispenser: devices.dispenser,
    log: { info: (o, m) => logger.info(o, m), warn: (o, m) => logger.warn(o, m) },
  });
  logger.info({ recovery: report }, 'start-up reconciliation done');
  sync.start();

  const sessionConfig = sessionConfigFrom(config, devices.cassetteDenominations);
  const planner = cassettePlanner(kstore.db, devices.dispenser, devices.cassetteDenominations);
  const site = { bankName: options.bankName ?? 'Bank', terminalId: config.terminalId, address: options.address ?? '' };
  const receipts = receiptDelivery(kstore.money, devices.printer, site);
  // a new outbox message wakes the sync worker instead of waiting for its idle poll
  const store = new StoreAdapter(kstore.money, planner, () => sync.notify());

  const ports: SessionPorts = {
    bank,
    store,
    devices,
    planner,
    receipts,
    service: serviceMode({
      technicianCode: config.service.technicianCode,
      store: kstore.money,
      db: kstore.db,
      devices,
      testPrint: async () => {
        const r = await receipts.print('TEST', config.locale);
        return r.ok ? { ok: true } : { ok: false, failure: r.failure };
      },
    }),
    clock: systemClock,
    config: sessionConfig,
  };

  const machine = createSessionMachine({ config: sessionConfig, now: () => Date.now(), newSessionId: () => randomUUID() }).provide({ actors: createSessionActors(ports) });
  const host = startSessionHost({ machine, config: sessionConfig, clock: systemClock, onError: (err) => logger.error({ err }, 'session machine failed') });
  const disconnect = connectDevices(devices, (e) => host.send(e));
  const onSwitch = (p: { open: boolean }) => host.send({ type: 'device.serviceSwitch', open: p.open });
  devices.cabinet.on('serviceSwitch', onSwitch);
  const onDelivered = () => host.send({ type: 'device.health', devices: { bank: 'online' } });
  const onFailed = () => host.send({ type: 'device.health', devices: { bank: 'offline' } });
  sync.on('delivered', onDelivered).on('failed', onFailed);
  const health = setInterval(() => {
    for (const d of [devices.printer, devices.dispenser]) d.refreshStatus().catch(() => undefined);
  }, 30_000);
  health.unref();

  return {
    snapshot: () => host.snapshot(),
    subscribe: (l) => host.subscribe(l),
    dispatch: (i) => host.dispatch(i),
    async stop() {
      clearInterval(health);
      disconnect();
      devices.cabinet.off('serviceSwitch', onSwitch);
      sync.off('delivered', onDelivered).off('failed', onFailed);
      host.stop();
      await sync.stop();
      await closeDevices(devices);
      kstore.close();
    },
  };
}
