import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BankClient } from '../../../kiosk/bank/client.js';
import { BankUnavailableError, type OutboxMessage } from '../../../kiosk/bank/bank-api.js';
import { startTestBank, type TestBank } from './helpers.js';

let t: TestBank;
let client: BankClient;
let requests: number;

beforeEach(async () => {
  t = await startTestBank();
  requests = 0;
  t.bank.app.server.on('request', (request: { url?: string }) => {
    if (request.url?.startsWith('/v1/') === true) requests++;
  });
  client = new BankClient({ baseUrl: t.bank.url, timeoutMs: 400, retries: 2, retryDelayMs: 20 });
});
afterEach(async () => {
  client.close();
  await t.close();
});

const fault = (body: Record<string, unknown>): Promise<unknown> => t.admin('POST', '/admin/faults', body);
const credit = (key: string): OutboxMessage => ({
  key, kind: 'cashInCredit',
  body: { receiptNumber: `R-${key}`, sessionId: 's', at: '2026-11-25T10:00:00Z', customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 100_000, commission: 0, notes: [{ denomination: 100_000, count: 1 }] },
});
const balance = async (): Promise<number> => (await t.admin<{ balance: number }>('GET', '/admin/accounts/a-aigerim-cur')).balance;

describe('fault modes as the client sees them', () => {
  it('down: the connection is dropped -> BankUnavailableError; admin keeps working', async () => {
    await fault({ mode: 'down' });
    await expect(client.services()).rejects.toBeInstanceOf(BankUnavailableError);
    expect(await t.admin('GET', '/admin/faults')).toMatchObject({ fault: { mode: 'down' } });
    await t.admin('DELETE', '/admin/faults');
    expect((await client.services()).length).toBeGreaterThan(0);
  });

  it('error: 5xx -> BankUnavailableError after the retries of an idempotent call', async () => {
    await fault({ mode: 'error' });
    const before = requests;
    await expect(client.services()).rejects.toThrow(/503/);
    expect(requests - before).toBe(3);
  });

  it('error: a call that must not repeat (OTP request) is tried once', async () => {
    await fault({ mode: 'error' });
    const before = requests;
    await expect(client.requestOtp('s-1', 'c-aigerim')).rejects.toBeInstanceOf(BankUnavailableError);
    expect(requests - before).toBe(1);
    expect((await t.admin<{ messages: unknown[] }>('GET', '/admin/sms')).messages).toEqual([]);
  });

  it('timeout: no answer -> BankUnavailableError within the client timeout', async () => {
    await fault({ mode: 'timeout' });
    const started = performance.now();
    const single = new BankClient({ baseUrl: t.bank.url, timeoutMs: 300, retries: 0 });
    await expect(single.services()).rejects.toThrow(/within 300 ms/);
    expect(performance.now() - started).toBeLessThan(2000);
    single.close();
  });

  it('slow: answers late but inside the timeout succeed; later than the timeout fail', async () => {
    await fault({ mode: 'slow', delayMs: 100 });
    expect((await client.services()).length).toBeGreaterThan(0);
    await fault({ mode: 'slow', delayMs: 1000 });
    const single = new BankClient({ baseUrl: t.bank.url, timeoutMs: 300, retries: 0 });
    await expect(single.services()).rejects.toBeInstanceOf(BankUnavailableError);
    single.close();
  });

  it('ackLoss: committed but unanswered; the retry is answered alreadyApplied and money moves once', async () => {
    const before = await balance();
    await fault({ mode: 'ackLoss' });
    const before2 = requests;
    await expect(client.postMessages('T-01', [credit('T-01:1')])).rejects.toBeInstanceOf(BankUnavailableError);
    expect(requests - before2).toBe(3); // a batch is safe to repeat, so it was retried
    await t.admin('DELETE', '/admin/faults');
    expect(await client.postMessages('T-01', [credit('T-01:1')])).toEqual([{ key: 'T-01:1', status: 'alreadyApplied' }]);
    expect(await balance()).toBe(before + 100_000);
  });

  it('durationMs: a fault switches itself off', async () => {
    await fault({ mode: 'error', durationMs: 100 });
    expect(await t.admin('GET', '/admin/faults')).toMatchObject({ fault: { mode: 'error' } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await t.admin('GET', '/admin/faults')).toEqual({ fault: null });
    expect((await client.services()).length).toBeGreaterThan(0);
  });

  it('rate: a partial fault is absorbed by the retries of idempotent calls', async () => {
    await fault({ mode: 'error', rate: 0.5 });
    let served = 0;
    for (let i = 0; i < 10; i++) {
      try {
        await client.services();
        served++;
      } catch (err) {
        expect(err).toBeInstanceOf(BankUnavailableError);
      }
    }
    // each call fails only if three independent attempts fail (1/8): nearly all are served
    expect(served).toBeGreaterThanOrEqual(5);
  });

  it('the client never sends a message that breaks the contract; it comes back rejected, the rest is delivered', async () => {
    const broken = { key: 'T-01:7', kind: 'cashInCredit', body: { amount: 1.5 } } as OutboxMessage;
    const results = await client.postMessages('T-01', [credit('T-01:6'), broken, credit('T-01:8')]);
    expect(results.map((r) => [r.key, r.status])).toEqual([['T-01:6', 'applied'], ['T-01:7', 'rejected'], ['T-01:8', 'applied']]);
    expect(results[1]!.reason).toMatch(/^invalidMessage/);
  });

  it('a 4xx is BankUnavailableError too, and not retried', async () => {
    const before = requests;
    await expect(client.approvalStatus('no-such-approval')).rejects.toThrow(/404/);
    expect(requests - before).toBe(1);
  });
});
