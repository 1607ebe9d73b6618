import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { outboxStats } from '../../../kiosk/store/outbox.js';
import { readJournal } from '../../../kiosk/store/journal.js';
import { queueCashIns, startSlowReturnProxy, startWorld, TERMINAL, until, type World } from './kiosk-and-bank.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const script = path.join(here, 'fixtures', 'sync-worker-process.ts');

function startWorkerProcess(dataDir: string, bankUrl: string): { child: ChildProcess; rounds: () => number; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, bankUrl, TERMINAL], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let rounds = 0;
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process did not start: ${err}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      const text = d.toString();
      rounds += text.split('\n').filter((l) => l.startsWith('round')).length;
      if (text.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited (${code}): ${err}`));
    });
  });
  return { child, rounds: () => rounds, ready };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('killing the sync worker process mid-batch', () => {
  let world: World | undefined;
  let proxy: { url: string; close(): Promise<void> } | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await killHard(c);
    await proxy?.close();
    proxy = undefined;
    await world?.close();
    world = undefined;
  });

  it('loses and doubles nothing across kills and restarts', async () => {
    world = await startWorld();
    const w = world;
    const before = await w.balance('a-aigerim-cur');
    const { total, keys } = queueCashIns(w.store, 400);
    // the bank answers at once, but every answer takes 300 ms to travel back to the kiosk
    proxy = await startSlowReturnProxy(w.bank.port, 300);
    const relay = proxy;
    const dataDir = path.join(w.dir, 'kiosk');
    let unacknowledged = 0;
    for (let round = 0; round < 4; round++) {
      const worker = startWorkerProcess(dataDir, relay.url);
      children.push(worker.child);
      await worker.ready;
      const startRounds = worker.rounds();
      await until(() => worker.rounds() > startRounds, 10_000, 'a batch on the wire');
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 150))); // while the answer travels
      await killHard(worker.child);
      const applied = (await w.appliedKeys()).length;
      const delivered = outboxStats(w.store.db).delivered;
      expect(applied).toBeGreaterThanOrEqual(delivered);
      if (applied > delivered) unacknowledged++;
    }
    // the kill landed after the bank applied a batch but before the kiosk heard back
    expect(unacknowledged).toBeGreaterThan(0);
    expect(outboxStats(w.store.db).pending).toBeGreaterThan(0);

    await relay.close();
    proxy = undefined;
    const restarted = new SyncWorker({ db: w.store.db, deliver: w.deliver, idlePollMs: 50 });
    restarted.start();
    try {
      await until(() => outboxStats(w.store.db).pending === 0, 20_000, 'the queue to drain after restart');
    } finally {
      await restarted.stop();
    }
    expect(await w.balance('a-aigerim-cur')).toBe(before + total);
    const entries = await w.entryKeys('a-aigerim-cur');
    expect(entries).toHaveLength(400);
    expect(new Set(entries)).toEqual(new Set(keys));
    expect((await w.appliedKeys()).every((m) => m.status === 'applied')).toBe(true);
    // the restarted worker re-sent the unacknowledged batch under the same keys; the bank knew them
    const replays = readJournal(w.store.db, 1, 1_000_000).filter((e) => e.type === 'syncDelivered').reduce((n, e) => n + (e.payload.alreadyApplied as number), 0);
    expect(replays).toBeGreaterThan(0);
  });
});
