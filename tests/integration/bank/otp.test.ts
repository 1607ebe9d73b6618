import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BankClient } from '../../../kiosk/bank/client.js';
import { startTestBank, type TestBank } from './helpers.js';

const AIGERIM = '+77011234567';
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

/** a code that is surely not the one sent */
const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('OTP over SMS', () => {
  it('sends a code by SMS (and push), never returns it, and the code opens the products', async () => {
    const sent = await client.requestOtp('s-1', 'c-aigerim');
    expect(sent).toEqual({ ok: true, sentTo: '+7701***4567', expiresAt: now + 15 * 60_000, resendAt: now + 30_000 });
    expect(JSON.stringify(sent)).not.toMatch(/\b\d{6}\b/);
    const { messages } = await t.admin<{ messages: Array<{ channel: string }> }>('GET', `/admin/sms?phone=${encodeURIComponent(AIGERIM)}`);
    expect(messages.map((m) => m.channel)).toEqual(['sms', 'push']);
    const verified = await client.verifyOtp('s-1', 'c-aigerim', await t.lastOtp(AIGERIM));
    if (!verified.ok) throw new Error(`verify refused: ${verified.reason}`);
    // one OTP authorises several operations within the session (8.11)
    const products = await client.products(verified.accessToken);
    expect(products.ok && products.products.map((p) => [p.id, p.kind, p.available])).toEqual([
      ['a-aigerim-cur', 'current', 25_000_000], ['a-aigerim-wal', 'wallet', 500_000],
    ]);
    const history = await client.history(verified.accessToken, 'a-aigerim-cur');
    expect(history).toEqual({ ok: true, recent: [] });
    expect(await client.history(verified.accessToken, 'a-olga-cur')).toEqual({ ok: false, reason: 'notFound' });
    expect(await client.products('not-a-token')).toEqual({ ok: false, reason: 'notIdentified' });
  });

  it('keeps only a hash of the code in the ledger', async () => {
    await client.requestOtp('s-1', 'c-aigerim');
    const code = await t.lastOtp(AIGERIM);
    const rows = t.bank.ctx.db.prepare('SELECT * FROM otps').all();
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('locks after three wrong codes, even for the right one', async () => {
    await client.requestOtp('s-1', 'c-aigerim');
    const code = await t.lastOtp(AIGERIM);
    expect(await client.verifyOtp('s-1', 'c-aigerim', wrong(code))).toEqual({ ok: false, reason: 'otpWrong', attemptsLeft: 2 });
    expect(await client.verifyOtp('s-1', 'c-aigerim', wrong(code))).toEqual({ ok: false, reason: 'otpWrong', attemptsLeft: 1 });
    expect(await client.verifyOtp('s-1', 'c-aigerim', wrong(code))).toEqual({ ok: false, reason: 'otpLocked', attemptsLeft: 0 });
    expect(await client.verifyOtp('s-1', 'c-aigerim', code)).toMatchObject({ ok: false, reason: 'otpLocked' });
    expect(await client.requestOtp('s-1', 'c-aigerim')).toEqual({ ok: false, reason: 'otpLocked' });
    // another session starts afresh
    expect(await client.requestOtp('s-2', 'c-aigerim')).toMatchObject({ ok: true });
  });

  it('expires after 15 minutes on the bank clock', async () => {
    await client.requestOtp('s-1', 'c-aigerim');
    const code = await t.lastOtp(AIGERIM);
    now += 15 * 60_000;
    expect(await client.verifyOtp('s-1', 'c-aigerim', code)).toEqual({ ok: false, reason: 'otpExpired' });
  });

  it('resends only after the cool-down, and the new code replaces the old one', async () => {
    await client.requestOtp('s-1', 'c-aigerim');
    const first = await t.lastOtp(AIGERIM);
    now += 10_000;
    const early = await client.requestOtp('s-1', 'c-aigerim');
    expect(early).toMatchObject({ ok: true, resendAt: now - 10_000 + 30_000 });
    const count = async (): Promise<number> => (await t.admin<{ messages: unknown[] }>('GET', `/admin/sms?phone=${encodeURIComponent(AIGERIM)}`)).messages.length;
    expect(await count()).toBe(2); // nothing new sent
    now += 25_000;
    await t.admin('POST', '/admin/clock', { advanceMs: 0 });
    const again = await client.requestOtp('s-1', 'c-aigerim');
    expect(again).toMatchObject({ ok: true, resendAt: now + 30_000 });
    expect(await count()).toBe(4);
    const second = await t.lastOtp(AIGERIM);
    if (second !== first) expect(await client.verifyOtp('s-1', 'c-aigerim', first)).toMatchObject({ ok: false, reason: 'otpWrong' });
    expect(await client.verifyOtp('s-1', 'c-aigerim', second)).toMatchObject({ ok: true });
  });

  it('expires the access token with the session', async () => {
    await client.requestOtp('s-1', 'c-aigerim');
    const verified = await client.verifyOtp('s-1', 'c-aigerim', await t.lastOtp(AIGERIM));
    if (!verified.ok) throw new Error('verify refused');
    now += 15 * 60_000 + 1;
    expect(await client.products(verified.accessToken)).toEqual({ ok: false, reason: 'otpExpired' });
  });

  it('refuses an OTP to a blocked or unknown customer', async () => {
    expect(await client.requestOtp('s-1', 'c-timur')).toEqual({ ok: false, reason: 'blocked' });
    expect(await client.requestOtp('s-1', 'c-nobody')).toEqual({ ok: false, reason: 'notIdentified' });
  });
});
