import { describe, expect, it } from 'vitest';
import { ReceiptModel } from '../../../kiosk/receipt/receipt-model.js';
import { layoutReceipt, wrap, formatDateTime } from '../../../kiosk/receipt/receipt-layout.js';
import { printedLayout, receiptToEscPos } from '../../../kiosk/receipt/receipt-escpos.js';
import { receiptToText } from '../../../kiosk/receipt/receipt-text.js';
import { PrintMechanism } from '../../../simulators/devices/printer/print-mechanism.js';
import { EPSON_CODE_PAGES } from '../../../drivers/printer/code-page.js';

const base = {
  bankName: 'Қазақстан Халық Банкі',
  terminalId: 'KZ-ALA-0042',
  address: 'Алматы қ., Әл-Фараби даңғылы 77/8, Esentai Mall, 1-қабат',
  dateTime: '2026-11-25T19:23:14+05:00',
  receiptNumber: 'KZ0042-000123',
  operation: 'cashIn' as const,
  payer: { kind: 'card' as const, masked: '440043******1234' },
  notes: [{ denomination: 500000, count: 2 }, { denomination: 100000, count: 3 }],
  amount: 1300000,
  commission: 0,
  total: 1300000,
  status: 'completed' as const,
  qrPayload: 'https://bank.kz/r/KZ0042-000123',
};
const model = (locale: 'kk' | 'ru' | 'en') => ReceiptModel.parse({ ...base, locale });

describe('receipt model', () => {
  it('refuses an unmasked card, an unmasked phone and a wrong total', () => {
    expect(ReceiptModel.safeParse({ ...base, locale: 'ru', payer: { kind: 'card', masked: '4400430000001234' } }).success).toBe(false);
    expect(ReceiptModel.safeParse({ ...base, locale: 'ru', payer: { kind: 'phone', masked: '+77011234567' } }).success).toBe(false);
    expect(ReceiptModel.safeParse({ ...base, locale: 'ru', payer: { kind: 'phone', masked: '+7 701 *** ** 67' } }).success).toBe(true);
    expect(ReceiptModel.safeParse({ ...base, locale: 'ru', total: 1 }).success).toBe(false);
    expect(ReceiptModel.safeParse({ ...base, locale: 'ru', amount: 1.5, total: 1.5 }).success).toBe(false);
  });
});

describe('receipt layout', () => {
  for (const locale of ['kk', 'ru', 'en'] as const) {
    for (const columns of [48, 32]) {
      it(`${locale}, ${columns} columns: every line fits`, () => {
        for (const b of layoutReceipt(model(locale), { columns })) {
          if (b.kind === 'line') expect([...b.text].length).toBeLessThanOrEqual(columns);
        }
      });
    }
  }

  it('puts values flush right and prints Kazakh text as is on KZ-1048', () => {
    const lines = printedLayout(model('kk')).flatMap((b) => (b.kind === 'line' ? [b.text] : []));
    expect(lines).toContain('Сома                                13 000,00 тг');
    expect(lines).toContain('Карта                           440043******1234');
    expect(lines).toContain('Мәртебесі                        Сәтті орындалды');
    expect(lines[0]).toBe('Қазақстан Халық Банкі');
  });

  it('keeps Kazakh letters on a PC866 printer (those lines go out as images), or falls back to look-alikes for a text-only one', () => {
    const lines = (missingGlyphs: 'raster' | 'text') =>
      printedLayout(model('kk'), { codePage: EPSON_CODE_PAGES.cp866, missingGlyphs }).flatMap((b) => (b.kind === 'line' ? [b.text] : []));
    expect(lines('raster')[0]).toBe('Қазақстан Халық Банкі');
    expect(lines('text')[0]).toBe('Казакстан Халык Банкi');
  });

  it('wraps words and splits words longer than a line', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('abcdefgh x', 3)).toEqual(['abc', 'def', 'gh', 'x']);
    expect(formatDateTime('2026-01-02T03:04:05Z')).toBe('02.01.2026 03:04:05');
  });

  it('is pure: the same model gives the same bytes', () => {
    expect(Buffer.from(receiptToEscPos(model('ru'))).equals(Buffer.from(receiptToEscPos(model('ru'))))).toBe(true);
  });

  it('ESC/POS bytes print exactly the layout lines and the QR payload', () => {
    for (const locale of ['kk', 'ru', 'en'] as const) {
      for (const paper of ['80mm', '58mm'] as const) {
        const m = new PrintMechanism();
        m.receive(receiptToEscPos(model(locale), { paper }));
        const expected = printedLayout(model(locale), { paper }).flatMap((b) => (b.kind === 'line' ? [b.text] : []));
        expect(m.receipts[0]?.lines).toEqual(expected);
        expect(m.receipts[0]?.qr).toEqual([base.qrPayload]);
        expect(m.receipts[0]?.cut).toBe(true);
      }
    }
  });

  it('feeds a quiet zone of 4 modules above and below a native QR', () => {
    const hex = Buffer.from(receiptToEscPos(model('en'))).toString('hex');
    expect(hex).toContain('1b4a18' + '1d286b0400314132001d286b0300314306');
    expect(hex).toMatch(/1d286b03003151301b4a18/);
    const hex58 = Buffer.from(receiptToEscPos(model('en'), { paper: '58mm' })).toString('hex');
    expect(hex58).toContain('1b4a10' + '1d286b0400314132001d286b0300314304');
    expect(hex.endsWith('1d564103')).toBe(true);
  });

  it('renders plain text with ₸ and centred headings', () => {
    const text = receiptToText(model('ru'));
    expect(text).toContain('Сумма                13 000,00 ₸');
    expect(text).toContain('        Пополнение счёта');
    expect(text).toContain(base.qrPayload);
    expect(text.split('\n').every((l) => [...l].length <= 32)).toBe(true);
  });
});
