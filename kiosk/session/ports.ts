/**
 * Everything the customer session needs from the world, as narrow as the machine allows. The
 * runtime builds these from real drivers, the bank client and the SQLite store; tests build them
 * from fakes. The machine itself never sees a port: it invokes actors made from them (actors.ts).
 */
import type { BankApi } from '../bank/bank-api.js';
import type { Tiyn } from '../../domain/money.js';
import type { IdentificationMethod, Locale } from '../bridge/schema.js';
import type { CashAcceptor } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenser, DispensePlanItem, DispenseResult, PresentState } from '../../drivers/dispenser/cash-dispenser.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { CardReader } from '../../drivers/card-reader/card-reader.js';
import type { PalmScanner } from '../../drivers/palm/palm-scanner.js';
import type { MoneyStore } from '../store/money-store.js';

export type Awaitable<T> = T | Promise<T>;

/** Wall-clock time and timers; xstate's delayed transitions run on the same clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SessionTimeouts {
  /** customer inactivity on a screen before "more time?" */
  inactivityMs: number;
  /** how long the "more time?" prompt stays up */
  moreTimeMs: number;
  goodbyeMs: number;
  /** notes left in the presenter this long are retracted and the withdrawal reversed */
  takeCashMs: number;
  /** trusted-person approval (8.15-1) */
  approvalMs: number;
  approvalPollMs: number;
  qrPollMs: number;
  palmCaptureMs: number;
  cardRemoveMs: number;
  /** acceptor must report a stacked/returned note this long after the command */
  noteSettleMs: number;
  /** once notes are in the box, the longest the session waits for the bank (the tariff quote) before it goes on; the credit is queued either way */
  cashInBankWaitMs?: number;
  /** the longest the kiosk waits for a PIN change set in the app / SMS link (the bank's own expiry may be sooner) */
  pinChangeMs?: number;
  pinChangePollMs?: number;
  /** how often the idle palm scanner is asked whether a hand is over it */
  palmPresencePollMs?: number;
}

export interface SessionConfig {
  terminalId: string;
  localeDefault: Locale;
  identificationMethods: IdentificationMethod[];
  timeouts: SessionTimeouts;
  /** what may be accepted while the bank is unreachable (per payment, and all queued offline) */
  offlineCaps: { perPayment: Tiyn; total: Tiyn };
  acceptedDenominations: Tiyn[];
  withdrawal: { presets: Tiyn[]; multipleOf: Tiyn; max: Tiyn };
  otpLength: number;
  /** false where no SMS path for receipts exists: the option is then not offered */
  smsReceipts?: boolean;
  /** the card reader the card prompt describes: a magnetic-stripe swipe reader or a motorised chip reader (default swipe) */
  cardReader?: 'swipe' | 'motorised';
}

export const defaultTimeouts: SessionTimeouts = {
  inactivityMs: 45_000,
  moreTimeMs: 15_000,
  goodbyeMs: 4_000,
  takeCashMs: 30_000,
  approvalMs: 120_000,
  approvalPollMs: 2_000,
  qrPollMs: 2_000,
  palmCaptureMs: 15_000,
  cardRemoveMs: 30_000,
  noteSettleMs: 10_000,
  cashInBankWaitMs: 10_000,
  pinChangeMs: 180_000,
  pinChangePollMs: 2_000,
  palmPresencePollMs: 300,
};

/** Where a cash-in goes. Walk-up service payments carry the service and the reference. */
export type CashInTarget =
  | { kind: 'account' | 'wallet' | 'loan'; customerId: string; productId: string; label: string }
  | { kind: 'service'; serviceId: string; reference: string; label: string; customerId?: string };

export interface OpenCashIn {
  cashInId: string;
  sessionId: string;
  status: 'active' | 'unknown';
  stacked: Tiyn[];
  /** intents recorded but neither stacked nor returned: the note's fate is not yet known */
  pendingIntents: Array<{ noteId: number; denomination: Tiyn }>;
}

export interface OpenWithdrawal {
  withdrawalId: string;
  holdId: string;
  stage: 'authorised' | 'dispensing' | 'dispensed' | 'presented' | 'unknown';
  amount: Tiyn;
}

/**
 * The MoneyStore operations the session uses. A note's identity is the store's own: the row id
 * `recordStackIntent` returns (committed before the acceptor is told to stack, money invariant 1)
 * is the one `recordStacked` / `recordReturned` settle, so these come from the store's interface.
 */
export interface SessionStore extends Pick<MoneyStore, 'recordStackIntent' | 'recordStacked' | 'recordReturned'> {
  beginCashIn(input: { sessionId: string; target: CashInTarget; offline: boolean }): Awaitable<{ cashInId: string }>;
  /** closes the cash-in and puts the payment message in the outbox, durably */
  endCashIn(cashInId: string, input: { commission: Tiyn; receiptPhone?: string }): Awaitable<{ receiptNumber: string }>;
  openCashIns(): Awaitable<OpenCashIn[]>;
  recordWithdrawalAuthorised(input: {
    sessionId: string;
    holdId: string;
    customerId: string;
    productId: string;
    amount: Tiyn;
    commission: Tiyn;
  }): Awaitable<{ withdrawalId: string }>;
  recordDispensing(withdrawalId: string, plan: readonly DispensePlanItem[]): Awaitable<void>;
  recordDispensed(withdrawalId: string, result: DispenseResult): Awaitable<void>;
  recordPresented(withdrawalId: string, state: PresentState): Awaitable<void>;
  /** the customer took the notes: completion message in the outbox */
  recordTaken(withdrawalId: string): Awaitable<{ receiptNumber: string }>;
  /** notes taken back into the device from the presenter (before the reversal) */
  recordRetracted(withdrawalId: string): Awaitable<void>;
  reverseWithdrawal(withdrawalId: string, reason: string): Awaitable<{ receiptNumber?: string }>;
  openWithdrawals(): Awaitable<OpenWithdrawal[]>;
  /*
   * Service payment from an account (optional: a store without them offers cash only). The record
   * is written before the bank is asked; completion puts the debit in the outbox; reversal
   * releases the hold, by the authorisation key when the bank's answer was lost.
   */
  beginAccountPayment?(input: AccountPaymentRecordInput): Awaitable<{ paymentId: string }>;
  recordAccountPaymentAuthorised?(paymentId: string, input: { holdId: string; commission: Tiyn }): Awaitable<void>;
  recordAccountPaymentRefused?(paymentId: string, reason: string): Awaitable<void>;
  completeAccountPayment?(paymentId: string): Awaitable<{ receiptNumber: string }>;
  reverseAccountPayment?(paymentId: string, reason: string): Awaitable<{ receiptNumber?: string }>;
  /** sum of what was accepted while offline and not yet delivered (offline total cap) */
  offlineQueuedTotal(): Awaitable<Tiyn>;
  /**
   * Journals how a PIN change ended (audit trail, bank rules 8.27); a completed change gets a
   * receipt number. Masked card only: the PIN never reaches the kiosk.
   */
  recordPinChange?(input: PinChangeRecord): Awaitable<{ receiptNumber?: string }>;
}

/** what the store keeps of a payment from an account before the bank is asked */
export interface AccountPaymentRecordInput {
  sessionId: string;
  customerId: string;
  productId: string;
  label: string;
  serviceId: string;
  serviceName: string;
  reference: string;
  amount: Tiyn;
  commission: Tiyn;
  authorisationKey: string;
}

export interface PinChangeRecord {
  sessionId: string;
  customerId: string;
  maskedPan: string;
  pinChangeId: string;
  channel: 'push' | 'sms';
  outcome: 'done' | 'failed' | 'expired' | 'cancelled';
}

/** Turns an amount into cassette picks, or says the cassettes cannot make it. */
export interface NotePlanner {
  plan(amount: Tiyn): DispensePlanItem[] | undefined;
}

/** Receipt delivery: printing renders the journal's receipt; SMS goes through the bank. */
export interface ReceiptDelivery {
  /** `phone`: the phone the customer identified with; a print lost to a crash goes there by SMS */
  print(receiptNumber: string, locale: Locale, options?: { phone?: string }): Promise<{ ok: true } | { ok: false; failure: string }>;
  /** queues the journal's receipt as text for the phone; `locale` is the session's language */
  sms(receiptNumber: string, phoneE164: string, locale?: Locale): Promise<{ ok: boolean }>;
  /** queues the journal's receipt as text for the customer's bank app (absent: no push path) */
  push?(receiptNumber: string, customerId: string, locale?: Locale): Promise<{ ok: boolean }>;
}

/** The technician's side (kiosk/service-mode implements it; every call is audited there). */
export type ServiceLoginOutcome =
  | { ok: true; technician: string; view?: Record<string, unknown> }
  | { ok: false; reason?: 'switchClosed' | 'wrongPin' | 'locked'; lockedUntil?: string };

export interface ServiceModePort {
  /** `userId` absent: the shared development code (refused unless configured) */
  login(code: string, userId?: string): Promise<ServiceLoginOutcome>;
  perform(technician: string, action: string, params?: Record<string, string | number>): Promise<Record<string, unknown>>;
}

export interface SessionDevices {
  cashAcceptor?: CashAcceptor;
  dispenser?: CashDispenser;
  printer?: ReceiptPrinter;
  cardReader?: CardReader;
  palm?: PalmScanner;
}

export interface SessionPorts {
  bank: BankApi;
  store: SessionStore;
  devices: SessionDevices;
  planner: NotePlanner;
  receipts: ReceiptDelivery;
  service: ServiceModePort;
  clock: Clock;
  config: SessionConfig;
}
