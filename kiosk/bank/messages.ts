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
export const JournalUploadBody = z.object({ from: z.number().int(), to: z.number().int(), entries: z.array(z.unknown()) });

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
]);
export type OutboxMessageWire = z.infer<typeof OutboxMessageSchema>;

export const MessagesRequest = z.object({ terminalId: z.string().max(40), messages: z.array(OutboxMessageSchema).max(500) });
export const MessagesResponse = z.object({
  results: z.array(z.object({ key: z.string(), status: z.enum(['applied', 'alreadyApplied', 'rejected']), reason: z.string().optional() })),
});
