/**
 * Receipts as service mode shows and prints them: the journal's receipt data rendered exactly as
 * the customer's paper reads (plain text, masked card only), and printed - as a marked copy, or as
 * a technician's slip - only where the printer can print now.
 */
import type { Locale } from '../bridge/schema.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { ReceiptData } from '../store/money-store.js';
import { printReceipt } from '../receipt/print-receipt.js';
import { receiptToText } from '../receipt/receipt-text.js';
import { receiptModel, type ReceiptSite } from '../runtime/receipts.js';

export interface PrintOutcome {
  printed: boolean;
  failure?: string;
}

/** online, paper in, cover shut, no error: a print has a chance of coming out whole */
export function printerUsable(printer: ReceiptPrinter): boolean {
  const s = printer.status();
  return s.link === 'online' && s.online && !s.coverOpen && s.paper !== 'out' && !s.error;
}

export function receiptLines(data: ReceiptData, locale: Locale, site: ReceiptSite): string[] {
  return receiptToText(receiptModel(data, locale, site), { columns: 48 }).split('\n');
}

export async function printServiceReceipt(
  printer: ReceiptPrinter, data: ReceiptData, locale: Locale, site: ReceiptSite, options: { copyPrintedAt?: string } = {},
): Promise<PrintOutcome> {
  if (!printerUsable(printer)) return { printed: false, failure: 'printerUnavailable' };
  const result = await printReceipt(printer, receiptModel(data, locale, site, options.copyPrintedAt ? { copyPrintedAt: options.copyPrintedAt } : {}), site.printer);
  return result.ok ? { printed: true } : { printed: false, failure: result.failure };
}
