import { describe, expect, it } from 'vitest';
import { useClockedBank } from './helpers.js';

const AIGERIM = '+77011234567';
const bank = useClockedBank();

/** a code that is surely not the one sent */
const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('OTP over SMS or push', () => {
  it('sends a code to the app of a customer who has it (the answer says so), never returns it, and the code opens the products', async () => {
    const sent = await bank.client.requestOtp('s-1', 'c-aigerim');
    expect(sent).toEqual({ ok: true, sentTo: '+7701***4567', expiresAt: bank.now + 15 * 60_000, resendAt: bank.now + 30_000, channel: 'push' });
    expect(JSON.stringify(sent)).not.toMatch(/\b\d{6}\b/);
    const { messages } = await bank.t.admin<{ messages: Array<{ channel: string }> }>('GET', `/admin/sms?phone=${encodeURIComponent(AIGERIM)}`);
    expect(messages.map((m) => m.channel)).toEqual(['push']);
    const verified = await bank.client.verifyOtp('s-1', 'c-aigerim', await bank.t.lastOtp(AIGERIM));
    if (!verified.ok) throw new Error(`verify refused: ${verified.reason}`);
    // one OTP authorises several operations within the session (8.11)
    const products = await bank.client.products(verified.accessToken);
    expect(products.ok && products.products.map((p) => [p.id, p.kind, p.available])).toEqual([
      ['a-aigerim-cur', 'current', 25_000_000], ['a-aigerim-wal', 'wallet', 500_000],
    ]);
    const history = await bank.client.history(verified.accessToken, 'a-aigerim-cur');
    expect(history).toEqual({ ok: true, recent: [] });
    expect(await bank.client.history(verified.accessToken, 'a-olga-cur')).toEqual({ ok: false, reason: 'notFound' });
    expect(await bank.client.products('not-a-token')).toEqual({ ok: false, reason: 'notIdentified' });
  });

  it('keeps only a hash of the code in the ledger', async () => {
    await bank.client.requestOtp('s-1', 'c-aigerim');
    const code = await bank.t.lastOtp(AIGERIM);
    const rows = bank.t.bank.ctx.db.prepare('SELECT * FROM otps').all();
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('locks after three wrong codes, even for the right one', async () => {
    await bank.client.requestOtp('s-1', 'c-aigerim');
    const code = await bank.t.lastOtp(AIGERIM);
    expect(await bank.client.verifyOtp('s-1', 'c-aigerim', wrong(code))).toEqual({ ok: false, reason: 'otpWrong', attemptsLeft: 2 });
    expect(await bank.client.verifyOtp('s-1', 'c-aigerim', wrong(code))).toEqual({ ok: false, reason: 'otpWrong', attemptsLeft: 1 });
    expect(await bank.client.verifyOtp('s-1', 'c-aigerim', wrong(code))).toEqual({ ok: false, reason: 'otpLocked', attemptsLeft: 0 });
    expect(await bank.client.verifyOtp('s-1', 'c-aigerim', code)).toMatchObject({ ok: false, reason: 'otpLocked' });
    expect(await bank.client.requestOtp('s-1', 'c-aigerim')).toEqual({ ok: false, reason: 'otpLocked' });
    // another session starts afresh
    expect(await bank.client.requestOtp('s-2', 'c-aigerim')).toMatchObject({ ok: true });
    // the back office sees the lock per session, and never the code
    const { otps } = await bank.t.admin<{ otps: Array<Record<string, unknown>> }>('GET', '/admin/otps?customer=c-aigerim');
    expect(otps.map((o) => [o.sessionId, o.attempts, o.state])).toEqual([['s-1', 3, 'locked'], ['s-2', 0, 'active']]);
    expect(JSON.stringify(otps)).not.toMatch(/\b\d{6}\b|hash|salt/i);
    expect((await bank.t.admin<{ otps: unknown[] }>('GET', '/admin/otps?customer=c-olga')).otps).toEqual([]);
  });

  it('expires after 15 minutes on the bank clock', async () => {
    await bank.client.requestOtp('s-1', 'c-aigerim');
    const code = await bank.t.lastOtp(AIGERIM);
    bank.now += 15 * 60_000;
    expect(await bank.client.verifyOtp('s-1', 'c-aigerim', code)).toEqual({ ok: false, reason: 'otpExpired' });
  });

  it('resends only after the cool-down, and the new code replaces the old one', async () => {
    await bank.client.requestOtp('s-1', 'c-aigerim');
    const first = await bank.t.lastOtp(AIGERIM);
    bank.now += 10_000;
    const early = await bank.client.requestOtp('s-1', 'c-aigerim');
    expect(early).toMatchObject({ ok: true, resendAt: bank.now - 10_000 + 30_000 });
    const count = async (): Promise<number> => (await bank.t.admin<{ messages: unknown[] }>('GET', `/admin/sms?phone=${encodeURIComponent(AIGERIM)}`)).messages.length;
    expect(await count()).toBe(1); // nothing new sent (one push: she has the app)
    bank.now += 25_000;
    await bank.t.admin('POST', '/admin/clock', { advanceMs: 0 });
    const again = await bank.client.requestOtp('s-1', 'c-aigerim');
    expect(again).toMatchObject({ ok: true, resendAt: bank.now + 30_000 });
    expect(await count()).toBe(2);
    const second = await bank.t.lastOtp(AIGERIM);
    if (second !== first) expect(await bank.client.verifyOtp('s-1', 'c-aigerim', first)).toMatchObject({ ok: false, reason: 'otpWrong' });
    expect(await bank.client.verifyOtp('s-1', 'c-aigerim', second)).toMatchObject({ ok: true });
  });

  it('expires the access token with the session', async () => {
    await bank.client.requestOtp('s-1', 'c-aigerim');
    const verified = await bank.client.verifyOtp('s-1', 'c-aigerim', await bank.t.lastOtp(AIGERIM));
    if (!verified.ok) throw new Error('verify refused');
    bank.now += 15 * 60_000 + 1;
    expect(await bank.client.products(verified.accessToken)).toEqual({ ok: false, reason: 'otpExpired' });
  });

  it('refuses an OTP to a blocked or unknown customer', async () => {
    expect(await bank.client.requestOtp('s-1', 'c-timur')).toEqual({ ok: false, reason: 'blocked' });
    expect(await bank.client.requestOtp('s-1', 'c-nobody')).toEqual({ ok: false, reason: 'notIdentified' });
  });
});
