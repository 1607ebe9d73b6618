/**
 * Customer records as the admin API and the seed create them: identity, cards (kept only as PAN
 * tokens and masked numbers), palm enrolments, flags and products.
 */
import { z } from 'zod';
import { panToken, maskPan } from '../../drivers/card-reader/pan-token.js';
import { palmTemplateFor } from '../common/palm-subjects.js';
import type { Db } from './ledger-db.js';
import { TiynSchema as Tiyn } from '../../domain/schemas.js';


export const ProductInput = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['current', 'savings', 'loan', 'wallet']),
  label: z.string().max(80).optional(),
  currency: z.literal('KZT').default('KZT'),
  balance: Tiyn.default(0),
  dueAmount: Tiyn.optional(),
  maxTopUp: Tiyn.optional(),
  status: z.enum(['open', 'closed', 'blocked']).default('open'),
});

export const CustomerInput = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  phone: z.string().regex(/^\+7\d{10}$/),
  iin: z.string().regex(/^\d{12}$/).optional(),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  personalCode: z.string().regex(/^\d{4,8}$/).optional(),
  blocked: z.boolean().default(false),
  restricted: z.boolean().default(false),
  palmConsent: z.boolean().default(true),
  hasApp: z.boolean().default(false),
  /** phone of the trusted person who must pre-approve withdrawals (8.15-1) */
  trustedPhone: z.string().regex(/^\+7\d{10}$/).optional(),
  dailyCashLimit: Tiyn.default(50_000_000),
  /**
   * card numbers are turned into tokens at once; the PAN itself is not stored. A bare number is a
   * 'debit' card whose product does not allow a PIN change at a terminal.
   */
  cards: z.array(z.union([
    z.string().regex(/^\d{12,19}$/),
    z.object({ pan: z.string().regex(/^\d{12,19}$/), product: z.string().min(1).max(40).default('debit'), pinChange: z.boolean().default(false) }).strict(),
  ])).default([]),
  palmSubjects: z.array(z.string().min(1).max(64)).default([]),
  products: z.array(ProductInput).default([]),
});
export type CustomerInput = z.input<typeof CustomerInput>;

export function insertCustomer(db: Db, raw: CustomerInput, tokenKey: string): void {
  const c = CustomerInput.parse(raw);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO customers (id, name, phone, iin, birth_date, personal_code, blocked, restricted, palm_consent, has_app, trusted_phone, daily_cash_limit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.id, c.name, c.phone, c.iin ?? null, c.birthDate, c.personalCode ?? null, +c.blocked, +c.restricted, +c.palmConsent, +c.hasApp,
      c.trustedPhone ?? null, c.dailyCashLimit);
    for (const card of c.cards) {
      const { pan, product, pinChange } = typeof card === 'string' ? { pan: card, product: 'debit', pinChange: false } : card;
      db.prepare('INSERT INTO cards (pan_token, customer_id, masked_pan, product, pin_change) VALUES (?, ?, ?, ?, ?)').run(
        panToken(pan, tokenKey), c.id, maskPan(pan), product, +pinChange,
      );
    }
    for (const subject of c.palmSubjects) {
      db.prepare('INSERT INTO palm_enrolments (subject, customer_id, template) VALUES (?, ?, ?)').run(subject, c.id, Buffer.from(palmTemplateFor(subject)));
    }
    for (const p of c.products) {
      db.prepare(
        `INSERT INTO accounts (id, customer_id, kind, label, currency, balance, due_amount, max_top_up, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(p.id, c.id, p.kind, p.label ?? defaultLabel(p.kind, p.id), p.currency, p.balance, p.dueAmount ?? null, p.maxTopUp ?? null, p.status);
    }
  })();
}

function defaultLabel(kind: string, id: string): string {
  const tail = id.slice(-4);
  const names: Record<string, string> = { current: 'Current account', savings: 'Savings account', loan: 'Loan', wallet: 'Wallet' };
  return `${names[kind] ?? kind} *${tail}`;
}

/** "Aigerim Seitkali" -> "Aigerim S." : the kiosk never gets a full name */
export function maskName(name: string): string {
  const [first, ...rest] = name.trim().split(/\s+/);
  const initial = rest.length > 0 ? ` ${rest[rest.length - 1]!.charAt(0)}.` : '';
  return `${first ?? ''}${initial}`;
}

export interface CustomerRow {
  id: string; name: string; phone: string; iin: string | null; birth_date: string; personal_code: string | null;
  blocked: number; restricted: number; palm_consent: number; has_app: number; trusted_phone: string | null; daily_cash_limit: number;
}

export interface AccountRow {
  id: string; customer_id: string; kind: 'current' | 'savings' | 'loan' | 'wallet'; label: string; currency: string;
  balance: number; held: number; due_amount: number | null; max_top_up: number | null; status: 'open' | 'closed' | 'blocked';
}

export function getCustomer(db: Db, id: string): CustomerRow | undefined {
  return db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
}

export function getAccount(db: Db, id: string): AccountRow | undefined {
  return db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
}
