/**
 * The journal anchored at the bank, end to end: a real kiosk store, the real sync worker and bank
 * client, the bank host simulator, and `npm run journal -- verify` run as its own process against
 * copies of the data folder tampered with in each of the four ways a writer of the file can hide a
 * change from the hash chain alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { outboxStats, listOutbox } from '../../../kiosk/store/outbox.js';
import { entryHash, journalHead, readJournal, verifyJournal, type JournalPayload } from '../../../kiosk/store/journal.js';
import { canonicalJson } from '../../../kiosk/store/canonical-json.js';
import { openKioskStore } from '../../../kiosk/store/store.js';
import { lastAnchor, queueJournalSegments } from '../../../kiosk/fleet/journal-anchor.js';
import { queueCashIns, startWorld, TERMINAL, until, type World } from '../store/kiosk-and-bank.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** the verifier as a technician runs it: its own process, exit code and output lines */
function verify(dataDir: string, bankUrl: string): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('KIOSK_')) env[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/journal.ts', 'verify', '--bank', bankUrl, '--data', dataDir, '--terminal', TERMINAL],
      { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      });
  });
}

/** drives the real worker until nothing is pending */
async function drain(worker: SyncWorker, db: Database.Database): Promise<void> {
  await until(async () => {
    await worker.runOnce();
    return outboxStats(db).pending === 0;
  }, 30_000, 'the outbox to drain');
}

interface Row { seq: number; at: string; type: string; payload: string; prev_hash: string; hash: string }

/** what someone with write access to the file does: switch the guards off, edit, switch them back on */
function tamper(dataDir: string, edit: (db: Database.Database) => void, keepTriggersOff = false): void {
  const db = new Database(path.join(dataDir, 'kiosk.sqlite'));
  db.pragma('foreign_keys = OFF');
  const triggers = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal'").all() as Array<{ sql: string }>;
  db.exec('DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;');
  edit(db);
  if (!keepTriggersOff) for (const t of triggers) db.exec(t.sql);
  db.close();
}

/** re-hashes every entry from `fromSeq` on and moves journal_head to the new last entry */
function rehash(db: Database.Database, fromSeq: number): void {
  const rows = db.prepare('SELECT * FROM journal WHERE seq >= ? ORDER BY seq').all(fromSeq) as Row[];
  let prev = fromSeq === 1 ? '0'.repeat(64) : (db.prepare('SELECT hash FROM journal WHERE seq = ?').get(fromSeq - 1) as { hash: string }).hash;
  const update = db.prepare('UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const hash = entryHash({ seq: r.seq, at: r.at, type: r.type, payload: JSON.parse(r.payload) as JournalPayload, prevHash: prev });
    update.run(prev, hash, r.seq);
    prev = hash;
  }
  const last = db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  db.prepare('UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1').run(last.seq, last.hash);
}

describe('journal anchoring at the bank and the journal verifier', () => {
  let world: World | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await world?.close();
    world = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('anchors the journal in segments; verify passes untampered and fails each tampering, naming the place; a fork is refused', async () => {
    world = await startWorld();
    const w = world;
    const worker = new SyncWorker({ db: w.store.db, deliver: w.deliver });
    queueCashIns(w.store, 4);
    await drain(worker, w.store.db);

    // small segments, so the chain crosses segment borders at the bank
    const segments = queueJournalSegments(w.store.db, TERMINAL, Date.now(), 5);
    expect(segments.length).toBeGreaterThan(2);
    await drain(worker, w.store.db);
    const head = journalHead(w.store.db);
    const bankJournal = await w.admin<{ anchor: { seq: number; hash: string }; segments: unknown[] }>('GET', '/admin/terminals/T-ALA-07/journal');
    expect(bankJournal.segments).toHaveLength(segments.length);
    expect(bankJournal.anchor).toMatchObject({ seq: head.seq, hash: head.hash });
    expect(lastAnchor(w.store.db)).toMatchObject({ seq: head.seq, hash: head.hash });
    // delivering the segments journaled nothing, so the anchored head is the journal's last entry
    expect(readJournal(w.store.db, head.seq + 1, 1)).toHaveLength(0);
    // nothing new: nothing to send
    expect(queueJournalSegments(w.store.db, TERMINAL, Date.now())).toEqual([]);

    const dataDir = path.join(w.dir, 'kiosk');
    w.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = (name: string): string => {
      const d = mkdtempSync(path.join(w.dir, `${name}-`));
      dirs.push(d);
      cpSync(dataDir, d, { recursive: true });
      return d;
    };
    const cases = { untampered: copy('untampered'), cutEnd: copy('cut-end'), amount: copy('amount'), renumber: copy('renumber'), triggers: copy('triggers') };

    // 1. delete the last row and wind journal_head back
    tamper(cases.cutEnd, (db) => {
      db.prepare('DELETE FROM journal WHERE seq = ?').run(head.seq);
      const last = db.prepare('SELECT seq, hash FROM journal WHERE seq = ?').get(head.seq - 1) as { seq: number; hash: string };
      db.prepare('UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1').run(last.seq, last.hash);
    });
    // 2. change an amount and re-hash the whole chain
    let changedSeq = 0;
    tamper(cases.amount, (db) => {
      const row = db.prepare("SELECT * FROM journal WHERE type = 'cashInEnd' ORDER BY seq LIMIT 1").get() as Row;
      const payload = JSON.parse(row.payload) as { receipt: { amount: number } };
      payload.receipt.amount += 100_000;
      db.prepare('UPDATE journal SET payload = ? WHERE seq = ?').run(canonicalJson(payload), row.seq);
      changedSeq = row.seq;
      rehash(db, 1);
    });
    // 3. delete a row and renumber all after it
    tamper(cases.renumber, (db) => {
      const victim = 3;
      db.prepare('DELETE FROM journal WHERE seq = ?').run(victim);
      const later = db.prepare('SELECT seq FROM journal WHERE seq > ? ORDER BY seq').all(victim) as Array<{ seq: number }>;
      for (const r of later) db.prepare('UPDATE journal SET seq = ? WHERE seq = ?').run(r.seq - 1, r.seq);
      rehash(db, victim);
    });
    // 4. drop the append-only triggers
    tamper(cases.triggers, () => undefined, true);

    // the first three are invisible to the chain alone: that is why the bank holds the head
    for (const d of [cases.cutEnd, cases.amount, cases.renumber]) {
      const db = new Database(path.join(d, 'kiosk.sqlite'), { readonly: true });
      expect(verifyJournal(db).ok).toBe(true);
      db.close();
    }

    const ok = await verify(cases.untampered, w.bank.url);
    expect(ok.out).toMatch(new RegExp(`^ok: ${head.seq} entries, chain intact, append-only triggers present, counters agree.*bank anchor at entry ${head.seq} matches`, 'm'));
    expect(ok.code).toBe(0);

    const cut = await verify(cases.cutEnd, w.bank.url);
    expect(cut.code).toBe(1);
    expect(cut.out).toContain(`FAIL bank: entry ${head.seq} is missing, but the bank anchored it`);

    const amount = await verify(cases.amount, w.bank.url);
    expect(amount.code).toBe(1);
    expect(changedSeq).toBeGreaterThan(0);
    expect(amount.out).toMatch(new RegExp(`FAIL bank: entry ${head.seq} has hash [0-9a-f]{12}, but the bank anchored ${head.hash.slice(0, 12)}: the journal up to entry ${head.seq} was rewritten`));

    const renumbered = await verify(cases.renumber, w.bank.url);
    expect(renumbered.code).toBe(1);
    expect(renumbered.out).toContain(`FAIL bank: entry ${head.seq} is missing, but the bank anchored it`);

    const triggers = await verify(cases.triggers, w.bank.url);
    expect(triggers.code).toBe(1);
    expect(triggers.out).toContain('FAIL triggers: append-only trigger journal_no_update is missing: journal rows can be changed');
    expect(triggers.out).toContain('FAIL triggers: append-only trigger journal_no_delete is missing: journal rows can be deleted');

    // a fork: the rewritten journal carries on and sends its next segment; the bank refuses it,
    // the refusal is journaled and listed for the technician
    const forked = openKioskStore({ dataDir: cases.amount, terminalId: TERMINAL });
    try {
      queueCashIns(forked, 1, 'a-aigerim-cur', 'c-aigerim', 99);
      const forkWorker = new SyncWorker({ db: forked.db, deliver: w.deliver });
      await drain(forkWorker, forked.db);
      const [segment] = queueJournalSegments(forked.db, TERMINAL, Date.now());
      expect(segment?.from).toBe(head.seq + 1);
      await drain(forkWorker, forked.db);
      const dead = listOutbox(forked.db, 'deadLetter').find((m) => m.kind === 'journalUpload');
      expect(dead?.deadReason).toMatch(new RegExp(`^journalForked: entry ${head.seq + 1} links to [0-9a-f]{12}, but the anchored entry ${head.seq} is ${head.hash.slice(0, 12)}`));
      const journaled = readJournal(forked.db, 1, 10_000).find((e) => e.type === 'deadLetter' && e.payload.kind === 'journalUpload');
      expect(String(journaled?.payload.reason)).toMatch(/^journalForked/);
      expect(forked.money.undelivered().some((m) => m.kind === 'journalUpload' && m.state === 'deadLetter' && /journalForked/.test(m.reason ?? ''))).toBe(true);
      // the bank's anchor did not move
      const after = await w.admin<{ anchor: { seq: number; hash: string } }>('GET', '/admin/terminals/T-ALA-07/journal');
      expect(after.anchor).toMatchObject({ seq: head.seq, hash: head.hash });
    } finally {
      forked.close();
    }
  });

  it('sends money before a journal segment queued ahead of it', async () => {
    world = await startWorld();
    const w = world;
    const worker = new SyncWorker({ db: w.store.db, deliver: w.deliver });
    queueCashIns(w.store, 2);
    await drain(worker, w.store.db);
    queueJournalSegments(w.store.db, TERMINAL, Date.now());
    const { keys } = queueCashIns(w.store, 1, 'a-aigerim-cur', 'c-aigerim', 5);
    const order: string[] = [];
    const spy = new SyncWorker({ db: w.store.db, deliver: async (batch) => {
      order.push(...batch.map((m) => m.kind));
      return w.deliver(batch);
    } });
    await drain(spy, w.store.db);
    expect(order).toEqual(['cashInCredit', 'journalUpload']);
    expect(keys).toHaveLength(1);
  });
});
