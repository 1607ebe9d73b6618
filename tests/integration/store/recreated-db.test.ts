/**
 * A database re-created under the same terminal id (a replaced disk, a reinstall) starts its
 * outbox sequence at 1 again. Its keys must still be new to the bank: before the installation id
 * was part of the key, the bank dead-lettered every reused key as keyReusedWithDifferentBody.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { installationId, outboxStats } from '../../../kiosk/store/outbox.js';
import { openKioskStore } from '../../../kiosk/store/store.js';
import { TERMINAL, queueCashIns, startWorld, until, type World } from './kiosk-and-bank.js';

describe('message keys across a re-created database', () => {
  let world: World | undefined;
  let worker: SyncWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await world?.close();
    world = undefined;
  });

  it('the bank applies every credit of both installations; none is dead-lettered as a reused key', async () => {
    world = await startWorld();
    const w = world;
    const before = await w.balance('a-aigerim-cur');
    const drain = async (store: typeof w.store, what: string): Promise<void> => {
      worker = new SyncWorker({ db: store.db, deliver: w.deliver, backoff: { baseMs: 10, maxMs: 50 }, idlePollMs: 20 });
      worker.start();
      await until(() => outboxStats(store.db).pending === 0, 30_000, what);
      await worker.stop();
      worker = undefined;
    };

    const first = queueCashIns(w.store, 40, 'a-aigerim-cur', 'c-aigerim', 3);
    const firstInstallation = installationId(w.store.db);
    await drain(w.store, 'the first installation to drain');
    expect(outboxStats(w.store.db)).toMatchObject({ delivered: 40, deadLetter: 0 });

    // the disk is replaced: same terminal id, empty data folder, sequence back at 1
    w.store.close();
    const dataDir = path.join(w.dir, 'kiosk');
    rmSync(dataDir, { recursive: true, force: true });
    const second = openKioskStore({ dataDir, terminalId: TERMINAL });
    w.store = second;
    expect(installationId(second.db)).not.toBe(firstInstallation);
    const again = queueCashIns(second, 40, 'a-aigerim-cur', 'c-aigerim', 5);
    // the same sequence numbers as before, yet different keys
    expect(again.keys[0]).toMatch(new RegExp(`^${TERMINAL}:[0-9a-f]{16}:1$`));
    expect(first.keys[0]?.split(':').at(-1)).toBe('1');
    expect(new Set([...first.keys, ...again.keys]).size).toBe(80);
    await drain(second, 'the second installation to drain');

    expect(outboxStats(second.db)).toMatchObject({ delivered: 40, deadLetter: 0 });
    const applied = await w.appliedKeys();
    expect(applied.filter((m) => m.reason === 'keyReusedWithDifferentBody')).toEqual([]);
    expect(applied.filter((m) => m.status === 'applied')).toHaveLength(80);
    expect(await w.balance('a-aigerim-cur')).toBe(before + first.total + again.total);
  });
});
