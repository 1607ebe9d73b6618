/**
 * The one call the session makes to print a receipt: validate the model, lay it out for this
 * printer, print, and return exactly what happened. A receipt is "printed" only on { ok: true }.
 */
import type { PrintResult, ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import { ReceiptModel } from './receipt-model.js';
import { receiptToEscPos, type EscPosReceiptOptions } from './receipt-escpos.js';

export async function printReceipt(printer: ReceiptPrinter, model: unknown, options: EscPosReceiptOptions = {}): Promise<PrintResult> {
  const parsed = ReceiptModel.safeParse(model);
  if (!parsed.success) {
    return { ok: false, failure: 'error', detail: `invalid receipt: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  }
  let job: Uint8Array;
  try {
    job = receiptToEscPos(parsed.data, options);
  } catch (err) {
    return { ok: false, failure: 'error', detail: `receipt layout failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  return printer.print(job);
}
