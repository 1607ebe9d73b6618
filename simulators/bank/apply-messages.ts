/**
 * Store-and-forward messages from terminals (`POST /v1/messages`). Each message key is applied
 * exactly once: the key is registered in the same SQLite transaction as its ledger effect, so a
 * replay (lost acknowledgement, retry, restart) answers `alreadyApplied` and moves no money twice.
 * A business rejection is remembered too, so a replay of a rejected key gets the same answer.
 */
import type { z } from 'zod';
import type {
  CashInCreditBody, CashUnitsBody, DeadLetterResolutionBody, OutboxMessageWire, ReceiptPushBody, ReceiptSmsBody, ServicePaymentBody,
  ServicePaymentReverseBody, WithdrawalCompleteBody, WithdrawalReverseBody,
} from '../../kiosk/bank/messages.js';
import type { BankContext } from './context.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { getAccount, getCustomer, type AccountRow } from './customers.js';
import { holdForVoidedKey } from './service-payments.js';
import { anchoredHead, anchorSegment, recordTerminalStatus } from './fleet.js';

export interface MessageResult {
  key: string;
  status: 'applied' | 'alreadyApplied' | 'rejected';
  reason?: string;
  anchoredHead?: { seq: number; hash: string };
}

/** a rejection thrown inside the transaction rolls back the effect; the rejection is then recorded */
class Rejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface AppliedRow { status: 'applied' | 'rejected'; reason: string | null; body_hash: string }

export function applyMessages(ctx: BankContext, terminalId: string, messages: OutboxMessageWire[]): MessageResult[] {
  return messages.map((m) => {
    const result = applyOne(ctx, terminalId, m);
    if (m.kind !== 'journalUpload') return result;
    const head = anchoredHead(ctx.db, terminalId);
    return { ...result, anchoredHead: { seq: head.seq, hash: head.hash } };
  });
}

function applyOne(ctx: BankContext, terminalId: string, message: OutboxMessageWire): MessageResult {
  const { db } = ctx;
  const bodyHash = sha256Hex(canonicalJson({ kind: message.kind, body: message.body }));
  const register = db.prepare('INSERT INTO applied_messages (key, terminal_id, kind, body_hash, status, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const seen = (): MessageResult | undefined => {
    const row = db.prepare('SELECT status, reason, body_hash FROM applied_messages WHERE key = ?').get(message.key) as AppliedRow | undefined;
    if (row === undefined) return undefined;
    // the same key with a different body is a terminal fault, not a replay: refuse rather than guess
    if (row.body_hash !== bodyHash) return { key: message.key, status: 'rejected', reason: 'keyReusedWithDifferentBody' };
    if (row.status === 'applied') return { key: message.key, status: 'alreadyApplied' };
    return { key: message.key, status: 'rejected', reason: row.reason ?? 'rejected' };
  };

  const run = db.transaction((): MessageResult => {
    const earlier = seen();
    if (earlier !== undefined) return earlier;
    effect(ctx, terminalId, message);
    register.run(message.key, terminalId, message.kind, bodyHash, 'applied', null, ctx.now());
    return { key: message.key, status: 'applied' };
  });
  try {
    return run.immediate();
  } catch (err) {
    if (!(err instanceof Rejection)) throw err;
    const record = db.transaction((): MessageResult => {
      const earlier = seen();
      if (earlier !== undefined) return earlier;
      register.run(message.key, terminalId, message.kind, bodyHash, 'rejected', err.reason, ctx.now());
      return { key: message.key, status: 'rejected', reason: err.reason };
    });
    return record.immediate();
  }
}

function effect(ctx: BankContext, terminalId: string, message: OutboxMessageWire): void {
  switch (message.kind) {
    case 'cashInCredit': return cashInCredit(ctx, message.key, message.body);
    case 'servicePayment': return servicePayment(ctx, message.key, message.body);
    case 'withdrawalComplete': return withdrawalComplete(ctx, message.key, message.body);
    case 'withdrawalReverse': return withdrawalReverse(ctx, message.body);
    case 'servicePaymentReverse': return servicePaymentReverse(ctx, message.body);
    case 'receiptSms': return receiptSms(ctx, message.body);
    case 'receiptPush': return receiptPush(ctx, message.body);
    case 'collection':
    case 'replenishment':
      return terminalEvent(ctx, terminalId, message.key, message.kind, message.body);
    case 'journalUpload': {
      const refusal = anchorSegment(ctx, terminalId, message.key, message.body);
      if (refusal !== undefined) throw new Rejection(refusal);
      return;
    }
    case 'terminalStatus':
      return recordTerminalStatus(ctx, terminalId, message.key, message.body);
    // our own message (kiosk/bank/messages.ts): kept with the terminal's other events for the back office
    case 'deadLetterResolution':
      return terminalEvent(ctx, terminalId, message.key, message.kind, message.body);
  }
}

function usableAccount(ctx: BankContext, productId: string, customerId?: string): AccountRow {
  const account = getAccount(ctx.db, productId);
  if (account === undefined || (customerId !== undefined && account.customer_id !== customerId)) throw new Rejection('unknownProduct');
  if (account.status === 'closed') throw new Rejection('accountClosed');
  if (account.status === 'blocked') throw new Rejection('accountBlocked');
  if (account.currency !== 'KZT') throw new Rejection('currencyMismatch');
  return account;
}

function postEntry(ctx: BankContext, accountId: string, amount: number, description: string, key: string | null): void {
  ctx.db.prepare('INSERT INTO entries (account_id, at, description, amount, message_key) VALUES (?, ?, ?, ?, ?)')
    .run(accountId, new Date(ctx.now()).toISOString(), description, amount, key);
}

function cashInCredit(ctx: BankContext, key: string, body: z.infer<typeof CashInCreditBody>): void {
  const account = usableAccount(ctx, body.productId, body.customerId);
  const noteSum = body.notes.reduce((sum, n) => sum + n.denomination * n.count, 0);
  // the notes in the box are the truth: never credit more than was stacked
  if (body.amount + body.commission > noteSum) throw new Rejection('amountAboveNotes');
  if (account.kind === 'loan') {
    ctx.db.prepare('UPDATE accounts SET balance = max(0, balance - ?), due_amount = max(0, coalesce(due_amount, 0) - ?) WHERE id = ?')
      .run(body.amount, body.amount, account.id);
    postEntry(ctx, account.id, -body.amount, `Loan repayment in cash, receipt ${body.receiptNumber}`, key);
  } else {
    ctx.db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?').run(body.amount, account.id);
    postEntry(ctx, account.id, body.amount, `Cash-in at terminal, receipt ${body.receiptNumber}`, key);
  }
  const customer = getCustomer(ctx.db, body.customerId);
  if (customer?.has_app === 1) ctx.outbox.send(customer.phone, 'push', `Cash-in ${formatTenge(body.amount)} credited, receipt ${body.receiptNumber}`);
}

function servicePayment(ctx: BankContext, key: string, body: z.infer<typeof ServicePaymentBody>): void {
  const service = ctx.db.prepare('SELECT * FROM services WHERE id = ?').get(body.serviceId) as
    { id: string; name: string; reference_pattern: string; min_amount: number; max_amount: number } | undefined;
  if (service === undefined) throw new Rejection('unknownService');
  if (!new RegExp(service.reference_pattern).test(body.reference)) throw new Rejection('invalidReference');
  if (body.amount < service.min_amount) throw new Rejection('belowMinimum');
  if (body.amount > service.max_amount) throw new Rejection('limitExceeded');
  if (body.holdId !== undefined) {
    settleServiceHold(ctx, key, body, service);
  } else if (body.source !== undefined) {
    const account = usableAccount(ctx, body.source.productId, body.source.customerId);
    if (account.kind === 'loan') throw new Rejection('unknownProduct');
    const total = body.amount + body.commission;
    if (account.balance - account.held < total) throw new Rejection('insufficientFunds');
    ctx.db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ?').run(total, account.id);
    postEntry(ctx, account.id, -total, `${service.name} ${body.reference}`, key);
  } else {
    const noteSum = (body.notes ?? []).reduce((sum, n) => sum + n.denomination * n.count, 0);
    if (body.amount + body.commission > noteSum) throw new Rejection('amountAboveNotes');
  }
  ctx.db.prepare('INSERT INTO service_payments (service_id, reference, amount, commission, at, message_key) VALUES (?, ?, ?, ?, ?, ?)')
    .run(service.id, body.reference, body.amount, body.commission, new Date(ctx.now()).toISOString(), key);
  if (body.receiptPhone !== undefined) {
    ctx.outbox.send(body.receiptPhone, 'sms',
      `Receipt ${body.receiptNumber}: ${service.name} ${body.reference}, ${formatTenge(body.amount)}, fee ${formatTenge(body.commission)}`);
  }
}

interface HoldRow {
  id: string; account_id: string; customer_id: string; amount: number; commission: number; status: string; purpose: string; service_id: string | null;
}

/**
 * A payment from an account: the hold authorised online becomes the debit. The account goes down
 * by amount + commission once (the message key is registered with this effect); the service side
 * gets the amount (the service_payments row written by the caller).
 */
function settleServiceHold(ctx: BankContext, key: string, body: z.infer<typeof ServicePaymentBody>, service: { id: string; name: string }): void {
  const hold = getHold(ctx, body.holdId ?? '');
  if (hold.purpose !== 'payService' || hold.service_id !== service.id) throw new Rejection('holdNotForThisService');
  if (body.source !== undefined && (body.source.productId !== hold.account_id || body.source.customerId !== hold.customer_id)) throw new Rejection('holdNotForThisAccount');
  if (hold.status === 'completed' || hold.status === 'reversed') throw new Rejection('holdAlreadySettled');
  if (hold.status !== 'held') throw new Rejection('notAuthorised');
  if (body.amount !== hold.amount) throw new Rejection('notAuthorisedAmount');
  if (body.commission > hold.commission) throw new Rejection('aboveAuthorisedCommission');
  const debit = body.amount + body.commission;
  ctx.db.prepare('UPDATE accounts SET balance = balance - ?, held = held - ? WHERE id = ?').run(debit, hold.amount + hold.commission, hold.account_id);
  ctx.db.prepare("UPDATE holds SET status = 'completed', debited = ? WHERE id = ?").run(debit, hold.id);
  postEntry(ctx, hold.account_id, -body.amount, `${service.name} ${body.reference}, receipt ${body.receiptNumber}`, key);
  if (body.commission > 0) postEntry(ctx, hold.account_id, -body.commission, `${service.name} payment fee`, key);
}

/** releases a service payment's hold; by the authorisation key when the terminal never learnt the hold */
function servicePaymentReverse(ctx: BankContext, body: z.infer<typeof ServicePaymentReverseBody>): void {
  const holdId = body.holdId ?? holdForVoidedKey(ctx, body.authorisationKey);
  if (holdId === undefined) return; // nothing was held, and the key is refused from now on
  const hold = getHold(ctx, holdId);
  if (hold.purpose !== 'payService') throw new Rejection('holdNotForAPayment');
  if (hold.status === 'completed') throw new Rejection('holdAlreadySettled');
  if (hold.status === 'reversed' || hold.status === 'refused') return;
  ctx.db.prepare('UPDATE accounts SET held = held - ? WHERE id = ?').run(hold.amount + hold.commission, hold.account_id);
  ctx.db.prepare("UPDATE holds SET status = 'reversed' WHERE id = ?").run(hold.id);
}

function getHold(ctx: BankContext, holdId: string): HoldRow {
  const hold = ctx.db.prepare('SELECT * FROM holds WHERE id = ?').get(holdId) as HoldRow | undefined;
  if (hold === undefined) throw new Rejection('unknownHold');
  return hold;
}

function withdrawalComplete(ctx: BankContext, key: string, body: z.infer<typeof WithdrawalCompleteBody>): void {
  const hold = getHold(ctx, body.holdId);
  if (hold.purpose !== 'withdraw') throw new Rejection('holdNotForAWithdrawal');
  if (hold.status === 'completed' || hold.status === 'reversed') throw new Rejection('holdAlreadySettled');
  if (hold.status !== 'held') throw new Rejection('notAuthorised');
  if (body.amount > hold.amount) throw new Rejection('aboveAuthorisedAmount');
  if (body.commission > hold.commission) throw new Rejection('aboveAuthorisedCommission');
  const debit = body.amount + body.commission;
  ctx.db.prepare('UPDATE accounts SET balance = balance - ?, held = held - ? WHERE id = ?').run(debit, hold.amount + hold.commission, hold.account_id);
  ctx.db.prepare("UPDATE holds SET status = 'completed', debited = ? WHERE id = ?").run(debit, hold.id);
  postEntry(ctx, hold.account_id, -body.amount, `Cash withdrawal, receipt ${body.receiptNumber}`, key);
  if (body.commission > 0) postEntry(ctx, hold.account_id, -body.commission, 'Cash withdrawal fee', key);
}

function withdrawalReverse(ctx: BankContext, body: z.infer<typeof WithdrawalReverseBody>): void {
  const hold = getHold(ctx, body.holdId);
  if (hold.purpose !== 'withdraw') throw new Rejection('holdNotForAWithdrawal');
  if (hold.status === 'completed') throw new Rejection('holdAlreadySettled');
  if (hold.status === 'reversed' || hold.status === 'refused') return; // nothing is held any more
  ctx.db.prepare('UPDATE accounts SET held = held - ? WHERE id = ?').run(hold.amount + hold.commission, hold.account_id);
  ctx.db.prepare("UPDATE holds SET status = 'reversed' WHERE id = ?").run(hold.id);
}

/**
 * The key is registered with this effect, so a replayed message sends nothing a second time. The
 * gateway is in memory: the send comes last, after anything in the transaction that could fail.
 */
function receiptSms(ctx: BankContext, body: z.infer<typeof ReceiptSmsBody>): void {
  ctx.outbox.send(body.phone, 'sms', body.text);
}

/**
 * As receiptSms, to the customer's app. A customer without the app (or unknown) is a business
 * rejection: `noBankApp` and `unknownCustomer` are this simulator's reasons, not in the reference.
 */
function receiptPush(ctx: BankContext, body: z.infer<typeof ReceiptPushBody>): void {
  const customer = ctx.db.prepare('SELECT phone, has_app FROM customers WHERE id = ?').get(body.customerId) as { phone: string; has_app: number } | undefined;
  if (customer === undefined) throw new Rejection('unknownCustomer');
  if (customer.has_app !== 1) throw new Rejection('noBankApp');
  ctx.outbox.send(customer.phone, 'push', body.text);
}

function terminalEvent(
  ctx: BankContext, terminalId: string, key: string, kind: string,
  body: z.infer<typeof CashUnitsBody> | z.infer<typeof DeadLetterResolutionBody>,
): void {
  ctx.db.prepare('INSERT INTO terminal_events (key, terminal_id, kind, body, at) VALUES (?, ?, ?, ?, ?)')
    .run(key, terminalId, kind, JSON.stringify(body), ctx.now());
}

export function formatTenge(tiyn: number): string {
  const tenge = Math.trunc(tiyn / 100);
  const rest = tiyn % 100;
  return `${tenge}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`} KZT`;
}
