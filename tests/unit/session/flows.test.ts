/**
 * Customer journeys through the real session (machine + actors from ports + host + device
 * events) over in-memory ports and a manual clock. Intents go through the bridge schema exactly
 * as the transports would send them; every published snapshot is checked against the schema.
 */
import { describe, expect, it } from 'vitest';
import { fakeWorld } from './fakes.js';
import { flush, kioskOpener, signIn } from './kiosk.js';
import { CARD, CUSTOMER_PHONE, SECRET_OTP, T, testConfig } from './world.js';

const open = kioskOpener();

describe('session flows', () => {
  it('the language switched mid-session changes the snapshot and keeps the screen and the customer', async () => {
    const k = open();
    await signIn(k);
    const name = k.session.snapshot().customer?.maskedName;
    for (const locale of ['ru', 'en'] as const) {
      const s = await k.intent('setLocale', { locale });
      expect(s.locale).toBe(locale);
      expect(s.screen).toBe('operations');
      expect(s.customer?.maskedName).toBe(name);
    }
    const s = await k.intent('chooseOperation', { operation: 'cashIn' });
    expect(s.screen).toBe('productSelect');
    expect(s.locale).toBe('en');
  });

  it('phone + OTP + cash-in of three notes: recorded before stacked, closed once, receipt printed', async () => {
    const k = open();
    await signIn(k);
    expect(k.session.snapshot().operations).toEqual(expect.arrayContaining(['balance', 'cashIn', 'withdraw', 'payService', 'loanRepayment']));
    let s = await k.intent('chooseOperation', { operation: 'cashIn' });
    expect(s.screen).toBe('productSelect'); // current account and wallet both take cash
    s = await k.intent('selectProduct', { productId: 'p-current' });
    expect(s.screen).toBe('cashIn');
    for (const d of [T(1000), T(2000), T(5000)]) {
      k.acceptor.insert(d);
      await flush();
    }
    s = k.session.snapshot();
    expect(s.cashIn?.total).toBe(T(8000));
    expect(s.cashIn?.notes.map((n) => n.status)).toEqual(['stacked', 'stacked', 'stacked']);
    // the cash-in screen showed total, commission and what is credited: "finish" is the consent (5.5)
    s = await k.intent('finishCashIn');
    expect(s.screen).toBe('outcome');
    expect(s.outcome).toEqual({ operation: 'cashIn', amount: T(8000), commission: 0, target: { kind: 'current', label: expect.any(String) as string } });
    expect(s.receipt?.number).toMatch(/^R-/);
    s = await k.intent('confirm');
    expect(s.screen).toBe('receiptChoice');
    s = await k.intent('chooseReceipt', { choice: 'print' });
    expect(s.screen).toBe('printing'); // "take your receipt"
    expect(s.receipt?.status).toBe('printed');
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    expect(k.session.snapshot().screen).toBe('operations'); // one OTP covers further operations (8.11)

    const money = k.log.filter((l) => /^(store\.(intent|stacked|endCashIn)|acceptor\.stack)/.test(l));
    expect(money).toEqual([
      `store.intent:${T(1000)}`, `acceptor.stack:${T(1000)}`, `store.stacked:${T(1000)}`,
      `store.intent:${T(2000)}`, `acceptor.stack:${T(2000)}`, `store.stacked:${T(2000)}`,
      `store.intent:${T(5000)}`, `acceptor.stack:${T(5000)}`, `store.stacked:${T(5000)}`,
      `store.endCashIn:${T(8000)}`,
    ]);
    expect(k.log.filter((l) => l.startsWith('print:'))).toHaveLength(1);
    await k.intent('finish');
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    expect(k.session.snapshot().screen).toBe('attract');
    for (const snap of k.seen) {
      const wire = JSON.stringify(snap);
      expect(wire).not.toContain(SECRET_OTP);
      expect(wire).not.toContain(CUSTOMER_PHONE);
    }
  });

  it('a STACK command that fails but was heard: the device\'s stacked event still counts the note on this cash-in', async () => {
    const k = open();
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'cashIn' });
    await k.intent('selectProduct', { productId: 'p-current' });
    const stack = k.acceptor.stack.bind(k.acceptor);
    // the device stacks, but the command's answer is lost and the driver gives up on it
    k.acceptor.stack = async () => {
      await stack();
      throw new Error('no valid reply to command 0x35 after 3 attempts');
    };
    k.acceptor.insert(T(2000));
    await flush();
    let s = k.session.snapshot();
    expect(s.screen).toBe('cashIn');
    expect(s.cashIn?.notes).toEqual([{ denomination: T(2000), status: 'stacked' }]);
    expect(s.cashIn?.total).toBe(T(2000));
    s = await k.intent('finishCashIn');
    expect(s.outcome?.amount).toBe(T(2000));
  });

  it('a STACK command that fails and no event follows: after noteSettle the cash-in closes with the note left to reconciliation', async () => {
    const k = open();
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'cashIn' });
    await k.intent('selectProduct', { productId: 'p-current' });
    k.acceptor.stack = async () => {
      throw new Error('bill validator is offline');
    };
    k.acceptor.insert(T(2000));
    await flush();
    // still waiting for the device's word: the note is pending, neither stacked nor returned
    expect(k.session.snapshot().screen).toBe('cashIn');
    expect(k.session.snapshot().cashIn?.notes).toEqual([]);
    k.clock.advance(10_000);
    await flush();
    const s = k.session.snapshot();
    expect(s.screen).not.toBe('cashIn');
    expect(s.cashIn?.total ?? 0).toBe(0);
    expect(k.log).toContain(`store.intent:${T(2000)}`);
    expect(k.log).not.toContain(`store.stacked:${T(2000)}`);
  });

  it('a note the acceptor never settles: the notes counted are confirmed, and the end says the device failed, not "internal"', async () => {
    const k = open();
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'cashIn' });
    await k.intent('selectProduct', { productId: 'p-current' });
    k.acceptor.insert(T(1000));
    await flush();
    k.acceptor.stack = async () => {
      throw new Error('bill validator is offline');
    };
    k.acceptor.insert(T(2000));
    await flush();
    k.clock.advance(10_000);
    await flush();
    let s = k.session.snapshot();
    expect(s.screen).toBe('confirm');
    expect(s.quote?.total).toBe(T(1000));
    s = await k.intent('confirm');
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe('deviceFailure');
    expect(k.log).not.toContain(`store.endCashIn:${T(1000)}`);
  });

  it('a note above the maximum is returned without a record; walking away still pays what was stacked', async () => {
    const k = open();
    k.bank.precheckCashIn = async () => ({ ok: true, maxAmount: T(3000), minAmount: 0 });
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'cashIn' });
    await k.intent('selectProduct', { productId: 'p-wallet' });
    k.acceptor.insert(T(2000));
    await flush();
    k.acceptor.insert(T(5000));
    await flush();
    let s = k.session.snapshot();
    expect(s.cashIn?.notes).toEqual([
      { denomination: T(2000), status: 'stacked' },
      { denomination: T(5000), status: 'returned', reason: 'aboveMaximum' },
    ]);
    expect(k.log).toContain(`acceptor.return:${T(5000)}`);
    expect(k.log).not.toContain(`store.intent:${T(5000)}`);
    // the customer leaves: inactivity, then the "more time?" prompt, then the payment completes
    k.clock.advance(testConfig.timeouts.inactivityMs);
    await flush();
    expect(k.session.snapshot().moreTimeUntil).toBeGreaterThan(k.clock.now());
    k.clock.advance(testConfig.timeouts.moreTimeMs);
    await flush();
    s = k.session.snapshot();
    expect(s.screen).toBe('confirm');
    k.clock.advance(testConfig.timeouts.inactivityMs + testConfig.timeouts.moreTimeMs);
    await flush();
    expect(k.log).toContain(`store.endCashIn:${T(2000)}`);
    expect(k.session.snapshot().screen).toBe('outcome');
  });

  it('"more time?" keeps the customer on the screen', async () => {
    const k = open();
    await k.intent('start');
    await k.intent('chooseIdentification', { method: 'iin' });
    k.clock.advance(testConfig.timeouts.inactivityMs);
    await flush();
    expect(k.session.snapshot().moreTimeUntil).toBeDefined();
    const s = await k.intent('moreTime');
    expect(s.screen).toBe('iinEntry');
    expect(s.moreTimeUntil).toBeUndefined();
    expect(s.deadline).toBe(k.clock.now() + testConfig.timeouts.inactivityMs);
  });

  it('an IIN with a wrong check digit never reaches the bank', async () => {
    const k = open();
    await k.intent('start');
    await k.intent('chooseIdentification', { method: 'iin' });
    const s = await k.intent('submitIin', { iin: '900101300016' });
    expect(s.error?.code).toBe('invalidIin');
    expect(k.bank.identifyCalls).toHaveLength(0);
    const ok = await k.intent('submitIin', { iin: '900101300017' });
    expect(ok.screen).toBe('otpEntry');
  });

  it('wrong OTP counts down, resend waits for its cool-down, the right code lets in', async () => {
    const k = open();
    await k.intent('start');
    await k.intent('chooseIdentification', { method: 'phone' });
    await k.intent('submitPhone', { phone: '+77011234567' });
    let s = await k.intent('submitOtp', { code: '000000' });
    expect(s.error?.code).toBe('otpWrong');
    expect(s.input).toMatchObject({ kind: 'otp', attemptsLeft: 2, sentTo: '+7701*****67' });
    s = await k.intent('resendOtp');
    expect(s.error?.params).toEqual({ reason: 'resendTooSoon' });
    k.clock.advance(20_000);
    await k.intent('moreTime');
    k.clock.advance(20_000);
    await k.intent('moreTime');
    k.clock.advance(20_000);
    s = await k.intent('resendOtp');
    expect(k.log.filter((l) => l === 'bank.requestOtp')).toHaveLength(2);
    s = await k.intent('submitOtp', { code: SECRET_OTP });
    expect(s.screen).toBe('operations');
  });

  it('card + OTP + withdrawal: authorised, dispensed, presented, taken, completed; card given back', async () => {
    const k = open();
    k.cardReader.insert();
    await flush();
    expect(k.bank.identifyCalls).toEqual([{ by: 'card', panToken: CARD.panToken }]);
    await k.intent('submitOtp', { code: SECRET_OTP });
    let s = await k.intent('chooseOperation', { operation: 'withdraw' });
    expect(s.screen).toBe('amountEntry'); // only the current account can give cash
    s = await k.intent('selectAmount', { amount: T(12500) });
    expect(s.error?.code).toBe('invalidAmount');
    s = await k.intent('selectAmount', { amount: T(12000) });
    expect(s.screen).toBe('confirm');
    expect(s.quote).toEqual({ operation: 'withdraw', amount: T(12000), commission: T(120), total: T(12120) });
    s = await k.intent('confirm');
    expect(s.screen).toBe('takeCash');
    expect(k.log.filter((l) => l.startsWith('dispenser.dispense'))).toEqual(['dispenser.dispense:0x2,1x2']);
    k.dispenser.take();
    await flush();
    s = k.session.snapshot();
    expect(s.screen).toBe('outcome');
    expect(s.outcome).toMatchObject({ operation: 'withdraw', amount: T(12000), commission: T(120) });
    await k.intent('chooseReceipt', { choice: 'none' });
    await k.intent('finish');
    expect(k.log).toContain('card.eject');
    k.cardReader.remove();
    await flush();
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    expect(k.session.snapshot().screen).toBe('attract');
    expect(k.log.filter((l) => l.startsWith('store.withdrawal:'))).toEqual([
      'store.withdrawal:dispensing', 'store.withdrawal:dispensed', 'store.withdrawal:presented', 'store.withdrawal:taken',
    ]);
    expect(JSON.stringify(k.seen)).not.toContain(CARD.panToken);
  });

  it('cash left in the presenter is retracted and the withdrawal reversed', async () => {
    const k = open();
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'withdraw' });
    await k.intent('selectAmount', { amount: T(5000) });
    await k.intent('confirm');
    expect(k.session.snapshot().screen).toBe('takeCash');
    k.clock.advance(testConfig.timeouts.takeCashMs);
    await flush();
    const s = k.session.snapshot();
    expect(s.error?.code).toBe('cashNotTaken');
    expect(k.log).toContain('dispenser.retract');
    expect(k.log.at(-1)).toBe('store.withdrawal:reversed');
  });

  it('a trusted person refusing the withdrawal reverses the hold (8.15-1)', async () => {
    const k = open();
    k.bank.approval = 'pending';
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'withdraw' });
    await k.intent('selectAmount', { amount: T(5000) });
    let s = await k.intent('confirm');
    expect(s.screen).toBe('approvalWait');
    expect(s.approval?.deadline).toBe(k.clock.now() + testConfig.timeouts.approvalMs);
    k.bank.approval = 'refused';
    k.clock.advance(testConfig.timeouts.approvalPollMs);
    await flush();
    s = k.session.snapshot();
    expect(s.error?.code).toBe('approvalRefused');
    expect(k.log.filter((l) => l.startsWith('dispenser.'))).toEqual([]);
    expect(k.log.at(-1)).toBe('store.withdrawal:reversed');
  });

  it('a failed dispense is reversed, never completed', async () => {
    const k = open();
    k.dispenser.failNext = 'jam';
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'withdraw' });
    await k.intent('selectAmount', { amount: T(5000) });
    const s = await k.intent('confirm');
    expect(s.error?.code).toBe('deviceFailure');
    expect(k.log.filter((l) => l.startsWith('store.withdrawal:'))).toEqual(['store.withdrawal:dispensing', 'store.withdrawal:dispenseFailed', 'store.withdrawal:reversed']);
  });

  it('e-money is never withdrawn as cash (ch.4 item 9)', async () => {
    const k = open();
    k.bank.customerProducts = k.bank.customerProducts.filter((p) => p.kind === 'wallet');
    await signIn(k);
    expect(k.session.snapshot().operations).not.toContain('withdraw');
    const s = await k.intent('chooseOperation', { operation: 'withdraw' });
    expect(s.error?.code).toBe('walletNoCash');
  });

  it('walk-up service payment in cash without identification, SMS receipt to the phone given', async () => {
    const k = open();
    await k.intent('start');
    let s = await k.intent('payWithoutIdentification');
    expect(s.screen).toBe('serviceCatalogue');
    s = await k.intent('selectService', { serviceId: 'svc-mobile' });
    expect(s.screen).toBe('serviceReference');
    expect(s.selectedService?.referenceKind).toBe('phone');
    s = await k.intent('submitReference', { reference: '12345' });
    expect(s.error?.code).toBe('invalidReference');
    s = await k.intent('submitReference', { reference: '8 701 123 45 67' });
    expect(s.screen).toBe('cashIn');
    expect(s.selectedService?.reference).toBe('+7701*****67');
    k.acceptor.insert(T(1000));
    await flush();
    await k.intent('finishCashIn');
    await k.intent('confirm');
    s = await k.intent('chooseReceipt', { choice: 'sms' });
    expect(s.screen).toBe('receiptPhone');
    s = await k.intent('submitReceiptPhone', { phone: '87011234567' });
    expect(s.screen).toBe('goodbye');
    expect(k.log.some((l) => /^sms:R-\d+:\+77011234567$/.test(l))).toBe(true);
    const target = [...k.store.cashIns.values()][0]?.target;
    expect(target).toEqual({ kind: 'service', serviceId: 'svc-mobile', reference: '+77011234567', label: 'Mobile top-up' });
  });

  it('bank offline: walk-up payment is queued within the offline caps', async () => {
    const k = open();
    await k.intent('start');
    await k.intent('payWithoutIdentification'); // caches the catalogue while online
    k.bank.offline = true;
    await k.intent('selectService', { serviceId: 'svc-mobile' });
    const s = await k.intent('submitReference', { reference: '87011234567' });
    expect(s.screen).toBe('cashIn');
    expect(s.cashIn).toMatchObject({ offline: true, max: testConfig.offlineCaps.perPayment });
    expect(s.devices.bank).toBe('offline');
  });

  it('bank offline: identification refuses with a reason, never a dead end', async () => {
    const k = open();
    k.bank.offline = true;
    await k.intent('start');
    await k.intent('chooseIdentification', { method: 'phone' });
    let s = await k.intent('submitPhone', { phone: '87011234567' });
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe('bankOffline');
    s = await k.intent('back');
    expect(s.screen).toBe('start');
  });

  it('palm: template zeroed after the bank answers; consent withdrawn offers the other methods (8.15)', async () => {
    const k = open();
    k.bank.palmOutcome = { ok: false, reason: 'consentWithdrawn' };
    await k.intent('start');
    await k.intent('chooseIdentification', { method: 'palm' });
    await flush();
    const s = k.session.snapshot();
    expect(s.screen).toBe('identifyMethod');
    expect(s.error?.code).toBe('consentWithdrawn');
    expect(s.identificationMethods).not.toContain('palm');
    expect(k.bank.palmTemplates).toHaveLength(1);
    expect([...(k.bank.palmTemplates[0] ?? [])].every((b) => b === 0)).toBe(true);
  });

  it('printer failure is said and SMS offered; a failed print never shows as printed', async () => {
    const k = open();
    k.breakPrinter();
    await k.intent('start');
    await k.intent('payWithoutIdentification');
    await k.intent('selectService', { serviceId: 'svc-utility' });
    await k.intent('submitReference', { reference: '1234567890' });
    k.acceptor.insert(T(500));
    await flush();
    await k.intent('finishCashIn');
    await k.intent('confirm');
    const s = await k.intent('chooseReceipt', { choice: 'print' });
    expect(s.screen).toBe('receiptChoice');
    expect(s.error?.code).toBe('printerUnavailable');
    expect(s.receipt).toMatchObject({ status: 'failed', options: ['sms', 'none'] });
  });

  it('cancel before any note undoes cleanly: acceptor disabled, nothing recorded', async () => {
    const k = open();
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'loanRepayment' });
    expect(k.session.snapshot().screen).toBe('cashIn');
    const s = await k.intent('cancel');
    expect(s.screen).toBe('operations');
    expect(k.log.filter((l) => l.startsWith('store.'))).toEqual([]);
    expect(k.log.at(-1)).toBe('acceptor.disable');
  });

  it('failed acceptor removes cash operations; all critical devices failed is out of service', async () => {
    const k = open();
    k.session.send({ type: 'device.health', devices: { cashAcceptor: 'offline' } });
    await signIn(k);
    // a service is still paid from an account; in cash it is not
    expect(k.session.snapshot().operations).toEqual(['balance', 'withdraw', 'payService']);
    await k.intent('finish');
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    k.session.send({ type: 'device.health', devices: { dispenser: 'offline' } });
    await flush();
    expect(k.session.snapshot().screen).toBe('outOfService');
    k.session.send({ type: 'device.health', devices: { dispenser: 'ok' } });
    await flush();
    expect(k.session.snapshot().screen).toBe('attract');
  });

  it('service mode: switch opens, technician logs in, actions run, switch closes', async () => {
    const k = open();
    k.session.send({ type: 'device.serviceSwitch', open: true });
    await flush();
    expect(k.session.snapshot().screen).toBe('serviceLogin');
    let s = await k.intent('serviceLogin', { code: '1111' });
    expect(s.screen).toBe('serviceLogin');
    expect(s.error?.code).toBe('notIdentified');
    s = await k.intent('serviceLogin', { code: '2468' });
    expect(s.screen).toBe('serviceMenu');
    s = await k.intent('serviceAction', { action: 'cashUnits' });
    expect(s.service).toEqual({ loggedIn: true, view: { action: 'cashUnits', ok: true } });
    k.session.send({ type: 'device.serviceSwitch', open: false });
    await flush();
    expect(k.session.snapshot().screen).toBe('attract');
    expect(k.log).toContain('service:tech-1:cashUnits');
  });

  it('the technician\'s out-of-service toggle lets a customer with notes in finish, then sends customers away until lifted', async () => {
    const k = open();
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'cashIn' });
    let s = await k.intent('selectProduct', { productId: 'p-current' });
    expect(s.screen).toBe('cashIn');
    k.acceptor.insert(T(2000));
    await flush();
    k.session.send({ type: 'terminal.outOfService', on: true });
    await flush();
    // the note already in the box is the customer's money: the cash-in goes on to its end
    expect(k.session.snapshot().screen).toBe('cashIn');
    s = await k.intent('finishCashIn');
    expect(s.screen).toBe('outcome');
    await k.intent('confirm');
    await k.intent('chooseReceipt', { choice: 'print' });
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    expect(k.session.snapshot().screen).toBe('operations');
    await k.intent('cancel');
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    expect(k.session.snapshot().screen).toBe('outOfService');
    expect(k.log.filter((l) => l.startsWith('store.endCashIn'))).toHaveLength(1);
    k.session.send({ type: 'terminal.outOfService', on: false });
    await flush();
    expect(k.session.snapshot().screen).toBe('attract');
  });

  it('the service switch opened mid-session waits until the customer is done', async () => {
    const k = open();
    await k.intent('start');
    k.session.send({ type: 'device.serviceSwitch', open: true });
    await flush();
    expect(k.session.snapshot().screen).toBe('start');
    await k.intent('cancel');
    k.clock.advance(testConfig.timeouts.goodbyeMs);
    await flush();
    expect(k.session.snapshot().screen).toBe('serviceLogin');
  });
});

describe('withdrawal amounts', () => {
  it('an amount the cassettes cannot make is refused before the bank holds anything', async () => {
    const world = fakeWorld();
    world.ports.planner = { plan: (amount) => (amount > T(50_000) ? undefined : [{ cassette: 0, count: amount / T(5000) }]) };
    const k = open(world);
    await signIn(k);
    await k.intent('chooseOperation', { operation: 'withdraw' });
    const s = await k.intent('selectAmount', { amount: T(60_000) });
    expect(s.screen).toBe('amountEntry');
    expect(s.error).toEqual({ code: 'invalidAmount', params: { reason: 'notes' } });
    expect(k.log.some((l) => l.startsWith('bank.authorise'))).toBe(false);
  });
});
