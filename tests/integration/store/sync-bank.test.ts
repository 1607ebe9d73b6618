import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { listOutbox, outboxStats } from '../../../kiosk/store/outbox.js';
import { verifyJournal, readJournal } from '../../../kiosk/store/journal.js';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { queueCashIns, startWorld, until, type World } from './kiosk-and-bank.js';

describe('sync worker against the bank host simulator', () => {
  let world: World | undefined;
  let worker: SyncWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await world?.close();
    world = undefined;
  });

  it('keeps 500 credits while the bank is down, then drains them, each applied exactly once', async () => {
    world = await startWorld();
    const w = world;
    const before = await w.balance('a-aigerim-cur');
    await w.admin('POST', '/admin/faults', { mode: 'down' });
    const registry = new Registry();
    worker = new SyncWorker({ db: w.store.db, deliver: w.deliver, registry, backoff: { baseMs: 20, maxMs: 200 }, idlePollMs: 50 });
    let failures = 0;
    worker.on('failed', () => failures++);
    worker.start();
    const { total, keys } = queueCashIns(w.store, 500);
    worker.notify();
    await until(() => failures >= 3, 10_000, 'three failed rounds');
    expect(outboxStats(w.store.db).pending).toBe(500);
    expect(w.store.money.offlineExposure()).toBe(total);
    expect(await w.appliedKeys()).toHaveLength(0);
    expect(await registry.metrics()).toMatch(/kiosk_outbox_queue_depth 500/);

    await w.admin('DELETE', '/admin/faults');
    await until(() => outboxStats(w.store.db).pending === 0, 20_000, 'the queue to drain');
    expect(await w.balance('a-aigerim-cur')).toBe(before + total);
    const applied = await w.appliedKeys();
    expect(applied.filter((m) => m.status === 'applied').map((m) => m.key).sort()).toEqual([...keys].sort());
    const entries = await w.entryKeys('a-aigerim-cur');
    expect(entries).toHaveLength(500);
    expect(new Set(entries).size).toBe(500);
    expect(w.store.money.offlineExposure()).toBe(0);
    expect(await registry.metrics()).toMatch(/kiosk_outbox_delivered_total 500/);
    expect(verifyJournal(w.store.db).ok).toBe(true);
    expect(checkCounters(w.store.db)).toEqual([]);
  });

  it('with 30 % of acknowledgements lost, 1,000 credits are applied exactly once', async () => {
    world = await startWorld();
    const w = world;
    const before = await w.balance('a-olga-cur');
    const { total, keys } = queueCashIns(w.store, 1000, 'a-olga-cur', 'c-olga', 7);
    await w.admin('POST', '/admin/faults', { mode: 'ackLoss', rate: 0.3 });
    worker = new SyncWorker({ db: w.store.db, deliver: w.deliver, backoff: { baseMs: 10, maxMs: 50 }, idlePollMs: 50 });
    let failures = 0;
    worker.on('failed', () => failures++);
    worker.start();
    await until(() => outboxStats(w.store.db).pending === 0, 60_000, 'the queue to drain under ack loss');
    expect(failures).toBeGreaterThan(0);
    expect(await w.balance('a-olga-cur')).toBe(before + total);
    const entries = await w.entryKeys('a-olga-cur');
    expect(entries).toHaveLength(1000);
    expect(new Set(entries)).toEqual(new Set(keys));
    // the retries after lost answers were recognised by the bank as replays
    const replays = readJournal(w.store.db, 1, 1_000_000)
      .filter((e) => e.type === 'syncDelivered')
      .reduce((n, e) => n + (e.payload.alreadyApplied as number), 0);
    expect(replays).toBeGreaterThan(0);
    expect(outboxStats(w.store.db)).toMatchObject({ delivered: 1000, deadLetter: 0 });
  });

  it('a business rejection lands in dead letter with its receipt number', async () => {
    world = await startWorld();
    const w = world;
    const good = queueCashIns(w.store, 2);
    // a service payment to an account number the provider does not know
    const { cashInId } = w.store.money.beginCashIn({ sessionId: 's-bad', target: { kind: 'service', serviceId: 'kcell', reference: '12345', receiptPhone: '+77011234567' } });
    w.store.money.recordStacked(cashInId, w.store.money.recordStackIntent(cashInId, 500000));
    const bad = w.store.money.endCashIn(cashInId, { commission: 5000 });
    worker = new SyncWorker({ db: w.store.db, deliver: w.deliver });
    expect(await worker.runOnce()).toMatchObject({ kind: 'sent', delivered: 2, deadLettered: 1 });
    const [dead] = listOutbox(w.store.db, 'deadLetter');
    expect(dead).toMatchObject({ key: bad.messageKey, receiptNumber: bad.receiptNumber, deadReason: 'invalidReference' });
    expect(w.store.money.receipt(bad.receiptNumber ?? '')).toMatchObject({
      operation: 'servicePayment', amount: 495000, commission: 5000, total: 500000,
      delivery: { key: bad.messageKey, state: 'deadLetter', reason: 'invalidReference' },
    });
    expect(readJournal(w.store.db, 1, 10_000).find((e) => e.type === 'deadLetter')?.payload).toMatchObject({ forReceipt: bad.receiptNumber, reason: 'invalidReference' });
    expect(await worker.runOnce()).toEqual({ kind: 'idle' }); // dead letters are not retried
    expect(good.keys.every((k) => listOutbox(w.store.db, 'delivered').some((m) => m.key === k))).toBe(true);
  });
});
