import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BankClient } from '../../../kiosk/bank/client.js';
import { startTestBank, type TestBank } from './helpers.js';

let now: number;
let t: TestBank;
let client: BankClient;

beforeEach(async () => {
  now = Date.parse('2026-11-25T09:00:00Z');
  t = await startTestBank({ now: () => now });
  client = new BankClient({ baseUrl: t.bank.url, timeoutMs: 2000 });
});
afterEach(async () => {
  client.close();
  await t.close();
});

describe('expiry on the bank clock', () => {
  it('an unanswered trusted-person approval expires after 5 minutes and releases the hold', async () => {
    await client.requestOtp('s-1', 'c-dauren');
    const code = /\b(\d{6})\b/.exec(await t.lastSms('+77021112233'))?.[1] ?? '';
    const verified = await client.verifyOtp('s-1', 'c-dauren', code);
    if (!verified.ok) throw new Error(verified.reason);
    const hold = await client.authoriseWithdrawal({ accessToken: verified.accessToken, productId: 'a-dauren-cur', amount: 1_000_000, idempotencyKey: 'T-01:exp-1' });
    if (!hold.ok || hold.approvalId === undefined) throw new Error('expected a pending approval');
    expect((await t.admin<{ held: number }>('GET', '/admin/accounts/a-dauren-cur')).held).toBe(1_010_000);
    now += 5 * 60_000;
    expect(await client.approvalStatus(hold.approvalId)).toEqual({ status: 'expired' });
    expect((await t.admin<{ held: number }>('GET', '/admin/accounts/a-dauren-cur')).held).toBe(0);
    // a late approval changes nothing
    expect(await t.admin('POST', `/admin/approvals/${hold.approvalId}`, { approve: true })).toEqual({ status: 'expired' });
  });

  it('a QR login expires unconfirmed after 3 minutes; the admin clock moves time too', async () => {
    const login = await client.createQrLogin('s-2');
    expect(login.expiresAt).toBe(now + 3 * 60_000);
    await t.admin('POST', '/admin/clock', { advanceMs: 3 * 60_000 });
    expect(await client.pollQrLogin(login.token)).toMatchObject({ ok: false, reason: 'notIdentified' });
    await expect(t.admin('POST', `/admin/qr/${login.token}/confirm`, { customer: 'c-olga' })).rejects.toThrow(/404.*expired/);
  });
});
