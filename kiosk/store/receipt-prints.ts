/**
 * The receipt print log (migration 4): a customer's receipt print is recorded as `printing` before
 * the printer gets the job and ended `printed` or `failed` after it, so a core killed mid-print
 * leaves a row that says so. Start-up turns such a row into a lost receipt: journaled, and sent by
 * SMS where the customer's phone is known, in one transaction, so it happens exactly once.
 */
import type { Db } from './db.js';
import { appendJournal, journalEntryByReceipt } from './journal.js';
import { recordAuditIn } from './audit.js';
import type { Locale } from '../bridge/schema.js';

export type ReceiptPrintState = 'printing' | 'printed' | 'failed' | 'lost';

export interface ReceiptPrintRecord {
  printId: number;
  receiptNumber: string;
  operation: string;
  operationId?: string;
  sessionId?: string;
  locale: Locale;
  state: ReceiptPrintState;
  failure?: string;
  /** E.164, only while the row is `printing` */
  smsPhone?: string;
  /** the outbox key of the SMS that went instead of a lost receipt */
  smsKey?: string;
  startedAt: string;
  endedAt?: string;
  reprintedAt?: string;
  reprintedBy?: string;
}

interface Row {
  id: number; receipt_number: string; operation: string; operation_id: string | null; session_id: string | null; locale: Locale;
  state: ReceiptPrintState; failure: string | null; sms_phone: string | null; sms_key: string | null; started_at: string;
  ended_at: string | null; reprinted_at: string | null; reprinted_by: string | null;
}

function fromRow(r: Row): ReceiptPrintRecord {
  return {
    printId: r.id, receiptNumber: r.receipt_number, operation: r.operation, locale: r.locale, state: r.state, startedAt: r.started_at,
    ...(r.operation_id ? { operationId: r.operation_id } : {}),
    ...(r.session_id ? { sessionId: r.session_id } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.sms_phone ? { smsPhone: r.sms_phone } : {}),
    ...(r.sms_key ? { smsKey: r.sms_key } : {}),
    ...(r.ended_at ? { endedAt: r.ended_at } : {}),
    ...(r.reprinted_at ? { reprintedAt: r.reprinted_at } : {}),
    ...(r.reprinted_by ? { reprintedBy: r.reprinted_by } : {}),
  };
}

const E164 = /^\+[1-9][0-9]{7,14}$/;
/** the journal entries that open a receipt carry the operation's id under one of these names */
const OPERATION_ID_KEYS = ['cashInId', 'withdrawalId', 'paymentId', 'pinChangeId'] as const;

export class ReceiptPrintError extends Error {
  override readonly name = 'ReceiptPrintError';
}

/**
 * Records a print about to start. `phone` is where the receipt goes by SMS should the print be
 * lost (the phone the customer identified with); the operation comes from the receipt's own journal
 * entry, so the row names it even when the session is gone.
 */
export function beginReceiptPrint(db: Db, input: { receiptNumber: string; locale: Locale; phone?: string }, at: Date): number {
  const entry = journalEntryByReceipt(db, input.receiptNumber);
  if (!entry) throw new ReceiptPrintError(`no receipt ${input.receiptNumber} to print`);
  const receipt = (entry.payload.receipt ?? {}) as { operation?: unknown; sessionId?: unknown };
  const operation = typeof receipt.operation === 'string' ? receipt.operation : entry.type;
  const idKey = OPERATION_ID_KEYS.find((k) => typeof entry.payload[k] === 'string');
  const operationId = idKey ? (entry.payload[idKey] as string) : null;
  const sessionId = typeof receipt.sessionId === 'string' ? receipt.sessionId : null;
  const phone = input.phone !== undefined && E164.test(input.phone) ? input.phone : null;
  const row = db
    .prepare(
      `INSERT INTO receipt_prints (receipt_number, operation, operation_id, session_id, locale, state, sms_phone, started_at)
       VALUES (?, ?, ?, ?, ?, 'printing', ?, ?) RETURNING id`,
    )
    .get(input.receiptNumber, operation, operationId, sessionId, input.locale, phone, at.toISOString()) as { id: number };
  return row.id;
}

/**
 * The print came back: `printed`, or `failed` with the driver's reason (journaled: a receipt the
 * customer did not get). The phone is dropped either way. A row no longer `printing` (start-up
 * already called it lost) is left as it is.
 */
export function endReceiptPrint(db: Db, printId: number, outcome: { ok: true } | { ok: false; failure: string }, at: Date): void {
  db.transaction(() => {
    const row = db.prepare('SELECT * FROM receipt_prints WHERE id = ?').get(printId) as Row | undefined;
    if (!row || row.state !== 'printing') return;
    const failure = outcome.ok ? null : outcome.failure.slice(0, 200);
    db.prepare('UPDATE receipt_prints SET state = ?, failure = ?, sms_phone = NULL, ended_at = ? WHERE id = ?')
      .run(outcome.ok ? 'printed' : 'failed', failure, at.toISOString(), printId);
    if (!outcome.ok) {
      appendJournal(db, 'receiptPrintFailed', { ofReceipt: row.receipt_number, operation: row.operation, failure: failure ?? '' }, at);
    }
  }).immediate();
}

/** prints the core did not see end: each one is a lost receipt */
export function unfinishedReceiptPrints(db: Db): ReceiptPrintRecord[] {
  return (db.prepare("SELECT * FROM receipt_prints WHERE state = 'printing' ORDER BY id").all() as Row[]).map(fromRow);
}

/**
 * Journals `receiptLost` and, when `queueSms` is given, queues the receipt by SMS in the same
 * transaction (it runs the store's own receipt-SMS path, which nests as a savepoint). A second
 * call for the same row does nothing, so the SMS goes exactly once.
 */
export function markReceiptLost(
  db: Db, printId: number, at: Date, queueSms?: (print: ReceiptPrintRecord & { smsPhone: string }) => { messageKey: string },
): { lost: boolean; smsKey?: string } {
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM receipt_prints WHERE id = ?').get(printId) as Row | undefined;
    if (!row || row.state !== 'printing') return { lost: false };
    const print = fromRow(row);
    const sms = print.smsPhone !== undefined && queueSms !== undefined;
    appendJournal(db, 'receiptLost', {
      ofReceipt: row.receipt_number, operation: row.operation, ...(row.operation_id ? { operationId: row.operation_id } : {}),
      startedAt: row.started_at, sms,
    }, at);
    const smsKey = sms ? queueSms({ ...print, smsPhone: print.smsPhone as string }).messageKey : undefined;
    db.prepare("UPDATE receipt_prints SET state = 'lost', sms_phone = NULL, sms_key = ?, ended_at = ? WHERE id = ?")
      .run(smsKey ?? null, at.toISOString(), printId);
    return { lost: true, ...(smsKey ? { smsKey } : {}) };
  }).immediate();
}

/**
 * Receipts the customer may not have: prints lost or failed and not reprinted since, unless a
 * later print of the same receipt came out. Newest first.
 */
export function unprintedReceipts(db: Db, limit = 50): ReceiptPrintRecord[] {
  const rows = db
    .prepare(
      `SELECT * FROM receipt_prints r
       WHERE r.state IN ('lost', 'failed') AND r.reprinted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM receipt_prints p WHERE p.receipt_number = r.receipt_number AND p.id > r.id AND p.state = 'printed')
       ORDER BY r.id DESC LIMIT ?`,
    )
    .all(limit) as Row[];
  return rows.map(fromRow);
}

/** a technician reprinted the receipt (as a marked copy): its lost and failed prints are settled, audited */
export function markReceiptReprinted(db: Db, receiptNumber: string, who: string, at: Date): number {
  return db.transaction(() => {
    const r = db
      .prepare("UPDATE receipt_prints SET reprinted_at = ?, reprinted_by = ? WHERE receipt_number = ? AND state IN ('lost', 'failed') AND reprinted_at IS NULL")
      .run(at.toISOString(), who, receiptNumber);
    if (r.changes > 0) recordAuditIn(db, who, 'lostReceiptReprinted', { receiptNumber, prints: r.changes }, at);
    return r.changes;
  }).immediate();
}
