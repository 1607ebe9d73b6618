/** A reprint is marked as a copy on paper; the BIN and a technician's cash slip print as laid out. */
import { describe, expect, it } from 'vitest';
import { ReceiptModel } from '../../../kiosk/receipt/receipt-model.js';
import { layoutReceipt } from '../../../kiosk/receipt/receipt-layout.js';
import { receiptToEscPos } from '../../../kiosk/receipt/receipt-escpos.js';
import { receiptToText } from '../../../kiosk/receipt/receipt-text.js';
import { PrintMechanism } from '../../../simulators/devices/printer/print-mechanism.js';

const base = {
  locale: 'ru' as const,
  bankName: 'Test Bank',
  bankBin: '080540000120',
  terminalId: 'KZ-ALA-0042',
  address: 'Алматы, Абая 1',
  dateTime: '2026-11-25T09:00:00Z',
  receiptNumber: 'KZ-ALA-0042-20261125-000007',
  operation: 'cashIn' as const,
  amount: 300_000,
  commission: 0,
  total: 300_000,
  status: 'completed' as const,
};

const printed = (model: ReceiptModel): string[] => {
  const paper = new PrintMechanism();
  paper.receive(receiptToEscPos(model, { paper: '80mm' }));
  return paper.receipts.at(-1)?.lines.map((l) => l.trim()) ?? [];
};

describe('receipt copy', () => {
  it('prints "copy" first and last, with when it was made, and the original does not', () => {
    const original = printed(ReceiptModel.parse(base));
    expect(original.join('\n')).not.toContain('КОПИЯ');
    const copy = printed(ReceiptModel.parse({ ...base, copy: { printedAt: '2026-11-26T08:15:00Z' } }));
    expect(copy[0]).toBe('КОПИЯ (ДУБЛИКАТ)');
    expect(copy.filter((l) => l === 'КОПИЯ (ДУБЛИКАТ)')).toHaveLength(2);
    expect(copy).toContain('Копия напечатана 26.11.2026 08:15:00');
    expect(copy).toContain('БИН 080540000120');
    expect(copy).toContain(base.receiptNumber);
  });

  it('refuses a BIN that is not 12 digits', () => {
    expect(ReceiptModel.safeParse({ ...base, bankBin: '12345' }).success).toBe(false);
  });

  it('lays a collection slip out per unit with counter, count and difference, in every locale and width', () => {
    const slip = {
      ...base,
      cashSlip: { kind: 'collection' as const, units: [{ unit: 'cashBox', denomination: 200_000, count: 2, counted: 1 }, { unit: 'reject', denomination: 500_000, count: 1 }] },
    };
    for (const locale of ['kk', 'ru', 'en'] as const) {
      for (const columns of [32, 48]) {
        for (const b of layoutReceipt(ReceiptModel.parse({ ...slip, locale }), { columns })) {
          if (b.kind === 'line') expect([...b.text].length, `${locale} ${columns}: ${b.text}`).toBeLessThanOrEqual(columns);
        }
      }
    }
    const text = receiptToText(ReceiptModel.parse({ ...slip, locale: 'en' }), { columns: 48 });
    expect(text).toContain('Cash collection');
    expect(text).not.toContain('Cash deposit');
    expect(text).toMatch(/Cash box: 2,000\.00 ₸\n\s+Counter\s+2 = 4,000\.00 ₸\n\s+Counted\s+1 = 2,000\.00 ₸\n\s+Difference\s+-1/);
    expect(text).toMatch(/Reject bin: 5,000\.00 ₸\n\s+Counter\s+1 = 5,000\.00 ₸\n/);
  });
});
