import { describe, expect, it } from 'vitest';
import { login, useTestBank } from './helpers.js';

const bank = useTestBank();
const at = '2026-11-25T10:00:00.000Z';
interface AccountView { balance: number; held: number; available: number; entries: Array<{ amount: number }> }
const account = (id: string): Promise<AccountView> => bank.t.admin<AccountView>('GET', `/admin/accounts/${id}`);

describe('withdrawal: hold, complete, reverse', () => {
  it('quotes the commission before consent and holds amount plus commission', async () => {
    expect(await bank.client.quote('withdraw', 10_000_000)).toEqual({ operation: 'withdraw', amount: 10_000_000, commission: 50_000, total: 10_050_000 });
    expect(await bank.client.quote('withdraw', 500_000)).toMatchObject({ commission: 10_000 }); // minimum fee
    expect(await bank.client.quote('cashIn', 500_000)).toMatchObject({ commission: 0, total: 500_000 });

    const token = await login(bank, 'c-aigerim', '+77011234567');
    const hold = await bank.client.authoriseWithdrawal({ accessToken: token, productId: 'a-aigerim-cur', amount: 10_000_000, idempotencyKey: 'T-01:w-0001' });
    expect(hold).toMatchObject({ ok: true, commission: 50_000, status: 'approved' });
    expect(await account('a-aigerim-cur')).toMatchObject({ balance: 25_000_000, held: 10_050_000, available: 14_950_000 });
  });

  it('replays the first answer for a repeated idempotency key and holds once', async () => {
    const token = await login(bank, 'c-aigerim', '+77011234567');
    const input = { accessToken: token, productId: 'a-aigerim-cur', amount: 2_000_000, idempotencyKey: 'T-01:w-0002' };
    const first = await bank.client.authoriseWithdrawal(input);
    const second = await bank.client.authoriseWithdrawal(input);
    expect(second).toEqual(first);
    expect((await account('a-aigerim-cur')).held).toBe(2_000_000 + 10_000);
    const reused = await bank.client.authoriseWithdrawal({ ...input, amount: 3_000_000 });
    expect(reused).toMatchObject({ ok: false, reason: 'notAuthorised' });
  });

  it('debits only what was presented, plus commission, and reverses the rest of the hold', async () => {
    const token = await login(bank, 'c-aigerim', '+77011234567');
    const hold = await bank.client.authoriseWithdrawal({ accessToken: token, productId: 'a-aigerim-cur', amount: 5_000_000, idempotencyKey: 'T-01:w-0003' });
    if (!hold.ok) throw new Error(hold.reason);
    // the dispenser presented 40 000 of 50 000: the terminal completes for what the customer got
    const results = await bank.client.postMessages('T-01', [
      { key: 'T-01:100', kind: 'withdrawalComplete', body: { receiptNumber: 'R-100', sessionId: 's-1', at, holdId: hold.holdId, amount: 4_000_000, commission: 20_000 } },
    ]);
    expect(results).toEqual([{ key: 'T-01:100', status: 'applied' }]);
    expect(await account('a-aigerim-cur')).toMatchObject({ balance: 25_000_000 - 4_020_000, held: 0 });
    const history = await bank.client.history(token, 'a-aigerim-cur');
    expect(history.ok && history.recent.map((e) => e.amount)).toEqual([-20_000, -4_000_000]);

    const other = await bank.client.authoriseWithdrawal({ accessToken: token, productId: 'a-aigerim-cur', amount: 1_000_000, idempotencyKey: 'T-01:w-0004' });
    if (!other.ok) throw new Error(other.reason);
    expect((await account('a-aigerim-cur')).held).toBe(1_010_000);
    const products = await bank.client.products(token);
    expect(products.ok && products.products.find((p) => p.id === 'a-aigerim-cur')).toMatchObject({ balance: 20_980_000, available: 20_980_000 - 1_010_000 });
    const reversed = await bank.client.postMessages('T-01', [
      { key: 'T-01:101', kind: 'withdrawalReverse', body: { receiptNumber: 'R-101', sessionId: 's-1', at, holdId: other.holdId, reason: 'dispense failed' } },
      { key: 'T-01:102', kind: 'withdrawalComplete', body: { receiptNumber: 'R-102', sessionId: 's-1', at, holdId: other.holdId, amount: 1_000_000, commission: 10_000 } },
    ]);
    expect(reversed).toEqual([{ key: 'T-01:101', status: 'applied' }, { key: 'T-01:102', status: 'rejected', reason: 'holdAlreadySettled' }]);
    expect(await account('a-aigerim-cur')).toMatchObject({ balance: 25_000_000 - 4_020_000, held: 0 });
  });

  it('refuses a wallet, a short balance, a restricted customer and the daily limit', async () => {
    const token = await login(bank, 'c-aigerim', '+77011234567');
    const base = { accessToken: token, productId: 'a-aigerim-wal', amount: 100_000 };
    expect(await bank.client.authoriseWithdrawal({ ...base, idempotencyKey: 'k-wallet-1' })).toEqual({ ok: false, reason: 'walletNoCash' });
    expect(await bank.client.authoriseWithdrawal({ ...base, productId: 'a-aigerim-cur', amount: 25_000_000, idempotencyKey: 'k-short-01' }))
      .toMatchObject({ ok: false, reason: 'insufficientFunds', params: { available: 25_000_000, required: 25_000_000 + 125_000 } });
    expect(await bank.client.authoriseWithdrawal({ ...base, productId: 'a-olga-cur', idempotencyKey: 'k-other-01' })).toEqual({ ok: false, reason: 'notFound' });
    const olga = await login(bank, 'c-olga', '+77017654321', 's-2');
    expect(await bank.client.authoriseWithdrawal({ accessToken: olga, productId: 'a-olga-sav', amount: 60_000_000, idempotencyKey: 'k-limit-01' }))
      .toMatchObject({ ok: false, reason: 'limitExceeded', params: { limit: 50_000_000 } });
    const aliya = await login(bank, 'c-aliya', '+77081230000', 's-3');
    expect(await bank.client.authoriseWithdrawal({ accessToken: aliya, productId: 'a-aliya-cur', amount: 100_000, idempotencyKey: 'k-restr-01' }))
      .toEqual({ ok: false, reason: 'restricted' });
  });

  it('waits for the trusted person: approved holds, refused releases', async () => {
    const token = await login(bank, 'c-dauren', '+77021112233');
    const pending = await bank.client.authoriseWithdrawal({ accessToken: token, productId: 'a-dauren-cur', amount: 2_000_000, idempotencyKey: 'T-02:w-1' });
    if (!pending.ok || pending.approvalId === undefined) throw new Error('expected a pending approval');
    expect(pending.status).toBe('pendingApproval');
    expect(await bank.t.lastSms('+77059998877')).toContain(pending.approvalId);
    expect(await bank.client.approvalStatus(pending.approvalId)).toEqual({ status: 'pending' });
    await bank.t.admin('POST', `/admin/approvals/${pending.approvalId}`, { approve: true });
    expect(await bank.client.approvalStatus(pending.approvalId)).toEqual({ status: 'approved' });

    const second = await bank.client.authoriseWithdrawal({ accessToken: token, productId: 'a-dauren-cur', amount: 1_000_000, idempotencyKey: 'T-02:w-2' });
    if (!second.ok || second.approvalId === undefined) throw new Error('expected a pending approval');
    await bank.t.admin('POST', `/admin/approvals/${second.approvalId}`, { approve: false });
    expect(await bank.client.approvalStatus(second.approvalId)).toEqual({ status: 'refused' });
    expect((await account('a-dauren-cur')).held).toBe(2_000_000 + 10_000);
    // a refused hold cannot be completed
    const done = await bank.client.postMessages('T-02', [
      { key: 'T-02:1', kind: 'withdrawalComplete', body: { receiptNumber: 'R-1', sessionId: 's-1', at, holdId: second.holdId, amount: 1_000_000, commission: 10_000 } },
    ]);
    expect(done[0]).toMatchObject({ status: 'rejected' });
  });
});

describe('catalogue, references and cash-in pre-checks', () => {
  it('lists services, checks references and pre-checks targets', async () => {
    const services = await bank.client.services();
    expect(services.map((s) => s.id)).toContain('kcell');
    expect(await bank.client.checkReference('kcell', '7011234567')).toMatchObject({ ok: true });
    expect(await bank.client.checkReference('kcell', '7051234567')).toEqual({ ok: false, reason: 'invalidReference' });
    expect(await bank.client.checkReference('alseco', '0001234567')).toMatchObject({ ok: false, reason: 'invalidReference' });
    expect(await bank.client.checkReference('nope', '1')).toEqual({ ok: false, reason: 'notFound' });
    expect(await bank.client.precheckCashIn({ serviceId: 'otau-tv', reference: '123456789' })).toEqual({ ok: true, minAmount: 50_000, maxAmount: 10_000_000 });
    const token = await login(bank, 'c-aigerim', '+77011234567');
    expect(await bank.client.precheckCashIn({ productId: 'a-aigerim-wal', accessToken: token })).toEqual({ ok: true, minAmount: 20_000, maxAmount: 50_000_000 });
    expect(await bank.client.precheckCashIn({ productId: 'a-marat-loan' })).toEqual({ ok: true, minAmount: 20_000, maxAmount: 120_000_000 });
  });

  it('credits a loan repayment and a service payment from an account', async () => {
    const r = await bank.client.postMessages('T-03', [
      { key: 'T-03:1', kind: 'cashInCredit', body: { receiptNumber: 'R-1', sessionId: 's', at, customerId: 'c-marat', productId: 'a-marat-loan', amount: 4_500_000, commission: 0, notes: [{ denomination: 500_000, count: 9 }] } },
      { key: 'T-03:2', kind: 'servicePayment', body: { receiptNumber: 'R-2', sessionId: 's', at, serviceId: 'beeline', reference: '7771234567', amount: 200_000, commission: 5_000, source: { customerId: 'c-marat', productId: 'a-marat-cur' }, receiptPhone: '+77475556677' } },
    ]);
    expect(r.map((x) => x.status)).toEqual(['applied', 'applied']);
    expect(await bank.t.admin('GET', '/admin/accounts/a-marat-loan')).toMatchObject({ balance: 120_000_000 - 4_500_000, dueAmount: 0 });
    expect(await account('a-marat-cur')).toMatchObject({ balance: 3_000_000 - 205_000 });
    expect(await bank.t.lastSms('+77475556677')).toContain('R-2');
  });
});
