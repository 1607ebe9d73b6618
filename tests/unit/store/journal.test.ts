import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempStore, type TempStore } from './temp-store.js';
import { appendJournal, verifyJournal, readJournal, GENESIS_HASH } from '../../../kiosk/store/journal.js';
import { dbPath, closeDb, type Db } from '../../../kiosk/store/db.js';

/** a journal written the way the kiosk writes it: cash-ins with receipts, a withdrawal, an audit */
function fillJournal(s: TempStore): string[] {
  const receipts: string[] = [];
  s.money.recordReplenishment('tech-1', [{ cassette: 0, denomination: 500000, count: 100 }]);
  for (let i = 0; i < 5; i++) {
    const { cashInId } = s.money.beginCashIn({ sessionId: `s-${i}`, target: { kind: 'account', customerId: 'c-aigerim', productId: 'p-1', label: `marker-${i}` } });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, 200000));
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, 1000000));
    const end = s.money.endCashIn(cashInId, { commission: 0 });
    receipts.push(end.receiptNumber ?? '');
    s.clock.ms += 60_000;
  }
  s.money.recordAudit('tech-1', 'openSafe', { door: 'upper' });
  return receipts;
}

describe('electronic journal', () => {
  const stores: TempStore[] = [];
  const extraDbs: Db[] = [];
  afterEach(() => {
    for (const db of extraDbs.splice(0)) closeDb(db);
    for (const s of stores.splice(0)) s.dispose();
  });
  const fresh = () => {
    const s = tempStore();
    stores.push(s);
    return s;
  };

  /** a checkpointed copy of the store's database file, to tamper with */
  function copyOf(s: TempStore, name: string): string {
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    const target = path.join(s.dir, name);
    copyFileSync(dbPath(s.dir), target);
    return target;
  }
  function openRaw(file: string): Database.Database {
    const db = new Database(file);
    extraDbs.push(db);
    return db;
  }

  it('chains entries from the genesis hash and verifies a real journal', () => {
    const s = fresh();
    fillJournal(s);
    const entries = readJournal(s.db);
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    const result = verifyJournal(s.db);
    expect(result).toMatchObject({ ok: true, entries: entries.length });
    expect(entries.length).toBeGreaterThan(25);
  });

  it('detects one byte changed in a copy of the database file', () => {
    const s = fresh();
    fillJournal(s);
    const original = readFileSync(copyOf(s, 'pristine.sqlite'));
    // the marker also sits in the cash_ins table; flip the occurrence that lies in a journal page
    let offset = original.indexOf(Buffer.from('marker-3'));
    let found: { seq: number } | undefined;
    let n = 0;
    while (offset >= 0 && !found) {
      const bytes = Buffer.from(original);
      bytes[offset + 7] = '9'.charCodeAt(0); // marker-3 -> marker-9: one byte, the page stays well-formed
      const file = path.join(s.dir, `edited-${n++}.sqlite`);
      writeFileSync(file, bytes);
      const copy = openRaw(file);
      found = copy.prepare("SELECT seq FROM journal WHERE payload LIKE '%marker-9%'").get() as { seq: number } | undefined;
      if (found) expect(verifyJournal(copy as Db)).toMatchObject({ ok: false, firstBadSeq: found.seq, problem: expect.stringMatching(/edited/) });
      offset = original.indexOf(Buffer.from('marker-3'), offset + 1);
    }
    expect(found).toBeDefined();
  });

  it('detects a deleted entry', () => {
    const s = fresh();
    fillJournal(s);
    const copy = openRaw(copyOf(s, 'deleted.sqlite'));
    copy.exec('PRAGMA foreign_keys = OFF; DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 7;');
    expect(verifyJournal(copy as Db)).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('detects a deleted and renumbered entry', () => {
    const s = fresh();
    fillJournal(s);
    const copy = openRaw(copyOf(s, 'renumbered.sqlite'));
    copy.exec('PRAGMA foreign_keys = OFF; DROP TRIGGER journal_no_delete; DROP TRIGGER journal_no_update; DELETE FROM journal WHERE seq = 7; UPDATE journal SET seq = seq - 1 WHERE seq > 7;');
    expect(verifyJournal(copy as Db)).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('detects entries cut off the end', () => {
    const s = fresh();
    fillJournal(s);
    const copy = openRaw(copyOf(s, 'truncated.sqlite'));
    const last = (copy.prepare('SELECT MAX(seq) AS m FROM journal').get() as { m: number }).m;
    copy.exec(`PRAGMA foreign_keys = OFF; DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = ${last};`);
    expect(verifyJournal(copy as Db)).toMatchObject({ ok: false, problem: expect.stringMatching(/cut off/) });
  });

  it('detects two entries swapped', () => {
    const s = fresh();
    fillJournal(s);
    const copy = openRaw(copyOf(s, 'swapped.sqlite'));
    copy.exec(`DROP TRIGGER journal_no_update;
      UPDATE journal SET seq = -1 WHERE seq = 10;
      UPDATE journal SET seq = 10 WHERE seq = 11;
      UPDATE journal SET seq = 11 WHERE seq = -1;`);
    expect(verifyJournal(copy as Db)).toMatchObject({ ok: false, firstBadSeq: 10 });
  });

  it('detects a re-hashed edit further down the chain', () => {
    const s = fresh();
    fillJournal(s);
    const copy = openRaw(copyOf(s, 'rehashed.sqlite'));
    // a forger who recomputes the edited entry's own hash still breaks the next entry's link
    const row = copy.prepare('SELECT * FROM journal WHERE seq = 12').get() as { seq: number; at: string; type: string; payload: string; prev_hash: string };
    copy.exec('DROP TRIGGER journal_no_update;');
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    payload.forged = 1;
    const sorted = JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1))));
    copy.prepare('UPDATE journal SET payload = ? WHERE seq = 12').run(sorted);
    const result = verifyJournal(copy as Db);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 12 });
  });

  it('refuses updates and deletes on the live journal', () => {
    const s = fresh();
    fillJournal(s);
    expect(() => s.db.prepare("UPDATE journal SET type = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => s.db.prepare('DELETE FROM journal WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('issues unique, monotonic receipt numbers that survive a restart', () => {
    let s = fresh();
    const first = fillJournal(s);
    s = s.reopen();
    stores.push(s);
    const second = fillJournal(s);
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(all.length);
    const seqs = all.map((r) => Number(r.split('-').at(-1)));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? Infinity);
    expect(all[0]).toMatch(/^T-0001-20261125-\d{6}$/);
    expect(() =>
      s.db.transaction(() => appendJournal(s.db, 'x', { receiptNumber: all[0] }, new Date())).immediate(),
    ).toThrow(/UNIQUE/);
    expect(verifyJournal(s.db).ok).toBe(true);
  });

  it('never stores card data', () => {
    const s = fresh();
    expect(() => s.db.transaction(() => appendJournal(s.db, 'x', { note: 'card 4400430000000015' }, new Date())).immediate()).toThrow(/card number/);
    expect(() => s.db.transaction(() => appendJournal(s.db, 'x', { pin: '1234' }, new Date())).immediate()).toThrow(/pin/);
    expect(readJournal(s.db)).toHaveLength(0);
  });
});
