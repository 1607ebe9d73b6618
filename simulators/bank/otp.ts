/**
 * One-time codes (bank rules 8.11-8.12): one per kiosk session and customer, sent by push to the
 * bank's app where the customer has it and by SMS otherwise (the answer says which, so the screen
 * can tell the customer where to look), valid at most 15 minutes, three attempts then locked, resend
 * after a cool-down. Only a salted hash is stored. A correct code yields an access token that
 * authorises several operations within the session.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { refuse, type BankContext, type Refusal } from './context.js';
import { getCustomer } from './customers.js';

export const OTP_TTL_MS = 15 * 60_000;
export const OTP_RESEND_COOLDOWN_MS = 30_000;
export const OTP_MAX_ATTEMPTS = 3;
export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;

interface OtpRow {
  salt: string; code_hash: string; expires_at: number; resend_at: number; attempts: number; state: 'active' | 'used' | 'locked';
}

const hashCode = (salt: string, sessionId: string, customerId: string, code: string): string =>
  createHash('sha256').update(`${salt}:${sessionId}:${customerId}:${code}`).digest('hex');

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 5)}***${phone.slice(-4)}`;
}

export function requestOtp(ctx: BankContext, sessionId: string, customerId: string):
  { ok: true; sentTo: string; expiresAt: number; resendAt: number; channel: 'sms' | 'push' } | Refusal {
  const customer = getCustomer(ctx.db, customerId);
  if (customer === undefined) return refuse('notIdentified');
  if (customer.blocked === 1) return refuse('blocked');
  const now = ctx.now();
  const existing = ctx.db.prepare('SELECT * FROM otps WHERE session_id = ? AND customer_id = ?').get(sessionId, customerId) as OtpRow | undefined;
  if (existing?.state === 'locked') return refuse('otpLocked');
  const channel = customer.has_app === 1 ? 'push' : 'sms';
  if (existing?.state === 'active' && now < existing.resend_at && now < existing.expires_at) {
    // within the cool-down the code already sent stays the valid one; nothing new is sent
    return { ok: true, sentTo: maskPhone(customer.phone), expiresAt: existing.expires_at, resendAt: existing.resend_at, channel };
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const expiresAt = now + OTP_TTL_MS;
  const resendAt = now + OTP_RESEND_COOLDOWN_MS;
  ctx.db.prepare(
    `INSERT INTO otps (session_id, customer_id, salt, code_hash, issued_at, expires_at, resend_at, attempts, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'active')
     ON CONFLICT (session_id, customer_id) DO UPDATE SET salt = excluded.salt, code_hash = excluded.code_hash,
       issued_at = excluded.issued_at, expires_at = excluded.expires_at, resend_at = excluded.resend_at, attempts = 0, state = 'active'`,
  ).run(sessionId, customerId, salt, hashCode(salt, sessionId, customerId, code), now, expiresAt, resendAt);
  const text = `Bank terminal code: ${code}. Valid 15 minutes. Never tell it to anyone.`;
  ctx.outbox.send(customer.phone, channel, text);
  return { ok: true, sentTo: maskPhone(customer.phone), expiresAt, resendAt, channel };
}

export function verifyOtp(ctx: BankContext, sessionId: string, customerId: string, code: string):
  { ok: true; accessToken: string; expiresAt: number } | (Refusal & { attemptsLeft?: number }) {
  const now = ctx.now();
  const row = ctx.db.prepare('SELECT * FROM otps WHERE session_id = ? AND customer_id = ?').get(sessionId, customerId) as OtpRow | undefined;
  if (row === undefined) return refuse('notIdentified');
  if (row.state === 'locked') return { ...refuse('otpLocked'), attemptsLeft: 0 };
  if (row.state === 'used' || now >= row.expires_at) return refuse('otpExpired');
  const expected = Buffer.from(row.code_hash, 'hex');
  const given = Buffer.from(hashCode(row.salt, sessionId, customerId, code), 'hex');
  if (!timingSafeEqual(expected, given)) {
    const attempts = row.attempts + 1;
    const locked = attempts >= OTP_MAX_ATTEMPTS;
    ctx.db.prepare('UPDATE otps SET attempts = ?, state = ? WHERE session_id = ? AND customer_id = ?')
      .run(attempts, locked ? 'locked' : 'active', sessionId, customerId);
    return { ...refuse(locked ? 'otpLocked' : 'otpWrong'), attemptsLeft: OTP_MAX_ATTEMPTS - attempts };
  }
  const accessToken = randomBytes(32).toString('base64url');
  const expiresAt = now + ACCESS_TOKEN_TTL_MS;
  ctx.db.transaction(() => {
    ctx.db.prepare("UPDATE otps SET state = 'used' WHERE session_id = ? AND customer_id = ?").run(sessionId, customerId);
    ctx.db.prepare('INSERT INTO access_tokens (token_hash, session_id, customer_id, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash(accessToken), sessionId, customerId, expiresAt);
  })();
  return { ok: true, accessToken, expiresAt };
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** who an access token speaks for, or why it does not */
export function authenticate(ctx: BankContext, accessToken: string | undefined): { customerId: string; sessionId: string } | Refusal {
  if (accessToken === undefined || accessToken === '') return refuse('notIdentified');
  const row = ctx.db.prepare('SELECT session_id, customer_id, expires_at FROM access_tokens WHERE token_hash = ?').get(tokenHash(accessToken)) as
    { session_id: string; customer_id: string; expires_at: number } | undefined;
  if (row === undefined) return refuse('notIdentified');
  if (ctx.now() >= row.expires_at) return refuse('otpExpired');
  const customer = getCustomer(ctx.db, row.customer_id);
  if (customer === undefined) return refuse('notIdentified');
  if (customer.blocked === 1) return refuse('blocked');
  return { customerId: row.customer_id, sessionId: row.session_id };
}
