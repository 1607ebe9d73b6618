/**
 * Bodies of the store-and-forward messages (kiosk outbox -> bank POST /v1/messages). Both the
 * kiosk's sync worker and the bank simulator validate with these schemas.
 * Wire: POST /v1/messages { terminalId, messages: OutboxMessage[] } -> { results: DeliveryResult[] }
 * in the same order. Amounts are integer tiyn.
 */
import { z } from 'zod';
import { TiynSchema as Tiyn } from '../../domain/schemas.js';

const NoteCount = z.object({ denomination: Tiyn, count: z.number().int().positive() });
const base = { receiptNumber: z.string().max(40), sessionId: z.string().max(64), at: z.string() /* ISO-8601 */ };

export const CashInCreditBody = z.object({
  ...base,
  customerId: z.string().max(64),
  productId: z.string().max(64),
  amount: Tiyn,
  commission: Tiyn,
  notes: z.array(NoteCount),
});
export const ServicePaymentBody = z.object({
  ...base,
  serviceId: z.string().max(64),
  reference: z.string().max(40),
  amount: Tiyn,
  commission: Tiyn,
  /** cash payments carry notes; payments from an account carry the source */
  notes: z.array(NoteCount).optional(),
  source: z.object({ customerId: z.string(), productId: z.string() }).optional(),
  /** a payment from an account settles the hold authorised online for it */
  holdId: z.string().max(64).optional(),
  receiptPhone: z.string().max(16).optional(),
});
/**
 * Releases what was held for a service payment from an account that did not complete. Names the
 * hold, or (when the authorisation's answer never arrived) the authorisation's idempotency key, so
 * the bank can release a hold the terminal never heard of and refuse the key from then on.
 */
export const ServicePaymentReverseBody = z
  .object({
    ...base,
    holdId: z.string().max(64).optional(),
    authorisationKey: z.string().min(8).max(80),
    reason: z.string().max(80),
  });
export const WithdrawalCompleteBody = z.object({ ...base, holdId: z.string().max(64), amount: Tiyn, commission: Tiyn });
export const WithdrawalReverseBody = z.object({ ...base, holdId: z.string().max(64), reason: z.string().max(80) });
export const CashUnitsBody = z.object({
  ...base,
  units: z.array(z.object({ unit: z.string().max(40), denomination: Tiyn, count: z.number().int() })),
});
/** an electronic receipt (bank rules ch.2 item 5): the bank's SMS gateway sends `text` to `phone` */
export const ReceiptSmsBody = z.object({
  ...base,
  phone: z.string().regex(/^\+[1-9][0-9]{7,14}$/, 'phone must be E.164'),
  text: z.string().min(1).max(2000),
});
/**
 * An electronic receipt by push to the bank's app (bank rules ch.2 item 5: SMS/MMS or push). The bank
 * finds the app by customer; `customerId` is the id identification returned.
 */
export const ReceiptPushBody = z.object({
  ...base,
  customerId: z.string().min(1).max(64),
  text: z.string().min(1).max(2000),
});
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lowercase hex');
/** one journal entry as the terminal hashed it (kiosk/store/journal.ts) */
export const JournalEntryWire = z.object({
  seq: z.number().int().positive(),
  at: z.string().max(40),
  type: z.string().min(1).max(64),
  payload: z.record(z.string(), z.unknown()),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
/**
 * A segment of the electronic journal for anchoring at the bank: entries `from`..`to`, the hash
 * the first one links to (`prevHash`, the previous anchor) and the new head. The bank accepts it
 * only if it continues the head it anchored last.
 */
export const JournalUploadBody = z.object({
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  prevHash: Sha256Hex,
  headHash: Sha256Hex,
  entries: z.array(JournalEntryWire).min(1).max(1000),
});
const Count = z.number().int().nonnegative();
/**
 * What the bank's operations centre sees of a terminal: devices, cash levels, paper, the queue and
 * the journal anchor. Sent on change and on a heartbeat; only the latest matters. No customer data.
 */
export const TerminalStatusBody = z.object({
  at: z.string().max(40),
  version: z.string().max(40),
  devices: z.array(z.object({
    device: z.string().max(32),
    health: z.enum(['ok', 'degraded', 'offline', 'absent']),
    fault: z.string().max(120).optional(),
  })).max(16),
  cassettes: z.array(z.object({
    index: Count,
    denomination: Tiyn,
    notes: Count,
    capacity: Count,
    state: z.enum(['ok', 'low', 'empty', 'missing', 'unknown']),
  })).max(8),
  cashBox: z.object({ notes: Count, capacity: Count, full: z.boolean() }),
  paper: z.enum(['ok', 'nearEnd', 'out', 'unknown']),
  queue: z.object({ depth: Count, oldestAgeSeconds: Count, deadLetters: Count }),
  journal: z.object({
    headSeq: Count,
    anchoredSeq: Count,
    /** ISO-8601 time the bank last accepted a segment; absent before the first anchor */
    anchoredAt: z.string().max(40).optional(),
  }),
  /** service entry locked after repeated wrong PINs: the last lock and until when (absent: never locked) */
  serviceLockout: z.object({ at: z.string().max(40), until: z.string().max(40), active: z.boolean() }).optional(),
  /** a technician took the terminal out of service for customers (absent: never toggled) */
  outOfService: z.object({ on: z.boolean(), by: z.string().max(32), at: z.string().max(40) }).optional(),
});

/**
 * What a technician did about a message the bank refused: retried it, or closed it with a written
 * comment (the money row stays on the terminal). Not from a published bank protocol: this
 * project's own message, so the bank's back office sees the terminal's side of a dead letter.
 */
export const DeadLetterResolutionBody = z.object({
  /** the refused message */
  messageKey: z.string().max(80),
  messageKind: z.string().max(40),
  /** the receipt of the refused operation (named so the journal does not take it for a receipt of its own) */
  ofReceipt: z.string().max(40).optional(),
  amount: Tiyn,
  /** the bank's refusal as the terminal recorded it */
  reason: z.string().max(200).optional(),
  resolution: z.enum(['retried', 'closed']),
  comment: z.string().max(500).optional(),
  /** the service person's id (never a name or a PIN) */
  who: z.string().max(32),
  at: z.string().max(40),
});

export const OutboxMessageSchema = z.discriminatedUnion('kind', [
  z.object({ key: z.string().max(80), kind: z.literal('cashInCredit'), body: CashInCreditBody }),
  z.object({ key: z.string().max(80), kind: z.literal('servicePayment'), body: ServicePaymentBody }),
  z.object({ key: z.string().max(80), kind: z.literal('servicePaymentReverse'), body: ServicePaymentReverseBody }),
  z.object({ key: z.string().max(80), kind: z.literal('withdrawalComplete'), body: WithdrawalCompleteBody }),
  z.object({ key: z.string().max(80), kind: z.literal('withdrawalReverse'), body: WithdrawalReverseBody }),
  z.object({ key: z.string().max(80), kind: z.literal('collection'), body: CashUnitsBody }),
  z.object({ key: z.string().max(80), kind: z.literal('replenishment'), body: CashUnitsBody }),
  z.object({ key: z.string().max(80), kind: z.literal('journalUpload'), body: JournalUploadBody }),
  z.object({ key: z.string().max(80), kind: z.literal('receiptSms'), body: ReceiptSmsBody }),
  z.object({ key: z.string().max(80), kind: z.literal('receiptPush'), body: ReceiptPushBody }),
  z.object({ key: z.string().max(80), kind: z.literal('terminalStatus'), body: TerminalStatusBody }),
  z.object({ key: z.string().max(80), kind: z.literal('deadLetterResolution'), body: DeadLetterResolutionBody }),
]);
export type OutboxMessageWire = z.infer<typeof OutboxMessageSchema>;

export const MessagesRequest = z.object({ terminalId: z.string().max(40), messages: z.array(OutboxMessageSchema).max(500) });
export const MessagesResponse = z.object({
  results: z.array(z.object({
    key: z.string(), status: z.enum(['applied', 'alreadyApplied', 'rejected']), reason: z.string().optional(),
    /** for a journal segment: the head the bank holds anchored after this message */
    anchoredHead: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }).optional(),
  })),
});
