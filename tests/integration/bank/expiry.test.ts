import { describe, expect, it } from 'vitest';
import { useClockedBank } from './helpers.js';

const bank = useClockedBank();

describe('expiry on the bank clock', () => {
  it('an unanswered trusted-person approval expires after 5 minutes and releases the hold', async () => {
    await bank.client.requestOtp('s-1', 'c-dauren');
    const code = /\b(\d{6})\b/.exec(await bank.t.lastSms('+77021112233'))?.[1] ?? '';
    const verified = await bank.client.verifyOtp('s-1', 'c-dauren', code);
    if (!verified.ok) throw new Error(verified.reason);
    const hold = await bank.client.authoriseWithdrawal({ accessToken: verified.accessToken, productId: 'a-dauren-cur', amount: 1_000_000, idempotencyKey: 'T-01:exp-1' });
    if (!hold.ok || hold.approvalId === undefined) throw new Error('expected a pending approval');
    expect((await bank.t.admin<{ held: number }>('GET', '/admin/accounts/a-dauren-cur')).held).toBe(1_010_000);
    bank.now += 5 * 60_000;
    expect(await bank.client.approvalStatus(hold.approvalId)).toEqual({ status: 'expired' });
    expect((await bank.t.admin<{ held: number }>('GET', '/admin/accounts/a-dauren-cur')).held).toBe(0);
    // a late approval changes nothing
    expect(await bank.t.admin('POST', `/admin/approvals/${hold.approvalId}`, { approve: true })).toEqual({ status: 'expired' });
  });

  it('a QR login expires unconfirmed after 3 minutes; the admin clock moves time too', async () => {
    const login = await bank.client.createQrLogin('s-2');
    expect(login.expiresAt).toBe(bank.now + 3 * 60_000);
    await bank.t.admin('POST', '/admin/clock', { advanceMs: 3 * 60_000 });
    expect(await bank.client.pollQrLogin(login.token)).toMatchObject({ ok: false, reason: 'notIdentified' });
    await expect(bank.t.admin('POST', `/admin/qr/${login.token}/confirm`, { customer: 'c-olga' })).rejects.toThrow(/404.*expired/);
  });
});
