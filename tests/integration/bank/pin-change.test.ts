import { describe, expect, it } from 'vitest';
import { DEV_CARD_TOKEN_KEY, panToken } from '../../../drivers/card-reader/pan-token.js';
import { login, useTestBank } from './helpers.js';

const bank = useTestBank();

const AIGERIM_CARD = panToken('4400430000000015', DEV_CARD_TOKEN_KEY);
const DAUREN_CARD = panToken('4400430000000023', DEV_CARD_TOKEN_KEY);
const OLGA_CARD = panToken('5269880000000018', DEV_CARD_TOKEN_KEY);

describe('PIN change at a terminal (the PIN itself is set in the app or the secure link)', () => {
  it('says at card identification whether the card product allows a PIN change', async () => {
    expect(await bank.client.identify('s-1', 'card', { by: 'card', panToken: AIGERIM_CARD })).toMatchObject({ ok: true, customerId: 'c-aigerim', cardPinChange: true });
    expect(await bank.client.identify('s-1', 'card', { by: 'card', panToken: DAUREN_CARD })).toMatchObject({ ok: true, customerId: 'c-dauren', cardPinChange: false });
    const byPhone = await bank.client.identify('s-1', 'phone', { by: 'phone', phone: '+77011234567' });
    expect(byPhone).not.toHaveProperty('cardPinChange');
  });

  it('starts a change by push, the app completes it, and the bank records when, never a PIN', async () => {
    const token = await login(bank, 'c-aigerim', '+77011234567');
    const started = await bank.client.startPinChange({ accessToken: token, sessionId: 's-1', panToken: AIGERIM_CARD });
    if (!started.ok) throw new Error(`refused: ${started.reason}`);
    expect(started.channel).toBe('push');
    expect(await bank.client.pinChangeStatus(token, started.pinChangeId)).toEqual({ status: 'pending' });
    expect(await bank.t.admin('POST', `/admin/pin-changes/${started.pinChangeId}`, { done: true })).toEqual({ id: started.pinChangeId, status: 'done' });
    expect(await bank.client.pinChangeStatus(token, started.pinChangeId)).toEqual({ status: 'done' });
    // a second answer from the app does not change a finished change
    await expect(bank.t.admin('POST', `/admin/pin-changes/${started.pinChangeId}`, { done: false })).rejects.toThrow(/409/);

    const { pinChanges } = await bank.t.admin<{ pinChanges: Array<Record<string, unknown>> }>('GET', '/admin/pin-changes?customer=c-aigerim');
    expect(pinChanges).toHaveLength(1);
    expect(pinChanges[0]).toMatchObject({ status: 'done', maskedPan: '440043******0015', channel: 'push' });
    expect(typeof pinChanges[0]?.completedAt).toBe('string');

    const columns = (bank.t.bank.ctx.db.prepare('PRAGMA table_info(pin_changes)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns.some((c) => /^pin$|pin_block|new_pin/i.test(c))).toBe(false);
  });

  it('sends a secure link by SMS to a customer without the app', async () => {
    const token = await login(bank, 'c-olga', '+77017654321');
    const started = await bank.client.startPinChange({ accessToken: token, sessionId: 's-2', panToken: OLGA_CARD });
    expect(started).toMatchObject({ ok: true, channel: 'sms' });
    expect(await bank.t.lastSms('+77017654321')).toMatch(/https:\/\/bank\.example\.kz\/pin\//);
  });

  it('refuses when the card product does not allow it, and a card of someone else', async () => {
    const dauren = await login(bank, 'c-dauren', '+77021112233');
    expect(await bank.client.startPinChange({ accessToken: dauren, sessionId: 's-1', panToken: DAUREN_CARD })).toEqual({ ok: false, reason: 'pinChangeNotAllowed' });
    expect(await bank.client.startPinChange({ accessToken: dauren, sessionId: 's-1', panToken: AIGERIM_CARD })).toMatchObject({ ok: false, reason: 'notIdentified' });
  });

  it('expires when the app never answers, and a cancel withdraws it', async () => {
    const token = await login(bank, 'c-aigerim', '+77011234567');
    const first = await bank.client.startPinChange({ accessToken: token, sessionId: 's-1', panToken: AIGERIM_CARD });
    if (!first.ok) throw new Error('refused');
    expect(await bank.client.cancelPinChange(token, first.pinChangeId)).toEqual({ status: 'cancelled' });
    await expect(bank.t.admin('POST', `/admin/pin-changes/${first.pinChangeId}`, { done: true })).rejects.toThrow(/409/);

    const second = await bank.client.startPinChange({ accessToken: token, sessionId: 's-1', panToken: AIGERIM_CARD });
    if (!second.ok) throw new Error('refused');
    await bank.t.admin('POST', '/admin/clock', { advanceMs: 3 * 60_000 });
    // the access token lives 15 minutes: still valid after the PIN change's 3
    expect(await bank.client.pinChangeStatus(token, second.pinChangeId)).toEqual({ status: 'expired' });
  });
});
