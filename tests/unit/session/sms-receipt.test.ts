/**
 * Receipt by SMS through the real session over a real SQLite store (temp files): the customer's
 * choice ends as one `receiptSms` outbox message carrying the journal's receipt as text, written
 * with a journal entry that keeps only the masked phone. The bank is not asked at all, so the
 * receipt is given while it is offline too (store-and-forward).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import { startSession, type RunningSession } from '../../../kiosk/session/start-session.js';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { readJournal } from '../../../kiosk/store/journal.js';
import { maskReceiptPhone } from '../../../kiosk/store/money-store.js';
import { StoreAdapter } from '../../../kiosk/runtime/store-adapter.js';
import { receiptDelivery } from '../../../kiosk/runtime/receipts.js';
import { ReceiptSmsBody } from '../../../kiosk/bank/messages.js';
import { FakePrinter, fakeWorld, greedyPlanner } from './fakes.js';
import { driver, flush } from './kiosk.js';
import { T } from './world.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

function open(options: { smsFails?: boolean } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-sms-receipt-'));
  const kstore: KioskStore = openKioskStore({ dataDir: dir, terminalId: 'T-0001' });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => kstore.close());
  const world = fakeWorld();
  let queued = 0;
  const planSource = { plan: greedyPlanner, denominationOf: (c: number) => [500_000, 100_000][c] };
  world.ports.store = new StoreAdapter(kstore.money, planSource);
  const delivery = receiptDelivery(kstore.money, new FakePrinter(), { bankName: 'Bank', terminalId: 'T-0001', address: 'Almaty' }, { onEnqueue: () => queued++ });
  world.ports.receipts = options.smsFails ? { print: delivery.print, sms: () => Promise.reject(new Error('disk I/O error')) } : delivery;
  const session: RunningSession = startSession(world.ports);
  cleanup.push(() => session.close());
  return { ...world, kstore, session, ...driver(session), queued: () => queued };
}

async function payMobileInCash(k: ReturnType<typeof open>, offlineAfterCatalogue = false): Promise<Snapshot> {
  await k.intent('start');
  await k.intent('payWithoutIdentification');
  if (offlineAfterCatalogue) k.bank.offline = true;
  await k.intent('selectService', { serviceId: 'svc-mobile' });
  await k.intent('submitReference', { reference: '8 701 123 45 67' });
  k.acceptor.insert(T(1000));
  await flush();
  // a service's commission is first shown on the confirm screen, so that is the consent (5.5)
  expect((await k.intent('finishCashIn')).screen).toBe('confirm');
  expect((await k.intent('confirm')).screen).toBe('outcome');
  return k.intent('confirm');
}

describe('receipt by SMS', () => {
  it('walk-up cash payment: the phone is asked for, the receipt text is queued once, the journal keeps it masked', async () => {
    const k = open();
    let s = await payMobileInCash(k);
    expect(s.screen).toBe('receiptChoice');
    expect(s.receipt?.options).toEqual(['print', 'sms', 'none']);
    const receiptNumber = s.receipt?.number ?? '';
    expect(receiptNumber).not.toBe('');

    s = await k.intent('chooseReceipt', { choice: 'sms' });
    expect(s.screen).toBe('receiptPhone');
    s = await k.intent('submitReceiptPhone', { phone: '1234567890' });
    expect(s.screen).toBe('receiptPhone');
    expect(s.error?.code).toBe('invalidPhone');
    expect(listOutbox(k.kstore.db).filter((m) => m.kind === 'receiptSms')).toHaveLength(0);

    s = await k.intent('submitReceiptPhone', { phone: '87475556677' });
    expect(s.screen).toBe('goodbye');
    const sent = k.seen.find((x) => x.receipt?.status === 'sent');
    expect(sent?.receipt?.smsTo).toBe('+7747*****77');

    const sms = listOutbox(k.kstore.db).filter((m) => m.kind === 'receiptSms');
    expect(sms).toHaveLength(1);
    const body = ReceiptSmsBody.parse(sms[0]?.body);
    expect(body.phone).toBe('+77475556677');
    expect(body.receiptNumber).toBe(receiptNumber);
    expect(body.text).toContain(receiptNumber);
    expect(body.text).toContain('1 000');
    expect(sms[0]).toMatchObject({ state: 'pending', receiptNumber, amount: 0 });
    expect(k.queued()).toBe(1);

    // same transaction: the outbox row points at the journal entry that says the SMS was sent
    const entry = readJournal(k.kstore.db).find((e) => e.seq === sms[0]?.journalSeq);
    expect(entry).toMatchObject({ type: 'receiptSms', payload: { ofReceipt: receiptNumber, phone: '+7 747 *** ** 77' } });
    const journalText = JSON.stringify(readJournal(k.kstore.db));
    expect(journalText).not.toContain('5556677');
    // the payment's own receipt still resolves (the SMS entry does not take its number)
    expect(k.kstore.money.receipt(receiptNumber)).toMatchObject({ operation: 'servicePayment', amount: expect.any(Number) });
    // the receipt phone never reaches a snapshot unmasked
    expect(JSON.stringify(k.seen)).not.toContain('5556677');
  });

  it('bank offline: the SMS receipt is still given, queued behind the payment', async () => {
    const k = open();
    const s = await payMobileInCash(k, true);
    expect(s.screen).toBe('receiptChoice');
    expect(s.receipt?.options).toContain('sms');
    await k.intent('chooseReceipt', { choice: 'sms' });
    const done = await k.intent('submitReceiptPhone', { phone: '+77019998867' });
    expect(done.screen).toBe('goodbye');
    expect(k.seen.some((x) => x.receipt?.status === 'sent')).toBe(true);
    const kinds = listOutbox(k.kstore.db).map((m) => m.kind);
    expect(kinds).toEqual(['servicePayment', 'receiptSms']);
  });

  it('a receipt that could not be queued is never shown as sent: the choice comes back with the error', async () => {
    const k = open({ smsFails: true });
    const { intent, seen } = k;
    expect((await payMobileInCash(k)).screen).toBe('receiptChoice');
    await intent('chooseReceipt', { choice: 'sms' });
    let s = await intent('submitReceiptPhone', { phone: '87475556677' });
    expect(s.screen).toBe('receiptChoice');
    expect(s.error?.code).toBe('internal');
    expect(seen.some((x) => x.receipt?.status === 'sent')).toBe(false);
    expect(listOutbox(k.kstore.db).map((m) => m.kind)).toEqual(['servicePayment']);
    s = await intent('chooseReceipt', { choice: 'none' });
    expect(s.screen).toBe('goodbye');
  });

  it('the store refuses an SMS for a receipt it never issued, and a phone not in E.164', () => {
    const k = open();
    expect(() => k.kstore.money.recordReceiptSms({ receiptNumber: 'T-0001-20261125-9999', phone: '+77011234567', text: 'x' })).toThrow(/no receipt/);
    expect(() => k.kstore.money.recordReceiptSms({ receiptNumber: 'R-1', phone: '87011234567', text: 'x' })).toThrow(/E\.164/);
    expect(listOutbox(k.kstore.db)).toHaveLength(0);
  });

  it('journal form of a phone: operator code and the last two digits', () => {
    expect(maskReceiptPhone('+77011234567')).toBe('+7 701 *** ** 67');
    expect(maskReceiptPhone('+4915112345678')).toBe('+49 *** 78');
  });
});
