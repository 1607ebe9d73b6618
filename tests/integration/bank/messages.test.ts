import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBankServer, type BankServer } from '../../../simulators/bank/server.js';
import type { OutboxMessageWire } from '../../../kiosk/bank/messages.js';

let dir: string;
let bank: BankServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bank-msg-'));
  bank = await startBankServer({ dbFile: join(dir, 'bank.sqlite') });
});
afterEach(async () => {
  await bank.close();
  await rm(dir, { recursive: true, force: true });
});

const at = '2026-11-25T10:00:00.000Z';
function credit(key: string, productId: string, amount: number): OutboxMessageWire {
  return {
    key, kind: 'cashInCredit',
    body: { receiptNumber: `R-${key}`, sessionId: 's-1', at, customerId: 'c-aigerim', productId, amount, commission: 0, notes: [{ denomination: amount, count: 1 }] },
  };
}
async function post(messages: OutboxMessageWire[]): Promise<{ status: number; json: { results: Array<{ key: string; status: string; reason?: string }> } }> {
  const res = await fetch(`${bank.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ terminalId: 'T-01', messages }) });
  return { status: res.status, json: await res.json() as never };
}
async function balance(id: string): Promise<number> {
  const res = await fetch(`${bank.url}/admin/accounts/${id}`);
  return ((await res.json()) as { balance: number }).balance;
}

describe('POST /v1/messages', () => {
  it('receiptSms: the text goes to the phone once; a replay sends nothing more; a phone not in E.164 is malformed', async () => {
    const sms: OutboxMessageWire = { key: 'T-01:30', kind: 'receiptSms', body: { receiptNumber: 'T-01-20261125-000030', sessionId: 's-3', at, phone: '+77475556677', text: 'Receipt T-01-20261125-000030\nTotal 1 950 KZT' } };
    expect((await post([sms])).json.results).toEqual([{ key: 'T-01:30', status: 'applied' }]);
    expect((await post([sms])).json.results).toEqual([{ key: 'T-01:30', status: 'alreadyApplied' }]);
    const outbox = await (await fetch(`${bank.url}/admin/sms?phone=${encodeURIComponent('+77475556677')}`)).json() as { messages: Array<{ channel: string; text: string }> };
    expect(outbox.messages).toEqual([expect.objectContaining({ channel: 'sms', text: 'Receipt T-01-20261125-000030\nTotal 1 950 KZT' })]);
    const local = { ...sms, key: 'T-01:31', body: { ...sms.body, phone: '87475556677' } };
    const refused = await post([local]);
    expect(refused.json.results[0]).toMatchObject({ key: 'T-01:31', status: 'rejected', reason: expect.stringMatching(/^malformedMessage: body\.phone/) });
  });

  it('receiptPush: the text reaches the customer app inbox once; a customer without the app is refused', async () => {
    const push: OutboxMessageWire = { key: 'T-01:40', kind: 'receiptPush', body: { receiptNumber: 'T-01-20261125-000040', sessionId: 's-4', at, customerId: 'c-aigerim', text: 'Receipt T-01-20261125-000040\nTotal 8 000 KZT' } };
    expect((await post([push])).json.results).toEqual([{ key: 'T-01:40', status: 'applied' }]);
    expect((await post([push])).json.results).toEqual([{ key: 'T-01:40', status: 'alreadyApplied' }]);
    const inbox = await (await fetch(`${bank.url}/admin/push?customer=c-aigerim`)).json() as { hasApp: boolean; messages: Array<{ channel: string; text: string }> };
    expect(inbox.hasApp).toBe(true);
    expect(inbox.messages.filter((m) => m.text.startsWith('Receipt T-01-20261125-000040'))).toEqual([expect.objectContaining({ channel: 'push' })]);
    const noApp = { ...push, key: 'T-01:41', body: { ...push.body, customerId: 'c-marat' } };
    expect((await post([noApp])).json.results[0]).toMatchObject({ key: 'T-01:41', status: 'rejected', reason: 'noBankApp' });
    expect((await fetch(`${bank.url}/admin/push`)).status).toBe(400);
  });

  it('a customer who removed the app since: the push is refused (noBankApp); reinstalled, the next one arrives', async () => {
    const setApp = (id: string, hasApp: unknown) =>
      fetch(`${bank.url}/admin/customers/${id}/app`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hasApp }) });
    const push = (key: string): OutboxMessageWire => ({ key, kind: 'receiptPush', body: { receiptNumber: `T-01-20261125-0000${key.slice(-2)}`, sessionId: 's-5', at, customerId: 'c-aigerim', text: `Receipt ${key}` } });
    const removed = await setApp('c-aigerim', false);
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { hasApp: boolean }).hasApp).toBe(false);
    expect((await post([push('T-01:42')])).json.results[0]).toMatchObject({ key: 'T-01:42', status: 'rejected', reason: 'noBankApp' });
    expect(((await setApp('c-aigerim', true)).status)).toBe(200);
    expect((await post([push('T-01:43')])).json.results).toEqual([{ key: 'T-01:43', status: 'applied' }]);
    expect((await setApp('c-nobody', true)).status).toBe(404);
    expect((await setApp('c-aigerim', 'yes')).status).toBe(400);
  });

  it('applies each key once; a replayed batch answers alreadyApplied and moves no money', async () => {
    const before = await balance('a-aigerim-cur');
    const batch = [credit('T-01:1', 'a-aigerim-cur', 500_000), credit('T-01:2', 'a-aigerim-cur', 200_000)];
    const first = await post(batch);
    expect(first.json.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const replay = await post(batch);
    expect(replay.json.results).toEqual([{ key: 'T-01:1', status: 'alreadyApplied' }, { key: 'T-01:2', status: 'alreadyApplied' }]);
    expect(await balance('a-aigerim-cur')).toBe(before + 700_000);
  });

  it('rejects business faults per message, remembers the rejection, and still applies the rest', async () => {
    const batch: OutboxMessageWire[] = [
      credit('T-01:10', 'a-unknown', 100_000),
      credit('T-01:11', 'a-aigerim-wal', 100_000),
      { key: 'T-01:12', kind: 'servicePayment', body: { receiptNumber: 'R-12', sessionId: 's-2', at, serviceId: 'kcell', reference: '12345', amount: 100_000, commission: 5_000, notes: [{ denomination: 100_000, count: 1 }, { denomination: 5_000, count: 1 }] } },
    ];
    const first = await post(batch);
    expect(first.json.results).toEqual([
      { key: 'T-01:10', status: 'rejected', reason: 'unknownProduct' },
      { key: 'T-01:11', status: 'applied' },
      { key: 'T-01:12', status: 'rejected', reason: 'invalidReference' },
    ]);
    const again = await post(batch);
    expect(again.json.results[0]).toEqual({ key: 'T-01:10', status: 'rejected', reason: 'unknownProduct' });
    expect(again.json.results[1]).toEqual({ key: 'T-01:11', status: 'alreadyApplied' });
  });

  it('applies a key once when the same batch arrives many times at once', async () => {
    const before = await balance('a-aigerim-cur');
    const answers = await Promise.all(Array.from({ length: 8 }, () => post([credit('T-01:50', 'a-aigerim-cur', 100_000)])));
    const statuses = answers.map((a) => a.json.results[0]!.status).sort();
    expect(statuses).toEqual(['alreadyApplied', 'alreadyApplied', 'alreadyApplied', 'alreadyApplied', 'alreadyApplied', 'alreadyApplied', 'alreadyApplied', 'applied']);
    expect(await balance('a-aigerim-cur')).toBe(before + 100_000);
  });

  it('refuses a reused key that carries a different body', async () => {
    await post([credit('T-01:20', 'a-aigerim-cur', 100_000)]);
    const res = await post([credit('T-01:20', 'a-aigerim-cur', 900_000)]);
    expect(res.json.results[0]).toEqual({ key: 'T-01:20', status: 'rejected', reason: 'keyReusedWithDifferentBody' });
  });

  it('commits under ackLoss: the answer is lost, the retry answers alreadyApplied, the credit happened once', async () => {
    const before = await balance('a-aigerim-cur');
    await fetch(`${bank.url}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'ackLoss' }) });
    await expect(post([credit('T-01:30', 'a-aigerim-cur', 300_000)])).rejects.toThrow();
    await fetch(`${bank.url}/admin/faults`, { method: 'DELETE' });
    const retry = await post([credit('T-01:30', 'a-aigerim-cur', 300_000)]);
    expect(retry.json.results).toEqual([{ key: 'T-01:30', status: 'alreadyApplied' }]);
    expect(await balance('a-aigerim-cur')).toBe(before + 300_000);
  });

  it('rejects a malformed message on its own, applies the rest, and answers 400 to a broken envelope', async () => {
    const res = await fetch(`${bank.url}/v1/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ terminalId: 'T-01', messages: [{ key: 'T-01:40', kind: 'cashInCredit', body: { amount: -1 } }, credit('T-01:41', 'a-aigerim-cur', 100_000)] }),
    });
    const json = (await res.json()) as { results: Array<{ key: string; status: string; reason?: string }> };
    expect(json.results[0]).toMatchObject({ key: 'T-01:40', status: 'rejected' });
    expect(json.results[0]!.reason).toMatch(/^malformedMessage/);
    expect(json.results[1]).toEqual({ key: 'T-01:41', status: 'applied' });
    // the malformed key was not registered: the corrected message still applies
    expect((await post([credit('T-01:40', 'a-aigerim-cur', 100_000)])).json.results[0]).toEqual({ key: 'T-01:40', status: 'applied' });
    const bad = await fetch(`${bank.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/invalid request: terminalId/);
  });
});
