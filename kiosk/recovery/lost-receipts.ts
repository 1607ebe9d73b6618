/**
 * Receipts the core died printing. At start-up every print still recorded as `printing` is a
 * receipt the customer may not have: it is journaled `receiptLost`, listed in service mode
 * (`lostReceipts`), and, where the customer identified with a phone, queued by SMS through the
 * outbox like any SMS receipt. The journal entry, the SMS and the row's new state are one
 * transaction, so a crash during this step leaves the row to be settled next time, never twice.
 */
import type { Db } from '../store/db.js';
import type { Locale } from '../bridge/schema.js';
import type { ReceiptData, ReceiptSmsStore } from '../store/money-store.js';
import { markReceiptLost, unfinishedReceiptPrints } from '../store/receipt-prints.js';

export interface LostReceiptDeps {
  db: Db;
  store: ReceiptSmsStore & { receipt(receiptNumber: string): ReceiptData | undefined };
  /** the receipt's text as an SMS carries it (the paper receipt's words) */
  smsText: (data: ReceiptData, locale: Locale) => string;
  now?: () => Date;
}

export interface LostReceipt {
  receiptNumber: string;
  operation: string;
  /** the outbox key of the SMS sent instead; absent when no phone was known */
  smsKey?: string;
}

export function settleLostReceipts(deps: LostReceiptDeps): LostReceipt[] {
  const now = deps.now ?? (() => new Date());
  const out: LostReceipt[] = [];
  for (const print of unfinishedReceiptPrints(deps.db)) {
    const data = deps.store.receipt(print.receiptNumber);
    const r = markReceiptLost(deps.db, print.printId, now(), data
      ? (p) => deps.store.recordReceiptSms({
          receiptNumber: p.receiptNumber, phone: p.smsPhone, text: deps.smsText(data, p.locale), ...(p.sessionId ? { sessionId: p.sessionId } : {}),
        })
      : undefined);
    if (r.lost) out.push({ receiptNumber: print.receiptNumber, operation: print.operation, ...(r.smsKey ? { smsKey: r.smsKey } : {}) });
  }
  return out;
}
