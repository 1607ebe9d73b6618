/**
 * A terminal whose dispenser has no presenter says on a withdrawal's receipt that the notes were
 * paid out at the dispenser's exit; with a presenter, and on any other operation, nothing is added.
 */
import { describe, expect, it } from 'vitest';
import { receiptModel, type ReceiptSite } from '../../../kiosk/runtime/receipts.js';
import { receiptToText } from '../../../kiosk/receipt/receipt-text.js';
import type { ReceiptData } from '../../../kiosk/store/money-store.js';

const site: ReceiptSite = { bankName: 'Bank', terminalId: 'KZ-TEST-0001', address: 'Almaty' };

const data = (operation: ReceiptData['operation']): ReceiptData => ({
  receiptNumber: 'KZ-TEST-0001-000042', at: '2026-12-04T10:00:00.000Z', journalSeq: 7, operation, status: 'ok',
  amount: 1_500_000, commission: 15_000, total: 1_515_000,
  customer: { customerId: 'c-1', productId: 'p-1', label: 'Current account' },
});

describe('receipt of a withdrawal paid out at the dispenser exit', () => {
  it.each([
    ['kk', 'Банкноттар диспенсер шығысында берілді'],
    ['ru', 'Купюры выданы в лоток диспенсера'],
    ['en', 'Notes paid out at the dispenser exit'],
  ] as const)('says so in %s without a presenter', (locale, words) => {
    const model = receiptModel(data('withdrawal'), locale, { ...site, dispenserPresenter: false });
    expect(model.paidAtExit).toBe(true);
    expect(receiptToText(model).replace(/\s+/g, ' ')).toContain(words);
  });

  it('adds nothing with a presenter, nor to a reversal or a cash-in', () => {
    const en = 'Notes paid out at the dispenser exit';
    expect(receiptToText(receiptModel(data('withdrawal'), 'en', { ...site, dispenserPresenter: true }))).not.toContain(en);
    expect(receiptToText(receiptModel(data('withdrawal'), 'en', site))).not.toContain(en);
    expect(receiptToText(receiptModel(data('withdrawalReverse'), 'en', { ...site, dispenserPresenter: false }))).not.toContain(en);
    expect(receiptToText(receiptModel(data('cashIn'), 'en', { ...site, dispenserPresenter: false }))).not.toContain(en);
  });
});
