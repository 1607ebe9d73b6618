/**
 * Service payments from an account through the real SQLite store, the outbox, the sync worker and
 * the bank host simulator: the hold becomes one debit of amount + commission (and the provider's
 * side gets the amount), a replayed message moves nothing, and a payment the core left open when
 * it died is reversed by start-up reconciliation, by its hold or, when the bank's answer never
 * arrived, by its authorisation key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { readJournal, verifyJournal } from '../../../kiosk/store/journal.js';
import { reconcileAtStartup } from '../../../kiosk/recovery/reconcile.js';
import { openKioskStore } from '../../../kiosk/store/store.js';
import { FakeAcceptor, FakeDispenser } from '../../unit/session/fakes.js';
import { startWorld, TERMINAL, type World } from './kiosk-and-bank.js';
import path from 'node:path';

interface AccountView { balance: number; held: number }

const ACCOUNT = 'a-aigerim-cur';
const T2000 = 200_000;
const FEE = 5_000; // payService: 1 % of 2 000 tenge is 20, below the 50 tenge minimum

describe('service payment from an account, kiosk store <-> bank', () => {
  let world: World | undefined;
  const closers: Array<() => void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await world?.close();
    world = undefined;
  });

  async function accessToken(w: World, session: string, customer = 'c-aigerim', phone = '+77011234567'): Promise<string> {
    const sent = await w.client.requestOtp(session, customer);
    if (!sent.ok) throw new Error(sent.reason);
    const { messages } = await w.admin<{ messages: Array<{ text: string; channel: string }> }>('GET', `/admin/sms?phone=${encodeURIComponent(phone)}`);
    const code = /\b(\d{6})\b/.exec(messages.at(-1)?.text ?? '')?.[1] ?? '';
    const verified = await w.client.verifyOtp(session, customer, code);
    if (!verified.ok) throw new Error(verified.reason);
    return verified.accessToken;
  }

  const account = (w: World) => w.admin<AccountView>('GET', `/admin/accounts/${ACCOUNT}`);
  const begin = (w: World, key: string, amount = T2000) =>
    w.store.money.beginAccountPayment({
      sessionId: 's-1', customerId: 'c-aigerim', productId: ACCOUNT, label: 'Current account *0101', serviceId: 'kcell', serviceName: 'Kcell / activ',
      reference: '7011234567', amount, commission: FEE, authorisationKey: key,
    }).paymentId;

  it('the quote, the hold and one debit of amount + commission; the provider gets the amount; a replay moves nothing', async () => {
    world = await startWorld();
    const w = world;
    const token = await accessToken(w, 's-1');
    const start = await account(w);
    const quote = await w.client.quote('payService', T2000, ACCOUNT, 'kcell');
    expect(quote).toEqual({ operation: 'payService', amount: T2000, commission: FEE, total: T2000 + FEE });

    const key = `${TERMINAL}:s-1:p1`;
    const paymentId = begin(w, key);
    const auth = await w.client.authoriseServicePayment({
      accessToken: token, productId: ACCOUNT, serviceId: 'kcell', reference: '7011234567', amount: T2000, commission: FEE, idempotencyKey: key,
    });
    if (!auth.ok) throw new Error(auth.reason);
    expect(auth.status).toBe('approved');
    // the same key again (a retry after a lost answer) gets the same hold, never a second one
    const again = await w.client.authoriseServicePayment({
      accessToken: token, productId: ACCOUNT, serviceId: 'kcell', reference: '7011234567', amount: T2000, commission: FEE, idempotencyKey: key,
    });
    expect(again).toEqual(auth);
    expect(await account(w)).toMatchObject({ balance: start.balance, held: T2000 + FEE });

    w.store.money.recordAccountPaymentAuthorised(paymentId, { holdId: auth.holdId, commission: auth.commission });
    const { receiptNumber, messageKey } = w.store.money.completeAccountPayment(paymentId);
    expect(w.store.money.receipt(receiptNumber)).toMatchObject({
      operation: 'servicePayment', amount: T2000, commission: FEE, total: T2000 + FEE,
      service: { serviceId: 'kcell', reference: '7011234567', name: 'Kcell / activ' },
    });
    expect(() => w.store.money.completeAccountPayment(paymentId)).toThrow(/complete/);

    const worker = new SyncWorker({ db: w.store.db, deliver: w.deliver });
    expect(await worker.runOnce()).toMatchObject({ kind: 'sent', deadLettered: 0 });
    expect(await account(w)).toEqual(expect.objectContaining({ balance: start.balance - T2000 - FEE, held: 0 }));
    expect((await w.entryKeys(ACCOUNT)).filter((k) => k === messageKey)).toHaveLength(2); // amount and fee, one message
    const { payments } = await w.admin<{ payments: Array<{ amount: number; reference: string; messageKey: string }> }>('GET', '/admin/service-payments?serviceId=kcell');
    expect(payments).toEqual([expect.objectContaining({ amount: T2000, reference: '7011234567', messageKey })]);

    // the acknowledgement lost: the same message again is "already applied", nothing moves
    const [message] = listOutbox(w.store.db).filter((m) => m.key === messageKey);
    if (!message) throw new Error('message missing');
    expect(await w.deliver([{ key: message.key, kind: message.kind, body: message.body }])).toEqual([{ key: messageKey, status: 'alreadyApplied' }]);
    expect((await account(w)).balance).toBe(start.balance - T2000 - FEE);
    expect(verifyJournal(w.store.db).ok).toBe(true);
  });

  it('insufficient funds for amount + commission (5.7), a commission other than the one shown, a loan: refused, nothing held', async () => {
    world = await startWorld();
    const w = world;
    // Sergey has 15 000 tenge: all of it as the amount leaves nothing for the 150 tenge commission
    const token = await accessToken(w, 's-2', 'c-sergey', '+77017654321');
    const sergey = () => w.admin<AccountView>('GET', '/admin/accounts/a-sergey-cur');
    const start = await sergey();
    const amount = start.balance;
    const fee = (await w.client.quote('payService', amount, 'a-sergey-cur', 'kcell')).commission;
    expect(fee).toBe(15_000);
    const key = `${TERMINAL}:s-2:p1`;
    const paymentId = w.store.money.beginAccountPayment({
      sessionId: 's-2', customerId: 'c-sergey', productId: 'a-sergey-cur', label: 'Current account', serviceId: 'kcell', reference: '7011234567',
      amount, commission: fee, authorisationKey: key,
    }).paymentId;
    const ask = { accessToken: token, productId: 'a-sergey-cur', serviceId: 'kcell', reference: '7011234567', amount, commission: fee, idempotencyKey: key };
    const auth = await w.client.authoriseServicePayment(ask);
    expect(auth).toMatchObject({ ok: false, reason: 'insufficientFunds', params: { available: amount, required: amount + fee } });
    w.store.money.recordAccountPaymentRefused(paymentId, auth.ok ? '' : auth.reason);
    expect(w.store.money.openAccountPayments()).toEqual([]);
    expect(listOutbox(w.store.db)).toEqual([]);
    expect(await sergey()).toEqual(expect.objectContaining({ balance: start.balance, held: 0 }));

    const otherFee = await w.client.authoriseServicePayment({ ...ask, amount: 1_000_000, commission: 0, idempotencyKey: `${TERMINAL}:s-2:p2` });
    expect(otherFee).toMatchObject({ ok: false, reason: 'notAuthorised', params: { cause: 'commissionChanged' } });
    const marat = await accessToken(w, 's-4', 'c-marat', '+77475556677');
    const loan = await w.client.authoriseServicePayment({ ...ask, accessToken: marat, productId: 'a-marat-loan', amount: 1_000_000, commission: 5_000, idempotencyKey: `${TERMINAL}:s-4:p1` });
    expect(loan).toMatchObject({ ok: false, reason: 'notAuthorised', params: { cause: 'product' } });
    expect(await sergey()).toEqual(expect.objectContaining({ balance: start.balance, held: 0 }));
  });

  it('start-up reconciliation reverses a payment left authorised and voids one whose answer never came', async () => {
    world = await startWorld();
    const w = world;
    const token = await accessToken(w, 's-3');
    const start = await account(w);

    // A: held and recorded as authorised; the core dies before completing
    const keyA = `${TERMINAL}:s-3:p1`;
    const a = begin(w, keyA);
    const authA = await w.client.authoriseServicePayment({ accessToken: token, productId: ACCOUNT, serviceId: 'kcell', reference: '7011234567', amount: T2000, commission: FEE, idempotencyKey: keyA });
    if (!authA.ok) throw new Error(authA.reason);
    w.store.money.recordAccountPaymentAuthorised(a, { holdId: authA.holdId, commission: authA.commission });
    // B: the bank held, but the answer never reached the core
    const keyB = `${TERMINAL}:s-3:p2`;
    begin(w, keyB);
    const authB = await w.client.authoriseServicePayment({ accessToken: token, productId: ACCOUNT, serviceId: 'kcell', reference: '7011234567', amount: T2000, commission: FEE, idempotencyKey: keyB });
    if (!authB.ok) throw new Error(authB.reason);
    // C: the request never reached the bank at all
    const keyC = `${TERMINAL}:s-3:p3`;
    begin(w, keyC);
    expect(await account(w)).toMatchObject({ held: 2 * (T2000 + FEE) });

    // kill: the store is closed with the three open, and opened again from the same file
    const dataDir = path.join(w.dir, 'kiosk');
    w.store.close();
    const reopened = openKioskStore({ dataDir, terminalId: TERMINAL });
    closers.push(() => reopened.close());
    expect(reopened.money.openAccountPayments().map((p) => p.state)).toEqual(['authorised', 'authorising', 'authorising']);

    const log: string[] = [];
    const report = await reconcileAtStartup({ store: reopened.money, acceptor: new FakeAcceptor(log), dispenser: new FakeDispenser(log), deviceTimeoutMs: 500 });
    expect(report.settled).toBe(true);
    expect(report.decisions.map((d) => (d.kind === 'accountPaymentReversed' ? d.was : d.kind))).toEqual(['authorised', 'authorising', 'authorising']);
    expect(reopened.money.openAccountPayments()).toEqual([]);
    expect(readJournal(reopened.db).filter((e) => e.type === 'accountPaymentReversed')).toHaveLength(3);

    const worker = new SyncWorker({ db: reopened.db, deliver: w.deliver });
    expect(await worker.runOnce()).toMatchObject({ kind: 'sent', deadLettered: 0 });
    expect(await account(w)).toEqual(expect.objectContaining({ balance: start.balance, held: 0 }));
    expect(await w.admin('GET', `/admin/holds/${authA.holdId}`)).toMatchObject({ status: 'reversed' });
    expect(await w.admin('GET', `/admin/holds/${authB.holdId}`)).toMatchObject({ status: 'reversed' });
    // C's key is void now: the request arriving late holds nothing
    const late = await w.client.authoriseServicePayment({ accessToken: token, productId: ACCOUNT, serviceId: 'kcell', reference: '7011234567', amount: T2000, commission: FEE, idempotencyKey: keyC });
    expect(late).toMatchObject({ ok: false, reason: 'notAuthorised' });
    expect((await account(w)).held).toBe(0);
    // and a completion can never follow a reversal
    expect(() => reopened.money.completeAccountPayment(reopened.money.accountPayment(a)?.paymentId ?? '')).toThrow(/reversed/);
  });
});
