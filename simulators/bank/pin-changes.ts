/**
 * PIN change started at a terminal (bank rules ch.2 item 1.4). The terminal has no encrypting PIN
 * pad, so the new PIN is never typed there: the bank sends the customer a prompt in its mobile app
 * (push) or, without the app, a secure link by SMS, and the customer sets the PIN on the phone.
 * The terminal only starts the change and asks how it ended. The ledger keeps no PIN either: only
 * that a change was asked for, on which card (its token), and whether and when it happened.
 */
import { randomBytes } from 'node:crypto';
import { refuse, type BankContext, type Refusal } from './context.js';
import { getCustomer } from './customers.js';

/** how long the customer has to finish in the app or the link */
export const PIN_CHANGE_TTL_MS = 3 * 60_000;

export type PinChangeState = 'pending' | 'done' | 'failed' | 'expired' | 'cancelled';

interface PinChangeRow {
  id: string;
  session_id: string;
  customer_id: string;
  pan_token: string;
  channel: 'push' | 'sms';
  status: PinChangeState;
  created_at: number;
  expires_at: number;
  completed_at: number | null;
}

export type StartAnswer = { ok: true; pinChangeId: string; channel: 'push' | 'sms'; expiresAt: number } | Refusal;

export function startPinChange(ctx: BankContext, customerId: string, input: { sessionId: string; panToken: string }): StartAnswer {
  const { db } = ctx;
  const customer = getCustomer(db, customerId);
  if (customer === undefined) return refuse('notIdentified');
  const card = db.prepare('SELECT customer_id, pin_change FROM cards WHERE pan_token = ?').get(input.panToken) as
    { customer_id: string; pin_change: number } | undefined;
  // a card of someone else is refused as unknown: the answer must not tell whose it is
  if (card === undefined || card.customer_id !== customerId) return refuse('notIdentified', { cause: 'card' });
  if (card.pin_change !== 1) return refuse('pinChangeNotAllowed');
  if (customer.restricted === 1) return refuse('restricted');
  return db.transaction((): StartAnswer => {
    const now = ctx.now();
    // one change at a time per card: an earlier one still open is withdrawn
    db.prepare("UPDATE pin_changes SET status = 'cancelled', completed_at = ? WHERE pan_token = ? AND status = 'pending'").run(now, input.panToken);
    const id = `pc-${randomBytes(9).toString('base64url')}`;
    const channel = customer.has_app === 1 ? 'push' : 'sms';
    const expiresAt = now + PIN_CHANGE_TTL_MS;
    db.prepare(
      "INSERT INTO pin_changes (id, session_id, customer_id, pan_token, channel, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
    ).run(id, input.sessionId, customerId, input.panToken, channel, now, expiresAt);
    const text = channel === 'push'
      ? 'Set a new PIN for your card: open the bank app to continue'
      : `Set a new PIN for your card: https://bank.example.kz/pin/${id} (valid 3 minutes). Never tell your PIN to anyone`;
    ctx.outbox.send(customer.phone, channel, text);
    return { ok: true, pinChangeId: id, channel, expiresAt };
  }).immediate();
}

function row(ctx: BankContext, id: string): PinChangeRow | undefined {
  const r = ctx.db.prepare('SELECT * FROM pin_changes WHERE id = ?').get(id) as PinChangeRow | undefined;
  if (r === undefined || r.status !== 'pending' || ctx.now() < r.expires_at) return r;
  ctx.db.prepare("UPDATE pin_changes SET status = 'expired', completed_at = ? WHERE id = ? AND status = 'pending'").run(r.expires_at, id);
  return { ...r, status: 'expired', completed_at: r.expires_at };
}

/** the customer's own changes only; anything else is "no such" */
export function pinChangeStatus(ctx: BankContext, customerId: string, id: string): PinChangeState | undefined {
  const r = row(ctx, id);
  return r !== undefined && r.customer_id === customerId ? r.status : undefined;
}

export function cancelPinChange(ctx: BankContext, customerId: string, id: string): PinChangeState | undefined {
  const r = row(ctx, id);
  if (r === undefined || r.customer_id !== customerId) return undefined;
  if (r.status !== 'pending') return r.status;
  ctx.db.prepare("UPDATE pin_changes SET status = 'cancelled', completed_at = ? WHERE id = ? AND status = 'pending'").run(ctx.now(), id);
  return 'cancelled';
}

/** the app or the link reports the outcome: a new PIN was set (done) or the customer gave up (failed) */
export function completePinChange(ctx: BankContext, id: string, done: boolean): { id: string; status: PinChangeState } | string {
  const r = row(ctx, id);
  if (r === undefined) return 'no such PIN change';
  if (r.status !== 'pending') return `PIN change is already ${r.status}`;
  const status = done ? 'done' : 'failed';
  ctx.db.prepare('UPDATE pin_changes SET status = ?, completed_at = ? WHERE id = ?').run(status, ctx.now(), id);
  return { id, status };
}

export function listPinChanges(ctx: BankContext, customerId?: string): Array<Record<string, unknown>> {
  const rows = (customerId === undefined
    ? ctx.db.prepare('SELECT * FROM pin_changes ORDER BY created_at, id').all()
    : ctx.db.prepare('SELECT * FROM pin_changes WHERE customer_id = ? ORDER BY created_at, id').all(customerId)) as PinChangeRow[];
  return rows.map((r) => {
    const current = row(ctx, r.id) ?? r;
    const card = ctx.db.prepare('SELECT masked_pan FROM cards WHERE pan_token = ?').get(r.pan_token) as { masked_pan: string } | undefined;
    return {
      id: r.id, sessionId: r.session_id, customerId: r.customer_id, maskedPan: card?.masked_pan, channel: r.channel, status: current.status,
      createdAt: new Date(r.created_at).toISOString(),
      ...(current.completed_at !== null ? { completedAt: new Date(current.completed_at).toISOString() } : {}),
    };
  });
}
