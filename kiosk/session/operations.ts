/**
 * What the customer may do right now, from their products and the devices' health. A failed
 * device removes the operations that need it; with the bank offline only cash that can be queued
 * safely is offered (walk-up service payments within the offline caps). A service payment from an
 * account needs online authorisation, so offline it is cash only.
 */
import type { ProductView } from '../bank/bank-api.js';
import type { Devices, Operation } from '../bridge/schema.js';

export const usable = (h: Devices[keyof Omit<Devices, 'bank'>]): boolean => h === 'ok' || h === 'degraded';

/** nothing left a customer could do: the terminal is out of service */
export function allCriticalFailed(d: Devices): boolean {
  const cashIn = usable(d.cashAcceptor);
  const cashOut = usable(d.dispenser) && d.bank === 'online';
  return !cashIn && !cashOut;
}

/** accounts a product-bound operation may use; e-money never goes out as cash (ch.4 item 9) */
export function eligibleProducts(op: Operation, products: readonly ProductView[]): ProductView[] {
  switch (op) {
    case 'balance':
      return [...products];
    case 'cashIn':
      return products.filter((p) => p.kind === 'current' || p.kind === 'savings' || p.kind === 'wallet');
    case 'withdraw':
      return products.filter((p) => p.kind === 'current' || p.kind === 'savings');
    case 'loanRepayment':
      return products.filter((p) => p.kind === 'loan');
    case 'payService':
      // current accounts and wallets; savings only where the bank's product says so; never loans
      return products.filter((p) => p.kind !== 'loan' && (p.paysServices ?? (p.kind === 'current' || p.kind === 'wallet')));
    case 'changePin':
      return [];
  }
}

/**
 * A PIN change needs the card in the reader (identified by inserting it), a card product the bank
 * says allows it, a working card reader and the bank online. The PIN is set on the customer's
 * phone, so nothing else of the terminal is involved.
 */
export function pinChangeOffered(card: { pinChange?: boolean } | undefined, d: Devices): boolean {
  return card?.pinChange === true && usable(d.cardReader) && d.bank === 'online';
}

export function availableOperations(products: readonly ProductView[] | undefined, d: Devices, card?: { pinChange?: boolean }): Operation[] {
  if (!products) return [];
  const online = d.bank === 'online';
  const ops: Operation[] = [];
  if (online && products.length > 0) ops.push('balance');
  if (usable(d.cashAcceptor) && online && eligibleProducts('cashIn', products).length > 0) ops.push('cashIn');
  if (usable(d.dispenser) && online && eligibleProducts('withdraw', products).length > 0) ops.push('withdraw');
  // in cash while the acceptor works, or from an account, which needs the bank online
  if (usable(d.cashAcceptor) || (online && eligibleProducts('payService', products).length > 0)) ops.push('payService');
  if (usable(d.cashAcceptor) && online && eligibleProducts('loanRepayment', products).length > 0) ops.push('loanRepayment');
  if (pinChangeOffered(card, d)) ops.push('changePin');
  return ops;
}
