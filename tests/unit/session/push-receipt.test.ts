/**
 * Receipt and code by push to the bank's app, through the real session over a real SQLite store
 * (temp files): the option is offered only to a customer the bank says has the app, the choice ends
 * as one `receiptPush` outbox message for that customer (journal entry beside it), and the OTP
 * screen says where the code went.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSession, type RunningSession } from '../../../kiosk/session/start-session.js';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { readJournal } from '../../../kiosk/store/journal.js';
import { StoreAdapter } from '../../../kiosk/runtime/store-adapter.js';
import { receiptDelivery } from '../../../kiosk/runtime/receipts.js';
import { ReceiptPushBody } from '../../../kiosk/bank/messages.js';
import { FakePrinter, fakeWorld, greedyPlanner } from './fakes.js';
import { driver, flush } from './kiosk.js';
import { SECRET_OTP, T } from './world.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

function open(hasApp: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-push-receipt-'));
  const kstore: KioskStore = openKioskStore({ dataDir: dir, terminalId: 'T-0001' });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => kstore.close());
  const world = fakeWorld();
  world.bank.hasApp = hasApp;
  const planSource = { plan: greedyPlanner, denominationOf: (c: number) => [500_000, 100_000][c] };
  world.ports.store = new StoreAdapter(kstore.money, planSource);
  world.ports.receipts = receiptDelivery(kstore.money, new FakePrinter(), { bankName: 'Bank', terminalId: 'T-0001', address: 'Almaty' });
  const session: RunningSession = startSession(world.ports);
  cleanup.push(() => session.close());
  return { ...world, kstore, session, ...driver(session) };
}

async function cashIn(k: ReturnType<typeof open>) {
  await k.intent('start');
  await k.intent('chooseIdentification', { method: 'phone' });
  const otp = await k.intent('submitPhone', { phone: '87011234567' });
  await k.intent('submitOtp', { code: SECRET_OTP });
  await k.intent('chooseOperation', { operation: 'cashIn' });
  await k.intent('selectProduct', { productId: 'p-current' });
  k.acceptor.insert(T(5000));
  await flush();
  const outcome = await k.intent('finishCashIn');
  return { otp, outcome };
}

describe('push to the bank app', () => {
  it('a customer with the app: the code went to the app, "send to the app" queues one receiptPush for that customer', async () => {
    const k = open(true);
    const { otp, outcome } = await cashIn(k);
    expect(otp.screen).toBe('otpEntry');
    expect(otp.input?.channel).toBe('push');
    expect(outcome.screen).toBe('outcome');
    const choice = await k.intent('confirm');
    expect(choice.screen).toBe('receiptChoice');
    expect(choice.receipt?.options).toContain('push');
    const receiptNumber = choice.receipt?.number ?? '';
    const done = await k.intent('chooseReceipt', { choice: 'push' });
    expect(done.screen).toBe('operations');
    expect(done.error).toBeUndefined();

    const pushes = listOutbox(k.kstore.db).filter((m) => m.kind === 'receiptPush');
    expect(pushes).toHaveLength(1);
    const body = ReceiptPushBody.parse(pushes[0]?.body);
    expect(body.customerId).toBe('c-aigerim');
    expect(body.receiptNumber).toBe(receiptNumber);
    expect(body.text).toContain(receiptNumber);
    const journal = readJournal(k.kstore.db).filter((e) => e.type === 'receiptPush');
    expect(journal).toHaveLength(1);
    expect(journal[0]?.payload).toMatchObject({ ofReceipt: receiptNumber, customerId: 'c-aigerim' });
  });

  it('a customer without the app: no push option, the code went by SMS', async () => {
    const k = open(false);
    const { otp } = await cashIn(k);
    expect(otp.input?.channel).toBe('sms');
    const choice = await k.intent('confirm');
    expect(choice.receipt?.options).not.toContain('push');
    // a push asked for anyway is refused like any option not offered, and nothing is queued
    const s = await k.intent('chooseReceipt', { choice: 'push' });
    expect(s.screen).toBe('receiptChoice');
    expect(listOutbox(k.kstore.db).filter((m) => m.kind === 'receiptPush')).toHaveLength(0);
  });

  it('the store refuses a push for a receipt it never issued', () => {
    const k = open(true);
    expect(() => k.kstore.money.recordReceiptPush({ receiptNumber: 'T-0001-20261125-9999', customerId: 'c-aigerim', text: 'x' })).toThrow(/no receipt/);
    expect(listOutbox(k.kstore.db)).toHaveLength(0);
  });
});
