import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { tempStore, type TempStore } from './temp-store.js';
import { SyncWorker, type Deliver } from '../../../kiosk/sync/sync-worker.js';
import { listOutbox, outboxStats } from '../../../kiosk/store/outbox.js';
import { readJournal, verifyJournal } from '../../../kiosk/store/journal.js';
import type { DeliveryResult, OutboxMessage } from '../../../kiosk/bank/bank-api.js';

/**
 * The bank's side of the wire contract, kept in memory: applies each key once, remembers the order.
 * Used only here; the integration tests run the same scenarios against the bank host simulator.
 */
class KeyOnceLedger {
  applied = new Map<string, number>();
  order: string[] = [];
  requests: OutboxMessage[][] = [];
  mode: 'up' | 'down' | 'ackLoss' = 'up';
  rejectKeys = new Set<string>();
  dropKeys = new Set<string>();

  deliver: Deliver = async (batch) => {
    this.requests.push(batch);
    if (this.mode === 'down') throw new Error('connect ECONNREFUSED');
    const results: DeliveryResult[] = [];
    for (const m of batch) {
      if (this.dropKeys.has(m.key)) continue;
      if (this.rejectKeys.has(m.key)) {
        results.push({ key: m.key, status: 'rejected', reason: 'aboveMaxTopUp' });
        continue;
      }
      const seen = this.applied.has(m.key);
      if (!seen) this.order.push(m.key);
      this.applied.set(m.key, (this.applied.get(m.key) ?? 0) + (seen ? 0 : 1));
      results.push({ key: m.key, status: seen ? 'alreadyApplied' : 'applied' });
    }
    if (this.mode === 'ackLoss') throw new Error('socket hang up');
    return results;
  };
}

function queueCredits(s: TempStore, n: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const { cashInId } = s.money.beginCashIn({ sessionId: `s-${i}`, target: { kind: 'account', customerId: 'c-1', productId: 'p-1' } });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, 100000));
    keys.push(s.money.endCashIn(cashInId, { commission: 0 }).messageKey ?? '');
  }
  return keys;
}

describe('sync worker', () => {
  const stores: TempStore[] = [];
  const workers: SyncWorker[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const s of stores.splice(0)) s.dispose();
  });
  const fresh = () => {
    const s = tempStore();
    stores.push(s);
    return s;
  };
  const worker = (s: TempStore, deliver: Deliver, extra: Partial<ConstructorParameters<typeof SyncWorker>[0]> = {}) => {
    const w = new SyncWorker({ db: s.db, deliver, now: () => s.clock.ms, random: () => 0, backoff: { baseMs: 1000, maxMs: 8000 }, ...extra });
    workers.push(w);
    return w;
  };

  it('delivers in sequence order, in batches of at most 50', async () => {
    const s = fresh();
    const keys = queueCredits(s, 120);
    const bank = new KeyOnceLedger();
    const w = worker(s, bank.deliver);
    const rounds = [];
    for (let i = 0; i < 3; i++) rounds.push(await w.runOnce());
    expect(rounds.map((r) => r.kind === 'sent' && r.delivered)).toEqual([50, 50, 20]);
    expect(await w.runOnce()).toEqual({ kind: 'idle' });
    expect(bank.requests.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(bank.order).toEqual(keys);
    expect(outboxStats(s.db)).toMatchObject({ pending: 0, delivered: 120 });
    expect(readJournal(s.db, 1, 10_000).filter((e) => e.type === 'syncDelivered')).toHaveLength(3);
    expect(verifyJournal(s.db).ok).toBe(true);
  });

  it('backs off exponentially while the bank is down, keeps everything, then drains', async () => {
    const s = fresh();
    const keys = queueCredits(s, 10);
    const bank = new KeyOnceLedger();
    bank.mode = 'down';
    const w = worker(s, bank.deliver);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await w.runOnce();
      expect(r.kind).toBe('failed');
      if (r.kind === 'failed') waits.push(r.retryAt - s.clock.ms);
      expect(await w.runOnce()).toMatchObject({ kind: 'waiting' }); // not due yet: nothing sent
      s.clock.ms += 10_000;
    }
    expect(waits).toEqual([500, 1000, 2000, 4000]); // random() = 0: half of 1 s, 2 s, 4 s, 8 s
    expect(bank.requests).toHaveLength(4);
    expect(listOutbox(s.db, 'pending')[0]).toMatchObject({ attempts: 4, lastError: 'Error: connect ECONNREFUSED' });
    bank.mode = 'up';
    expect(await w.runOnce()).toMatchObject({ kind: 'sent', delivered: 10 });
    expect(bank.order).toEqual(keys);
  });

  it('a lost acknowledgement is retried with the same key and counted once', async () => {
    const s = fresh();
    queueCredits(s, 5);
    const bank = new KeyOnceLedger();
    bank.mode = 'ackLoss';
    const w = worker(s, bank.deliver);
    expect((await w.runOnce()).kind).toBe('failed');
    bank.mode = 'up';
    s.clock.ms += 60_000;
    expect(await w.runOnce()).toMatchObject({ kind: 'sent', delivered: 5 });
    expect([...bank.applied.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(bank.requests[0]?.map((m) => m.key)).toEqual(bank.requests[1]?.map((m) => m.key));
    expect(bank.requests[0]).toEqual(bank.requests[1]); // byte-identical resend
    expect(readJournal(s.db, 1, 1000).find((e) => e.type === 'syncDelivered')?.payload).toMatchObject({ alreadyApplied: 5 });
  });

  it('a business rejection goes to dead letter with its receipt number, never dropped', async () => {
    const s = fresh();
    const keys = queueCredits(s, 3);
    const bank = new KeyOnceLedger();
    bank.rejectKeys.add(keys[1] ?? '');
    const w = worker(s, bank.deliver);
    const dead: Array<{ key: string; receiptNumber: string | null }> = [];
    w.on('deadLetter', (d) => dead.push(d));
    expect(await w.runOnce()).toMatchObject({ kind: 'sent', delivered: 2, deadLettered: 1 });
    const [letter] = listOutbox(s.db, 'deadLetter');
    expect(letter).toMatchObject({ key: keys[1], deadReason: 'aboveMaxTopUp' });
    expect(letter?.receiptNumber).toMatch(/^T-0001-/);
    expect(dead).toEqual([{ key: keys[1], receiptNumber: letter?.receiptNumber, reason: 'aboveMaxTopUp' }]);
    expect(readJournal(s.db, 1, 1000).find((e) => e.type === 'deadLetter')?.payload).toMatchObject({ forReceipt: letter?.receiptNumber });
    expect(s.money.receipt(letter?.receiptNumber ?? '')?.delivery).toEqual({ key: keys[1], state: 'deadLetter', reason: 'aboveMaxTopUp' });
  });

  it('a key missing from the answer stays pending and is retried', async () => {
    const s = fresh();
    const keys = queueCredits(s, 3);
    const bank = new KeyOnceLedger();
    bank.dropKeys.add(keys[2] ?? '');
    const w = worker(s, bank.deliver);
    expect(await w.runOnce()).toMatchObject({ kind: 'sent', delivered: 2, unanswered: 1 });
    bank.dropKeys.clear();
    s.clock.ms += 60_000;
    expect(await w.runOnce()).toMatchObject({ kind: 'sent', delivered: 1 });
  });

  it('treats a malformed answer and a slow bank as failed attempts', async () => {
    const s = fresh();
    queueCredits(s, 1);
    const garbage = worker(s, async () => [{ key: 1 }] as unknown as DeliveryResult[]);
    expect(await garbage.runOnce()).toMatchObject({ kind: 'failed' });
    s.clock.ms += 60_000;
    const slow = worker(s, () => new Promise(() => undefined), { deliverTimeoutMs: 50 });
    expect(await slow.runOnce()).toMatchObject({ kind: 'failed', error: expect.stringMatching(/within 50 ms/) });
    expect(listOutbox(s.db, 'pending')[0]?.attempts).toBe(2);
  });

  it('resumes after a restart from SQLite alone', async () => {
    let s = fresh();
    const keys = queueCredits(s, 30);
    const bank = new KeyOnceLedger();
    await worker(s, bank.deliver, { batchSize: 10 }).runOnce();
    s = s.reopen();
    stores.push(s);
    const w = worker(s, bank.deliver, { batchSize: 10 });
    while ((await w.runOnce()).kind === 'sent');
    expect(bank.order).toEqual(keys);
    expect(outboxStats(s.db).delivered).toBe(30);
  });

  it('runs as a loop, wakes on notify, and exports metrics', async () => {
    const s = fresh();
    const registry = new Registry();
    const bank = new KeyOnceLedger();
    bank.mode = 'down';
    const w = worker(s, bank.deliver, { registry, idlePollMs: 60_000, now: Date.now, backoff: { baseMs: 20, maxMs: 40 } });
    const key = queueCredits(s, 1)[0];
    s.clock.ms = Date.now() - 5000; // the next message is five seconds old
    queueCredits(s, 1);
    const depth = async () => (await registry.getSingleMetric('kiosk_outbox_queue_depth')?.get())?.values[0]?.value;
    expect(await depth()).toBe(2);
    const age = (await registry.getSingleMetric('kiosk_outbox_oldest_pending_age_seconds')?.get())?.values[0]?.value ?? 0;
    expect(age).toBeGreaterThan(0);
    const failedOnce = new Promise((resolve) => w.once('failed', resolve));
    w.start();
    await failedOnce;
    bank.mode = 'up';
    const delivered = new Promise((resolve) => w.once('delivered', resolve));
    w.notify();
    await delivered;
    expect(bank.applied.get(key ?? '')).toBe(1);
    expect(await depth()).toBe(0);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/kiosk_outbox_delivered_total 2/);
    expect(metrics).toMatch(/kiosk_outbox_failed_total [1-9]/);
    await w.stop();
  });
});
