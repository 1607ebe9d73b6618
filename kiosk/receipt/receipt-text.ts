/**
 * The same receipt as plain Unicode text (SMS, electronic journal): the layout without any code
 * page fallback, centred lines padded with spaces, the QR as its payload when it says more than
 * the receipt number.
 */
import type { ReceiptModel } from './receipt-model.js';
import { layoutReceipt } from './receipt-layout.js';

export function receiptToText(model: ReceiptModel, options: { columns?: number } = {}): string {
  const columns = options.columns ?? 32;
  const out: string[] = [];
  for (const block of layoutReceipt(model, { columns })) {
    if (block.kind === 'qr') {
      if (block.payload !== model.receiptNumber) out.push(block.payload);
      continue;
    }
    const pad = columns - [...block.text].length;
    if (block.align === 'center') out.push(' '.repeat(Math.floor(pad / 2)) + block.text);
    else if (block.align === 'right') out.push(' '.repeat(pad) + block.text);
    else out.push(block.text);
  }
  return out.map((l) => l.trimEnd()).join('\n');
}
