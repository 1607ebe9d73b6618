/**
 * Service payment from a customer's product (bank rules ch.2 item 1; 5.5-5.7; 7.2.4; 8.15-1; 10.1):
 * a hold on amount + commission, the commission from the service's tariff and equal to what the
 * customer was shown, refused for the grounds of 10.1, and parked for the trusted person where the
 * customer set one. The debit arrives later as a `servicePayment` outbox message naming the hold
 * (apply-messages.ts). The first answer to an idempotency key is kept and replayed; a key the
 * terminal has already voided (its answer was lost) is refused from then on.
 */
import { randomBytes } from 'node:crypto';
import { refuse, type BankContext } from './context.js';
import { getAccount, getCustomer } from './customers.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { commissionFor } from './tariffs.js';
import { checkReference, serviceTariff } from './catalogue.js';
import { formatTenge } from './apply-messages.js';
import { answerOnce, holdPlaced, type AuthoriseAnswer } from './holds.js';

export const SERVICE_PAYMENT_SCOPE = 'servicePayment';

export interface ServicePaymentRequest {
  productId: string;
  serviceId: string;
  reference: string;
  amount: number;
  commission: number;
  idempotencyKey: string;
}

interface ServiceRow { id: string; name: string; min_amount: number; max_amount: number }

export function authoriseServicePayment(ctx: BankContext, customerId: string, input: ServicePaymentRequest): AuthoriseAnswer {
  const { idempotencyKey, ...request } = input;
  const requestHash = sha256Hex(canonicalJson({ customerId, ...request }));
  return answerOnce(ctx, SERVICE_PAYMENT_SCOPE, idempotencyKey, requestHash, () => decide(ctx, customerId, request));
}

/** may the product pay services: current accounts and wallets; never loans or savings */
export function paysServices(kind: string): boolean {
  return kind === 'current' || kind === 'wallet';
}

function decide(ctx: BankContext, customerId: string, input: Omit<ServicePaymentRequest, 'idempotencyKey'>): AuthoriseAnswer {
  const customer = getCustomer(ctx.db, customerId);
  if (customer === undefined) return refuse('notIdentified');
  if (customer.blocked === 1) return refuse('blocked');
  if (customer.restricted === 1) return refuse('restricted');
  const service = ctx.db.prepare('SELECT id, name, min_amount, max_amount FROM services WHERE id = ?').get(input.serviceId) as ServiceRow | undefined;
  if (service === undefined) return refuse('notFound', { cause: 'service' });
  const reference = checkReference(ctx, service.id, input.reference);
  if (!reference.ok) return reference;
  if (input.amount < service.min_amount) return refuse('belowMinimum', { min: service.min_amount });
  if (input.amount > service.max_amount) return refuse('limitExceeded', { max: service.max_amount });
  const account = getAccount(ctx.db, input.productId);
  if (account === undefined || account.customer_id !== customerId) return refuse('notFound');
  if (!paysServices(account.kind)) return refuse('notAuthorised', { cause: 'product' });
  if (account.status !== 'open') return refuse('blocked');
  if (account.currency !== 'KZT') return refuse('currencyMismatch');
  const commission = commissionFor(input.amount, serviceTariff(ctx, service.id));
  // the customer consented to the commission shown (5.5): a different one is never charged
  if (commission !== input.commission) return refuse('notAuthorised', { cause: 'commissionChanged', commission });
  const available = account.balance - account.held;
  if (available < input.amount + commission) return refuse('insufficientFunds', { available, required: input.amount + commission });
  const now = ctx.now();
  const holdId = `hp-${randomBytes(9).toString('base64url')}`;
  const pending = customer.trusted_phone !== null;
  ctx.db.prepare(
    "INSERT INTO holds (id, account_id, customer_id, amount, commission, status, approval_id, created_at, purpose, service_id) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 'payService', ?)",
  ).run(holdId, account.id, customerId, input.amount, commission, pending ? 'pendingApproval' : 'held', now, service.id);
  return holdPlaced(ctx, { holdId, accountId: account.id, amount: input.amount, commission, now }, customer, `pay ${service.name} ${formatTenge(input.amount)}`);
}

/**
 * The hold a voided authorisation key produced, if any. A key never seen is registered as voided,
 * so an authorisation arriving late under it is refused instead of holding money nobody releases.
 */
export function holdForVoidedKey(ctx: BankContext, key: string): string | undefined {
  const earlier = ctx.db.prepare('SELECT answer FROM idempotent_answers WHERE scope = ? AND key = ?').get(SERVICE_PAYMENT_SCOPE, key) as
    { answer: string } | undefined;
  if (earlier === undefined) {
    ctx.db.prepare('INSERT INTO idempotent_answers (scope, key, request_hash, answer, at) VALUES (?, ?, ?, ?, ?)')
      .run(SERVICE_PAYMENT_SCOPE, key, 'voided', JSON.stringify(refuse('notAuthorised', { cause: 'voided' })), ctx.now());
    return undefined;
  }
  const answer = JSON.parse(earlier.answer) as AuthoriseAnswer;
  return answer.ok ? answer.holdId : undefined;
}
