/**
 * Outbox benchmarks. Both compare our path with the plainest way to do the same durable work on the
 * same machine in the same run, and print the ratio.
 *  - enqueue: a journal entry + an outbox message in one WAL/synchronous=FULL transaction, against a
 *    bare better-sqlite3 INSERT per transaction with the same pragmas.
 *  - drain: the sync worker delivering a queue to the bank host simulator, against posting the same
 *    number of messages straight to the simulator in batches of the same size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Bench } from './registry.js';
import { openDb, closeDb, type Db } from '../../kiosk/store/db.js';
import { appendJournal } from '../../kiosk/store/journal.js';
import { enqueueMessage } from '../../kiosk/store/outbox.js';
import { SyncWorker } from '../../kiosk/sync/sync-worker.js';
import { BankClient } from '../../kiosk/bank/client.js';
import { startBankServer } from '../../simulators/bank/server.js';
import type { OutboxMessageWire } from '../../kiosk/bank/messages.js';

const ENQUEUE_N = 1000;
const DRAIN_N = 1000;
const BATCH = 50;

function creditBody(i: number): Record<string, unknown> {
  return {
    receiptNumber: `B-20261125-${String(i).padStart(6, '0')}`, sessionId: `s-${i}`, at: '2026-11-25T10:00:00.000Z',
    customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 100000, commission: 0, notes: [{ denomination: 100000, count: 1 }],
  };
}

function enqueueOne(db: Db, terminalId: string, i: number): void {
  db.transaction(() => {
    const at = new Date();
    const entry = appendJournal(db, 'benchCredit', { receiptNumber: `B-${terminalId}-${i}`, amount: 100000 }, at);
    enqueueMessage(db, { terminalId, kind: 'cashInCredit', body: creditBody(i), journalSeq: entry.seq, nowMs: at.getTime(), creditAmount: 100000 });
  }).immediate();
}

const rate = (n: number, ms: number): string => `${Math.round((n * 1000) / Math.max(ms, 1))} msg/s`;

export const enqueueBench: Bench = {
  name: 'outbox-enqueue',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-enqueue-'));
    try {
      const db = openDb({ dataDir: dir });
      let t = performance.now();
      for (let i = 0; i < ENQUEUE_N; i++) enqueueOne(db, 'T-BENCH', i);
      const ours = performance.now() - t;
      closeDb(db);

      const raw = new Database(path.join(dir, 'raw.sqlite'));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = FULL');
      raw.exec('CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, body TEXT NOT NULL)');
      const insert = raw.prepare('INSERT INTO messages (key, body) VALUES (?, ?)');
      t = performance.now();
      for (let i = 0; i < ENQUEUE_N; i++) raw.transaction(() => insert.run(`T-RAW:${i}`, JSON.stringify(creditBody(i)))).immediate();
      const baseline = performance.now() - t;
      raw.close();
      return [
        `durable enqueue (journal entry + outbox message, one transaction each): ${rate(ENQUEUE_N, ours)}`,
        `raw better-sqlite3 INSERT, one transaction each, same pragmas: ${rate(ENQUEUE_N, baseline)}`,
        `ratio ours/baseline: ${(baseline / ours).toFixed(2)}`,
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** a fresh simulator ledger per measurement, so neither side works against the other's rows */
async function withBank<T>(dir: string, name: string, fn: (url: string, client: BankClient) => Promise<T>): Promise<T> {
  const bank = await startBankServer({ dbFile: path.join(dir, `${name}.sqlite`) });
  const client = new BankClient({ baseUrl: bank.url, retries: 0, terminalId: 'T-BENCH' });
  try {
    return await fn(bank.url, client);
  } finally {
    client.close();
    await bank.close();
  }
}

export const drainBench: Bench = {
  name: 'outbox-drain',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-drain-'));
    try {
      const db = openDb({ dataDir: path.join(dir, 'kiosk') });
      for (let i = 0; i < DRAIN_N; i++) enqueueOne(db, 'T-BENCH', i);

      // baseline: the simulator's own ingest rate, the same batches posted straight from memory
      const baseline = await withBank(dir, 'direct', async (url) => {
        const batches: OutboxMessageWire[][] = [];
        for (let i = 0; i < DRAIN_N; i += BATCH) {
          batches.push(Array.from({ length: Math.min(BATCH, DRAIN_N - i) }, (_, k) => ({ key: `T-DIRECT:${i + k + 1}`, kind: 'cashInCredit' as const, body: creditBody(i + k) as never })));
        }
        const t = performance.now();
        for (const messages of batches) {
          const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ terminalId: 'T-DIRECT', messages }) });
          if (!res.ok) throw new Error(`direct POST failed: ${res.status}`);
          await res.arrayBuffer();
        }
        return performance.now() - t;
      });

      const ours = await withBank(dir, 'worker', async (_url, client) => {
        const worker = new SyncWorker({ db, deliver: (batch) => client.postMessages('T-BENCH', batch), batchSize: BATCH });
        const t = performance.now();
        let sent = 0;
        for (;;) {
          const r = await worker.runOnce();
          if (r.kind !== 'sent') break;
          sent += r.delivered;
        }
        if (sent !== DRAIN_N) throw new Error(`worker delivered ${sent} of ${DRAIN_N}`);
        return performance.now() - t;
      });
      closeDb(db);
      return [
        `sync worker drain (${DRAIN_N} messages, batches of ${BATCH}): ${rate(DRAIN_N, ours)}`,
        `bank simulator ingest, direct batch POSTs: ${rate(DRAIN_N, baseline)}`,
        `ratio ours/baseline: ${(baseline / ours).toFixed(2)}`,
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
