/**
 * Receipt look-up for disputes (bank rules 11.3): the technician types the number (all of it, or
 * its digits: date and sequence, or the sequence alone) and sees the receipt as it reads on paper;
 * "print a copy" prints it marked as a copy, and the reprint is journaled and audited.
 */
import type { Locale, ServiceModeView } from '../bridge/schema.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { CashUnitStore, MoneyStore } from '../store/money-store.js';
import type { ReceiptSite } from '../runtime/receipts.js';
import { printServiceReceipt, printerUsable, receiptLines, type PrintOutcome } from './service-receipts.js';

export interface LookupDeps {
  store: MoneyStore & CashUnitStore;
  printer: ReceiptPrinter;
  site: ReceiptSite;
  now: () => Date;
}

type LookupView = Extract<ServiceModeView, { action: 'lookupReceipt' }>;

export function enterNumberView(): LookupView {
  return { action: 'lookupReceipt', stage: 'enter' };
}

export function refusedView(typed: string | undefined, code: 'unknownReceipt' | 'badNumber'): LookupView {
  return { action: 'lookupReceipt', stage: 'enter', ...(typed ? { typed: typed.slice(0, 40) } : {}), refusal: { code } };
}

function resolve(deps: LookupDeps, typed: string): string | undefined {
  if (deps.store.findReceiptNumber) return deps.store.findReceiptNumber(typed);
  return deps.store.receipt(typed) ? typed : undefined;
}

export function foundView(deps: LookupDeps, typed: string, locale: Locale, copy?: PrintOutcome): LookupView {
  const number = resolve(deps, typed);
  const data = number ? deps.store.receipt(number) : undefined;
  if (!number || !data) return refusedView(typed, 'unknownReceipt');
  return {
    action: 'lookupReceipt',
    stage: 'found',
    receiptNumber: number,
    operation: data.operation,
    at: data.at,
    lines: receiptLines(data, locale, deps.site),
    ...(data.delivery ? { delivery: data.delivery.state } : {}),
    ...(copy ? { copy: copy.failure ? { printed: copy.printed, failure: copy.failure.slice(0, 80) } : { printed: copy.printed } } : {}),
    printerUsable: printerUsable(deps.printer),
  };
}

/** prints the copy and records it, printed or not; the answer is the receipt again with the outcome */
export async function printCopy(deps: LookupDeps, who: string, number: string, locale: Locale): Promise<LookupView> {
  const exact = resolve(deps, number);
  const data = exact ? deps.store.receipt(exact) : undefined;
  if (!exact || !data) return refusedView(number, 'unknownReceipt');
  const outcome = await printServiceReceipt(deps.printer, data, locale, deps.site, { copyPrintedAt: deps.now().toISOString() });
  deps.store.recordReceiptCopy?.(who, exact, outcome.failure ? { printed: outcome.printed, failure: outcome.failure } : { printed: outcome.printed });
  return foundView(deps, exact, locale, outcome);
}
