/**
 * What a receipt says, independent of how it is printed or sent. Amounts are integer tiyn.
 * A card appears only masked (first 6, last 4) and a phone only masked: the schema refuses
 * anything that could be a full PAN or phone number, so no renderer can leak one. An account
 * payer is the product label the customer chose, with at most the last four digits of a number.
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

/**
 * The account paid from, as the product label the customer saw ("Current account *0101"): never
 * a full account number or IBAN. Refused: any run of more than four digits (spaces, dots and
 * hyphens between digits do not break a run) and anything IBAN-shaped (KZ + check digits).
 */
export const MaskedAccount = z
  .string()
  .min(1)
  .max(80)
  .refine((s) => !/\d{5,}/.test(s.replace(/(?<=\d)[ .-]+(?=\d)/g, '')), 'account must be masked: at most the last 4 digits')
  .refine((s) => !/\bKZ\s?\d{2}/i.test(s), 'account must not carry an IBAN');

/** what the receipt shows for an account label that might carry a number: digits beyond the last four become '*' */
export function maskAccountLabel(label: string): string {
  // each run of digits (spaces, dots, hyphens inside it included) keeps only its last four digits
  const masked = label.replace(/\d(?:[ .-]*\d)*/g, (run) => {
    const digits = run.replace(/[^0-9]/g, '').length;
    if (digits <= 4) return run;
    let hide = digits - 4;
    return run.replace(/\d/g, (d) => (hide-- > 0 ? '*' : d));
  });
  return masked.replace(/\bKZ(?=\s?[\d*]{2})/gi, '**');
}

export const ReceiptStatus = z.enum(['completed', 'declined', 'pending']);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

/** ISO 8601 local date-time with its offset; printed as the local wall time it carries */
export const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

/** a cash-unit line on a technician's slip: what the counters said and, if counted, what was found */
export const CashUnitLine = z.object({
  unit: z.string().min(1).max(20),
  denomination: Tiyn.refine((d) => d > 0, 'denomination must be positive'),
  count: z.number().int(),
  /** notes counted by the technician when that differs from the counter (a discrepancy) */
  counted: z.number().int().nonnegative().optional(),
  /** replenishment: notes taken out of the cassette */
  removed: z.number().int().nonnegative().optional(),
});
export type CashUnitLine = z.infer<typeof CashUnitLine>;

export const ReceiptModel = z
  .object({
    locale: Locale,
    bankName: z.string().min(1).max(80),
    /** the bank's BIN (12 digits), when configured */
    bankBin: z.string().regex(/^[0-9]{12}$/).optional(),
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
      z.object({ kind: z.literal('account'), masked: MaskedAccount }),
    ]).optional(),
    /** cash-in: notes accepted, by denomination (tiyn) */
    notes: z.array(z.object({ denomination: Tiyn, count: z.number().int().positive() })).optional(),
    amount: Tiyn,
    commission: Tiyn,
    total: Tiyn,
    status: ReceiptStatus,
    /** what the QR carries (a lookup URL or id); defaults to the receipt number */
    qrPayload: z.string().min(1).max(256).optional(),
    /** a withdrawal paid out by a dispenser without a presenter: the notes left it at its exit */
    paidAtExit: z.literal(true).optional(),
    /** a reprint: marked as a copy on paper, with when it was made */
    copy: z.object({ printedAt: LocalDateTime }).optional(),
    /** a technician's cash slip (collection, replenishment) instead of a customer operation */
    cashSlip: z
      .object({
        kind: z.enum(['collection', 'replenishment']),
        units: z.array(CashUnitLine).max(32),
      })
      .optional(),
  })
  .refine((m) => m.total === m.amount + m.commission, { message: 'total must equal amount + commission', path: ['total'] });
export type ReceiptModel = z.infer<typeof ReceiptModel>;
