/**
 * A service paid from an account: the receipt names the account paid from (the masked product
 * label), on paper in 48 and 32 columns and in the SMS text, in kk/ru/en, filled from the journal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ReceiptModel, maskAccountLabel } from '../../../kiosk/receipt/receipt-model.js';
import { printedLayout, receiptToEscPos } from '../../../kiosk/receipt/receipt-escpos.js';
import { receiptToText } from '../../../kiosk/receipt/receipt-text.js';
import { receiptModel } from '../../../kiosk/runtime/receipts.js';
import { PrintMechanism } from '../../../simulators/devices/printer/print-mechanism.js';
import { tempStore, type TempStore } from '../store/temp-store.js';

const base = {
  bankName: 'Bank',
  terminalId: 'KZ-ALA-0042',
  address: 'Almaty',
  dateTime: '2026-11-25T19:23:14+05:00',
  receiptNumber: 'KZ0042-000124',
  operation: 'payService' as const,
  beneficiary: 'Kcell 7011234567',
  payer: { kind: 'account' as const, masked: 'Current account *0101' },
  amount: 200_000,
  commission: 5_000,
  total: 205_000,
  status: 'completed' as const,
};
const lines = (model: ReceiptModel, paper: '80mm' | '58mm'): string[] =>
  printedLayout(model, { paper }).flatMap((b) => (b.kind === 'line' ? [b.text] : []));

describe('account payer in the receipt model', () => {
  it('accepts a product label and refuses a full account number or an IBAN', () => {
    const parse = (masked: string) => ReceiptModel.safeParse({ ...base, locale: 'ru', payer: { kind: 'account', masked } }).success;
    expect(parse('Current account *0101')).toBe(true);
    expect(parse('KZ** **** 1234')).toBe(true);
    expect(parse('Deposit 2024')).toBe(true);
    expect(parse('KZ86125KZT5004100100')).toBe(false);
    expect(parse('Account 40817810')).toBe(false);
    expect(parse('Account 4081 7810')).toBe(false); // spaces do not hide a run of digits
    expect(parse('kz12 ****')).toBe(false);
    expect(parse('')).toBe(false);
  });

  it('masks a label that carries a number down to its last four digits', () => {
    expect(maskAccountLabel('Current account *0101')).toBe('Current account *0101');
    expect(maskAccountLabel('Account 4081 7810 0101')).toBe('Account **** **** 0101');
    const iban = maskAccountLabel('KZ86125KZT5004100100');
    expect(iban).not.toMatch(/\d{5}/);
    expect(iban.endsWith('0100')).toBe(true);
    expect(ReceiptModel.safeParse({ ...base, locale: 'en', payer: { kind: 'account', masked: iban } }).success).toBe(true);
  });
});

describe('account payer on paper and in the SMS text', () => {
  const expected = {
    kk: { p80: 'Төлем шоты                 Current account *0101', p58: 'Төлем шоты Current account *0101' },
    ru: { p80: 'Счёт списания              Current account *0101', p58: 'Счёт списания' },
    en: { p80: 'Paid from                  Current account *0101', p58: 'Paid from  Current account *0101' },
  } as const;

  for (const locale of ['kk', 'ru', 'en'] as const) {
    it(`${locale}: a labelled row in 48 and 32 columns, and in the text`, () => {
      const model = ReceiptModel.parse({ ...base, locale });
      const wide = lines(model, '80mm');
      expect(wide).toContain(expected[locale].p80);
      const narrow = lines(model, '58mm');
      expect(narrow).toContain(expected[locale].p58);
      if (locale === 'ru') expect(narrow).toContain('           Current account *0101'); // too long: value on its own line, flush right
      for (const l of narrow) expect([...l].length).toBeLessThanOrEqual(32);
      const text = receiptToText(model);
      expect(text).toContain('Current account *0101');
      expect(text).toContain({ kk: 'Төлем шоты', ru: 'Счёт списания', en: 'Paid from' }[locale]);
    });
  }

  it('the ESC/POS bytes print the account row', () => {
    const model = ReceiptModel.parse({ ...base, locale: 'en' });
    const m = new PrintMechanism();
    m.receive(receiptToEscPos(model, { paper: '80mm' }));
    expect(m.receipts[0]?.lines).toContain(expected.en.p80);
  });
});

describe('account payer from the journal', () => {
  const stores: TempStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.dispose();
  });
  const site = { bankName: 'Bank', terminalId: 'T-0001', address: 'Astana' };
  const input = {
    sessionId: 'sess-1', customerId: 'c-aigerim', productId: 'p-current', serviceId: 'kcell', serviceName: 'Kcell',
    reference: '7011234567', amount: 200_000, commission: 5_000, authorisationKey: 'T-0001:sess-1:p1',
  };
  const completed = (label?: string) => {
    const s = tempStore();
    stores.push(s);
    const { paymentId } = s.money.beginAccountPayment({ ...input, ...(label !== undefined ? { label } : {}) });
    s.money.recordAccountPaymentAuthorised(paymentId, { holdId: 'hp-1', commission: 5_000 });
    const { receiptNumber } = s.money.completeAccountPayment(paymentId);
    const data = s.money.receipt(receiptNumber);
    if (!data) throw new Error('no receipt data');
    return data;
  };

  it('a completed payment prints the provider, the reference and the account paid from', () => {
    const model = receiptModel(completed('Current account *0101'), 'en', site);
    expect(model.payer).toEqual({ kind: 'account', masked: 'Current account *0101' });
    expect(model.beneficiary).toBe('Kcell 7011234567');
    const text = receiptToText(model, { columns: 48 });
    expect(text).toContain('Paid from                  Current account *0101');
    expect(text).toContain('Kcell 7011234567');
  });

  it('a label with a full number is masked before it reaches paper', () => {
    const model = receiptModel(completed('Current 4081 7810 0101'), 'ru', site);
    expect(model.payer).toEqual({ kind: 'account', masked: 'Current **** **** 0101' });
    expect(receiptToText(model)).not.toContain('4081');
  });

  it('without a label there is no account row, and a cash payment has none either', () => {
    expect(receiptModel(completed(), 'en', site).payer).toBeUndefined();
    const cash = receiptModel({
      receiptNumber: 'T-0001-20261125-000009', at: '2026-11-25T10:00:00.000Z', journalSeq: 9, operation: 'servicePayment', status: 'ok',
      amount: 100_000, commission: 0, total: 100_000, notes: [{ denomination: 100_000, count: 1 }],
      service: { serviceId: 'kcell', reference: '7011234567' },
    }, 'en', site);
    expect(cash.payer).toBeUndefined();
    expect(receiptToText(cash)).not.toContain('Paid from');
  });
});
