/**
 * Paying a service from an account, through the real session (machine + actors + host) over the
 * in-memory ports: the source choice, the amount within the service's limits, the commission on
 * top shown before consent, the bank's refusals, the trusted person's wait, cancel before and
 * after consent, and the bank going away. Nothing is held before consent; anything held is
 * completed or reversed.
 */
import { describe, expect, it } from 'vitest';
import { Intent, type Snapshot } from '../../../kiosk/bridge/schema.js';
import { fakeWorld } from './fakes.js';
import { flush, kioskOpener, signIn, type Kiosk } from './kiosk.js';
import { T, testConfig } from './world.js';

const open = kioskOpener();

/** signed in, mobile operator chosen, reference accepted: the "how to pay" screen */
async function toSource(k: Kiosk): Promise<Snapshot> {
  await signIn(k);
  await k.intent('chooseOperation', { operation: 'payService' });
  await k.intent('selectService', { serviceId: 'svc-mobile' });
  return k.intent('submitReference', { reference: '87019998877' });
}

/** ... then 2 000 tenge from the current account: the consent (confirm) screen */
async function toConfirm(k: Kiosk): Promise<Snapshot> {
  await toSource(k);
  await k.intent('selectPaymentSource', { source: 'product', productId: 'p-current' });
  return k.intent('selectAmount', { amount: T(2000) });
}

const paymentLog = (k: Kiosk): string[] => k.log.filter((l) => l.startsWith('store.accountPayment') || l.startsWith('bank.authorisePayment'));

describe('service payment from an account', () => {
  it('offers cash and the products that may pay (never a loan), with masked labels', async () => {
    const k = open();
    const s = await toSource(k);
    expect(s.screen).toBe('paymentSource');
    expect(s.paymentSources?.cash).toBe(true);
    expect(s.paymentSources?.products.map((p) => [p.id, p.label])).toEqual([
      ['p-current', 'KZ** **** 1234'],
      ['p-wallet', 'Wallet *5678'],
    ]);
    const refused = await k.intent('selectPaymentSource', { source: 'product', productId: 'p-loan' });
    expect(refused.screen).toBe('paymentSource');
    expect(refused.error?.code).toBe('restricted');
    // back to the reference, and cash from there is the existing path
    expect((await k.intent('back')).screen).toBe('serviceReference');
    await k.intent('submitReference', { reference: '87019998877' });
    expect((await k.intent('selectPaymentSource', { source: 'cash' })).screen).toBe('cashIn');
  });

  it('savings pay only where the product says so', async () => {
    const world = fakeWorld();
    world.bank.customerProducts.push(
      { id: 'p-savings', kind: 'savings', label: 'Savings *1111', currency: 'KZT', balance: T(9000), available: T(9000) },
      { id: 'p-savings-pay', kind: 'savings', label: 'Savings *2222', currency: 'KZT', balance: T(9000), available: T(9000), paysServices: true },
    );
    const k = open(world);
    const s = await toSource(k);
    expect(s.paymentSources?.products.map((p) => p.id)).toEqual(['p-current', 'p-wallet', 'p-savings-pay']);
  });

  it('amount within the service limits, commission on top before consent, held once, completed with a receipt', async () => {
    const k = open();
    k.bank.serviceCommission = T(50);
    await toSource(k);
    let s = await k.intent('selectPaymentSource', { source: 'product', productId: 'p-current' });
    expect(s.screen).toBe('amountEntry');
    expect(s.payment).toEqual({ source: { kind: 'current', label: 'KZ** **** 1234', available: T(150_000) }, min: T(100), max: T(50_000) });
    s = await k.intent('selectAmount', { amount: T(50) });
    expect(s.error).toEqual({ code: 'belowMinimum', params: { min: T(100) } });
    s = await k.intent('selectAmount', { amount: T(60_000) });
    expect(s.error?.code).toBe('limitExceeded');
    s = await k.intent('selectAmount', { amount: T(2000) });
    expect(s.screen).toBe('confirm');
    expect(s.quote).toEqual({ operation: 'payService', amount: T(2000), commission: T(50), total: T(2050) });
    expect(paymentLog(k)).toEqual([]); // nothing held before consent (5.5)
    s = await k.intent('confirm');
    expect(s.screen).toBe('outcome');
    expect(s.outcome).toEqual({ operation: 'payService', amount: T(2000), commission: T(50), target: { kind: 'service', label: expect.any(String) as string } });
    expect(s.receipt?.number).toBe('R-P00001');
    expect(paymentLog(k)).toEqual([
      'store.accountPayment:authorising:200000',
      'bank.authorisePayment:p-current:200000:5000:sess-test:p1'.replace('sess-test', k.ctx().sessionId),
      'store.accountPayment:authorised',
      'store.accountPayment:complete',
    ]);
    s = await k.intent('chooseReceipt', { choice: 'print' });
    expect(k.log).toContain('print:R-P00001');
    expect(s.screen).toBe('printing');
    s = await k.intent('confirm'); // the receipt is taken
    expect(s.screen).toBe('operations');
    // the same session's next operation sees what is left on the account
    expect(s.products?.find((p) => p.id === 'p-current')?.available).toBe(T(150_000) - T(2050));
  });

  it.each([
    ['insufficientFunds'],
    ['limitExceeded'],
    ['restricted'],
  ] as const)('the bank refusing with %s shows the reason and holds nothing', async (reason) => {
    const k = open();
    k.bank.paymentRefusal = reason;
    await toConfirm(k);
    const s = await k.intent('confirm');
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe(reason);
    expect(paymentLog(k).filter((l) => l.startsWith('store.'))).toEqual(['store.accountPayment:authorising:200000', 'store.accountPayment:refused']);
    // never a dead end: back to the operations
    expect((await k.intent('back')).screen).toBe('operations');
  });

  it('more than the product holds is refused at the amount, and amount + commission at consent', async () => {
    const k = open();
    k.bank.serviceCommission = T(50);
    await toSource(k);
    let s = await k.intent('selectPaymentSource', { source: 'product', productId: 'p-wallet' });
    s = await k.intent('selectAmount', { amount: T(3500) });
    expect(s.error?.code).toBe('insufficientFunds');
    s = await k.intent('selectAmount', { amount: T(3000) });
    expect(s.quote?.total).toBe(T(3050));
    s = await k.intent('confirm');
    expect(s.error?.code).toBe('insufficientFunds');
    expect(paymentLog(k)).toEqual([]);
  });

  it('back and cancel before consent undo cleanly: nothing recorded, nothing held', async () => {
    const k = open();
    await toConfirm(k);
    let s = await k.intent('back');
    expect(s.screen).toBe('amountEntry');
    s = await k.intent('back');
    expect(s.screen).toBe('paymentSource');
    expect(k.ctx().accountPayment).toBeUndefined();
    await k.intent('selectPaymentSource', { source: 'product', productId: 'p-current' });
    await k.intent('selectAmount', { amount: T(2000) });
    s = await k.intent('cancel');
    expect(s.screen).toBe('goodbye');
    expect(paymentLog(k)).toEqual([]);
  });

  it('the trusted person approving completes the payment (8.15-1)', async () => {
    const k = open();
    k.bank.approval = 'pending';
    await toConfirm(k);
    let s = await k.intent('confirm');
    expect(s.screen).toBe('approvalWait');
    expect(s.approval?.deadline).toBe(k.clock.now() + testConfig.timeouts.approvalMs);
    expect(s.quote?.amount).toBe(T(2000));
    k.bank.approval = 'approved';
    k.clock.advance(testConfig.timeouts.approvalPollMs);
    await flush();
    s = k.session.snapshot();
    expect(s.screen).toBe('outcome');
    expect(k.log.at(-1)).toBe('store.accountPayment:complete');
  });

  it.each([
    ['refused by the trusted person', 'approvalRefused'],
    ['cancelled by the customer while waiting', 'approvalRefused'],
    ['not answered in time', 'approvalTimeout'],
  ] as const)('a payment %s is reversed, never completed', async (how, code) => {
    const k = open();
    k.bank.approval = 'pending';
    await toConfirm(k);
    await k.intent('confirm');
    if (how.startsWith('refused')) {
      k.bank.approval = 'refused';
      k.clock.advance(testConfig.timeouts.approvalPollMs);
    } else if (how.startsWith('cancelled')) {
      k.session.dispatch(Intent.parse({ name: 'cancel' }));
    } else {
      k.clock.advance(testConfig.timeouts.approvalMs);
    }
    await flush();
    const s = k.session.snapshot();
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe(code);
    expect(paymentLog(k).filter((l) => l.startsWith('store.')).slice(-1)).toEqual(['store.accountPayment:reversed']);
    expect(k.log).not.toContain('store.accountPayment:complete');
  });

  it('an authorisation whose answer is lost is voided by its key, and the customer told the bank is away', async () => {
    const k = open();
    k.bank.losePaymentAnswer = true;
    await toConfirm(k);
    const s = await k.intent('confirm');
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe('bankOffline');
    const [payment] = [...k.store.accountPayments.values()];
    expect(payment).toMatchObject({ state: 'reversed', reason: 'noAnswer', key: `${k.ctx().sessionId}:p1` });
  });

  it('walk-ups and a bank gone offline keep cash only', async () => {
    const k = open();
    await k.intent('start');
    await k.intent('payWithoutIdentification');
    await k.intent('selectService', { serviceId: 'svc-mobile' });
    expect((await k.intent('submitReference', { reference: '87019998877' })).screen).toBe('cashIn');

    const k2 = open();
    await signIn(k2);
    await k2.intent('chooseOperation', { operation: 'payService' });
    await k2.intent('selectService', { serviceId: 'svc-mobile' });
    k2.session.actor.send({ type: 'device.health', devices: { bank: 'offline' } });
    await flush();
    expect((await k2.intent('submitReference', { reference: '87019998877' })).screen).toBe('cashIn');
  });

  it('with the acceptor failed, an identified customer still pays from an account', async () => {
    const k = open();
    k.session.actor.send({ type: 'device.health', devices: { cashAcceptor: 'offline' } });
    await flush();
    await signIn(k);
    expect(k.session.snapshot().operations).toContain('payService');
    await k.intent('chooseOperation', { operation: 'payService' });
    await k.intent('selectService', { serviceId: 'svc-mobile' });
    let s = await k.intent('submitReference', { reference: '87019998877' });
    expect(s.screen).toBe('paymentSource');
    expect(s.paymentSources?.cash).toBe(false);
    s = await k.intent('selectPaymentSource', { source: 'cash' });
    expect(s.error?.code).toBe('deviceFailure');
    s = await k.intent('selectPaymentSource', { source: 'product', productId: 'p-current' });
    expect(s.screen).toBe('amountEntry');
  });
});
