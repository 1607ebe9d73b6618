/**
 * Read-side of the bank for the terminal: the customer's products and history, the services
 * catalogue with reference checks, commission quotes (shown before consent, 5.5) and cash-in
 * pre-checks (maximum top-up, 10.1).
 */
import type { Operation } from '../../kiosk/bridge/schema.js';
import { refuse, type BankContext, type Refusal } from './context.js';
import { getAccount, type AccountRow } from './customers.js';
import { commissionFor, type Tariff } from './tariffs.js';

/** what one cash-in to an account may bring at most when the product sets no own maximum */
export const DEFAULT_CASH_IN_MAX = 2_000_000_00;
export const MIN_CASH_IN = 200_00;

export interface ProductView {
  id: string; kind: AccountRow['kind']; label: string; currency: 'KZT'; balance: number; available: number; dueAmount?: number; maxTopUp?: number;
  paysServices?: boolean;
}

export function productView(a: AccountRow): ProductView {
  const view: ProductView = {
    id: a.id, kind: a.kind, label: a.label, currency: 'KZT', balance: a.balance,
    // a loan's balance is debt: nothing of it is available to spend
    available: a.kind === 'loan' ? 0 : Math.max(0, a.balance - a.held),
  };
  if (a.due_amount !== null) view.dueAmount = a.due_amount;
  if (a.max_top_up !== null) view.maxTopUp = a.max_top_up;
  view.paysServices = a.kind === 'current' || a.kind === 'wallet';
  return view;
}

export function products(ctx: BankContext, customerId: string): ProductView[] {
  const rows = ctx.db.prepare("SELECT * FROM accounts WHERE customer_id = ? AND status != 'closed' ORDER BY id").all(customerId) as AccountRow[];
  return rows.map(productView);
}

export function history(ctx: BankContext, customerId: string, productId: string):
  { ok: true; recent: Array<{ at: string; description: string; amount: number }> } | Refusal {
  const account = getAccount(ctx.db, productId);
  if (account === undefined || account.customer_id !== customerId) return refuse('notFound');
  const recent = ctx.db.prepare('SELECT at, description, amount FROM entries WHERE account_id = ? ORDER BY id DESC LIMIT 10').all(productId) as
    Array<{ at: string; description: string; amount: number }>;
  return { ok: true, recent };
}

interface ServiceRow { id: string; category: string; name: string; reference_kind: 'phone' | 'account'; reference_pattern: string; min_amount: number; max_amount: number }

export function services(ctx: BankContext): Array<{ id: string; category: string; name: string; referenceKind: 'phone' | 'account'; referencePattern: string; min: number; max: number }> {
  const rows = ctx.db.prepare('SELECT * FROM services ORDER BY category, name').all() as ServiceRow[];
  return rows.map((s) => ({ id: s.id, category: s.category, name: s.name, referenceKind: s.reference_kind, referencePattern: s.reference_pattern, min: s.min_amount, max: s.max_amount }));
}

function service(ctx: BankContext, id: string): ServiceRow | undefined {
  return ctx.db.prepare('SELECT * FROM services WHERE id = ?').get(id) as ServiceRow | undefined;
}

export function checkReference(ctx: BankContext, serviceId: string, reference: string): { ok: true; beneficiary: string } | Refusal {
  const s = service(ctx, serviceId);
  if (s === undefined) return refuse('notFound');
  if (!new RegExp(s.reference_pattern).test(reference)) return refuse('invalidReference');
  // the provider's register knows no subscriber whose account starts with 000
  if (s.reference_kind === 'account' && reference.startsWith('000')) return refuse('invalidReference', { cause: 'unknownSubscriber' });
  const masked = `${reference.slice(0, 3)}***${reference.slice(-2)}`;
  return { ok: true, beneficiary: `${s.name}, ${s.reference_kind === 'phone' ? 'subscriber' : 'account'} ${masked}` };
}

export function tariffFor(ctx: BankContext, operation: Operation | string): Tariff {
  const row = ctx.db.prepare('SELECT fixed, bps, min_fee, max_fee FROM tariffs WHERE operation = ?').get(operation) as
    { fixed: number; bps: number; min_fee: number; max_fee: number | null } | undefined;
  return row === undefined ? { fixed: 0, bps: 0, minFee: 0, maxFee: null } : { fixed: row.fixed, bps: row.bps, minFee: row.min_fee, maxFee: row.max_fee };
}

/** a service's own tariff (`payService:<id>`) where the bank set one, else the payService tariff */
export function serviceTariff(ctx: BankContext, serviceId: string): Tariff {
  const own = ctx.db.prepare('SELECT 1 FROM tariffs WHERE operation = ?').get(`payService:${serviceId}`);
  return tariffFor(ctx, own === undefined ? 'payService' : `payService:${serviceId}`);
}

export function quote(ctx: BankContext, operation: Operation, amount: number, serviceId?: string): { operation: Operation; amount: number; commission: number; total: number } {
  const tariff = operation === 'payService' && serviceId !== undefined ? serviceTariff(ctx, serviceId) : tariffFor(ctx, operation);
  const commission = commissionFor(amount, tariff);
  return { operation, amount, commission, total: amount + commission };
}

export function precheckCashIn(
  ctx: BankContext, target: { productId?: string; serviceId?: string; reference?: string }, customerId?: string,
): { ok: true; maxAmount: number; minAmount: number } | Refusal {
  if (target.serviceId !== undefined) {
    const s = service(ctx, target.serviceId);
    if (s === undefined) return refuse('notFound');
    if (target.reference !== undefined) {
      const check = checkReference(ctx, s.id, target.reference);
      if (!check.ok) return check;
    }
    return { ok: true, minAmount: s.min_amount, maxAmount: s.max_amount };
  }
  if (target.productId === undefined) return refuse('notFound');
  const account = getAccount(ctx.db, target.productId);
  if (account === undefined || (customerId !== undefined && account.customer_id !== customerId)) return refuse('notFound');
  if (account.status !== 'open') return refuse('blocked');
  if (account.currency !== 'KZT') return refuse('currencyMismatch');
  if (account.kind === 'loan') {
    // a repayment may not exceed what is owed
    if (account.balance <= 0) return refuse('aboveMaxTopUp', { maxAmount: 0 });
    return { ok: true, minAmount: Math.min(MIN_CASH_IN, account.balance), maxAmount: account.balance };
  }
  const maxAmount = account.max_top_up ?? DEFAULT_CASH_IN_MAX;
  return { ok: true, minAmount: MIN_CASH_IN, maxAmount };
}
