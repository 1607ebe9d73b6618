/**
 * The session machine's context, events and the inputs/outputs of the actors it invokes. Events
 * from the UI carry the bridge intent's name and payload; device and bank events are namespaced
 * `device.*`. An OTP is carried only by the `submitOtp` event into the verifying actor's input:
 * it never enters the context, so it never reaches a snapshot, a log or a row.
 */
import type { z } from 'zod';
import type { AccountPaymentRecordInput } from './ports.js';
import type { IdentifyOutcome, IdentifyQuery, Narrowing, PinChangeChannel, PinChangeStatus, ProductView, Quote, RefusalReason, ServiceView } from '../bank/bank-api.js';
import type { Tiyn } from '../../domain/money.js';
import type { Devices, ErrorCode, IdentificationMethod, Intent, Locale, NoteEvent, Operation, ReceiptChoice } from '../bridge/schema.js';
import type { RejectReason } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { PalmGuidance } from '../../drivers/palm/palm-scanner.js';
import type { PresentState } from '../../drivers/dispenser/cash-dispenser.js';
import type { CashInTarget } from './ports.js';

type PayloadOf<P> = [keyof NonNullable<P>] extends [never] ? unknown : string extends keyof NonNullable<P> ? unknown : NonNullable<P>;
type IntentEvent<I> = I extends { name: infer N; payload?: infer P } ? { type: N } & PayloadOf<P> : never;
/** every bridge intent as a machine event: `{ type: name, ...payload }` */
export type UiEvent = IntentEvent<Intent>;

export interface CardOnSession {
  maskedPan: string;
  panToken: string;
  /** the bank said at identification that this card's product allows a PIN change */
  pinChange?: boolean;
}

export type DeviceEvent =
  | { type: 'device.cardInserted'; card: CardOnSession }
  | { type: 'device.cardReadError'; error: 'badLrc' | 'unreadable' | 'notBankCard' | 'expired' }
  | { type: 'device.cardRemoved' }
  | { type: 'device.noteEscrow'; denomination: Tiyn }
  | { type: 'device.noteStacked'; denomination: Tiyn }
  | { type: 'device.noteReturned'; denomination: Tiyn }
  | { type: 'device.noteRejected'; reason: RejectReason }
  | { type: 'device.acceptorFailure'; code: string }
  | { type: 'device.cashTaken' }
  | { type: 'device.palmGuidance'; guidance: PalmGuidance }
  | { type: 'device.health'; devices: Partial<Devices> }
  | { type: 'device.serviceSwitch'; open: boolean }
  /** a technician took the terminal out of service for customers, or back (kiosk/service-mode/out-of-service.ts) */
  | { type: 'terminal.outOfService'; on: boolean };

/** raised by the machine itself */
export type InternalEvent =
  | { type: 'session.activity' }
  | { type: 'session.busy' }
  | { type: 'session.timeout' }
  /** a running flow's report for the log, which the parent emits */
  | { type: 'session.report'; report: SessionEmitted }
  /** a running flow found the bank unreachable: every screen shows it */
  | { type: 'session.bankOffline' }
  /** identification took a card inserted on its card screen: the parent owns it from then on */
  | { type: 'session.card'; card: CardOnSession };

export type SessionEvent = UiEvent | DeviceEvent | InternalEvent;

export interface OtpView {
  sentTo: string;
  /** where the bank sent the code (8.11); absent: SMS */
  channel?: 'sms' | 'push';
  expiresAt: number;
  resendAt: number;
  attemptsLeft?: number;
}

export interface CashInView {
  target: CashInTarget;
  cashInId?: string;
  notes: Array<z.infer<typeof NoteEvent>>;
  total: Tiyn;
  commission: Tiyn;
  /** the commission the customer last saw on screen before consenting (5.5); absent: none shown */
  shownCommission?: Tiyn;
  /** the customer pressed "finish and credit" on the cash-in screen (their consent to its figures) */
  finishPressed?: boolean;
  max: Tiyn;
  min: Tiyn;
  offline: boolean;
  acceptor: 'starting' | 'accepting' | 'escrow' | 'stacking' | 'idle' | 'disabled' | 'failed';
  /** the note in escrow being decided */
  pending?: { denomination: Tiyn; noteId?: number; reason?: string };
}

export interface WithdrawalView {
  productId: string;
  amount?: Tiyn;
  commission?: Tiyn;
  holdId?: string;
  approvalId?: string;
  approvalDeadline?: number;
  withdrawalId?: string;
  status?: 'approved' | 'pendingApproval';
  stage: 'choose' | 'authorising' | 'dispensing' | 'presented' | 'taken' | 'retracted' | 'failed';
  reverseReason?: string;
  /** epoch ms the notes must be taken by (the take-cash screen's countdown) */
  takeBy?: number;
  /** paid out by a dispenser without a presenter: the notes left at its exit, nothing can take them back */
  atExit?: boolean;
}

/** a service payment from the customer's product (the account path of payService) */
export interface AccountPaymentView {
  productId: string;
  label: string;
  amount?: Tiyn;
  commission?: Tiyn;
  paymentId?: string;
  approvalId?: string;
  approvalDeadline?: number;
  status?: 'approved' | 'pendingApproval';
  stage: 'amount' | 'confirm' | 'authorising' | 'approval' | 'completing' | 'complete' | 'reversed';
}

export interface ReceiptView {
  number?: string;
  options: ReceiptChoice[];
  status: 'choosing' | 'printing' | 'printed' | 'sent' | 'failed' | 'none';
  smsTo?: string;
  /** how an electronic receipt went: SMS to `smsTo`, or push to the customer's bank app */
  channel?: 'sms' | 'push';
  /** what the operation did, told before the receipt question */
  outcome?: OperationOutcome;
}

/** the operation the receipt is for, as the outcome screen tells it */
export interface OperationOutcome {
  operation: Operation;
  amount: Tiyn;
  commission: Tiyn;
  /** where the money went or came from: a product (kind and label) or a service */
  target?: { kind: 'current' | 'savings' | 'loan' | 'wallet' | 'service'; label: string };
  /** a stock dispenser: the notes were paid out at its exit */
  atExit?: boolean;
}

/**
 * The parent machine's context. The operation views (`pinChange`, `cashIn`, `withdrawal`,
 * `accountPayment`, `quote`) are the finished flow's output, kept for the outcome and receipt
 * screens until the menu clears them; while a flow runs, the same names in its own context are the
 * live ones (flow-view.ts `sessionContext` overlays them).
 */
export interface SessionContext {
  sessionId: string;
  /** counts money operations in the session, for idempotency keys */
  seq: number;
  locale: Locale;
  devices: Devices;
  identificationMethods: IdentificationMethod[];
  servicePending: boolean;
  /** out of service by a technician's toggle: customers see the out-of-service screen until it is lifted */
  closedByTechnician?: boolean;
  card?: CardOnSession;
  /** who identification signed in (identification-machine.ts hands it over) */
  customer?: { id: string; maskedName: string; hasApp?: boolean };
  /** the phone the customer identified by, where a receipt whose print is lost is sent; never in a snapshot */
  customerPhone?: string;
  access?: { token: string; expiresAt: number };
  products?: ProductView[];
  operation?: Operation;
  productId?: string;
  balance?: { productId: string; recent: Array<{ at: string; description: string; amount: number }> };
  /** the session was started by a hand presented on the attract screen: go straight to palm identification */
  palmAttract?: boolean;
  /** the PIN change the flow ended with (pin-change-machine.ts); the PIN itself never reaches the kiosk */
  pinChange?: { id: string; channel: PinChangeChannel; deadline: number; status: 'waiting' | PinChangeOutcome };
  services?: ServiceView[];
  service?: { id: string; name: string; reference?: string; beneficiary?: string };
  walkIn: boolean;
  /** receipts by SMS can be offered on this terminal */
  smsReceipts: boolean;
  cashIn?: CashInView;
  withdrawal?: WithdrawalView;
  accountPayment?: AccountPaymentView;
  quote?: Quote;
  receipt?: ReceiptView;
  error?: { code: ErrorCode; params?: Record<string, string | number> };
  deadline?: number;
  moreTimeUntil?: number;
}

/* ---- actor inputs and outputs ---- */

export type BankOutcome<T> = ({ ok: true } & T) | { ok: false; reason: RefusalReason; params?: Record<string, string | number>; attemptsLeft?: number };

export interface IdentifyInput {
  sessionId: string;
  method: IdentificationMethod;
  query: IdentifyQuery;
  narrowing?: Narrowing;
}
export type PalmOutcome = IdentifyOutcome | { ok: false; reason: 'palmLiveness' | 'palmTimeout' | 'palmNotRecognised' | 'deviceFailure' };
export type QrPollOutcome = IdentifyOutcome | { ok: true; status: 'pending' };
export type OtpRequestOutcome = BankOutcome<{ sentTo: string; expiresAt: number; resendAt: number; channel?: 'sms' | 'push' }>;
export type OtpVerifyOutcome = BankOutcome<{ accessToken: string; expiresAt: number }>;
export type PrecheckOutcome = BankOutcome<{ maxAmount: Tiyn; minAmount: Tiyn; offline: boolean }>;
export type AuthoriseOutcome = BankOutcome<{ holdId: string; commission: Tiyn; status: 'approved' | 'pendingApproval'; approvalId?: string }>;
/** the hold for a payment from an account; `paymentId` is the store's record (kept even when refused) */
export type AccountPaymentAuthoriseOutcome =
  | { ok: true; paymentId: string; commission: Tiyn; status: 'approved' | 'pendingApproval'; approvalId?: string }
  | { ok: false; reason: RefusalReason | 'bankOffline'; params?: Record<string, string | number> };
/** the record's fields, with the bank's access token; the record's authorisation key is this idempotency key */
export interface AccountPaymentAuthoriseInput extends Omit<AccountPaymentRecordInput, 'authorisationKey'> {
  accessToken: string;
  idempotencyKey: string;
}
export type DispenseOutcome = { ok: true } | { ok: false; reason: string; anyDispensed: boolean };
/** `atExit`: a dispenser without a presenter; the notes counted at its exit are the customer's already */
export type PresentOutcome = PresentState | 'atExit';
export type PinChangeStartOutcome = BankOutcome<{ pinChangeId: string; channel: PinChangeChannel; expiresAt: number }>;
/** how a PIN change ended, as the journal records it */
export type PinChangeOutcome = 'done' | 'failed' | 'expired' | 'cancelled';
export type { PinChangeStatus };
export type PrintOutcome = { ok: true } | { ok: false; failure: string };

/** what the machine reports to its runtime besides its state (for the log) */
export type SessionEmitted = { type: 'noteMismatch'; cashInId: string; expected: Tiyn; reported: Tiyn };

/**
 * Facts about a state that the world outside the machine may ask (`snapshot.hasTag`), so it never
 * reads state names:
 * - `inCashIn`: the session runs a cash-in (a note in escrow may be its customer's);
 * - `holdsNote`: the session records, stacks or settles the current note's intent itself;
 * - `awaitsNoteWord`: the session waits for the acceptor's stacked / returned word, so the next one is its own.
 */
export type SessionTag = 'inCashIn' | 'holdsNote' | 'awaitsNoteWord';
