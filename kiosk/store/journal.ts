/**
 * The electronic journal (bank rules 8.23, 8.27): append-only, each entry hash-chained to the one
 * before it, so an edited, deleted, inserted or reordered entry breaks the chain at a seq the
 * verifier reports. Appends are meant to run inside the caller's transaction, together with the
 * state change the entry records.
 */
import type { Db } from './db.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { assertNoSecrets } from './secrets-guard.js';

export const GENESIS_HASH = '0'.repeat(64);

export type JournalPayload = Record<string, unknown>;

export interface JournalEntry {
  seq: number;
  at: string;
  type: string;
  payload: JournalPayload;
  prevHash: string;
  hash: string;
}

interface JournalRow {
  seq: number;
  at: string;
  type: string;
  payload: string;
  prev_hash: string;
  hash: string;
  receipt_number: string | null;
}

export function entryHash(entry: Omit<JournalEntry, 'hash'>): string {
  return sha256Hex(canonicalJson({ seq: entry.seq, at: entry.at, type: entry.type, payload: entry.payload, prevHash: entry.prevHash }));
}

export function journalHead(db: Db): { seq: number; hash: string } {
  const head = db.prepare('SELECT seq, hash FROM journal_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Appends one entry. A payload's `receiptNumber`, if any, is also indexed for dispute look-ups
 * (bank rules 11.3); the UNIQUE index makes a duplicate receipt number fail the transaction.
 */
export function appendJournal(db: Db, type: string, payload: JournalPayload, at: Date): JournalEntry {
  if (!db.inTransaction) throw new Error('appendJournal must run inside the transaction that makes the change it records');
  assertNoSecrets(payload);
  const head = journalHead(db);
  const payloadText = canonicalJson(payload);
  const base = { seq: head.seq + 1, at: at.toISOString(), type, payload: JSON.parse(payloadText) as JournalPayload, prevHash: head.hash };
  const hash = entryHash(base);
  const receipt = typeof payload.receiptNumber === 'string' ? payload.receiptNumber : null;
  db.prepare('INSERT INTO journal (seq, at, type, payload, prev_hash, hash, receipt_number) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    base.seq, base.at, type, payloadText, base.prevHash, hash, receipt,
  );
  db.prepare('INSERT INTO journal_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(base.seq, hash);
  return { ...base, hash };
}

function fromRow(row: JournalRow): JournalEntry {
  return { seq: row.seq, at: row.at, type: row.type, payload: JSON.parse(row.payload) as JournalPayload, prevHash: row.prev_hash, hash: row.hash };
}

export function readJournal(db: Db, fromSeq = 1, limit = 1000): JournalEntry[] {
  const rows = db.prepare('SELECT * FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?').all(fromSeq, limit) as JournalRow[];
  return rows.map(fromRow);
}

export function* iterateJournal(db: Db): Generator<JournalEntry> {
  for (const row of db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as IterableIterator<JournalRow>) yield fromRow(row);
}

export function journalEntryByReceipt(db: Db, receiptNumber: string): JournalEntry | undefined {
  const row = db.prepare('SELECT * FROM journal WHERE receipt_number = ?').get(receiptNumber) as JournalRow | undefined;
  return row ? fromRow(row) : undefined;
}

export type VerifyResult =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; firstBadSeq: number; problem: string };

/** Walks the whole chain; reports the first entry that does not hold. */
export function verifyJournal(db: Db): VerifyResult {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const bad = (seq: number, problem: string): VerifyResult => ({ ok: false, entries: count, firstBadSeq: seq, problem });
  for (const row of db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as IterableIterator<JournalRow>) {
    count++;
    if (row.seq !== expectedSeq) return bad(expectedSeq, `entry ${expectedSeq} is missing (next present is ${row.seq})`);
    if (row.prev_hash !== prevHash) return bad(row.seq, 'previous-hash link broken (entry deleted, inserted or reordered)');
    let payload: JournalPayload;
    try {
      payload = JSON.parse(row.payload) as JournalPayload;
    } catch {
      return bad(row.seq, 'payload is not valid JSON');
    }
    let computed: string;
    try {
      if (canonicalJson(payload) !== row.payload) return bad(row.seq, 'payload is not in canonical form (edited)');
      computed = entryHash({ seq: row.seq, at: row.at, type: row.type, payload, prevHash: row.prev_hash });
    } catch (err) {
      return bad(row.seq, `payload cannot be hashed: ${(err as Error).message}`);
    }
    if (computed !== row.hash) return bad(row.seq, 'hash does not match content (edited)');
    const receipt = typeof payload.receiptNumber === 'string' ? payload.receiptNumber : null;
    if (receipt !== row.receipt_number) return bad(row.seq, 'receipt number index does not match the entry');
    prevHash = row.hash;
    expectedSeq++;
  }
  const head = journalHead(db);
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return bad(Math.min(head.seq, expectedSeq), `chain head (seq ${head.seq}) does not match the last entry (seq ${expectedSeq - 1}): entries cut off the end`);
  }
  return { ok: true, entries: count, headHash: prevHash };
}
