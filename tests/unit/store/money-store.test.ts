import { describe, expect, it } from 'vitest';
import { freshTempStores, type TempStore } from './temp-store.js';
import { checkCounters, readCounters, countersFromJournal } from '../../../kiosk/store/counters.js';
import { installationId, listOutbox, markDelivered } from '../../../kiosk/store/outbox.js';
import { verifyJournal, readJournal } from '../../../kiosk/store/journal.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { OutboxMessageSchema } from '../../../kiosk/bank/messages.js';
import { StoreStateError } from '../../../kiosk/store/money-store.js';

const T = (tenge: number) => tenge * 100;
const account = { kind: 'account' as const, customerId: 'c-aigerim', productId: 'p-current', label: 'Aigerim S.' };

describe('money store', () => {
  const { fresh, track } = freshTempStores();
  const count = (s: TempStore, unit: string, denomination: number) =>
    readCounters(s.db).find((r) => r.unit === unit && r.denomination === denomination)?.count ?? 0;

  it('records a cash-in: intents, stacked and returned notes, one credit message in the end transaction', () => {
    const s = fresh();
    const { cashInId } = s.money.beginCashIn({ sessionId: 'sess-1', target: account });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(2000)));
    s.money.recordReturned(cashInId, s.money.recordStackIntent(cashInId, T(5000)), 'escrowTimeout'); // never credited
    s.money.recordReturned(cashInId, s.money.recordStackIntent(cashInId, T(1000)), 'unrecognised');
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(10000)));
    expect(count(s, 'cashBox', T(2000))).toBe(1);
    expect(listOutbox(s.db)).toHaveLength(0);

    const end = s.money.endCashIn(cashInId, { commission: T(60) });
    expect(end).toMatchObject({ status: 'ok', amount: T(11940), commission: T(60), total: T(12000) });
    const [message] = listOutbox(s.db);
    expect(message).toMatchObject({ key: `T-0001:${installationId(s.db)}:1`, kind: 'cashInCredit', state: 'pending', receiptNumber: end.receiptNumber, amount: T(12000) });
    expect(message?.key).toBe(end.messageKey);
    expect(OutboxMessageSchema.parse({ key: message?.key, kind: message?.kind, body: message?.body })).toBeTruthy();
    expect(message?.body).toMatchObject({
      customerId: 'c-aigerim', productId: 'p-current', amount: T(11940), commission: T(60),
      notes: [{ denomination: T(2000), count: 1 }, { denomination: T(10000), count: 1 }],
    });
    // the message and its journal entry were written together
    const entry = readJournal(s.db).find((e) => e.seq === message?.journalSeq);
    expect(entry).toMatchObject({ type: 'cashInEnd', payload: { receiptNumber: end.receiptNumber } });
    expect(s.money.cashIn(cashInId)?.status).toBe('ok');
    expect(s.money.openCashIns()).toHaveLength(0);
    expect(checkCounters(s.db)).toEqual([]);
    expect(verifyJournal(s.db).ok).toBe(true);
    expect(() => s.money.recordStackIntent(cashInId, T(1000))).toThrow(StoreStateError);
  });

  it('renders the receipt from the journal and reports its delivery state', () => {
    const s = fresh();
    const { cashInId } = s.money.beginCashIn({ sessionId: 'sess-2', target: { kind: 'service', serviceId: 'svc-kcell', reference: '+77011234567', receiptPhone: '+77011234567' } });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(1000)));
    const end = s.money.endCashIn(cashInId, { commission: 0 });
    const message = listOutbox(s.db)[0];
    expect(message).toMatchObject({ kind: 'servicePayment', body: { serviceId: 'svc-kcell', reference: '+77011234567', receiptPhone: '+77011234567' } });
    const receipt = s.money.receipt(end.receiptNumber ?? '');
    expect(receipt).toMatchObject({
      receiptNumber: end.receiptNumber, operation: 'servicePayment', status: 'ok', amount: T(1000), total: T(1000),
      at: '2026-11-25T09:00:00.000Z', service: { serviceId: 'svc-kcell', receiptPhone: '+7701***4567' }, delivery: { key: end.messageKey, state: 'pending' },
    });
    s.db.transaction(() => markDelivered(s.db, end.messageKey ?? '', Date.now())).immediate();
    expect(s.money.receipt(end.receiptNumber ?? '')?.delivery?.state).toBe('delivered');
    expect(s.money.receipt('T-0001-20261125-999999')).toBeUndefined();
  });

  it('rolls back a cash-in with nothing stacked: no receipt, no message', () => {
    const s = fresh();
    const { cashInId } = s.money.beginCashIn({ sessionId: 'sess-3', target: account });
    s.money.recordReturned(cashInId, s.money.recordStackIntent(cashInId, T(500)), 'customerCancelled');
    expect(s.money.endCashIn(cashInId, { commission: 0 })).toEqual({ status: 'rollback', amount: 0, commission: 0, total: 0 });
    expect(s.money.cashIn(cashInId)?.status).toBe('rollback');
    expect(listOutbox(s.db)).toHaveLength(0);
  });

  it('refuses to end with an unresolved stack intent; reconciliation settles it', () => {
    const s = fresh();
    const { cashInId } = s.money.beginCashIn({ sessionId: 'sess-4', target: account });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(5000)));
    s.money.recordStackIntent(cashInId, T(2000));
    // crash here: after restart the cash-in is open, with one intent the device must settle
    const reopened = s.reopen();
    track(reopened);
    const [open] = reopened.money.openCashIns();
    expect(open).toMatchObject({ cashInId, status: 'active', stackedTotal: T(5000) });
    expect(open?.notes.map((n) => n.state)).toEqual(['stacked', 'intent']);
    reopened.money.markCashInUnknown(cashInId);
    expect(() => reopened.money.endCashIn(cashInId, { commission: 0 })).toThrow(/unresolved stack intent/);
    expect(() => reopened.money.resolveStackIntent(cashInId, T(1000), 'stacked')).toThrow(/no open intent/);
    reopened.money.resolveStackIntent(cashInId, T(2000), 'stacked');
    const end = reopened.money.endCashIn(cashInId, { commission: 0 });
    expect(end).toMatchObject({ status: 'ok', amount: T(7000) });
    expect(checkCounters(reopened.db)).toEqual([]);
  });

  it('validates the target and the commission', () => {
    const s = fresh();
    expect(() => s.money.beginCashIn({ sessionId: 'x', target: { kind: 'account', customerId: 'c-1' } })).toThrow(/productId/);
    expect(() => s.money.beginCashIn({ sessionId: 'x', target: { kind: 'service', serviceId: 'svc' } })).toThrow(/reference/);
    const { cashInId } = s.money.beginCashIn({ sessionId: 'x', target: account });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(200)));
    expect(() => s.money.endCashIn(cashInId, { commission: T(300) })).toThrow(/exceeds/);
    expect(() => s.money.recordStackIntent(cashInId, 150.5)).toThrow();
  });

  it('withdrawal taken: cassettes down, presenter cleared, complete message with the dispensed amount', () => {
    const s = fresh();
    s.money.recordReplenishment('tech-7', [{ cassette: 0, denomination: T(5000), count: 200 }, { cassette: 1, denomination: T(10000), count: 100 }]);
    const plan = [{ cassette: 0, count: 2, denomination: T(5000) }, { cassette: 1, count: 1, denomination: T(10000) }];
    const { withdrawalId } = s.money.recordWithdrawalAuthorised({ sessionId: 'w-1', customerId: 'c-dauren', productId: 'p-1', amount: T(20000), commission: T(100), holdId: 'h-1', plan });
    expect(() => s.money.recordTaken(withdrawalId)).toThrow(StoreStateError);
    s.money.recordDispensing(withdrawalId);
    expect(s.money.withdrawal(withdrawalId)?.presentState).toBe('unknown');
    s.money.recordDispensed(withdrawalId, [{ cassette: 0, dispensed: 2, rejected: 1 }, { cassette: 1, dispensed: 1, rejected: 0 }]);
    expect(count(s, 'cassette:0', T(5000))).toBe(197);
    expect(count(s, 'reject', T(5000))).toBe(1);
    expect(count(s, 'presenter', T(5000))).toBe(2);
    s.money.recordPresented(withdrawalId, 'presented');
    const taken = s.money.recordTaken(withdrawalId);
    expect(count(s, 'presenter', T(5000))).toBe(0);
    expect(count(s, 'cassette:1', T(10000))).toBe(99);
    const message = listOutbox(s.db).find((m) => m.key === taken.messageKey);
    expect(message).toMatchObject({ kind: 'withdrawalComplete', body: { holdId: 'h-1', amount: T(20000), commission: T(100), receiptNumber: taken.receiptNumber } });
    expect(s.money.receipt(taken.receiptNumber)).toMatchObject({ operation: 'withdrawal', amount: T(20000), total: T(20100), status: 'ok' });
    expect(s.money.openWithdrawals()).toHaveLength(0);
    expect(s.money.offlineExposure()).toBe(0); // a debit is not an offline credit
    expect(checkCounters(s.db)).toEqual([]);
  });

  it('partial dispense is debited only for what was presented', () => {
    const s = fresh();
    s.money.recordReplenishment('tech-7', [{ cassette: 0, denomination: T(5000), count: 10 }]);
    const { withdrawalId } = s.money.recordWithdrawalAuthorised({ sessionId: 'w-2', customerId: 'c', productId: 'p', amount: T(15000), commission: 0, holdId: 'h-2', plan: [{ cassette: 0, count: 3, denomination: T(5000) }] });
    s.money.recordDispensing(withdrawalId);
    s.money.recordDispensed(withdrawalId, [{ cassette: 0, dispensed: 2, rejected: 0 }]);
    s.money.recordPresented(withdrawalId, 'presented');
    const taken = s.money.recordTaken(withdrawalId);
    expect(listOutbox(s.db).find((m) => m.key === taken.messageKey)?.body).toMatchObject({ amount: T(10000) });
    expect(s.money.receipt(taken.receiptNumber)?.status).toBe('partial');
  });

  it('takes a smaller fee for a partial dispense, never a larger one', () => {
    const s = fresh();
    s.money.recordReplenishment('tech-7', [{ cassette: 0, denomination: T(5000), count: 10 }]);
    const { withdrawalId } = s.money.recordWithdrawalAuthorised({ sessionId: 'w-3', customerId: 'c', productId: 'p', amount: T(15000), commission: T(100), holdId: 'h-3', plan: [{ cassette: 0, count: 3, denomination: T(5000) }] });
    s.money.recordDispensing(withdrawalId);
    s.money.recordDispensed(withdrawalId, [{ cassette: 0, dispensed: 1, rejected: 2 }]);
    s.money.recordPresented(withdrawalId, 'presented');
    expect(() => s.money.recordTaken(withdrawalId, { commission: T(200) })).toThrow(/exceeds the authorised/);
    const taken = s.money.recordTaken(withdrawalId, { commission: T(50) });
    expect(listOutbox(s.db).find((m) => m.key === taken.messageKey)?.body).toMatchObject({ amount: T(5000), commission: T(50) });
    expect(s.money.receipt(taken.receiptNumber)).toMatchObject({ amount: T(5000), commission: T(50), total: T(5050) });
  });

  it('lists undelivered messages with their receipt numbers for the technician', () => {
    const s = fresh();
    const { cashInId } = s.money.beginCashIn({ sessionId: 'u-1', target: account });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, T(1000)));
    const end = s.money.endCashIn(cashInId, { commission: 0 });
    expect(s.money.undelivered()).toEqual([
      { key: end.messageKey, kind: 'cashInCredit', state: 'pending', receiptNumber: end.receiptNumber, amount: T(1000), attempts: 0, reason: null, createdAt: s.clock.ms },
    ]);
  });

  it('reverses a retracted or failed withdrawal through the queue; an unknown present state needs a technician', () => {
    const s = fresh();
    s.money.recordReplenishment('tech-7', [{ cassette: 0, denomination: T(5000), count: 10 }]);
    const auth = (id: string) => s.money.recordWithdrawalAuthorised({ sessionId: id, customerId: 'c', productId: 'p', amount: T(5000), commission: 0, holdId: `h-${id}`, plan: [{ cassette: 0, count: 1, denomination: T(5000) }] }).withdrawalId;

    const retracted = auth('a');
    s.money.recordDispensing(retracted);
    s.money.recordDispensed(retracted, [{ cassette: 0, dispensed: 1, rejected: 0 }]);
    s.money.recordPresented(retracted, 'presented');
    expect(() => s.money.reverseWithdrawal(retracted, 'notTaken')).toThrow(/retract/);
    s.money.recordRetracted(retracted);
    const rev = s.money.reverseWithdrawal(retracted, 'notTaken');
    expect(listOutbox(s.db).find((m) => m.key === rev.messageKey)).toMatchObject({ kind: 'withdrawalReverse', body: { holdId: 'h-a', reason: 'notTaken' } });
    expect(count(s, 'retract', T(5000))).toBe(1);

    const unknown = auth('b');
    s.money.recordDispensing(unknown); // crash while the dispenser works
    expect(() => s.money.reverseWithdrawal(unknown, 'crash')).toThrow(/technician/);
    expect(s.money.openWithdrawals().map((w) => w.withdrawalId)).toEqual([unknown]);
    s.money.reverseWithdrawal(unknown, 'jam, presenter empty', { technician: 'tech-7' });
    expect(listAudit(s.db)[0]).toMatchObject({ who: 'tech-7', action: 'withdrawalReverse' });

    const failed = auth('c');
    s.money.recordDispensing(failed);
    s.money.recordDispensed(failed, [{ cassette: 0, dispensed: 1, rejected: 0 }]);
    s.money.recordPresented(failed, 'notPresented'); // presenter jammed: reset purges to the reject bin
    s.money.reverseWithdrawal(failed, 'presentFailed');
    expect(count(s, 'reject', T(5000))).toBe(1);
    expect(count(s, 'presenter', T(5000))).toBe(0);
    expect(checkCounters(s.db)).toEqual([]);
  });

  it('collection and replenishment are journal entries; counters equal the journal', () => {
    const s = fresh();
    s.money.recordReplenishment('tech-1', [{ cassette: 0, denomination: T(5000), count: 50 }]);
    for (let i = 0; i < 3; i++) {
      const { cashInId } = s.money.beginCashIn({ sessionId: `c-${i}`, target: account });
      for (const d of [T(1000), T(2000), T(2000)]) {
        s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, d));
      }
      s.money.endCashIn(cashInId, { commission: 0 });
    }
    expect(count(s, 'cashBox', T(2000))).toBe(6);
    const collected = s.money.recordCollection('tech-2');
    expect(collected.removed).toEqual([{ unit: 'cashBox', denomination: T(1000), count: 3 }, { unit: 'cashBox', denomination: T(2000), count: 6 }]);
    expect(count(s, 'cashBox', T(2000))).toBe(0);
    expect(listOutbox(s.db).find((m) => m.key === collected.messageKey)).toMatchObject({ kind: 'collection', body: { units: collected.removed } });
    // reload cassette 0 with another denomination: the old notes leave, the new ones arrive
    s.money.recordReplenishment('tech-2', [{ cassette: 0, denomination: T(10000), count: 30 }]);
    expect(count(s, 'cassette:0', T(5000))).toBe(0);
    expect(count(s, 'cassette:0', T(10000))).toBe(30);
    expect(checkCounters(s.db)).toEqual([]);
    expect(listAudit(s.db).map((a) => a.action)).toEqual(['replenishment', 'collection', 'replenishment']);
    // a counter changed behind the journal's back is found
    s.db.prepare("UPDATE counters SET count = count + 1 WHERE unit = 'cassette:0' AND denomination = ?").run(T(10000));
    expect(checkCounters(s.db)).toEqual([{ unit: 'cassette:0', denomination: T(10000), counter: 31, journal: 30 }]);
    expect(countersFromJournal(s.db).find((r) => r.unit === 'cassette:0' && r.denomination === T(10000))?.count).toBe(30);
  });

  it('offline exposure sums pending credits only', () => {
    const s = fresh();
    const keys: string[] = [];
    for (const amount of [T(1000), T(5000)]) {
      const { cashInId } = s.money.beginCashIn({ sessionId: `o-${amount}`, target: account });
      s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, amount));
      keys.push(s.money.endCashIn(cashInId, { commission: 0 }).messageKey ?? '');
    }
    expect(s.money.offlineExposure()).toBe(T(6000));
    s.db.transaction(() => markDelivered(s.db, keys[0] ?? '', Date.now())).immediate();
    expect(s.money.offlineExposure()).toBe(T(5000));
  });
});
