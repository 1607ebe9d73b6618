/**
 * The bridge: the one typed contract between the kiosk core and any UI (Electron preload or the
 * web shell's WebSocket). Every message that crosses it is checked against these schemas on the
 * receiving side. Extend it, never break it: new fields are optional, new names are additive.
 *
 * Money is integer minor units (tiyn) everywhere. No schema here may ever carry an OTP, a PAN,
 * track data, a PIN or a biometric template.
 */
import { z } from 'zod';
import { IdentificationMethodSchema, OperationSchema, TiynSchema } from '../../domain/schemas.js';
import { LOCALES } from '../../domain/locales.js';

export const BRIDGE_PROTOCOL = 1;

export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

/** Integer tiyn, never negative. */
export const Tiyn = TiynSchema;

export const IdentificationMethod = IdentificationMethodSchema;
export type IdentificationMethod = z.infer<typeof IdentificationMethod>;

export const Operation = OperationSchema;
export type Operation = z.infer<typeof Operation>;

/** `push`: to the customer's bank app, offered only to customers the bank says have it */
export const ReceiptChoice = z.enum(['print', 'sms', 'none', 'push']);
export type ReceiptChoice = z.infer<typeof ReceiptChoice>;

/** One screen per session state the customer can see. The renderer maps each to a component. */
export const Screen = z.enum([
  'attract', // idle, languages, touch to start
  'outOfService',
  'pleaseWait', // core busy/restarting, bank call in flight
  'start', // what to do: identify, or pay a service in cash without identification
  'identifyMethod',
  'phoneEntry',
  'iinEntry',
  'cardInsert',
  'palmScan',
  'qrLogin',
  'disambiguate', // several clients match: birth date or personal digital code
  'otpEntry',
  'operations',
  'productSelect', // which account / wallet / loan
  'balance',
  'serviceCatalogue',
  'serviceReference', // customer reference for a service (phone, account number)
  'paymentSource', // pay a service in cash or from one of the customer's products
  'cashIn', // live running total, notes accepted/returned
  'amountEntry', // withdrawal / payment-from-account amount
  'confirm', // amount, commission and total before consent (bank rules 5.5)
  'approvalWait', // trusted-person pre-approval (8.15-1)
  'pinChangeWait', // the customer sets the new PIN in the bank's app or secure SMS link; countdown and cancel
  'dispensing',
  'takeCash',
  'outcome', // what the operation did (amount, where), before the receipt question
  'receiptChoice',
  'receiptPhone',
  'printing',
  'refusal', // error.code says why; what to do next
  'goodbye',
  'serviceLogin',
  'serviceMenu',
]);
export type Screen = z.infer<typeof Screen>;

export const DeviceHealth = z.enum(['ok', 'degraded', 'offline', 'absent']);
export const Devices = z.object({
  cashAcceptor: DeviceHealth,
  dispenser: DeviceHealth,
  printer: DeviceHealth,
  cardReader: DeviceHealth,
  palm: DeviceHealth,
  bank: z.enum(['online', 'offline']),
});
export type Devices = z.infer<typeof Devices>;

/** Reasons shown to the customer (bank rules 10.1, 5.7) and technical failures. */
export const ErrorCode = z.enum([
  'notIdentified',
  'notFound',
  'ambiguous',
  'blocked',
  'restricted',
  'insufficientFunds',
  'aboveMaxTopUp',
  'belowMinimum',
  'limitExceeded',
  'notAuthorised',
  'currencyMismatch',
  'amlRefused',
  'approvalRefused',
  'approvalTimeout',
  'invalidIin',
  'invalidPhone',
  'invalidReference',
  'invalidAmount',
  'otpWrong',
  'otpLocked',
  'otpExpired',
  'consentWithdrawn', // palm-vein consent withdrawn (8.15): use another method
  'palmNotRecognised',
  'palmLiveness',
  'palmTimeout',
  'cardUnreadable',
  'notBankCard',
  'walletNoCash', // e-money cannot be withdrawn as cash (ch.4 item 9)
  'bankOffline',
  'offlineCapExceeded',
  'deviceFailure',
  'printerUnavailable',
  'noteReturned',
  'cashNotTaken',
  'timeout',
  'internal',
  'pinChangeNotAllowed', // the card's product does not allow a PIN change at a terminal
  'pinChangeFailed', // the customer did not set a new PIN in the app / link
  'pinChangeTimeout', // the app / link was not finished in time
  'serviceLocked', // service entry locked after repeated wrong PINs (params.until)
  'serviceSwitchClosed', // a PIN alone never opens service mode: the cabinet's service switch must be open
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const Params = z.record(z.string(), z.union([z.string(), z.number()]));

export const Product = z.object({
  id: z.string().max(64),
  kind: z.enum(['current', 'savings', 'loan', 'wallet']),
  label: z.string().max(80), // masked number or product name, never a full account/card number
  currency: z.literal('KZT'),
  balance: Tiyn.optional(),
  available: Tiyn.optional(),
  dueAmount: Tiyn.optional(), // loans
});

export const Service = z.object({
  id: z.string().max(64),
  category: z.string().max(40),
  name: z.string().max(80),
  referenceKind: z.enum(['phone', 'account']),
  min: Tiyn,
  max: Tiyn,
});

export const NoteEvent = z.object({
  denomination: Tiyn,
  status: z.enum(['escrow', 'stacked', 'returned', 'rejected']),
  reason: z.string().max(40).optional(),
});

/**
 * Service mode: what the core answers an action with (`snapshot.service.view`). The entry screens
 * (receipt look-up, collection, replenishment) are driven by `stage`; anything the technician typed
 * travels back as integers in `serviceAction.params`. Other actions' answers stay free-form.
 */
export const ServiceRefusal = z.enum([
  'unknownReceipt', // no receipt with that number on this terminal
  'badNumber', // a receipt number that cannot be one
  'badCount', // a count that is not a whole number of notes
  'overCapacity', // more notes than a cassette holds
  'nothingLoaded', // a replenishment with no cassette
  'unknownCassette',
  'notPermitted', // the logged-in person's role does not allow the action
  // a withdrawal left for the technician (open-withdrawals.ts)
  'unknownWithdrawal',
  'alreadySettled', // completed or reversed before
  'notLeftForTechnician', // its state is not one reconciliation leaves to a person
  'heldBySession', // a live customer session works on it
  'commentRequired', // the decision needs a written comment
  'commentHoldsCardNumber', // a comment (journaled, sent to the bank) may not hold a card number
  'badDecision',
]);
export type ServiceRefusal = z.infer<typeof ServiceRefusal>;

const CashUnitName = z.string().regex(/^(cashBox|reject|retract|presenter|cassette:[0-9])$/);
export const ServiceCashUnit = z.object({
  unit: CashUnitName,
  denomination: Tiyn,
  /** what the counter says (collection, before) or the notes loaded (replenishment, after) */
  count: z.number().int(),
  counted: z.number().int().nonnegative().optional(),
  removed: z.number().int().nonnegative().optional(),
});
export const ServiceDiscrepancy = z.object({
  unit: CashUnitName,
  denomination: Tiyn,
  counter: z.number().int(),
  counted: z.number().int().nonnegative(),
  difference: z.number().int(),
});
/** a slip printed after a collection or replenishment, or a receipt copy: did it come out */
const PrintOutcome = z.object({ printed: z.boolean(), failure: z.string().max(80).optional() });
const Refused = z.object({ code: ServiceRefusal, key: z.string().max(40).optional() });

export const ServiceLookupView = z.object({
  action: z.literal('lookupReceipt'),
  stage: z.enum(['enter', 'found']),
  /** what was typed, on a refusal */
  typed: z.string().max(40).optional(),
  refusal: Refused.optional(),
  receiptNumber: z.string().max(40).optional(),
  operation: z.string().max(40).optional(),
  at: z.string().max(40).optional(),
  /** the receipt as it reads on paper (masked card only), one entry per line */
  lines: z.array(z.string().max(64)).max(120).optional(),
  /** the bank's side: queued, delivered or dead-lettered */
  delivery: z.enum(['pending', 'delivered', 'deadLetter']).optional(),
  copy: PrintOutcome.optional(),
  printerUsable: z.boolean().optional(),
});
/**
 * Receipts the customer may not have: prints the core died in (`lost`) or the printer failed
 * (`failed`), with the SMS sent instead if any; `reprint` is the outcome of printing one as a
 * marked copy. `mayReprint`: the person's role may print receipt copies.
 */
export const ServiceLostReceiptsView = z.object({
  action: z.literal('lostReceipts'),
  receipts: z
    .array(
      z.object({
        receiptNumber: z.string().max(40),
        operation: z.string().max(40),
        state: z.enum(['lost', 'failed']),
        startedAt: z.string().max(40),
        failure: z.string().max(200).optional(),
        /** the receipt sent by SMS instead: where that message is */
        sms: z.enum(['pending', 'delivered', 'deadLetter']).optional(),
      }),
    )
    .max(50),
  reprint: PrintOutcome.extend({ receiptNumber: z.string().max(40) }).optional(),
  refusal: Refused.optional(),
  printerUsable: z.boolean(),
  mayReprint: z.boolean(),
});
/**
 * Withdrawals start-up reconciliation left for the technician, with what it knew (`notCounted`:
 * the dispense never answered; `neverPresented` / `perhapsPresented`: counted into the presenter),
 * the dispenser's counters now, and the outcome of the last decision on one (`received`: debited;
 * `notDispensed`: hold released).
 */
export const ServiceOpenWithdrawalsView = z.object({
  action: z.literal('openWithdrawals'),
  withdrawals: z
    .array(
      z.object({
        withdrawalId: z.string().max(64),
        amount: Tiyn,
        commission: Tiyn,
        authorisedAt: z.string().max(40),
        /** the product's masked label as the session showed it, never a card number */
        label: z.string().max(80).optional(),
        state: z.enum(['dispensing', 'dispensed']),
        known: z.enum(['notCounted', 'neverPresented', 'perhapsPresented']),
        notesCounted: z.number().int().nonnegative(),
        dispensedAmount: Tiyn,
      }),
    )
    .max(50),
  counters: z.array(z.object({ unit: CashUnitName, denomination: Tiyn, count: z.number().int() })).max(32),
  decision: z
    .object({
      withdrawalId: z.string().max(64),
      decision: z.enum(['received', 'notDispensed']),
      receiptNumber: z.string().max(40),
      amount: Tiyn,
      slip: PrintOutcome,
    })
    .optional(),
  refusal: Refused.optional(),
  printerUsable: z.boolean(),
});
export const ServiceCollectView = z.object({
  action: z.literal('collect'),
  stage: z.enum(['count', 'done']),
  units: z.array(ServiceCashUnit).max(32),
  receiptNumber: z.string().max(40).optional(),
  total: Tiyn.optional(),
  discrepancies: z.array(ServiceDiscrepancy).max(32).optional(),
  refusal: Refused.optional(),
  slip: PrintOutcome.optional(),
  printerUsable: z.boolean().optional(),
});
export const ServiceReplenishView = z.object({
  action: z.literal('replenish'),
  stage: z.enum(['enter', 'done']),
  /** most notes one cassette holds */
  capacity: z.number().int().positive(),
  /** enter: each cassette's denomination and counter; done: what was loaded */
  cassettes: z.array(z.object({ cassette: z.number().int().nonnegative(), denomination: Tiyn, count: z.number().int(), removed: z.number().int().nonnegative().optional() })).max(8),
  receiptNumber: z.string().max(40).optional(),
  discrepancies: z.array(ServiceDiscrepancy).max(8).optional(),
  refusal: Refused.optional(),
  slip: PrintOutcome.optional(),
});
/** the other actions' answers (diagnostics, counters, journal check ...), free-form */
export const ServiceOtherView = z
  .object({
    action: z.enum([
      'diagnostics', 'cashUnits', 'testPrint', 'resetDevice', 'deadLetters', 'resolveDeadLetter', 'printDeadLetter', 'verifyJournal', 'exit',
      'testAcceptor', 'testDispense', 'testCardRead', 'testPalm', 'testPresenter', 'outOfService', 'configuration', 'exportLogs',
    ]),
  })
  .catchall(z.unknown());
/** an action the logged-in person's role does not allow (checked in the core) */
export const ServiceDeniedView = z.object({
  action: z.string().max(40),
  denied: z.literal(true),
  refusal: z.object({ code: z.literal('notPermitted'), roles: z.array(z.enum(['technician', 'collector'])).max(2).optional() }),
});
/** the answer to a successful login: who, and which actions the menu offers */
export const ServiceLoginView = z.object({
  action: z.literal('login'),
  person: z.object({ id: z.string().max(32), roles: z.array(z.enum(['technician', 'collector'])).max(2), name: z.string().max(64).optional() }),
  permitted: z.array(z.string().max(40)).max(40),
});
export const ServiceModeView = z.union([ServiceDeniedView, ServiceLoginView, ServiceLookupView, ServiceLostReceiptsView, ServiceOpenWithdrawalsView, ServiceCollectView, ServiceReplenishView, ServiceOtherView]);
export type ServiceModeView = z.infer<typeof ServiceModeView>;

export const Snapshot = z.object({
  state: z.string().max(200), // the session machine's state value, dotted
  screen: Screen,
  locale: Locale,
  /** epoch ms when the current screen's inactivity timer ends */
  deadline: z.number().int().optional(),
  /** "more time?" prompt is up; ends at this epoch ms */
  moreTimeUntil: z.number().int().optional(),
  customer: z.object({ maskedName: z.string().max(80) }).optional(),
  identificationMethods: z.array(IdentificationMethod).optional(),
  operations: z.array(Operation),
  input: z
    .object({
      kind: z.enum(['phone', 'iin', 'birthDate', 'personalCode', 'otp', 'amount', 'reference', 'receiptPhone']),
      attemptsLeft: z.number().int().nonnegative().optional(),
      resendAt: z.number().int().optional(), // epoch ms when "resend code" becomes possible
      sentTo: z.string().max(40).optional(), // masked phone the OTP went to
      channel: z.enum(['sms', 'push']).optional(), // where the bank sent the OTP (8.11); absent: SMS
      maxLength: z.number().int().positive().optional(),
    })
    .optional(),
  disambiguateBy: z.array(z.enum(['birthDate', 'personalCode'])).optional(),
  qr: z.object({ payload: z.string().max(512), expiresAt: z.number().int() }).optional(),
  palm: z.object({ guidance: z.enum(['placeHand', 'holdStill', 'moveCloser', 'moveAway', 'processing']) }).optional(),
  products: z.array(Product).optional(),
  balance: z
    .object({
      productId: z.string(),
      balance: Tiyn,
      available: Tiyn,
      recent: z.array(z.object({ at: z.string(), description: z.string().max(80), amount: z.number().int() })),
    })
    .optional(),
  services: z.array(Service).optional(),
  /** how a service may be paid (paymentSource screen): in cash, and/or from these products */
  paymentSources: z.object({ cash: z.boolean(), products: z.array(Product) }).optional(),
  /** a service payment from a product: what it is paid from and the service's limits (amount entry) */
  payment: z
    .object({
      source: z.object({ kind: z.enum(['current', 'savings', 'loan', 'wallet']), label: z.string().max(80), available: Tiyn.optional() }),
      min: Tiyn,
      max: Tiyn,
    })
    .optional(),
  selectedService: z
    .object({
      id: z.string(),
      name: z.string(),
      reference: z.string().max(40).optional(),
      /** how the reference is typed (phone mask or account digits); the catalogue is not resent on that screen */
      referenceKind: z.enum(['phone', 'account']).optional(),
    })
    .optional(),
  cashIn: z
    .object({
      target: z.object({
        kind: z.enum(['account', 'wallet', 'loan', 'service']),
        label: z.string().max(80),
        /** an account's product kind, so the screen can name it in its language */
        productKind: z.enum(['current', 'savings', 'loan', 'wallet']).optional(),
      }),
      notes: z.array(NoteEvent),
      total: Tiyn,
      commission: Tiyn,
      max: Tiyn,
      acceptedDenominations: z.array(Tiyn),
      acceptor: z.enum(['starting', 'accepting', 'escrow', 'stacking', 'idle', 'disabled', 'failed']),
      offline: z.boolean().optional(),
    })
    .optional(),
  withdrawal: z
    .object({
      presets: z.array(Tiyn),
      multipleOf: Tiyn,
      max: Tiyn,
      stage: z.enum(['choose', 'authorising', 'dispensing', 'presented', 'taken', 'retracted', 'failed']),
      /** paid out by a dispenser without a presenter: the notes are at its exit and already the customer's */
      atExit: z.literal(true).optional(),
      /** the amount being paid out (take-cash screen) */
      amount: Tiyn.optional(),
      /** epoch ms the notes must be taken by (take-cash screen's countdown) */
      takeBy: z.number().int().optional(),
    })
    .optional(),
  /** shown before consent (bank rules 5.5) */
  quote: z.object({ operation: Operation, amount: Tiyn, commission: Tiyn, total: Tiyn }).optional(),
  approval: z.object({ deadline: z.number().int() }).optional(),
  /** PIN change: set on the customer's phone (push to the app or secure SMS link), never on this screen */
  pinChange: z.object({ channel: z.enum(['push', 'sms']), deadline: z.number().int(), status: z.enum(['waiting', 'done']) }).optional(),
  /** attract screen: the palm scanner is watching for a hand (presenting one means consent, 8.15) */
  attract: z.object({ palm: z.boolean() }).optional(),
  receipt: z
    .object({
      number: z.string().max(40).optional(),
      options: z.array(ReceiptChoice),
      status: z.enum(['choosing', 'printing', 'printed', 'sent', 'failed', 'none']),
      smsTo: z.string().max(40).optional(), // masked
      channel: z.enum(['sms', 'push']).optional(), // how an electronic receipt went
    })
    .optional(),
  /** what the operation did (outcome screen); `target.label` is the bank's label, the screen names the kind */
  outcome: z
    .object({
      operation: Operation,
      amount: Tiyn,
      commission: Tiyn,
      target: z.object({ kind: z.enum(['current', 'savings', 'loan', 'wallet', 'service']), label: z.string().max(80) }).optional(),
      atExit: z.literal(true).optional(),
    })
    .optional(),
  /** card prompt: the reader is a magnetic-stripe swipe reader or a motorised (chip) reader */
  cardReader: z.enum(['swipe', 'motorised']).optional(),
  error: z.object({ code: ErrorCode, params: Params.optional() }).optional(),
  devices: Devices,
  /** service mode view; present only on service screens */
  service: z.record(z.string(), z.unknown()).optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

const empty = z.object({}).strict().optional();
const digits = (min: number, max: number) => z.string().regex(new RegExp(`^[0-9]{${min},${max}}$`));

/** UI -> core. Each intent's payload is validated before the core sees it. */
export const Intent = z.discriminatedUnion('name', [
  z.object({ name: z.literal('start'), payload: empty }),
  z.object({ name: z.literal('setLocale'), payload: z.object({ locale: Locale }).strict() }),
  z.object({ name: z.literal('chooseIdentification'), payload: z.object({ method: IdentificationMethod }).strict() }),
  z.object({ name: z.literal('payWithoutIdentification'), payload: empty }),
  z.object({ name: z.literal('submitPhone'), payload: z.object({ phone: z.string().regex(/^\+?[0-9]{10,12}$/) }).strict() }),
  z.object({ name: z.literal('submitIin'), payload: z.object({ iin: digits(12, 12) }).strict() }),
  z.object({ name: z.literal('submitBirthDate'), payload: z.object({ birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict() }),
  z.object({ name: z.literal('submitPersonalCode'), payload: z.object({ code: digits(4, 8) }).strict() }),
  z.object({ name: z.literal('submitOtp'), payload: z.object({ code: digits(4, 8) }).strict() }),
  z.object({ name: z.literal('resendOtp'), payload: empty }),
  z.object({ name: z.literal('chooseOperation'), payload: z.object({ operation: Operation }).strict() }),
  z.object({ name: z.literal('selectProduct'), payload: z.object({ productId: z.string().max(64) }).strict() }),
  z.object({ name: z.literal('selectService'), payload: z.object({ serviceId: z.string().max(64) }).strict() }),
  z.object({ name: z.literal('submitReference'), payload: z.object({ reference: z.string().min(1).max(40) }).strict() }),
  z.object({
    name: z.literal('selectPaymentSource'),
    payload: z
      .object({ source: z.enum(['cash', 'product']), productId: z.string().max(64).optional() })
      .strict()
      .refine((p) => p.source === 'cash' || p.productId !== undefined, 'paying from a product names the product'),
  }),
  z.object({ name: z.literal('selectAmount'), payload: z.object({ amount: Tiyn }).strict() }),
  z.object({ name: z.literal('finishCashIn'), payload: empty }),
  z.object({ name: z.literal('confirm'), payload: empty }),
  z.object({ name: z.literal('cancel'), payload: empty }),
  z.object({ name: z.literal('back'), payload: empty }),
  z.object({ name: z.literal('chooseReceipt'), payload: z.object({ choice: ReceiptChoice }).strict() }),
  z.object({ name: z.literal('submitReceiptPhone'), payload: z.object({ phone: z.string().regex(/^\+?[0-9]{10,12}$/) }).strict() }),
  z.object({ name: z.literal('moreTime'), payload: empty }),
  z.object({ name: z.literal('finish'), payload: empty }),
  // service mode (the technician); every one is audited by the core
  // userId left out: the shared development code (accepted only with a bank on loopback)
  z.object({ name: z.literal('serviceLogin'), payload: z.object({ code: digits(4, 8), userId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional() }).strict() }),
  z.object({
    name: z.literal('serviceAction'),
    payload: z
      .object({
        action: z.enum([
          'diagnostics', 'cashUnits', 'collect', 'replenish', 'testPrint', 'resetDevice', 'deadLetters', 'lookupReceipt', 'verifyJournal', 'exit', 'printReceiptCopy',
          'resolveDeadLetter', 'printDeadLetter', 'testAcceptor', 'testDispense', 'testCardRead', 'testPalm', 'testPresenter', 'outOfService', 'configuration', 'exportLogs', 'lostReceipts',
          'openWithdrawals',
        ]),
        // a dead letter's or a withdrawal decision's comment is the one long text (dead-letters.ts COMMENT_MAX)
        params: z.record(z.string().max(40), z.union([z.string().max(500), z.number().int()])).optional(),
      })
      .strict(),
  }),
]);
export type Intent = z.infer<typeof Intent>;
export type IntentName = Intent['name'];

export const RejectCode = z.enum(['invalid', 'notAllowed']);
export type RejectCode = z.infer<typeof RejectCode>;

/** Wire envelopes (WebSocket JSON frames, Electron IPC payloads). */
export const CoreToUi = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.literal(BRIDGE_PROTOCOL) }),
  z.object({ type: z.literal('snapshot'), snapshot: Snapshot }),
  z.object({
    type: z.literal('rejected'),
    reason: z.string().max(200),
    /** invalid: the frame failed size, JSON or schema checks; notAllowed: a valid intent the session cannot take in its current state */
    code: RejectCode.optional(),
    /** the intent's name, when the frame was a valid intent */
    intent: z.string().max(40).optional(),
  }),
]);
export type CoreToUi = z.infer<typeof CoreToUi>;

export const UiToCore = z.object({ type: z.literal('intent'), intent: Intent });
export type UiToCore = z.infer<typeof UiToCore>;

/** Largest frame either side accepts; anything bigger is dropped unread. */
export const MAX_FRAME_BYTES = 256 * 1024;
