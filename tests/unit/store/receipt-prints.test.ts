/**
 * The receipt print log on a real SQLite file: a print recorded before the printer gets the job,
 * a core "killed" mid-print (the store closed and reopened with the row still `printing`), and
 * start-up turning it into one lost receipt: journaled, sent by SMS once where the phone is known.
 */
import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../../domain/typed-emitter.js';
import { freshTempStores, type TempStore } from './temp-store.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { readJournal, verifyJournal } from '../../../kiosk/store/journal.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import {
  beginReceiptPrint, endReceiptPrint, markReceiptReprinted, unfinishedReceiptPrints, unprintedReceipts,
} from '../../../kiosk/store/receipt-prints.js';
import { settleLostReceipts } from '../../../kiosk/recovery/lost-receipts.js';
import { receiptDelivery, receiptText, type ReceiptSite } from '../../../kiosk/runtime/receipts.js';
import type { PrinterStatus, PrintResult, ReceiptPrinter, ReceiptPrinterEvents } from '../../../drivers/printer/receipt-printer.js';

const T = (tenge: number): number => tenge * 100;
const PHONE = '+77011234567';
const site: ReceiptSite = { bankName: 'Test Bank', terminalId: 'T-0001', address: 'Almaty, Abay 1' };

function cashIn(s: TempStore, sessionId = 'sess-1'): string {
  const { cashInId } = s.money.beginCashIn({ sessionId, target: { kind: 'account', customerId: 'c-aigerim', productId: 'p-current', label: 'Aigerim S.' } });
  s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(2000)));
  const end = s.money.endCashIn(cashInId, { commission: 0 });
  if (!end.receiptNumber) throw new Error('no receipt');
  return end.receiptNumber;
}

const settle = (s: TempStore) => settleLostReceipts({ db: s.db, store: s.money, smsText: (data, locale) => receiptText(data, locale, site), now: () => new Date(s.clock.ms) });
const at = (s: TempStore): Date => new Date(s.clock.ms);

/** a printer whose job finishes when the test says so */
class HeldPrinter extends TypedEmitter<ReceiptPrinterEvents> implements ReceiptPrinter {
  finish: (r: PrintResult) => void = () => undefined;
  async open() {}
  async close() {}
  status(): PrinterStatus {
    return { link: 'online', online: true, coverOpen: false, paper: 'ok', error: false };
  }
  async refreshStatus() {
    return this.status();
  }
  print(): Promise<PrintResult> {
    return new Promise((resolve) => (this.finish = resolve));
  }
}

describe('receipt print log', () => {
  const { fresh, track } = freshTempStores();

  it('a print the core died in is journaled lost and sent by SMS exactly once, with the receipt text', () => {
    const s = fresh();
    const receiptNumber = cashIn(s);
    beginReceiptPrint(s.db, { receiptNumber, locale: 'kk', phone: PHONE }, at(s));
    // the core dies here: nothing ends the print
    const restarted = s.reopen();
    track(restarted);
    expect(unfinishedReceiptPrints(restarted.db)).toEqual([
      expect.objectContaining({ receiptNumber, operation: 'cashIn', state: 'printing', smsPhone: PHONE, sessionId: 'sess-1', operationId: expect.any(String) }),
    ]);

    const lost = settle(restarted);
    expect(lost).toEqual([{ receiptNumber, operation: 'cashIn', smsKey: expect.any(String) }]);
    const sms = listOutbox(restarted.db).filter((m) => m.kind === 'receiptSms');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ key: lost[0]?.smsKey, receiptNumber, body: { phone: PHONE, receiptNumber, sessionId: 'sess-1' } });
    expect(String(sms[0]?.body.text)).toContain(receiptNumber);
    expect(String(sms[0]?.body.text)).toContain('2 000');

    const journal = readJournal(restarted.db);
    const lostEntry = journal.find((e) => e.type === 'receiptLost');
    expect(lostEntry?.payload).toMatchObject({ ofReceipt: receiptNumber, operation: 'cashIn', sms: true });
    // the SMS entry follows the lost entry in the same transaction; the journal keeps the phone masked
    const smsEntry = journal.find((e) => e.type === 'receiptSms');
    expect(smsEntry?.seq).toBe((lostEntry?.seq ?? 0) + 1);
    expect(JSON.stringify(journal)).not.toContain('1234567');
    expect(verifyJournal(restarted.db).ok).toBe(true);

    // the phone is not kept once the row is settled
    const row = restarted.db.prepare('SELECT state, sms_phone, sms_key FROM receipt_prints').get() as { state: string; sms_phone: string | null; sms_key: string };
    expect(row).toEqual({ state: 'lost', sms_phone: null, sms_key: lost[0]?.smsKey });
    expect(unprintedReceipts(restarted.db)).toEqual([expect.objectContaining({ receiptNumber, state: 'lost', smsKey: lost[0]?.smsKey })]);

    // the next start-up finds nothing: no second SMS
    const again = restarted.reopen();
    track(again);
    expect(settle(again)).toEqual([]);
    expect(listOutbox(again.db).filter((m) => m.kind === 'receiptSms')).toHaveLength(1);
    expect(readJournal(again.db).filter((e) => e.type === 'receiptLost')).toHaveLength(1);
  });

  it('without a known phone a lost receipt is journaled and listed, and nothing goes by SMS', () => {
    const s = fresh();
    const receiptNumber = cashIn(s);
    beginReceiptPrint(s.db, { receiptNumber, locale: 'ru' }, at(s));
    expect(settle(s)).toEqual([{ receiptNumber, operation: 'cashIn' }]);
    expect(listOutbox(s.db).filter((m) => m.kind === 'receiptSms')).toHaveLength(0);
    expect(readJournal(s.db).find((e) => e.type === 'receiptLost')?.payload).toMatchObject({ ofReceipt: receiptNumber, sms: false });
    expect(unprintedReceipts(s.db).map((r) => r.state)).toEqual(['lost']);
  });

  it('a print that ended is no lost receipt; a failed one is journaled and listed until printed or reprinted', () => {
    const s = fresh();
    const printed = cashIn(s, 'sess-a');
    const failed = cashIn(s, 'sess-b');
    const a = beginReceiptPrint(s.db, { receiptNumber: printed, locale: 'en', phone: PHONE }, at(s));
    endReceiptPrint(s.db, a, { ok: true }, at(s));
    const b = beginReceiptPrint(s.db, { receiptNumber: failed, locale: 'en', phone: PHONE }, at(s));
    endReceiptPrint(s.db, b, { ok: false, failure: 'paperOut' }, at(s));
    // a late end for a row start-up settled already changes nothing
    endReceiptPrint(s.db, b, { ok: true }, at(s));
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM receipt_prints WHERE sms_phone IS NOT NULL').get()).toEqual({ n: 0 });
    expect(settle(s)).toEqual([]);
    expect(readJournal(s.db).find((e) => e.type === 'receiptPrintFailed')?.payload).toMatchObject({ ofReceipt: failed, failure: 'paperOut' });
    expect(unprintedReceipts(s.db)).toEqual([expect.objectContaining({ receiptNumber: failed, state: 'failed', failure: 'paperOut' })]);

    // printed on a second try: no longer missing
    const c = beginReceiptPrint(s.db, { receiptNumber: failed, locale: 'en' }, at(s));
    endReceiptPrint(s.db, c, { ok: true }, at(s));
    expect(unprintedReceipts(s.db)).toEqual([]);

    // a lost one reprinted by a technician leaves the list, audited under their id
    const lostNumber = cashIn(s, 'sess-c');
    beginReceiptPrint(s.db, { receiptNumber: lostNumber, locale: 'en' }, at(s));
    settle(s);
    expect(unprintedReceipts(s.db).map((r) => r.receiptNumber)).toEqual([lostNumber]);
    expect(markReceiptReprinted(s.db, lostNumber, 'tech-7', at(s))).toBe(1);
    expect(unprintedReceipts(s.db)).toEqual([]);
    expect(listAudit(s.db)[0]).toMatchObject({ who: 'tech-7', action: 'lostReceiptReprinted', details: { receiptNumber: lostNumber } });
    expect(verifyJournal(s.db).ok).toBe(true);
  });

  it('the receipt printer path records the print before the job and ends it after', async () => {
    const s = fresh();
    const receiptNumber = cashIn(s);
    const printer = new HeldPrinter();
    const delivery = receiptDelivery(s.money, printer, site, { printLog: { db: s.db, now: () => at(s) } });
    const printing = delivery.print(receiptNumber, 'ru', { phone: PHONE });
    // the row is committed while the printer still has the job
    await new Promise((r) => setImmediate(r));
    expect(s.db.prepare('SELECT state, sms_phone FROM receipt_prints').get()).toEqual({ state: 'printing', sms_phone: PHONE });
    printer.finish({ ok: false, failure: 'timeout', detail: 'no status reply' });
    expect(await printing).toEqual({ ok: false, failure: 'timeout' });
    expect(s.db.prepare('SELECT state, sms_phone, failure FROM receipt_prints').get()).toEqual({ state: 'failed', sms_phone: null, failure: 'timeout: no status reply' });
  });
});
