/**
 * What the kiosk needs from the bank's terminal gateway. The HTTP client (kiosk/bank/client.ts)
 * implements it against the bank host simulator or the real gateway; session tests may use fakes.
 * Money is integer tiyn. Business refusals come back as BankRefusal, never as thrown errors;
 * thrown errors mean the bank could not be reached or answered nonsense (BankUnavailableError).
 */
import type { IdentificationMethod, Operation } from '../../domain/operations.js';
import type { Tiyn } from '../../domain/money.js';

export type { Tiyn } from '../../domain/money.js';

export type RefusalReason =
  | 'notIdentified' | 'notFound' | 'blocked' | 'restricted' | 'insufficientFunds' | 'aboveMaxTopUp'
  | 'belowMinimum' | 'limitExceeded' | 'notAuthorised' | 'currencyMismatch' | 'amlRefused'
  | 'invalidReference' | 'otpWrong' | 'otpLocked' | 'otpExpired' | 'consentWithdrawn'
  | 'walletNoCash' | 'approvalRefused' | 'approvalTimeout'
  /** the card's product does not allow a PIN change at a terminal */
  | 'pinChangeNotAllowed';

export interface BankRefusal {
  ok: false;
  reason: RefusalReason;
  params?: Record<string, string | number>;
}
export type BankResult<T> = ({ ok: true } & T) | BankRefusal;

export class BankUnavailableError extends Error {
  override readonly name = 'BankUnavailableError';
}

export type IdentifyQuery =
  | { by: 'phone'; phone: string } // E.164 +77xxxxxxxxx
  | { by: 'iin'; iin: string }
  | { by: 'card'; panToken: string }
  | { by: 'palm'; template: Uint8Array }
  | { by: 'qr'; token: string };

export interface Narrowing {
  birthDate?: string; // YYYY-MM-DD
  personalCode?: string;
}

export type IdentifyOutcome =
  /** `cardPinChange`: for a card query, whether the card's product allows a PIN change */
  | { ok: true; status: 'identified'; customerId: string; maskedName: string; cardPinChange?: boolean; hasApp?: boolean }
  | { ok: true; status: 'ambiguous'; askFor: Array<'birthDate' | 'personalCode'> }
  | BankRefusal;

export interface ProductView {
  id: string;
  kind: 'current' | 'savings' | 'loan' | 'wallet';
  label: string; // masked
  currency: 'KZT';
  balance: Tiyn;
  available: Tiyn;
  dueAmount?: Tiyn;
  maxTopUp?: Tiyn;
  /** may pay services; absent means by kind (current accounts and wallets) */
  paysServices?: boolean;
}

export interface ServiceView {
  id: string;
  category: string;
  name: string;
  referenceKind: 'phone' | 'account';
  referencePattern: string; // regex source the reference must match
  min: Tiyn;
  max: Tiyn;
}

export interface Quote {
  operation: Operation;
  amount: Tiyn;
  commission: Tiyn;
  total: Tiyn;
}

/** how the customer sets the new PIN: the bank's mobile app (push) or the bank's secure SMS link */
export type PinChangeChannel = 'push' | 'sms';
export type PinChangeStatus = 'pending' | 'done' | 'failed' | 'expired' | 'cancelled';

export interface BankApi {
  identify(sessionId: string, method: IdentificationMethod, query: IdentifyQuery, narrowing?: Narrowing): Promise<IdentifyOutcome>;
  createQrLogin(sessionId: string): Promise<{ token: string; payload: string; expiresAt: number }>;
  pollQrLogin(token: string): Promise<IdentifyOutcome | { ok: true; status: 'pending' }>;
  /** OTP for this session, sent by SMS/push. The code itself never reaches the kiosk. */
  requestOtp(sessionId: string, customerId: string): Promise<BankResult<{ sentTo: string; expiresAt: number; resendAt: number; channel?: 'sms' | 'push' }>>;
  verifyOtp(sessionId: string, customerId: string, code: string): Promise<BankResult<{ accessToken: string; expiresAt: number }> | (BankRefusal & { attemptsLeft?: number })>;
  products(accessToken: string): Promise<BankResult<{ products: ProductView[] }>>;
  history(accessToken: string, productId: string): Promise<BankResult<{ recent: Array<{ at: string; description: string; amount: number }> }>>;
  services(): Promise<ServiceView[]>;
  checkReference(serviceId: string, reference: string): Promise<BankResult<{ beneficiary: string }>>;
  quote(operation: Operation, amount: Tiyn, productId?: string, serviceId?: string): Promise<Quote>;
  /** cash-in pre-check: beneficiary exists, how much may be taken */
  precheckCashIn(target: { productId?: string; serviceId?: string; reference?: string; accessToken?: string }): Promise<BankResult<{ maxAmount: Tiyn; minAmount: Tiyn }>>;
  /** withdrawal hold; may wait for a trusted person's approval (8.15-1) */
  authoriseWithdrawal(input: { accessToken: string; productId: string; amount: Tiyn; idempotencyKey: string }): Promise<
    BankResult<{ holdId: string; commission: Tiyn; status: 'approved' | 'pendingApproval'; approvalId?: string }>
  >;
  approvalStatus(approvalId: string): Promise<{ status: 'pending' | 'approved' | 'refused' | 'expired' }>;
  /**
   * Starts a PIN change for the inserted card (its HMAC token, never the PAN). The customer sets
   * the new PIN in the bank's app or through its secure SMS link: no PIN ever reaches the kiosk.
   * Optional so that gateways without the service still satisfy the interface.
   */
  startPinChange?(input: { accessToken: string; sessionId: string; panToken: string }): Promise<
    BankResult<{ pinChangeId: string; channel: PinChangeChannel; expiresAt: number }>
  >;
  pinChangeStatus?(accessToken: string, pinChangeId: string): Promise<{ status: PinChangeStatus }>;
  /** the customer gave up at the terminal: the bank withdraws the app prompt / SMS link */
  cancelPinChange?(accessToken: string, pinChangeId: string): Promise<{ status: PinChangeStatus }>;
  /**
   * Service payment from the customer's product: a hold on amount + commission, which may wait for
   * a trusted person's approval (8.15-1). Completed or reversed later through the outbox.
   */
  authoriseServicePayment?(input: ServicePaymentAuthorisation): Promise<
    BankResult<{ holdId: string; commission: Tiyn; status: 'approved' | 'pendingApproval'; approvalId?: string }>
  >;
}

export interface ServicePaymentAuthorisation {
  accessToken: string;
  productId: string;
  serviceId: string;
  reference: string;
  amount: Tiyn;
  /** the commission the customer consented to */
  commission: Tiyn;
  idempotencyKey: string;
}

/**
 * Store-and-forward messages. The sync worker posts them in batches to /v1/messages; the bank
 * applies each key once and answers 'applied' or 'alreadyApplied' (both count as delivered) or
 * 'rejected' (business rejection -> dead letter).
 */
export type OutboxKind =
  | 'cashInCredit' | 'servicePayment' | 'servicePaymentReverse' | 'withdrawalComplete' | 'withdrawalReverse' | 'collection'
  | 'replenishment' | 'journalUpload' | 'receiptSms' | 'receiptPush'
  | 'terminalStatus' | 'deadLetterResolution';

export interface OutboxMessage {
  key: string; // terminalId + ':' + monotonic sequence; permanent identity
  kind: OutboxKind;
  body: Record<string, unknown>;
}

export interface DeliveryResult {
  key: string;
  status: 'applied' | 'alreadyApplied' | 'rejected';
  reason?: RefusalReason | string;
  /** a journal segment's answer: the head the bank holds anchored */
  anchoredHead?: { seq: number; hash: string };
}
