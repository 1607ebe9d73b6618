/**
 * The pure rules the session's parent machine decides by: when the attract screen watches for a
 * palm, where identification begins, which products and references fit, where a cash-in goes,
 * what a receipt offers and what the operation it is for did.
 */
import type { ProductView } from '../bank/bank-api.js';
import type { Tiyn } from '../../domain/money.js';
import type { ReceiptChoice } from '../bridge/schema.js';
import { allCriticalFailed, eligibleProducts, usable } from './operations.js';
import { normalisePhone } from './phone.js';
import type { CashInTarget } from './ports.js';
import type { OperationOutcome, SessionContext, SessionEvent } from './types.js';
import type { EventObject } from 'xstate';
import type { IdentificationStart } from './identification-machine.js';

/**
 * The attract screen watches for a hand only when a palm can sign the customer in: palm allowed,
 * the scanner usable, the bank reachable (the match is the bank's), and the terminal in service
 * for customers (never with the service switch open or nothing working).
 */
export function palmArmable(context: SessionContext): boolean {
  return (
    context.identificationMethods.includes('palm')
    && usable(context.devices.palm)
    && context.devices.bank === 'online'
    && !context.servicePending
    && !allCriticalFailed(context.devices)
  );
}

export function hasOnlyWallets(context: SessionContext): boolean {
  const products = context.products ?? [];
  return products.some((p) => p.kind === 'wallet') && eligibleProducts('withdraw', products).length === 0;
}

export function availableProduct(context: SessionContext): ProductView | undefined {
  return context.products?.find((p) => p.id === context.productId);
}

export function referenceMatches(context: SessionContext, reference: string): boolean {
  return matchingReference(context, reference) !== undefined;
}

/**
 * The form of what the customer typed that the service's pattern accepts: phone references are
 * tried as typed, as digits, as the 10-digit national number and in E.164, since providers differ.
 */
export function matchingReference(context: SessionContext, reference: string): string | undefined {
  const s = context.services?.find((x) => x.id === context.service?.id);
  if (!s) return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${s.referencePattern})$`);
  } catch {
    return undefined;
  }
  const typed = reference.trim();
  const candidates = [typed, typed.replace(/[\s()-]/g, '')];
  if (s.referenceKind === 'phone') {
    const e164 = normalisePhone(typed);
    if (e164) candidates.push(e164.slice(2), e164);
  }
  return candidates.find((c) => pattern.test(c));
}

export function normaliseReference(context: SessionContext, reference: string): string {
  return matchingReference(context, reference) ?? reference.trim();
}

/** where a cash-in's money goes: the chosen product, or the service (always for walk-ups) */
export function cashInTarget(context: SessionContext): CashInTarget {
  if (context.operation === 'payService' || context.walkIn || !context.productId) {
    return {
      kind: 'service',
      serviceId: context.service?.id ?? '',
      reference: context.service?.reference ?? '',
      label: context.service?.name ?? '',
      ...(context.customer ? { customerId: context.customer.id } : {}),
    };
  }
  const p = context.products?.find((x) => x.id === context.productId);
  return { kind: p?.kind === 'loan' ? 'loan' : p?.kind === 'wallet' ? 'wallet' : 'account', customerId: context.customer?.id ?? '', productId: context.productId, label: p?.label ?? '' };
}

export function spent(products: ProductView[] | undefined, productId: string | undefined, total: Tiyn): ProductView[] | undefined {
  return products?.map((p) => (p.id === productId ? { ...p, balance: Math.max(0, p.balance - total), available: Math.max(0, p.available - total) } : p));
}

/** the products this customer may pay the service from now: none for walk-ups or with the bank offline */
export function paymentProducts(context: SessionContext): ProductView[] {
  if (context.walkIn || !context.access || context.devices.bank !== 'online') return [];
  return eligibleProducts('payService', context.products ?? []);
}

export function receiptOptions(context: SessionContext): ReceiptChoice[] {
  const options: ReceiptChoice[] = [];
  if (usable(context.devices.printer)) options.push('print');
  if (context.smsReceipts) options.push('sms');
  // the bank said at identification that the customer has its app (ch.2 item 5: push is a receipt channel)
  if (context.customer?.hasApp === true) options.push('push');
  options.push('none');
  return options;
}

export function newReceipt(context: SessionContext, receiptNumber: string): SessionContext['receipt'] {
  const outcome = operationOutcome(context);
  return { number: receiptNumber, options: receiptOptions(context), status: 'choosing', ...(outcome ? { outcome } : {}) };
}

/**
 * What the operation that just completed did, from the view it left in the context (the menu clears
 * them, so at most one money operation's view is there). None for a PIN change: its screen says it.
 */
export function operationOutcome(context: SessionContext): OperationOutcome | undefined {
  const product = (id: string | undefined) => context.products?.find((p) => p.id === id);
  if (context.accountPayment) {
    const ap = context.accountPayment;
    return { operation: 'payService', amount: ap.amount ?? 0, commission: ap.commission ?? 0, ...(context.service ? { target: { kind: 'service', label: context.service.name } } : {}) };
  }
  if (context.withdrawal?.amount !== undefined) {
    const w = context.withdrawal;
    const p = product(w.productId);
    return {
      operation: 'withdraw', amount: w.amount ?? 0, commission: w.commission ?? 0,
      ...(p ? { target: { kind: p.kind, label: p.label } } : {}), ...(w.atExit ? { atExit: true } : {}),
    };
  }
  if (context.cashIn) {
    const c = context.cashIn;
    const commission = Math.min(c.commission, c.total);
    if (c.target.kind === 'service') {
      return { operation: 'payService', amount: c.total - commission, commission, target: { kind: 'service', label: c.target.label } };
    }
    const p = product(c.target.productId);
    return { operation: 'cashIn', amount: c.total - commission, commission, target: { kind: p?.kind ?? 'current', label: c.target.label } };
  }
  return undefined;
}

/**
 * Where identification begins: the method chosen on the start screen; the code alone for a
 * customer already identified (their access ran out); the card or the hand that started the
 * session; else the choice of method.
 */
export function identificationStart(context: SessionContext, event: EventObject): IdentificationStart {
  if (event.type === 'chooseIdentification') return (event as Extract<SessionEvent, { type: 'chooseIdentification' }>).method;
  if (context.customer) return 'otp';
  if (context.card) return 'cardRead';
  if (context.palmAttract) return 'palm';
  return 'choose';
}
