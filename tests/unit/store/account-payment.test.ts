/**
 * The store's side of a service payment from an account, on a real SQLite file: recorded before
 * the bank is asked, completed in one transaction (receipt number, journal entry, debit message),
 * reversed by hold or by authorisation key, and never both.
 */
import { describe, expect, it } from 'vitest';
import { freshTempStores } from './temp-store.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { readJournal, verifyJournal } from '../../../kiosk/store/journal.js';
import { OutboxMessageSchema } from '../../../kiosk/bank/messages.js';
import { StoreStateError } from '../../../kiosk/store/money-store.js';

const input = {
  sessionId: 'sess-1', customerId: 'c-aigerim', productId: 'p-current', label: 'KZ** **** 1234', serviceId: 'kcell', serviceName: 'Kcell',
  reference: '7011234567', amount: 200_000, commission: 5_000, authorisationKey: 'T-0001:sess-1:p1',
};

describe('payments from an account in the store', () => {
  const { fresh, track } = freshTempStores();

  it('completes once: the receipt comes from the journal, the debit message names the hold and the source', () => {
    const s = fresh();
    const { paymentId } = s.money.beginAccountPayment(input);
    expect(s.money.openAccountPayments().map((p) => p.state)).toEqual(['authorising']);
    expect(() => s.money.completeAccountPayment(paymentId)).toThrow(StoreStateError); // not held yet
    s.money.recordAccountPaymentAuthorised(paymentId, { holdId: 'hp-1', commission: 5_000 });
    const { receiptNumber, messageKey } = s.money.completeAccountPayment(paymentId);
    expect(receiptNumber).toMatch(/^T-0001-20261125-\d{6}$/);
    expect(s.money.receipt(receiptNumber)).toMatchObject({
      operation: 'servicePayment', status: 'ok', amount: 200_000, commission: 5_000, total: 205_000,
      service: { serviceId: 'kcell', reference: '7011234567', name: 'Kcell' },
      customer: { customerId: 'c-aigerim', productId: 'p-current', label: 'KZ** **** 1234' },
      delivery: { key: messageKey, state: 'pending' },
    });
    const [message] = listOutbox(s.db);
    expect(OutboxMessageSchema.parse(message)).toMatchObject({
      key: messageKey, kind: 'servicePayment',
      body: { receiptNumber, serviceId: 'kcell', reference: '7011234567', amount: 200_000, commission: 5_000, holdId: 'hp-1', source: { customerId: 'c-aigerim', productId: 'p-current' } },
    });
    // a payment from an account is not cash: it never counts against the offline caps
    expect(s.money.offlineExposure()).toBe(0);
    expect(() => s.money.completeAccountPayment(paymentId)).toThrow(/complete/);
    expect(() => s.money.reverseAccountPayment(paymentId, 'late')).toThrow(/complete/);
    expect(listOutbox(s.db)).toHaveLength(1);
    expect(s.money.openAccountPayments()).toEqual([]);
    expect(readJournal(s.db).map((e) => e.type)).toEqual(['accountPaymentAuthorising', 'accountPaymentAuthorised', 'accountPaymentComplete']);
    expect(verifyJournal(s.db).ok).toBe(true);
  });

  it('a commission other than the one consented to is never recorded as held', () => {
    const s = fresh();
    const { paymentId } = s.money.beginAccountPayment(input);
    expect(() => s.money.recordAccountPaymentAuthorised(paymentId, { holdId: 'hp-1', commission: 6_000 })).toThrow(/agreed to 5000/);
    expect(s.money.accountPayment(paymentId)?.state).toBe('authorising');
  });

  it('reverses by hold when it is known, and by the authorisation key alone when the answer never came', () => {
    const s = fresh();
    const a = s.money.beginAccountPayment(input).paymentId;
    s.money.recordAccountPaymentAuthorised(a, { holdId: 'hp-1', commission: 5_000 });
    const b = s.money.beginAccountPayment({ ...input, authorisationKey: 'T-0001:sess-1:p2' }).paymentId;
    s.money.reverseAccountPayment(a, 'approvalRefused');
    s.money.reverseAccountPayment(b, 'noAnswer');
    const bodies = listOutbox(s.db).map((m) => OutboxMessageSchema.parse(m)).map((m) => ({ kind: m.kind, body: m.body }));
    expect(bodies).toEqual([
      { kind: 'servicePaymentReverse', body: expect.objectContaining({ holdId: 'hp-1', authorisationKey: 'T-0001:sess-1:p1', reason: 'approvalRefused' }) },
      { kind: 'servicePaymentReverse', body: expect.not.objectContaining({ holdId: expect.anything() }) },
    ]);
    expect(bodies[1]?.body).toMatchObject({ authorisationKey: 'T-0001:sess-1:p2' });
    expect(() => s.money.completeAccountPayment(a)).toThrow(/reversed/);
    expect(s.money.openAccountPayments()).toEqual([]);
  });

  it('a refusal closes the record with nothing for the bank; one key is one payment', () => {
    const s = fresh();
    const { paymentId } = s.money.beginAccountPayment(input);
    s.money.recordAccountPaymentRefused(paymentId, 'insufficientFunds');
    expect(s.money.accountPayment(paymentId)?.state).toBe('refused');
    expect(listOutbox(s.db)).toEqual([]);
    expect(() => s.money.reverseAccountPayment(paymentId, 'x')).toThrow(/refused/);
    expect(() => s.money.beginAccountPayment(input)).toThrow(/UNIQUE/);
  });

  it('survives a restart: an open payment is read back from the file as it was', () => {
    let s = fresh();
    const { paymentId } = s.money.beginAccountPayment(input);
    s.money.recordAccountPaymentAuthorised(paymentId, { holdId: 'hp-9', commission: 5_000 });
    s = s.reopen();
    track(s);
    expect(s.money.openAccountPayments()).toEqual([expect.objectContaining({ paymentId, state: 'authorised', holdId: 'hp-9', amount: 200_000, authorisationKey: input.authorisationKey })]);
  });
});
