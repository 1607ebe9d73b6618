/**
 * Replenishment of the dispenser's cassettes: per cassette its denomination (from the
 * configuration, which the dispenser and the planner share) and the notes loaded, and for an
 * exchange the notes taken out. Counts are whole numbers within the cassette's capacity; anything
 * else is refused with the key that was wrong. The entry is journaled, audited and reported to
 * the bank by the store; the slip is printed when the printer can print.
 */
import type { Locale, ServiceModeView } from '../bridge/schema.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { CashUnitStore, MoneyStore } from '../store/money-store.js';
import type { Db } from '../store/db.js';
import type { ReceiptSite } from '../runtime/receipts.js';
import { cassetteUnit, unitCounts } from '../store/counters.js';
import { printServiceReceipt } from './service-receipts.js';
import type { CassetteEntry } from './service-params.js';

export interface ReplenishDeps {
  store: MoneyStore & CashUnitStore;
  db: Db;
  printer: ReceiptPrinter;
  site: ReceiptSite;
  denominations: readonly number[];
  capacity: number;
}

type ReplenishView = Extract<ServiceModeView, { action: 'replenish' }>;

/** each cassette's denomination and what its counter says now */
export function replenishForm(deps: ReplenishDeps, refusal?: ReplenishView['refusal']): ReplenishView {
  const cassettes = deps.denominations.map((denomination, cassette) => ({
    cassette,
    denomination,
    count: unitCounts(deps.db, cassetteUnit(cassette)).filter((r) => r.denomination === denomination).reduce((n, r) => n + r.count, 0),
  }));
  return { action: 'replenish', stage: 'enter', capacity: deps.capacity, cassettes, ...(refusal ? { refusal } : {}) };
}

/** the first problem with the entries, named by the key the technician typed into */
export function checkEntries(deps: ReplenishDeps, entries: readonly CassetteEntry[]): ReplenishView['refusal'] | undefined {
  if (entries.length === 0) return { code: 'nothingLoaded' };
  for (const e of entries) {
    if (deps.denominations[e.cassette] === undefined) return { code: 'unknownCassette', key: `load/${e.cassette}` };
    if (e.load > deps.capacity) return { code: 'overCapacity', key: `load/${e.cassette}` };
    if (e.removed !== undefined && e.removed > deps.capacity) return { code: 'overCapacity', key: `removed/${e.cassette}` };
  }
  if (entries.every((e) => e.load === 0 && e.removed === undefined)) return { code: 'nothingLoaded' };
  return undefined;
}

export async function replenish(deps: ReplenishDeps, who: string, entries: readonly CassetteEntry[], locale: Locale): Promise<ReplenishView> {
  const cassettes = entries.map((e) => ({
    cassette: e.cassette,
    denomination: deps.denominations[e.cassette] ?? 0,
    count: e.load,
    ...(e.removed === undefined ? {} : { removed: e.removed }),
  }));
  const r = deps.store.recordReplenishment(who, cassettes);
  const data = deps.store.receipt(r.receiptNumber);
  const slip = data ? await printServiceReceipt(deps.printer, data, locale, deps.site) : { printed: false, failure: 'noReceipt' };
  return {
    action: 'replenish',
    stage: 'done',
    capacity: deps.capacity,
    cassettes,
    receiptNumber: r.receiptNumber,
    discrepancies: r.discrepancies ?? [],
    slip: slip.failure ? { printed: slip.printed, failure: slip.failure.slice(0, 80) } : { printed: slip.printed },
  };
}
