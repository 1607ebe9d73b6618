/** Named monotonic counters kept in SQLite, so numbers never repeat across restarts. */
import type { Db } from './db.js';

export function nextSequence(db: Db, name: string): number {
  if (!db.inTransaction) throw new Error(`nextSequence(${name}) must run inside a transaction`);
  const row = db
    .prepare('INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(name) as { value: number };
  return row.value;
}

/**
 * Receipt numbers (bank rules 11.3): terminal id, local date and a terminal-wide sequence that never
 * resets, e.g. `KZ-ALA-0042-20261125-000317`. The sequence alone makes them unique and monotonic even
 * if the clock is set back; the date makes them readable for staff handling a dispute.
 */
export function nextReceiptNumber(db: Db, terminalId: string, at: Date): string {
  const n = nextSequence(db, 'receipt');
  const y = at.getUTCFullYear();
  const m = String(at.getUTCMonth() + 1).padStart(2, '0');
  const d = String(at.getUTCDate()).padStart(2, '0');
  return `${terminalId}-${y}${m}${d}-${String(n).padStart(6, '0')}`;
}
