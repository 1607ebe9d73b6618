/**
 * What the terminal can offer with the devices it has working and the bank reachable or not.
 * Pure: the session machine narrows this further by the customer's own products. It agrees with
 * the session (`kiosk/session/operations.ts`): an operation listed here is one some customer can
 * be offered, so the attract and start screens and the metrics never promise less or more.
 */
import type { Devices, IdentificationMethod, Operation, ReceiptChoice } from '../bridge/schema.js';
import { usable } from './health.js';

export interface Availability {
  /** what an identified customer may be offered (before their products narrow it) */
  operations: Operation[];
  /** what a customer may do without identifying: a service payment in cash, queued offline if need be */
  walkUp: Operation[];
  identificationMethods: IdentificationMethod[];
  /** no printer: electronic receipts only (bank rules ch.2 item 5 allows SMS / push) */
  receipts: ReceiptChoice[];
  /** nothing a customer could do: neither cash in, nor cash out with the bank reachable */
  outOfService: boolean;
}

/**
 * What the devices and the bank allow, before anything else (out of service, the customer's
 * products) narrows it. The session offers an identified customer these, narrowed by their products.
 */
export function terminalOperations(devices: Omit<Devices, 'bank'>, bankOnline: boolean, card?: { pinChange?: boolean }): Operation[] {
  const acceptor = usable(devices.cashAcceptor);
  const operations: Operation[] = [];
  if (bankOnline) operations.push('balance');
  // crediting a named account needs the customer identified, which needs the bank
  if (acceptor && bankOnline) operations.push('cashIn');
  if (usable(devices.dispenser) && bankOnline) operations.push('withdraw');
  // a walk-up payment is cash, so it needs the acceptor (and is queued offline within the caps);
  // an identified customer may also pay from an account, which needs the bank online
  if (acceptor || bankOnline) operations.push('payService');
  if (acceptor && bankOnline) operations.push('loanRepayment');
  // the PIN is set on the customer's phone: the card in the reader and the bank are all it needs
  if (usable(devices.cardReader) && bankOnline && card?.pinChange === true) operations.push('changePin');
  return operations;
}

/**
 * `card`: the card in the reader, as the bank described it at identification. A PIN change is
 * offered only for a card whose product allows it (the PIN is then set on the customer's phone),
 * so without a card identified that way it is never offered.
 */
export function availableOperations(
  devices: Omit<Devices, 'bank'>, bankOnline: boolean, card?: { pinChange?: boolean },
  /** the methods this terminal offers at all (`identification.methods`); absent: every method */
  allowed?: readonly IdentificationMethod[],
): Availability {
  const acceptor = usable(devices.cashAcceptor);
  const dispenser = usable(devices.dispenser);
  const cardReader = usable(devices.cardReader);
  const palm = usable(devices.palm);
  const operations = terminalOperations(devices, bankOnline, card);

  const identificationMethods: IdentificationMethod[] = [];
  if (bankOnline) {
    identificationMethods.push('phone', 'iin');
    if (cardReader) identificationMethods.push('card');
    if (palm) identificationMethods.push('palm');
    identificationMethods.push('qr');
  }

  const offered = allowed ? identificationMethods.filter((m) => allowed.includes(m)) : identificationMethods;

  const receipts: ReceiptChoice[] = usable(devices.printer) ? ['print', 'sms', 'none'] : ['sms', 'none'];
  const outOfService = !acceptor && !(dispenser && bankOnline);
  const walkUp: Operation[] = acceptor ? ['payService'] : [];
  return {
    operations: outOfService ? [] : operations,
    walkUp: outOfService ? [] : walkUp,
    identificationMethods: outOfService ? [] : offered,
    receipts,
    outOfService,
  };
}
