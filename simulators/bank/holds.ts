/**
 * What withdrawals and service payments share when they authorise: one answer per idempotency
 * key (a replay gets it again, a reuse with another request is refused), and a fresh hold that is
 * either approved at once or parked until the customer's trusted person approves (8.15-1).
 */
import { randomBytes } from 'node:crypto';
import { refuse, type BankContext, type Refusal } from './context.js';
import { maskName } from './customers.js';

export const APPROVAL_TTL_MS = 5 * 60_000;

export type AuthoriseAnswer =
  | { ok: true; holdId: string; commission: number; status: 'approved' | 'pendingApproval'; approvalId?: string }
  | Refusal;

/**
 * The answer kept for `key` in `scope` if the same request asked before, else `decide`'s, kept.
 * Runs in one immediate transaction so two racing requests never both decide.
 */
export function answerOnce(ctx: BankContext, scope: string, key: string, requestHash: string, decide: () => AuthoriseAnswer): AuthoriseAnswer {
  return ctx.db.transaction((): AuthoriseAnswer => {
    const earlier = ctx.db.prepare('SELECT request_hash, answer FROM idempotent_answers WHERE scope = ? AND key = ?').get(scope, key) as
      { request_hash: string; answer: string } | undefined;
    if (earlier !== undefined) {
      return earlier.request_hash === requestHash
        ? (JSON.parse(earlier.answer) as AuthoriseAnswer)
        : refuse('notAuthorised', { cause: 'idempotencyKeyReused' });
    }
    const answer = decide();
    ctx.db.prepare('INSERT INTO idempotent_answers (scope, key, request_hash, answer, at) VALUES (?, ?, ?, ?, ?)')
      .run(scope, key, requestHash, JSON.stringify(answer), ctx.now());
    return answer;
  }).immediate();
}

/**
 * After the hold row is written (status `pendingApproval` when `trustedPhone` is set): the money
 * held on the account, and, for a trusted person, the approval and its SMS, which says the
 * customer "asks to `asksTo` at a terminal".
 */
export function holdPlaced(
  ctx: BankContext,
  hold: { holdId: string; accountId: string; amount: number; commission: number; now: number },
  customer: { name: string; trusted_phone: string | null },
  asksTo: string,
): AuthoriseAnswer {
  const { holdId, commission, now } = hold;
  ctx.db.prepare('UPDATE accounts SET held = held + ? WHERE id = ?').run(hold.amount + commission, hold.accountId);
  if (customer.trusted_phone === null) return { ok: true, holdId, commission, status: 'approved' };
  const approvalId = `ap-${randomBytes(9).toString('base64url')}`;
  ctx.db.prepare("INSERT INTO approvals (id, hold_id, status, created_at, expires_at) VALUES (?, ?, 'pending', ?, ?)")
    .run(approvalId, holdId, now, now + APPROVAL_TTL_MS);
  ctx.db.prepare('UPDATE holds SET approval_id = ? WHERE id = ?').run(approvalId, holdId);
  ctx.outbox.send(customer.trusted_phone, 'sms',
    `${maskName(customer.name)} asks to ${asksTo} at a terminal. Approve in the app, request ${approvalId}.`);
  return { ok: true, holdId, commission, status: 'pendingApproval', approvalId };
}
