/** Technician actions (who, what, when), kept in the audit table and journaled (bank rules 8.27). */
import type { Db } from './db.js';
import { appendJournal, type JournalEntry } from './journal.js';

export interface AuditRecord {
  id: number;
  at: string;
  who: string;
  action: string;
  details: Record<string, unknown>;
  journalSeq: number;
}

/** runs inside the caller's transaction when the action itself changes state (collection etc.) */
export function recordAuditIn(db: Db, who: string, action: string, details: Record<string, unknown>, at: Date, entry?: JournalEntry): AuditRecord {
  if (!who.trim()) throw new Error('audit: who is required');
  const journal = entry ?? appendJournal(db, 'audit', { who, action, details }, at);
  const row = db
    .prepare('INSERT INTO audit (at, who, action, details, journal_seq) VALUES (?, ?, ?, ?, ?) RETURNING id')
    .get(at.toISOString(), who, action, JSON.stringify(details), journal.seq) as { id: number };
  return { id: row.id, at: at.toISOString(), who, action, details, journalSeq: journal.seq };
}

export function listAudit(db: Db, limit = 200): AuditRecord[] {
  const rows = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as Array<{
    id: number; at: string; who: string; action: string; details: string; journal_seq: number;
  }>;
  return rows.map((r) => ({ id: r.id, at: r.at, who: r.who, action: r.action, details: JSON.parse(r.details) as Record<string, unknown>, journalSeq: r.journal_seq }));
}
