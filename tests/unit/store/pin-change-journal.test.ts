import { describe, expect, it } from 'vitest';
import { freshTempStores } from './temp-store.js';
import { readJournal, verifyJournal } from '../../../kiosk/store/journal.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { receiptModel } from '../../../kiosk/runtime/receipts.js';
import { receiptToText } from '../../../kiosk/receipt/receipt-text.js';

const site = { bankName: 'Bank', terminalId: 'KSK-TEST-01', address: 'Astana' };
const base = { sessionId: 'sess-1', customerId: 'c-aigerim', maskedPan: '440043******0015', pinChangeId: 'pc-1', channel: 'push' as const };

describe('PIN change in the journal (non-financial)', () => {
  const { fresh } = freshTempStores();

  it('a completed change gets a receipt number: a short slip with the masked card and no money rows', () => {
    const s = fresh();
    const { receiptNumber } = s.money.recordPinChange({ ...base, outcome: 'done' });
    expect(receiptNumber).toMatch(/^[A-Z0-9-]+-\d{8}-\d{6}$/);
    const data = s.money.receipt(receiptNumber ?? '');
    expect(data).toMatchObject({ operation: 'pinChange', card: { masked: '440043******0015' }, amount: 0, sessionId: 'sess-1' });
    expect(verifyJournal(s.db).ok).toBe(true);
    // nothing goes to the bank: the bank holds the change itself
    expect(listOutbox(s.db)).toHaveLength(0);

    for (const locale of ['kk', 'ru', 'en'] as const) {
      const text = receiptToText(receiptModel(data!, locale, site));
      expect(text).toContain('440043******0015');
      expect(text).not.toMatch(/₸|KZT|тг/);
    }
    expect(receiptToText(receiptModel(data!, 'en', site))).toContain('PIN change');
  });

  it('a change that did not happen is journaled too, without a receipt', () => {
    const s = fresh();
    for (const outcome of ['failed', 'expired', 'cancelled'] as const) expect(s.money.recordPinChange({ ...base, outcome })).toEqual({});
    const entries = readJournal(s.db).filter((e) => e.type === 'pinChange');
    expect(entries.map((e) => e.payload.outcome)).toEqual(['failed', 'expired', 'cancelled']);
    expect(entries.every((e) => e.payload.receiptNumber === undefined)).toBe(true);
  });

  it('refuses a card number that is not masked', () => {
    const s = fresh();
    expect(() => s.money.recordPinChange({ ...base, maskedPan: '4400430000000015', outcome: 'done' })).toThrow(/masked/);
    expect(readJournal(s.db).filter((e) => e.type === 'pinChange')).toHaveLength(0);
  });
});
