/**
 * The customer session wired to the real world: SQLite store, bank client, sync worker, drivers
 * over the configured ports, start-up reconciliation, then the session machine. What the core
 * gets back is a SessionHost it can serve over the bridge and stop.
 */
import { KZT_BANKNOTES_TIYN, tenge } from '../../domain/money.js';
import type { CoreContext, StoppableSessionHost } from '../core.js';
import { createBankClient } from '../bank/client.js';
import { openKioskStore } from '../store/store.js';
import { SyncWorker } from '../sync/sync-worker.js';
import { defaultTimeouts, systemClock, type SessionConfig, type SessionPorts } from '../session/ports.js';
import { startSession } from '../session/start-session.js';
import { serviceMode } from '../service-mode/service-mode.js';
import { ServiceDirectory } from '../service-mode/service-directory.js';
import { isProduction } from '../config/startup-checks.js';
import { buildDevices } from './devices.js';
import { DeviceSupervisor } from '../devices/supervisor.js';
import { reconcileAtStartup } from '../recovery/reconcile.js';
import { cassettePlanner } from './planner.js';
import { receiptDelivery, receiptText } from './receipts.js';
import { settleLostReceipts } from '../recovery/lost-receipts.js';
import { testReceiptToEscPos } from '../receipt/test-receipt.js';
import { StoreAdapter } from './store-adapter.js';
import { StartingHost } from './starting-host.js';
import { watchBank } from './bank-health.js';
import { IDENTIFICATION_METHODS } from '../config/schema.js';
import { IntentSettler } from './intent-settler.js';
import { sessionNoteView } from './session-note-view.js';
import { flowContext } from '../session/flow-view.js';
import { startFleet } from '../fleet/fleet.js';
import { packageVersion } from '../core.js';
import { join } from 'node:path';
import { configView } from '../service-mode/config-view.js';
import { outOfServiceState } from '../service-mode/out-of-service.js';


export function sessionConfigFrom(config: CoreContext['config'], cassettes: readonly number[]): SessionConfig {
  const t = config.timeouts;
  const step = cassettes.reduce((g, d) => gcd(g, d), 0) || tenge(1000);
  return {
    terminalId: config.terminalId,
    localeDefault: config.locale,
    // the configured subset, always in the start screen's order
    identificationMethods: IDENTIFICATION_METHODS.filter((m) => config.identification.methods.includes(m)),
    timeouts: {
      ...defaultTimeouts, inactivityMs: t.inactivityMs, moreTimeMs: t.moreTimeMs, takeCashMs: t.cashTakeMs, approvalMs: t.approvalMs,
      cashInBankWaitMs: t.cashInBankWaitMs, noteSettleMs: t.noteSettleMs, goodbyeMs: t.goodbyeMs,
    },
    offlineCaps: { perPayment: config.offline.perPaymentTiyn, total: config.offline.totalTiyn },
    acceptedDenominations: [...KZT_BANKNOTES_TIYN],
    withdrawal: {
      presets: [10_000, 20_000, 50_000, 100_000].map(tenge).filter((a) => a % step === 0),
      multipleOf: step,
      max: tenge(500_000),
    },
    otpLength: 6,
    // SMS receipts go through the outbox (store-and-forward), so every terminal can offer them
    smsReceipts: true,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export interface SessionRuntimeOptions {
  /** how long start-up may hold the web shell back before serving "please wait" (default 8 s) */
  startupWaitMs?: number;
  /** overrides devices.dispenser.cassettesTenge */
  cassetteDenominations?: readonly [number, number];
  /** override the receipt.* config keys */
  bankName?: string;
  address?: string;
}

/**
 * Returns at once with a host showing "please wait"; devices open, reconciliation runs and the
 * session starts behind it, so the web shell is reachable while a slow device is still retrying.
 */
export async function createSessionRuntime(ctx: CoreContext, options: SessionRuntimeOptions = {}): Promise<StoppableSessionHost> {
  const starting = new StartingHost(ctx.config.locale);
  let stopping = false;
  const ready = startRuntime(ctx, options).then(
    (host) => {
      if (stopping) return Promise.resolve(host.stop()).then(() => undefined);
      starting.attach(host);
      return host;
    },
    (err: unknown) => {
      // one line that says why: a corrupt database or a full disk is found here, before any device takes cash
      ctx.logger.error({ err }, `session runtime failed to start; the terminal is out of service: ${err instanceof Error ? err.message : String(err)}`);
      starting.fail();
      return undefined;
    },
  );
  // a terminal whose devices answer is ready before the web shell opens; one still waiting on a
  // device opens anyway after a bounded wait and shows "please wait" until the session is up
  let waited: NodeJS.Timeout | undefined;
  await Promise.race([ready, new Promise((r) => (waited = setTimeout(r, options.startupWaitMs ?? 8_000)))]);
  clearTimeout(waited);
  return {
    snapshot: () => starting.snapshot(),
    subscribe: (l) => starting.subscribe(l),
    dispatch: (i) => starting.dispatch(i),
    async stop() {
      stopping = true;
      // a start-up still opening devices is not waited for: it stops itself once it gets there
      let timer: NodeJS.Timeout | undefined;
      const host = await Promise.race([ready, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 3_000)))]);
      clearTimeout(timer);
      await host?.stop();
    },
  };
}

async function startRuntime(ctx: CoreContext, options: SessionRuntimeOptions): Promise<StoppableSessionHost & { stop(): Promise<void> }> {
  const { config, logger } = ctx;
  const kstore = openKioskStore({ dataDir: config.dataDir, terminalId: config.terminalId, minFreeBytes: config.storage.minFreeMb * 1024 * 1024 });
  const client = createBankClient({ ...config.bank, terminalId: config.terminalId });
  // the session's view of the bank follows its own calls; the host is attached further down
  let tellSession: (online: boolean) => void = () => undefined;
  const watched = watchBank(client, (online) => tellSession(online));
  const bank = watched.bank;
  const devices = buildDevices(config, options.cassetteDenominations ? { cassetteDenominations: options.cassetteDenominations } : {});
  const opened = await devices.openAll();
  for (const [kind, outcome] of Object.entries(opened)) {
    if (!outcome.ok) logger.warn({ device: kind, error: outcome.error }, 'device did not open; it keeps retrying');
  }

  const sync = new SyncWorker({ db: kstore.db, deliver: (batch) => client.postMessages(config.terminalId, batch), registry: ctx.metrics.registry });

  // before any customer: settle what a crash left in flight (money invariant 3)
  const report = await reconcileAtStartup({ store: kstore.money, acceptor: devices.cashAcceptor, dispenser: devices.dispenser });
  logger.info({ recovery: report }, 'start-up reconciliation done');

  // the card prompt describes the configured reader: the driver knows whether it is motorised
  const sessionConfig = { ...sessionConfigFrom(config, devices.cassetteDenominations), cardReader: devices.cardReader.status().motorised ? ('motorised' as const) : ('swipe' as const) };
  const planner = cassettePlanner(kstore.db, devices.dispenser, devices.cassetteDenominations);
  const site = {
    bankName: options.bankName ?? config.receipt.bankName,
    terminalId: config.terminalId,
    address: options.address ?? config.receipt.address,
    ...(config.receipt.bankBin ? { bankBin: config.receipt.bankBin } : {}),
    dispenserPresenter: config.devices.dispenser.presenter,
    printer: {
      codePage: { name: config.devices.printer.codePage, escT: config.devices.printer.escT },
      dotWidth: config.devices.printer.dotWidth,
    },
  };
  // a receipt the last run died printing: journaled, listed in service mode, sent by SMS where the phone is known
  // (a failure here costs a receipt, not money: logged, and the rows stay for the next start-up)
  try {
    const lost = settleLostReceipts({ db: kstore.db, store: kstore.money, smsText: (data, locale) => receiptText(data, locale, site) });
    for (const r of lost) logger.warn({ receiptNumber: r.receiptNumber, operation: r.operation, sms: r.smsKey !== undefined }, 'receipt print did not finish before the core stopped: the receipt is lost');
  } catch (err) {
    logger.error({ err }, 'lost receipts could not be settled at start-up');
  }
  sync.start();
  const receipts = receiptDelivery(kstore.money, devices.printer, site, { onEnqueue: () => sync.notify(), locale: config.locale, printLog: { db: kstore.db } });
  // a new outbox message wakes the sync worker instead of waiting for its idle poll
  const store = new StoreAdapter(kstore.money, planner, () => sync.notify());

  const crew = new ServiceDirectory({
    ...(config.service.usersFile ? { file: config.service.usersFile } : {}),
    ...(config.service.usersFromBank ? { fromBank: () => client.serviceUsers() } : {}),
    warn: (message, err) => logger.warn({ err }, message),
  });
  // the fleet's status reporter is started below, once the session runs
  let onServiceLockout: () => void = () => undefined;
  let onOutOfService: (on: boolean) => void = () => undefined;
  // read from the session once it runs: the withdrawal its running flow works on, if any
  let withdrawalHeld: (withdrawalId: string) => boolean = () => false;
  const ports: SessionPorts = {
    bank,
    store,
    devices,
    planner,
    receipts,
    service: serviceMode({
      // the shared code is a development fallback: with a production bank only personal PINs open service mode
      ...(isProduction(config) ? {} : { technicianCode: config.service.technicianCode }),
      users: () => crew.users(),
      refreshUsers: () => crew.refresh(),
      onOutbox: () => sync.notify(),
      withdrawalHeldBySession: (id) => withdrawalHeld(id),
      lockout: { attempts: config.service.lockoutAttempts, minutes: config.service.lockoutMinutes },
      onLockout: (until) => {
        logger.warn({ until: until.toISOString() }, 'service entry locked after repeated wrong PINs');
        onServiceLockout();
      },
      store: kstore.money,
      db: kstore.db,
      devices,
      site,
      locale: config.locale,
      cassetteCapacity: config.devices.dispenser.cassetteCapacity,
      testPrint: async () => {
        const job = testReceiptToEscPos({ terminalId: config.terminalId, printedAt: new Date().toISOString() }, site.printer);
        const r = await devices.printer.print(job);
        return r.ok ? { ok: true } : { ok: false, failure: r.failure };
      },
      deviceTestMs: config.service.deviceTestMs,
      onOutOfService: (on) => {
        logger.warn({ outOfService: on }, on ? 'taken out of service by a technician' : 'put back in service by a technician');
        onOutOfService(on);
      },
      configuration: async () => {
        const acceptor = devices.cashAcceptor.status();
        // the ROM version is the LCDM driver's own command (47); another dispenser has none to ask
        const rom = 'romVersion' in devices.dispenser && typeof devices.dispenser.romVersion === 'function'
          ? await (devices.dispenser.romVersion as () => Promise<string>)().catch(() => undefined)
          : undefined;
        return configView({
          config,
          appVersion: packageVersion(),
          endpoints: { ...devices.endpoints },
          devices: {
            cashAcceptor: { protocol: config.devices.cashAcceptor.protocol, ...(acceptor.model ? { model: acceptor.model } : {}), ...(acceptor.serial ? { serial: acceptor.serial } : {}) },
            dispenser: { model: 'Puloon LCDM-2000', presenter: config.devices.dispenser.presenter, ...(rom ? { rom } : {}) },
            printer: { model: 'ESC/POS receipt printer' },
            cardReader: { model: 'MagTek-style HID swipe reader', motorised: devices.cardReader.status().motorised },
            palm: { model: 'PV-HID 1 palm-vein scanner' },
            cabinet: { model: 'CAB-HID 1 cabinet board' },
          },
        });
      },
      logExport: { ...(config.log.file ? { logFile: config.log.file } : {}), exportDir: config.service.exportDir ?? join(config.dataDir, 'export') },
    }),
    clock: systemClock,
    config: sessionConfig,
  };

  // health comes from the supervisor, which also re-reads statuses (a cleared jam or new paper
  // has no event of its own) and keeps the metrics; it is started once the session listens to it
  const supervisor = new DeviceSupervisor({ devices, registry: ctx.metrics.registry, identificationMethods: sessionConfig.identificationMethods });
  const host = startSession(ports, {
    supervisor,
    onError: (err) => logger.error({ err }, 'session machine failed'),
    onReport: (e) =>
      logger.error({ cashInId: e.cashInId, expected: e.expected, reported: e.reported }, 'the acceptor stacked another note than it held in escrow; the intent is left open for reconciliation'),
  });
  supervisor.start();
  withdrawalHeld = (id) => flowContext<{ withdrawal?: { withdrawalId?: string } }>(host.actor.getSnapshot(), 'withdrawal')?.withdrawal?.withdrawalId === id;
  // a note the session gave up on is settled from the device's word when it comes (invariant 1)
  const settler = new IntentSettler({
    store: kstore.money,
    acceptor: devices.cashAcceptor,
    session: sessionNoteView(() => host.actor.getSnapshot()),
    onQueued: () => sync.notify(),
    onDecision: (decision) => logger.info({ recovery: decision }, 'open stack intent: the acceptor\'s word'),
  }).start();
  const settlerWatch = host.actor.subscribe(() => settler.sessionChanged());
  // the bank's state is the session's own news (its calls and the sync worker's deliveries)
  tellSession = (online) => host.send({ type: 'device.health', devices: { bank: online ? 'online' : 'offline' } });
  const onSwitch = (p: { open: boolean }) => host.send({ type: 'device.serviceSwitch', open: p.open });
  devices.cabinet.on('serviceSwitch', onSwitch);
  const onDelivered = () => host.send({ type: 'device.health', devices: { bank: 'online' } });
  const onFailed = () => host.send({ type: 'device.health', devices: { bank: 'offline' } });
  sync.on('delivered', onDelivered).on('failed', onFailed);
  const fleet = startFleet({ config, version: packageVersion(), logger, registry: ctx.metrics.registry, db: kstore.db, sync, supervisor, devices, snapshot: () => host.snapshot(), subscribe: (l) => host.subscribe(l) });
  onServiceLockout = () => fleet.reporter.changed();
  onOutOfService = (on) => {
    host.send({ type: 'terminal.outOfService', on });
    fleet.reporter.changed();
  };
  // a toggle set before a restart still holds
  if (outOfServiceState(kstore.db).on) host.send({ type: 'terminal.outOfService', on: true });

  return {
    snapshot: () => host.snapshot(),
    subscribe: (l) => host.subscribe(l),
    dispatch: (i) => host.dispatch(i),
    async stop() {
      fleet.stop();
      watched.stop();
      supervisor.stop();
      settlerWatch.unsubscribe();
      await settler.stop();
      devices.cabinet.off('serviceSwitch', onSwitch);
      sync.off('delivered', onDelivered).off('failed', onFailed);
      host.close();
      await sync.stop();
      await devices.closeAll();
      kstore.close();
    },
  };
}
