/**
 * What a receipt says, independent of how it is printed or sent. Amounts are integer tiyn.
 * A card appears only masked (first 6, last 4) and a phone only masked: the schema refuses
 * anything that could be a full PAN or phone number, so no renderer can leak one.
 */
import { z } from 'zod';
import { Locale, Operation, Tiyn } from '../bridge/schema.js';

/** 440043******1234 (spaces allowed): first 6 and last 4 digits only */
export const MaskedCard = z.string().regex(/^\d{4} ?\d{2}[* ]{6,12}\d{4}$/, 'card must be masked: first 6, last 4').refine(
  (s) => s.replace(/[^0-9]/g, '').length === 10,
  'a masked card shows exactly 10 digits',
);
/** +7 701 *** ** 67 style: at least four digits hidden */
export const MaskedPhone = z.string().max(24).regex(/^\+?[0-9 *]+$/).refine((s) => (s.match(/\*/g) ?? []).length >= 4, 'phone must be masked');

export const ReceiptStatus = z.enum(['completed', 'declined', 'pending']);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

/** ISO 8601 local date-time with its offset; printed as the local wall time it carries */
export const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

export const ReceiptModel = z
  .object({
    locale: Locale,
    bankName: z.string().min(1).max(80),
    terminalId: z.string().min(1).max(32),
    address: z.string().max(200),
    dateTime: LocalDateTime,
    receiptNumber: z.string().min(1).max(40),
    operation: Operation,
    /** provider or account the money went to (service payment, top-up) */
    beneficiary: z.string().max(120).optional(),
    payer: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('card'), masked: MaskedCard }),
      z.object({ kind: z.literal('phone'), masked: MaskedPhone }),
    ]).optional(),
    /** cash-in: notes accepted, by denomination (tiyn) */
    notes: z.array(z.object({ denomination: Tiyn, count: z.number().int().positive() })).optional(),
    amount: Tiyn,
    commission: Tiyn,
    total: Tiyn,
    status: ReceiptStatus,
    /** what the QR carries (a lookup URL or id); defaults to the receipt number */
    qrPayload: z.string().min(1).max(256).optional(),
  })
  .refine((m) => m.total === m.amount + m.commission, { message: 'total must equal amount + commission', path: ['total'] });
export type ReceiptModel = z.infer<typeof ReceiptModel>;
