/**
 * The outbox: messages for the bank, each with a permanent key `terminalId:installation:sequence`
 * (the installation id is drawn when the database is created, see migration 3). Enqueue runs
 * inside the transaction of the journal entry that caused the message; delivery state lives here so
 * the sync worker can stop at any moment and resume after a restart.
 */
import type { Db } from './db.js';
import type { OutboxMessage, OutboxKind, DeliveryResult } from '../bank/bank-api.js';
import { OutboxMessageSchema } from '../bank/messages.js';
import { assertNoSecrets } from './secrets-guard.js';

export type OutboxState = 'pending' | 'delivered' | 'deadLetter';

export interface OutboxRecord extends OutboxMessage {
  seq: number;
  sessionId: string | null;
  receiptNumber: string | null;
  amount: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  deliveredAt: number | null;
  lastError: string | null;
  deadReason: string | null;
  journalSeq: number;
}

interface OutboxRow {
  seq: number;
  key: string;
  kind: OutboxKind;
  body: string;
  session_id: string | null;
  receipt_number: string | null;
  amount: number;
  credit: number;
  journal_seq: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  last_error: string | null;
  dead_reason: string | null;
}

function fromRow(row: OutboxRow): OutboxRecord {
  return {
    seq: row.seq,
    key: row.key,
    kind: row.kind,
    body: JSON.parse(row.body) as Record<string, unknown>,
    sessionId: row.session_id,
    receiptNumber: row.receipt_number,
    amount: row.amount,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
    deadReason: row.dead_reason,
    journalSeq: row.journal_seq,
  };
}

export interface EnqueueInput {
  terminalId: string;
  kind: OutboxKind;
  body: Record<string, unknown>;
  journalSeq: number;
  sessionId?: string;
  receiptNumber?: string;
  /** money this message asks the bank to credit; counted in the offline exposure while pending */
  creditAmount?: number;
  nowMs: number;
}

const installationIds = new WeakMap<Db, string>();

/** the id drawn when this database was created; part of every message key */
export function installationId(db: Db): string {
  let id = installationIds.get(db);
  if (id === undefined) {
    const row = db.prepare('SELECT installation_id AS id FROM installation WHERE id = 1').get() as { id: string } | undefined;
    if (row === undefined) throw new Error('database has no installation id (schema older than version 3)');
    id = row.id;
    installationIds.set(db, id);
  }
  return id;
}

export function enqueueMessage(db: Db, input: EnqueueInput): OutboxMessage {
  if (!db.inTransaction) throw new Error('enqueueMessage must run inside the transaction of the journal entry that caused it');
  assertNoSecrets(input.body);
  // The sequence comes from the AUTOINCREMENT row id, which SQLite never reuses, so a key is never
  // handed out twice even after rows are archived; the installation id keeps it unique when the
  // whole database is re-created and the sequence starts again at 1.
  const insert = db.prepare(
    `INSERT INTO outbox (key, kind, body, session_id, receipt_number, amount, credit, journal_seq, next_attempt_at, created_at)
     VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  );
  const { seq } = insert.get(
    input.kind, '{}', input.sessionId ?? null, input.receiptNumber ?? null, input.creditAmount ?? 0,
    input.creditAmount !== undefined ? 1 : 0, input.journalSeq, input.nowMs, input.nowMs,
  ) as { seq: number };
  const key = `${input.terminalId}:${installationId(db)}:${seq}`;
  const message = OutboxMessageSchema.parse({ key, kind: input.kind, body: input.body }) as OutboxMessage;
  db.prepare('UPDATE outbox SET key = ?, body = ? WHERE seq = ?').run(key, JSON.stringify(message.body), seq);
  return message;
}

/**
 * Fleet messages (journal segments, terminal status) travel in their own lane behind the money
 * lane: a large journal segment or a status report never holds a credit back.
 */
export const FLEET_KINDS: readonly OutboxKind[] = ['journalUpload', 'terminalStatus', 'deadLetterResolution'];
export type OutboxLane = 'all' | 'money' | 'fleet';
const FLEET_IN = `(${FLEET_KINDS.map((k) => `'${k}'`).join(', ')})`;
const LANE_FILTER: Record<OutboxLane, string> = { all: '', money: ` AND kind NOT IN ${FLEET_IN}`, fleet: ` AND kind IN ${FLEET_IN}` };

/** The oldest pending messages in sequence order: the worker delivers each lane in order. */
export function pendingHead(db: Db, limit: number, lane: OutboxLane = 'all'): OutboxRecord[] {
  const rows = db.prepare(`SELECT * FROM outbox WHERE state = 'pending'${LANE_FILTER[lane]} ORDER BY seq LIMIT ?`).all(limit) as OutboxRow[];
  return rows.map(fromRow);
}

export function outboxByKey(db: Db, key: string): OutboxRecord | undefined {
  const row = db.prepare('SELECT * FROM outbox WHERE key = ?').get(key) as OutboxRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function listOutbox(db: Db, state?: OutboxState, limit = 1000): OutboxRecord[] {
  const rows = (state
    ? db.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY seq LIMIT ?').all(state, limit)
    : db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?').all(limit)) as OutboxRow[];
  return rows.map(fromRow);
}

export interface OutboxStats {
  pending: number;
  delivered: number;
  deadLetter: number;
  oldestPendingCreatedAt: number | null;
}

export function outboxStats(db: Db): OutboxStats {
  const rows = db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>;
  const oldest = db.prepare("SELECT MIN(created_at) AS t FROM outbox WHERE state = 'pending'").get() as { t: number | null };
  const stats: OutboxStats = { pending: 0, delivered: 0, deadLetter: 0, oldestPendingCreatedAt: oldest.t };
  for (const r of rows) stats[r.state] = r.n;
  return stats;
}

/** sum of credits the bank has not yet confirmed (offline caps) */
export function pendingCreditSum(db: Db): number {
  const row = db.prepare("SELECT COALESCE(SUM(amount), 0) AS s FROM outbox WHERE state = 'pending' AND credit = 1").get() as { s: number };
  return row.s;
}

export function markDelivered(db: Db, key: string, nowMs: number): boolean {
  const r = db.prepare("UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE key = ? AND state = 'pending'").run(nowMs, key);
  return r.changes === 1;
}

export function markDeadLetter(db: Db, key: string, reason: string, nowMs: number): boolean {
  const r = db
    .prepare("UPDATE outbox SET state = 'deadLetter', dead_reason = ?, delivered_at = ?, attempts = attempts + 1 WHERE key = ? AND state = 'pending'")
    .run(reason, nowMs, key);
  return r.changes === 1;
}

export function markAttemptFailed(db: Db, key: string, error: string, nextAttemptAt: number): void {
  db.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE key = ? AND state = 'pending'").run(
    error.slice(0, 500), nextAttemptAt, key,
  );
}

/** for service mode: what the bank has not (or not successfully) received, with receipt numbers */
export function undeliveredMessages(db: Db, limit = 500): OutboxRecord[] {
  const rows = db.prepare("SELECT * FROM outbox WHERE state IN ('pending', 'deadLetter') ORDER BY seq LIMIT ?").all(limit) as OutboxRow[];
  return rows.map(fromRow);
}

export type { DeliveryResult };
