/**
 * Resolving what the bank refused (dead letters): a technician retries a message once the bank's
 * reason is temporary or fixed, or closes it with a written comment. Money is never deleted: the
 * outbox row stays as it is (a closed one stays `deadLetter`), the resolution is an audit row with
 * its journal entry, and the bank receives it as a `deadLetterResolution` message (our own design,
 * kiosk/bank/messages.ts) in the fleet lane, so it never holds a credit back.
 */
import type { Db } from '../store/db.js';
import { recordAuditIn } from '../store/audit.js';
import { appendJournal } from '../store/journal.js';
import { enqueueMessage } from '../store/outbox.js';
import { looksLikePan } from '../store/secrets-guard.js';

export type DeadLetterResolution = 'retried' | 'closed';

export interface ResolutionRecord {
  resolution: DeadLetterResolution;
  comment?: string;
  who: string;
  at: string;
}

export type ResolveRefusal = 'unknownMessage' | 'notDeadLetter' | 'commentRequired' | 'commentHoldsCardNumber';

/** a closing comment says what was done: at least a few words, at most what the message carries */
export const COMMENT_MIN = 5;
export const COMMENT_MAX = 500;

interface Row { key: string; kind: string; receipt_number: string | null; amount: number; state: string; dead_reason: string | null }

/** every resolution recorded for these messages, oldest first */
export function resolutionsOf(db: Db, keys: readonly string[]): Map<string, ResolutionRecord[]> {
  const out = new Map<string, ResolutionRecord[]>();
  if (keys.length === 0) return out;
  const rows = db.prepare("SELECT at, who, details FROM audit WHERE action = 'deadLetterResolved' ORDER BY id").all() as Array<{ at: string; who: string; details: string }>;
  const wanted = new Set(keys);
  for (const r of rows) {
    const d = JSON.parse(r.details) as { messageKey?: string; resolution?: DeadLetterResolution; comment?: string };
    if (!d.messageKey || !wanted.has(d.messageKey) || !d.resolution) continue;
    const list = out.get(d.messageKey) ?? [];
    list.push({ resolution: d.resolution, ...(d.comment ? { comment: d.comment } : {}), who: r.who, at: r.at });
    out.set(d.messageKey, list);
  }
  return out;
}

export function resolveDeadLetter(
  db: Db,
  input: { terminalId: string; messageKey: string; resolution: DeadLetterResolution; comment?: string; who: string; now: Date },
): { ok: true; resolutionKey: string } | { ok: false; refusal: ResolveRefusal } {
  const comment = input.comment?.trim();
  if (input.resolution === 'closed' && (comment === undefined || comment.length < COMMENT_MIN)) return { ok: false, refusal: 'commentRequired' };
  // the comment goes to the journal and the bank: a card number has no place there
  if (comment !== undefined && looksLikePan(comment)) return { ok: false, refusal: 'commentHoldsCardNumber' };
  return db.transaction(() => {
    const row = db.prepare('SELECT key, kind, receipt_number, amount, state, dead_reason FROM outbox WHERE key = ?').get(input.messageKey) as Row | undefined;
    if (!row) return { ok: false as const, refusal: 'unknownMessage' as const };
    if (row.state !== 'deadLetter') return { ok: false as const, refusal: 'notDeadLetter' as const };
    const at = input.now;
    const body = {
      messageKey: row.key,
      messageKind: row.kind,
      ...(row.receipt_number ? { ofReceipt: row.receipt_number } : {}),
      amount: row.amount,
      ...(row.dead_reason ? { reason: row.dead_reason.slice(0, 200) } : {}),
      resolution: input.resolution,
      ...(comment ? { comment: comment.slice(0, COMMENT_MAX) } : {}),
      who: input.who,
      at: at.toISOString(),
    };
    const entry = appendJournal(db, 'deadLetterResolved', body, at);
    recordAuditIn(db, input.who, 'deadLetterResolved', body, at, entry);
    if (input.resolution === 'retried') {
      // back in the queue where it was (its sequence keeps its place in the money lane's order)
      db.prepare("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE key = ?").run(at.getTime(), row.key);
    }
    const message = enqueueMessage(db, { terminalId: input.terminalId, kind: 'deadLetterResolution', body, journalSeq: entry.seq, nowMs: at.getTime() });
    return { ok: true as const, resolutionKey: message.key };
  }).immediate();
}
