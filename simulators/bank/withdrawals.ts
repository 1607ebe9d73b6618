/**
 * Withdrawal authorisation: a hold on amount + commission (5.6-5.7), checked against the account,
 * the customer's restrictions and daily cash limit (7.1.7), and, where the customer set a trusted
 * person, parked until that person approves (8.15-1). Completion and reversal arrive later as
 * store-and-forward messages (apply-messages.ts). The first answer to an idempotency key is kept
 * and replayed.
 */
import { randomBytes } from 'node:crypto';
import { refuse, type BankContext } from './context.js';
import { getAccount, getCustomer } from './customers.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { commissionFor } from './tariffs.js';
import { tariffFor } from './catalogue.js';
import { formatTenge } from './apply-messages.js';
import { answerOnce, holdPlaced, type AuthoriseAnswer } from './holds.js';

export { APPROVAL_TTL_MS, type AuthoriseAnswer } from './holds.js';

export function authoriseWithdrawal(
  ctx: BankContext, customerId: string, input: { productId: string; amount: number; idempotencyKey: string },
): AuthoriseAnswer {
  const requestHash = sha256Hex(canonicalJson({ customerId, productId: input.productId, amount: input.amount }));
  return answerOnce(ctx, 'authorise', input.idempotencyKey, requestHash, () => decide(ctx, customerId, input));
}

function decide(ctx: BankContext, customerId: string, input: { productId: string; amount: number }): AuthoriseAnswer {
  const customer = getCustomer(ctx.db, customerId);
  if (customer === undefined) return refuse('notIdentified');
  if (customer.blocked === 1) return refuse('blocked');
  if (customer.restricted === 1) return refuse('restricted');
  const account = getAccount(ctx.db, input.productId);
  if (account === undefined || account.customer_id !== customerId) return refuse('notFound');
  // e-money and prepaid balances never leave as cash (ch.4 item 9)
  if (account.kind === 'wallet') return refuse('walletNoCash');
  if (account.kind === 'loan') return refuse('notAuthorised');
  if (account.status !== 'open') return refuse('blocked');
  if (account.currency !== 'KZT') return refuse('currencyMismatch');
  const commission = commissionFor(input.amount, tariffFor(ctx, 'withdraw'));
  const available = account.balance - account.held;
  if (available < input.amount + commission) return refuse('insufficientFunds', { available, required: input.amount + commission });
  const now = ctx.now();
  const dayStart = Math.floor(now / 86_400_000) * 86_400_000;
  const usedToday = (ctx.db.prepare(
    "SELECT coalesce(sum(amount), 0) AS s FROM holds WHERE customer_id = ? AND created_at >= ? AND purpose = 'withdraw' AND status IN ('pendingApproval', 'held', 'completed')",
  ).get(customerId, dayStart) as { s: number }).s;
  if (usedToday + input.amount > customer.daily_cash_limit) {
    return refuse('limitExceeded', { limit: customer.daily_cash_limit, remaining: Math.max(0, customer.daily_cash_limit - usedToday) });
  }
  const holdId = `h-${randomBytes(9).toString('base64url')}`;
  const pending = customer.trusted_phone !== null;
  ctx.db.prepare('INSERT INTO holds (id, account_id, customer_id, amount, commission, status, approval_id, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)')
    .run(holdId, account.id, customerId, input.amount, commission, pending ? 'pendingApproval' : 'held', now);
  return holdPlaced(ctx, { holdId, accountId: account.id, amount: input.amount, commission, now }, customer, `withdraw ${formatTenge(input.amount)}`);
}

type ApprovalStatus = 'pending' | 'approved' | 'refused' | 'expired';

export function approvalStatus(ctx: BankContext, approvalId: string): ApprovalStatus | undefined {
  return ctx.db.transaction((): ApprovalStatus | undefined => {
    const row = ctx.db.prepare('SELECT hold_id, status, expires_at FROM approvals WHERE id = ?').get(approvalId) as
      { hold_id: string; status: ApprovalStatus; expires_at: number } | undefined;
    if (row === undefined) return undefined;
    if (row.status === 'pending' && ctx.now() >= row.expires_at) {
      settle(ctx, approvalId, row.hold_id, 'expired');
      return 'expired';
    }
    return row.status;
  })();
}

/** the trusted person's answer (played by `POST /admin/approvals/:id`) */
export function decideApproval(ctx: BankContext, approvalId: string, approve: boolean): ApprovalStatus | undefined {
  return ctx.db.transaction((): ApprovalStatus | undefined => {
    const current = approvalStatus(ctx, approvalId);
    if (current !== 'pending') return current;
    const row = ctx.db.prepare('SELECT hold_id FROM approvals WHERE id = ?').get(approvalId) as { hold_id: string };
    const status = approve ? 'approved' : 'refused';
    settle(ctx, approvalId, row.hold_id, status);
    return status;
  })();
}

function settle(ctx: BankContext, approvalId: string, holdId: string, status: 'approved' | 'refused' | 'expired'): void {
  ctx.db.prepare('UPDATE approvals SET status = ? WHERE id = ?').run(status, approvalId);
  if (status === 'approved') {
    ctx.db.prepare("UPDATE holds SET status = 'held' WHERE id = ? AND status = 'pendingApproval'").run(holdId);
    return;
  }
  const hold = ctx.db.prepare("SELECT account_id, amount, commission FROM holds WHERE id = ? AND status = 'pendingApproval'").get(holdId) as
    { account_id: string; amount: number; commission: number } | undefined;
  if (hold === undefined) return;
  ctx.db.prepare('UPDATE accounts SET held = held - ? WHERE id = ?').run(hold.amount + hold.commission, hold.account_id);
  ctx.db.prepare("UPDATE holds SET status = 'refused' WHERE id = ?").run(holdId);
}
