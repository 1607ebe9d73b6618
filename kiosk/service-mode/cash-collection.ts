/**
 * Collection of the cash box: first what the counters say is in the box and bins, per
 * denomination; then, once the technician confirms (with the notes counted, where they differ),
 * the collection entry. A difference is journaled as a discrepancy beside the counters, never
 * written over them. The slip is printed when the printer can print.
 */
import type { Locale, ServiceModeView } from '../bridge/schema.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { CashUnitStore, MoneyStore } from '../store/money-store.js';
import type { Db } from '../store/db.js';
import type { ReceiptSite } from '../runtime/receipts.js';
import { CASH_BOX, REJECT_BIN, RETRACT_BIN, unitCounts } from '../store/counters.js';
import { printServiceReceipt, printerUsable } from './service-receipts.js';
import type { CountedNote } from './service-params.js';

export interface CollectionDeps {
  store: MoneyStore & CashUnitStore;
  db: Db;
  printer: ReceiptPrinter;
  site: ReceiptSite;
}

type CollectView = Extract<ServiceModeView, { action: 'collect' }>;

const COLLECTED_UNITS = [CASH_BOX, REJECT_BIN, RETRACT_BIN];

/** what the counters say is in the units a collection empties; nothing is changed */
export function collectionPreview(deps: CollectionDeps, refusal?: CollectView['refusal']): CollectView {
  const units = COLLECTED_UNITS.flatMap((u) => unitCounts(deps.db, u))
    .filter((r) => r.count !== 0)
    .map((r) => ({ unit: r.unit, denomination: r.denomination, count: r.count }));
  return { action: 'collect', stage: 'count', units, printerUsable: printerUsable(deps.printer), ...(refusal ? { refusal } : {}) };
}

export async function collect(deps: CollectionDeps, who: string, counted: readonly CountedNote[], locale: Locale): Promise<CollectView> {
  const r = deps.store.recordCollection(who, counted.length > 0 ? { counted } : {});
  const data = deps.store.receipt(r.receiptNumber);
  const units = data?.units ?? r.removed;
  const slip = data ? await printServiceReceipt(deps.printer, data, locale, deps.site) : { printed: false, failure: 'noReceipt' };
  return {
    action: 'collect',
    stage: 'done',
    receiptNumber: r.receiptNumber,
    total: r.removed.reduce((s, u) => s + u.count * u.denomination, 0),
    units: units.map((u) => ({ ...u })),
    discrepancies: r.discrepancies ?? [],
    slip: slip.failure ? { printed: slip.printed, failure: slip.failure.slice(0, 80) } : { printed: slip.printed },
  };
}
