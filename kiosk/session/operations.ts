/**
 * What the customer may do right now, from their products and the devices' health. A failed
 * device removes the operations that need it; with the bank offline only cash that can be queued
 * safely is offered (walk-up service payments within the offline caps). A service payment from an
 * account needs online authorisation, so offline it is cash only.
 */
import type { ProductView } from '../bank/bank-api.js';
import type { Devices, Operation } from '../bridge/schema.js';
import { usable } from '../devices/health.js';
import { terminalOperations } from '../devices/operations.js';

export { usable };

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
 * What this customer may do: what the terminal allows now (the devices' own rules, shared with the
 * start screen and the metrics), narrowed by the customer's products. A service payment in cash
 * needs no product; from an account it needs one that pays services.
 */
export function customerOperations(products: readonly ProductView[] | undefined, d: Devices, card?: { pinChange?: boolean }): Operation[] {
  if (!products) return [];
  const has = (op: Operation): boolean => eligibleProducts(op, products).length > 0;
  return terminalOperations(d, d.bank === 'online', card).filter((op) => {
    switch (op) {
      case 'balance':
        return products.length > 0;
      case 'payService':
        return usable(d.cashAcceptor) || has('payService');
      case 'changePin':
        return true;
      default:
        return has(op);
    }
  });
}
