/**
 * The terminal's side of fleet operations, wired to the running core: journal anchoring on its
 * schedule and at service-mode exit, terminal status on change and on a heartbeat, and the fleet
 * metrics. The session runtime starts it once the store, sync worker, devices and session host are
 * up, and stops it before them.
 */
import type { Registry } from 'prom-client';
import type { KioskConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/db.js';
import type { Snapshot } from '../bridge/schema.js';
import type { DeviceSupervisor } from '../devices/supervisor.js';
import type { KioskDevices } from '../runtime/devices.js';
import type { SyncWorker } from '../sync/sync-worker.js';
import { JournalUploader } from './journal-anchor.js';
import { StatusReporter, type StatusSources } from './terminal-status.js';
import { registerFleetMetrics } from './fleet-metrics.js';

export interface FleetDeps {
  config: KioskConfig;
  version: string;
  logger: Logger;
  registry: Registry;
  db: Db;
  sync: SyncWorker;
  supervisor: DeviceSupervisor;
  devices: KioskDevices;
  /** the session host's snapshots (bank reachability, service-mode exit, session outcomes) */
  snapshot(): Snapshot;
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
}

export interface Fleet {
  uploader: JournalUploader;
  reporter: StatusReporter;
  stop(): void;
}

const isService = (screen: string): boolean => screen === 'serviceLogin' || screen === 'serviceMenu';

export function startFleet(deps: FleetDeps): Fleet {
  const { config, logger, sync, supervisor, devices } = deps;
  const sources: StatusSources = {
    db: deps.db,
    version: deps.version,
    health: () => supervisor.health(),
    reasons: () => supervisor.reasons(),
    dispenser: () => devices.dispenser.status(),
    acceptor: () => devices.cashAcceptor.status(),
    printer: () => devices.printer.status(),
    cassetteDenominations: devices.cassetteDenominations,
    cassetteCapacity: config.devices.dispenser.cassetteCapacity,
    cashBoxCapacity: config.fleet.cashBoxCapacity,
    now: () => Date.now(),
  };
  const metrics = registerFleetMetrics(deps.registry, sources);
  const uploader = new JournalUploader({
    db: deps.db,
    terminalId: config.terminalId,
    everyEntries: config.fleet.journalUploadEveryEntries,
    everyMs: config.fleet.journalUploadEveryMinutes * 60_000,
    onQueued: (segments) => {
      logger.info({ segments: segments.map((s) => `${s.from}-${s.to}`) }, 'journal segments queued for anchoring at the bank');
      sync.notify();
    },
    onError: (err) => logger.warn({ err }, 'journal upload could not be queued; trying again at the next check'),
  }).start();
  const reporter = new StatusReporter({
    terminalId: config.terminalId,
    sources,
    heartbeatMs: config.fleet.statusHeartbeatMs,
    minIntervalMs: config.fleet.statusMinIntervalMs,
    onQueued: () => sync.notify(),
    onError: (err) => logger.warn({ err }, 'terminal status could not be queued'),
  });

  const onDeviceChange = (): void => reporter.changed();
  const onOutboxMoved = (): void => reporter.outboxMoved();
  const onDeadLetter = (d: { key: string; reason: string }): void => {
    // a refused segment means the journal here no longer continues what the bank holds
    if (d.reason.startsWith('journal')) logger.error({ key: d.key, reason: d.reason }, 'the bank refused a journal segment');
    reporter.outboxMoved();
  };
  const onRejected = (): void => metrics.noteRejected();
  supervisor.on('change', onDeviceChange);
  supervisor.on('device', onDeviceChange);
  devices.cashAcceptor.on('cassetteFull', onDeviceChange);
  devices.cashAcceptor.on('rejected', onRejected);
  sync.on('delivered', onOutboxMoved).on('deadLetter', onDeadLetter);

  let inService = false;
  const onSnapshot = (snapshot: Snapshot): void => {
    // the metric follows the very signal /healthz shows: the session's view of the bank
    supervisor.setBankOnline(snapshot.devices.bank === 'online');
    metrics.sessionSnapshot(snapshot);
    const now = isService(snapshot.screen);
    // leaving service mode: what the technician did goes to the bank at once
    if (inService && !now) uploader.uploadNow();
    inService = now;
  };
  const unsubscribe = deps.subscribe(onSnapshot);
  onSnapshot(deps.snapshot());
  reporter.start();

  return {
    uploader,
    reporter,
    stop() {
      unsubscribe();
      supervisor.off('change', onDeviceChange);
      supervisor.off('device', onDeviceChange);
      devices.cashAcceptor.off('cassetteFull', onDeviceChange);
      devices.cashAcceptor.off('rejected', onRejected);
      sync.off('delivered', onOutboxMoved).off('deadLetter', onDeadLetter);
      reporter.stop();
      uploader.stop();
    },
  };
}
