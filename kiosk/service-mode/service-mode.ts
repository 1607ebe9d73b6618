/**
 * Service mode for the bank's crews: login with the service switch and a personal id + PIN
 * (service-access.ts), then the menu's actions the person's role allows. Every login attempt and
 * every action is written to the audit trail under the person's id, whatever its
 * outcome - a refusal (a bad count, an unknown receipt) is audited as one; cash-unit changes are
 * journal entries of their own (store). Actions that need input answer first with the form their
 * entry screen needs (`stage`), then, with the typed values in `params`, do the work.
 */
import { ServiceModeView, type Locale } from '../bridge/schema.js';
import type { CashUnitStore, MoneyStore } from '../store/money-store.js';
import type { ServiceModePort } from '../session/ports.js';
import type { KioskDevices } from '../runtime/devices.js';
import type { ReceiptSite } from '../runtime/receipts.js';
import type { Db } from '../store/db.js';
import { checkCounters, readCounters } from '../store/counters.js';
import { verifyJournal } from '../store/journal.js';
import { maskPansIn } from '../store/secrets-guard.js';
import { DEFAULT_CASSETTE_CAPACITY } from '../config/schema.js';
import { collectionParams, localeOf, receiptNumberOf, replenishParams, type RawParams } from './service-params.js';
import { enterNumberView, foundView, printCopy, refusedView, type LookupDeps } from './receipt-lookup.js';
import { collect, collectionPreview } from './cash-collection.js';
import { checkEntries, replenish, replenishForm, type ReplenishDeps } from './cassette-replenishment.js';
import { ACTION_ROLES, mayPerform, permittedActions, ServiceAccess, type ServicePerson } from './service-access.js';
import type { ServiceUser } from './service-users.js';
import { resolutionsOf, resolveDeadLetter } from './dead-letters.js';
import { lostReceiptsView, reprintLostReceipt } from './lost-receipts.js';
import { decideOpenWithdrawal, openWithdrawalsView, type OpenWithdrawalsDeps } from './open-withdrawals.js';
import { testAcceptor, testCardRead, testDispense, testPalm, testPresenter } from './device-tests.js';
import { outOfServiceState, requestedState } from './out-of-service.js';
import { exportLogs } from './log-export.js';
import { printSlip, slipLines } from './dead-letter-slip.js';

export interface ServiceModeDeps {
  /** the development fallback: one shared code (config `service.technicianCode`); leave out in production */
  technicianCode?: string;
  /** the crew as known now (provisioned file and the bank's list) */
  users?: () => readonly ServiceUser[];
  /** wrong PINs in a row that lock entry, and for how long (config `service.lockout`) */
  lockout?: { attempts: number; minutes: number };
  /** a message was queued or put back in the queue: wake the sync worker */
  onOutbox?: () => void;
  /** before each login: re-read the provisioned file, fetch the bank's list */
  refreshUsers?: () => Promise<void>;
  /** the lock was just set: the terminal status tells the bank */
  onLockout?: (until: Date) => void;
  store: MoneyStore & CashUnitStore;
  db: Db;
  devices: KioskDevices;
  testPrint: () => Promise<{ ok: boolean; failure?: string }>;
  /** what receipts and slips say about the bank and terminal (config `receipt.*`, `terminalId`) */
  site?: ReceiptSite;
  /** language of receipts shown or printed when the screen does not say */
  locale?: Locale;
  /** most notes one cassette holds (config `devices.dispenser.cassetteCapacity`) */
  cassetteCapacity?: number;
  /** how long a device test waits for the technician's note, card or palm (config `service.deviceTestMs`) */
  deviceTestMs?: number;
  /** the technician's out-of-service toggle changed: tell the session and the bank */
  onOutOfService?: (on: boolean) => void;
  /** the configuration view (secrets masked, versions, device models): the runtime knows them */
  configuration?: () => Promise<Record<string, unknown>>;
  /** a live customer session works on this withdrawal now (the runtime reads the session); none when left out */
  withdrawalHeldBySession?: (withdrawalId: string) => boolean;
  /** the core's log file (config `log.file`) and where the export writes it (config `service.exportDir`) */
  logExport?: { logFile?: string; exportDir: string };
  now?: () => Date;
}

/** the note a technician feeds the acceptor test when the screen names none: 1 000 tenge */
const TEST_NOTE = 100_000;

/** a view whose `refusal` is set was refused: audited as not done */
const refusalOf = (view: Record<string, unknown>): unknown => view.refusal;

/** the journal holds integers only: a number that is not one is kept as the text that was sent */
// what a person typed is audited as typed, but a card number in it masked: the audit must hold the
// attempt (a refused one too) and may never hold a card number
const auditParams = (params: RawParams): Record<string, string | number> =>
  Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? (Number.isSafeInteger(v) ? v : String(v)) : maskPansIn(v)]));

export function serviceMode(deps: ServiceModeDeps): ServiceModePort {
  const { store, devices } = deps;
  const site: ReceiptSite = deps.site ?? { bankName: 'Bank', terminalId: 'terminal', address: '' };
  const lookupDeps: LookupDeps = { store, printer: devices.printer, site, now: deps.now ?? (() => new Date()) };
  const cashDeps = { store, db: deps.db, printer: devices.printer, site };
  const replenishDeps: ReplenishDeps = { ...cashDeps, denominations: devices.cassetteDenominations, capacity: deps.cassetteCapacity ?? DEFAULT_CASSETTE_CAPACITY };
  const locale: Locale = deps.locale ?? 'ru';
  const now = deps.now ?? (() => new Date());
  const testDeps = { db: deps.db, waitMs: deps.deviceTestMs ?? 30_000, now };
  const openDeps: OpenWithdrawalsDeps = {
    db: deps.db, store, printer: devices.printer, terminalId: site.terminalId, now,
    heldBySession: deps.withdrawalHeldBySession ?? (() => false),
    ...(site.printer?.codePage ? { codePage: site.printer.codePage } : {}),
  };
  const access = new ServiceAccess({
    db: deps.db,
    users: deps.users ?? (() => []),
    ...(deps.technicianCode === undefined ? {} : { sharedCode: deps.technicianCode }),
    lockout: deps.lockout ?? { attempts: 3, minutes: 15 },
    switchOpen: () => devices.cabinet.status().serviceSwitchOpen === true,
    now,
    audit: (who, action, details) => store.recordAudit(who, action, details),
    ...(deps.onLockout ? { onLockout: deps.onLockout } : {}),
  });
  /** who is logged in now; actions from anyone else are refused */
  let active: ServicePerson | undefined;
  return {
    async login(code, userId) {
      active = undefined;
      await deps.refreshUsers?.();
      const outcome = await access.login(code, userId);
      if (!outcome.ok) return { ok: false, reason: outcome.reason, ...(outcome.lockedUntil ? { lockedUntil: outcome.lockedUntil.toISOString() } : {}) };
      active = outcome.person;
      const view = { action: 'login', person: { id: active.id, roles: [...active.roles], ...(active.name ? { name: active.name } : {}) }, permitted: permittedActions(active) };
      return { ok: true, technician: active.id, view };
    },
    async perform(technician, action, params) {
      let view: Record<string, unknown>;
      if (action in ACTION_ROLES && (!active || active.id !== technician || !mayPerform(active, action))) {
        // refused in the core whatever the screen showed
        const refusal = { code: 'notPermitted' as const, ...(active ? { roles: [...active.roles] } : {}) };
        store.recordAudit(technician || 'unknown', action, { params: auditParams(params), ok: false, refusal });
        return { action, denied: true, refusal };
      }
      if (action === 'exit') active = undefined;
      try {
        // every answer crosses the bridge: checked here against the schema the screen reads it with
        view = ServiceModeView.parse(await run(technician, action, params)) as Record<string, unknown>;
      } catch (err) {
        store.recordAudit(technician, action, { params: auditParams(params), ok: false, error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
      const refusal = refusalOf(view);
      // a device test or export that ran but failed is audited as not done, with what the device did
      const ok = refusal === undefined && view.ok !== false;
      const outcome = typeof view.outcome === 'string' ? { outcome: view.outcome } : {};
      store.recordAudit(technician, action, { params: auditParams(params), ok, ...outcome, ...(refusal === undefined ? {} : { refusal }) });
      return view;
    },
  };

  /** queued and refused messages with what was done about each (money is never deleted from it) */
  function undeliveredList(): Array<Record<string, unknown>> {
    const undelivered = store.undelivered();
    const resolved = resolutionsOf(deps.db, undelivered.map((m) => m.key));
    return undelivered.map((m) => ({ ...m, resolutions: resolved.get(m.key) ?? [] }));
  }

  async function run(who: string, action: string, params: RawParams): Promise<Record<string, unknown>> {
    switch (action) {
      case 'diagnostics':
        return {
          action,
          cashAcceptor: devices.cashAcceptor.status(),
          dispenser: devices.dispenser.status(),
          printer: devices.printer.status(),
          cardReader: devices.cardReader.status(),
          palm: devices.palm.status(),
          cabinet: devices.cabinet.status(),
        };
      case 'cashUnits':
        // the counters with the journal's word on them (invariant 4): a crew sees at once if they part
        return { action, counters: readCounters(deps.db), journalAgrees: checkCounters(deps.db).length === 0 };
      case 'collect': {
        const p = collectionParams(params);
        if (!p.ok) return collectionPreview(cashDeps, { code: 'badCount', key: p.key });
        if (!p.confirm) return collectionPreview(cashDeps);
        return collect(cashDeps, who, p.counted, localeOf(params, locale));
      }
      case 'replenish': {
        if (!params || Object.keys(params).every((k) => k === 'locale')) return replenishForm(replenishDeps);
        const p = replenishParams(params);
        if (!p.ok) return replenishForm(replenishDeps, { code: 'badCount', key: p.key });
        const refusal = checkEntries(replenishDeps, p.cassettes);
        if (refusal) return replenishForm(replenishDeps, refusal);
        return replenish(replenishDeps, who, p.cassettes, localeOf(params, locale));
      }
      case 'testPrint':
        return { action, ...(await deps.testPrint()) };
      case 'testAcceptor': {
        const d = params?.denomination;
        return testAcceptor(testDeps, devices.cashAcceptor, typeof d === 'number' && d > 0 ? d : TEST_NOTE);
      }
      case 'testDispense':
        return testDispense(testDeps, devices.dispenser, typeof params?.cassette === 'number' ? params.cassette : 0, devices.cassetteDenominations, who);
      case 'testCardRead':
        return testCardRead(testDeps, devices.cardReader);
      case 'testPalm':
        return testPalm(testDeps, devices.palm);
      case 'testPresenter':
        return testPresenter(devices.dispenser);
      case 'outOfService': {
        const wanted = requestedState(params);
        if (wanted !== undefined && wanted !== outOfServiceState(deps.db).on) {
          store.recordAudit(who, 'outOfService', { on: wanted });
          deps.onOutOfService?.(wanted);
        }
        return { action, ...outOfServiceState(deps.db) };
      }
      case 'configuration':
        return deps.configuration ? await deps.configuration() : { action, config: {} };
      case 'exportLogs':
        return exportLogs({ ...(deps.logExport?.logFile ? { logFile: deps.logExport.logFile } : {}), exportDir: deps.logExport?.exportDir ?? 'export', terminalId: site.terminalId, now: now() });
      case 'printDeadLetter': {
        const key = typeof params?.key === 'string' ? params.key : '';
        const letter = store.undelivered().find((m) => m.key === key && m.state === 'deadLetter');
        if (!letter) return { action, ok: false, key, refusal: { code: 'unknownMessage' }, undelivered: undeliveredList() };
        const lines = slipLines({ terminalId: site.terminalId, letter, resolutions: resolutionsOf(deps.db, [key]).get(key) ?? [], locale: localeOf(params, locale), now: now() });
        const slip = await printSlip(devices.printer, lines, site.printer?.codePage);
        return { action, ok: slip.printed, key, slip: slip.failure ? { printed: slip.printed, failure: slip.failure.slice(0, 80) } : { printed: slip.printed }, undelivered: undeliveredList() };
      }
      case 'resetDevice':
        await devices.dispenser.reset();
        return { action, ok: true };
      case 'deadLetters':
        return { action, undelivered: undeliveredList() };
      case 'resolveDeadLetter': {
        // retry once the bank's reason is temporary or fixed; close with a comment; never delete
        const key = typeof params?.key === 'string' ? params.key : '';
        const how = params?.resolution;
        if (how !== 'retry' && how !== 'close') return { action, ok: false, refusal: { code: 'badResolution' } };
        const comment = typeof params?.comment === 'string' ? params.comment : undefined;
        const r = resolveDeadLetter(deps.db, {
          terminalId: site.terminalId, messageKey: key, resolution: how === 'retry' ? 'retried' : 'closed', who, now: now(),
          ...(comment !== undefined ? { comment } : {}),
        });
        if (!r.ok) return { action, ok: false, key, refusal: { code: r.refusal }, undelivered: undeliveredList() };
        deps.onOutbox?.();
        // the list comes along, so the dead-letter screen stays on it with the outcome shown
        return { action, ok: true, key, resolution: how === 'retry' ? 'retried' : 'closed', resolutionKey: r.resolutionKey, undelivered: undeliveredList() };
      }
      case 'lookupReceipt': {
        if (params?.receiptNumber === undefined) return enterNumberView();
        const number = receiptNumberOf(params);
        if (!number) return refusedView(String(params.receiptNumber), 'badNumber');
        return foundView(lookupDeps, number, localeOf(params, locale));
      }
      case 'printReceiptCopy': {
        const number = receiptNumberOf(params);
        if (!number) return refusedView(String(params?.receiptNumber ?? ''), 'badNumber');
        return printCopy(lookupDeps, who, number, localeOf(params, locale));
      }
      case 'lostReceipts': {
        // a reprint is a receipt copy: the person needs the role that prints copies
        const mayReprint = active !== undefined && mayPerform(active, 'printReceiptCopy');
        if (params?.receiptNumber === undefined) return lostReceiptsView({ ...lookupDeps, db: deps.db }, mayReprint);
        const number = receiptNumberOf(params);
        if (!mayReprint || !number) return lostReceiptsView({ ...lookupDeps, db: deps.db }, mayReprint, { refusal: { code: mayReprint ? 'badNumber' : 'notPermitted' } });
        return reprintLostReceipt({ ...lookupDeps, db: deps.db }, who, number, localeOf(params, locale));
      }
      case 'openWithdrawals': {
        // listed without a withdrawal id; with one, the technician's decision and its comment
        if (params?.withdrawalId === undefined) return openWithdrawalsView(openDeps);
        const comment = typeof params.comment === 'string' ? params.comment : undefined;
        const view = await decideOpenWithdrawal(openDeps, {
          withdrawalId: String(params.withdrawalId), decision: String(params.decision ?? ''), who, locale: localeOf(params, locale),
          ...(comment !== undefined ? { comment } : {}),
        });
        if (view.decision) deps.onOutbox?.();
        return view;
      }
      case 'verifyJournal':
        return { action, ...verifyJournal(deps.db) };
      case 'exit':
        return { action };
      default:
        throw new Error(`unknown service action ${action}`);
    }
  }
}
