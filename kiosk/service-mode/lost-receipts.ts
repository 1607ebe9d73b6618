/**
 * Lost receipts in service mode: prints the core died in and prints the printer failed, each with
 * the SMS sent instead where there was one. A technician whose role may print receipt copies
 * reprints one as a marked copy; the copy is journaled and audited like any receipt copy, and a
 * copy that came out settles the receipt's lost and failed prints.
 */
import type { Locale, ServiceModeView } from '../bridge/schema.js';
import type { Db } from '../store/db.js';
import { outboxByKey } from '../store/outbox.js';
import { markReceiptReprinted, unprintedReceipts } from '../store/receipt-prints.js';
import { printServiceReceipt, printerUsable, type PrintOutcome } from './service-receipts.js';
import type { LookupDeps } from './receipt-lookup.js';

type LostView = Extract<ServiceModeView, { action: 'lostReceipts' }>;

export interface LostReceiptsDeps extends LookupDeps {
  db: Db;
}

export function lostReceiptsView(deps: LostReceiptsDeps, mayReprint: boolean, extra: Pick<LostView, 'reprint' | 'refusal'> = {}): LostView {
  const receipts = unprintedReceipts(deps.db).flatMap((r) => {
    if (r.state !== 'lost' && r.state !== 'failed') return [];
    const sms = r.smsKey ? outboxByKey(deps.db, r.smsKey)?.state : undefined;
    return [{
      receiptNumber: r.receiptNumber, operation: r.operation, state: r.state, startedAt: r.startedAt,
      ...(r.failure ? { failure: r.failure } : {}), ...(sms ? { sms } : {}),
    }];
  });
  return { action: 'lostReceipts', receipts, printerUsable: printerUsable(deps.printer), mayReprint, ...extra };
}

/** reprints one listed receipt as a marked copy; a number not on the list is refused */
export async function reprintLostReceipt(deps: LostReceiptsDeps, who: string, receiptNumber: string, locale: Locale): Promise<LostView> {
  const listed = unprintedReceipts(deps.db).some((r) => r.receiptNumber === receiptNumber);
  const data = listed ? deps.store.receipt(receiptNumber) : undefined;
  if (!data) return lostReceiptsView(deps, true, { refusal: { code: 'unknownReceipt' } });
  const outcome: PrintOutcome = await printServiceReceipt(deps.printer, data, locale, deps.site, { copyPrintedAt: deps.now().toISOString() });
  deps.store.recordReceiptCopy?.(who, receiptNumber, outcome.failure ? { printed: outcome.printed, failure: outcome.failure } : { printed: outcome.printed });
  if (outcome.printed) markReceiptReprinted(deps.db, receiptNumber, who, deps.now());
  const reprint = { receiptNumber, printed: outcome.printed, ...(outcome.failure ? { failure: outcome.failure.slice(0, 80) } : {}) };
  return lostReceiptsView(deps, true, { reprint });
}
