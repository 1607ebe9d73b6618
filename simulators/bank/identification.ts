/**
 * Identification (bank rules ch.2 item 4): look the client up by phone, IIN, card token, palm
 * template or a confirmed QR login; narrow several matches by birth date or personal code; say
 * whether the client may be served.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { IdentifyQueryWire, IdentifyResponse, NarrowingWire } from '../../kiosk/bank/wire.js';
import { refuse, type BankContext } from './context.js';
import { getCustomer, maskName, type CustomerRow } from './customers.js';

type Outcome = z.infer<typeof IdentifyResponse>;
type Query = z.infer<typeof IdentifyQueryWire>;
type Narrowing = z.infer<typeof NarrowingWire>;

export const QR_LOGIN_TTL_MS = 3 * 60_000;

export function identify(ctx: BankContext, query: Query, narrowing: Narrowing = {}): Outcome {
  const { db } = ctx;
  let candidates: CustomerRow[];
  switch (query.by) {
    case 'phone':
      candidates = db.prepare('SELECT * FROM customers WHERE phone = ? ORDER BY id').all(query.phone) as CustomerRow[];
      break;
    case 'iin':
      candidates = db.prepare('SELECT * FROM customers WHERE iin = ?').all(query.iin) as CustomerRow[];
      break;
    case 'card':
      candidates = db.prepare('SELECT c.* FROM customers c JOIN cards k ON k.customer_id = c.id WHERE k.pan_token = ?').all(query.panToken) as CustomerRow[];
      break;
    case 'palm': {
      const match = matchPalm(ctx, Buffer.from(query.template, 'base64'));
      if (match === undefined) return refuse('notFound') as Outcome;
      // consent withdrawn (8.15): the template is not processed further; other methods remain
      if (match.palm_consent !== 1) return refuse('consentWithdrawn') as Outcome;
      candidates = [match];
      break;
    }
    case 'qr': {
      const polled = pollQrLogin(ctx, query.token);
      return polled.ok && polled.status === 'pending' ? (refuse('notIdentified') as Outcome) : (polled as Outcome);
    }
  }
  if (candidates.length === 0) return refuse('notFound') as Outcome;
  if (candidates.length > 1) {
    const narrowed = candidates.filter((c) =>
      (narrowing.birthDate === undefined || c.birth_date === narrowing.birthDate)
      && (narrowing.personalCode === undefined || c.personal_code === narrowing.personalCode));
    if (narrowed.length === 0 && (narrowing.birthDate !== undefined || narrowing.personalCode !== undefined)) return refuse('notIdentified') as Outcome;
    if (narrowed.length !== 1) {
      const askFor: Array<'birthDate' | 'personalCode'> = [];
      if (narrowing.birthDate === undefined) askFor.push('birthDate');
      if (narrowing.personalCode === undefined) askFor.push('personalCode');
      return askFor.length > 0 ? { ok: true, status: 'ambiguous', askFor } : (refuse('notIdentified') as Outcome);
    }
    candidates = narrowed;
  }
  const outcome = verdict(candidates[0]!);
  if (query.by === 'card' && outcome.ok && outcome.status === 'identified') {
    // ch.2 item 4 step 3: the products linked to the inserted card
    const card = db.prepare('SELECT pin_change FROM cards WHERE pan_token = ?').get(query.panToken) as { pin_change: number } | undefined;
    return { ...outcome, cardPinChange: card?.pin_change === 1 };
  }
  return outcome;
}

function verdict(customer: CustomerRow): Outcome {
  if (customer.blocked === 1) return refuse('blocked') as Outcome;
  return { ok: true, status: 'identified', customerId: customer.id, maskedName: maskName(customer.name), hasApp: customer.has_app === 1 };
}

function matchPalm(ctx: BankContext, template: Buffer): CustomerRow | undefined {
  const rows = ctx.db.prepare('SELECT customer_id, template FROM palm_enrolments').all() as Array<{ customer_id: string; template: Buffer }>;
  const hit = rows.find((r) => r.template.length === template.length && timingSafeEqual(r.template, template));
  return hit === undefined ? undefined : getCustomer(ctx.db, hit.customer_id);
}

export function createQrLogin(ctx: BankContext, sessionId: string): { token: string; payload: string; expiresAt: number } {
  const token = randomBytes(18).toString('base64url');
  const expiresAt = ctx.now() + QR_LOGIN_TTL_MS;
  ctx.db.prepare('INSERT INTO qr_logins (token, session_id, customer_id, expires_at) VALUES (?, ?, NULL, ?)').run(token, sessionId, expiresAt);
  return { token, payload: `kzbank://terminal-login?token=${token}`, expiresAt };
}

export function pollQrLogin(ctx: BankContext, token: string): Outcome | { ok: true; status: 'pending' } {
  const row = ctx.db.prepare('SELECT customer_id, expires_at FROM qr_logins WHERE token = ?').get(token) as
    { customer_id: string | null; expires_at: number } | undefined;
  if (row === undefined) return refuse('notFound') as Outcome;
  if (row.customer_id === null) return ctx.now() >= row.expires_at ? (refuse('notIdentified', { cause: 'expired' }) as Outcome) : { ok: true, status: 'pending' };
  const customer = getCustomer(ctx.db, row.customer_id);
  return customer === undefined ? (refuse('notFound') as Outcome) : verdict(customer);
}

/** the bank's app scanned the QR code and the customer confirmed the login there */
export function confirmQrLogin(ctx: BankContext, token: string, customerId: string): 'confirmed' | 'no such login' | 'login expired' | 'no such customer' {
  const row = ctx.db.prepare('SELECT expires_at FROM qr_logins WHERE token = ?').get(token) as { expires_at: number } | undefined;
  if (row === undefined) return 'no such login';
  if (ctx.now() >= row.expires_at) return 'login expired';
  if (getCustomer(ctx.db, customerId) === undefined) return 'no such customer';
  ctx.db.prepare('UPDATE qr_logins SET customer_id = ? WHERE token = ?').run(customerId, token);
  return 'confirmed';
}
