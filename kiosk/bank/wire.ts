/**
 * HTTP wire schemas of the bank's terminal API (`/v1/...`). The kiosk's client checks every answer
 * against them and the bank simulator checks every request, so both ends agree on one definition.
 * Money is integer tiyn. A business refusal travels as HTTP 200 `{ ok: false, reason }`; HTTP errors
 * mean the gateway could not serve the call.
 */
import { z } from 'zod';
import { IdentificationMethodSchema as IdentificationMethod, OperationSchema as Operation, TiynSchema } from '../../domain/schemas.js';

export const Tiyn = TiynSchema;

export const RefusalReasonSchema = z.enum([
  'notIdentified', 'notFound', 'blocked', 'restricted', 'insufficientFunds', 'aboveMaxTopUp',
  'belowMinimum', 'limitExceeded', 'notAuthorised', 'currencyMismatch', 'amlRefused',
  'invalidReference', 'otpWrong', 'otpLocked', 'otpExpired', 'consentWithdrawn',
  'walletNoCash', 'approvalRefused', 'approvalTimeout', 'pinChangeNotAllowed',
]);

const Params = z.record(z.string(), z.union([z.string(), z.number()]));
export const RefusalSchema = z.object({ ok: z.literal(false), reason: RefusalReasonSchema, params: Params.optional() });

/** `{ ok: true, ...T } | refusal` for a given success shape */
export function result<T extends z.ZodRawShape>(shape: T) {
  return z.union([z.object({ ok: z.literal(true), ...shape }), RefusalSchema]);
}

export const SessionId = z.string().min(1).max(64);
export const CustomerId = z.string().min(1).max(64);
const E164Kz = z.string().regex(/^\+7\d{10}$/);

// --- identification -------------------------------------------------------------------------
export const IdentifyQueryWire = z.discriminatedUnion('by', [
  z.object({ by: z.literal('phone'), phone: E164Kz }),
  z.object({ by: z.literal('iin'), iin: z.string().regex(/^\d{12}$/) }),
  z.object({ by: z.literal('card'), panToken: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** palm template bytes as base64; never logged, never stored by the kiosk */
  z.object({ by: z.literal('palm'), template: z.string().min(1).max(8192) }),
  z.object({ by: z.literal('qr'), token: z.string().min(1).max(128) }),
]);
export const NarrowingWire = z.object({
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  personalCode: z.string().regex(/^\d{4,8}$/).optional(),
});
export const IdentifyRequest = z.object({
  sessionId: SessionId,
  method: IdentificationMethod,
  query: IdentifyQueryWire,
  narrowing: NarrowingWire.optional(),
});
export const IdentifyResponse = z.union([
  z.object({ ok: z.literal(true), status: z.literal('identified'), customerId: CustomerId, maskedName: z.string().max(80), cardPinChange: z.boolean().optional(),
    /** the customer has the bank's app: receipts may be pushed to it */
    hasApp: z.boolean().optional() }),
  z.object({ ok: z.literal(true), status: z.literal('ambiguous'), askFor: z.array(z.enum(['birthDate', 'personalCode'])).min(1) }),
  RefusalSchema,
]);

export const QrLoginRequest = z.object({ sessionId: SessionId });
export const QrLoginResponse = z.object({ token: z.string().min(1).max(128), payload: z.string().max(512), expiresAt: z.number().int() });
export const QrPollResponse = z.union([
  z.object({ ok: z.literal(true), status: z.literal('pending') }),
  IdentifyResponse,
]);

// --- OTP --------------------------------------------------------------------------------------
export const OtpRequest = z.object({ sessionId: SessionId, customerId: CustomerId });
/** `channel`: where the bank chose to send the code (8.11: SMS or push to the app); absent means SMS */
export const OtpResponse = result({ sentTo: z.string().max(20), expiresAt: z.number().int(), resendAt: z.number().int(), channel: z.enum(['sms', 'push']).optional() });
export const OtpVerifyRequest = z.object({ sessionId: SessionId, customerId: CustomerId, code: z.string().regex(/^\d{4,8}$/) });
export const OtpVerifyResponse = z.union([
  z.object({ ok: z.literal(true), accessToken: z.string().min(16).max(128), expiresAt: z.number().int() }),
  RefusalSchema.extend({ attemptsLeft: z.number().int().nonnegative().optional() }),
]);

// --- products, services, quotes ---------------------------------------------------------------
export const ProductViewWire = z.object({
  id: z.string().max(64),
  kind: z.enum(['current', 'savings', 'loan', 'wallet']),
  label: z.string().max(80),
  currency: z.literal('KZT'),
  balance: Tiyn,
  available: Tiyn,
  dueAmount: Tiyn.optional(),
  maxTopUp: Tiyn.optional(),
  /** the product may pay services (current accounts and wallets; savings only where the product allows) */
  paysServices: z.boolean().optional(),
});
export const ProductsResponse = result({ products: z.array(ProductViewWire) });
export const HistoryResponse = result({
  recent: z.array(z.object({ at: z.string(), description: z.string().max(120), amount: z.number().int() })),
});
export const ServiceViewWire = z.object({
  id: z.string().max(64),
  category: z.string().max(40),
  name: z.string().max(80),
  referenceKind: z.enum(['phone', 'account']),
  referencePattern: z.string().max(200),
  min: Tiyn,
  max: Tiyn,
});
export const ServicesResponse = z.object({ services: z.array(ServiceViewWire) });
export const CheckReferenceRequest = z.object({ reference: z.string().min(1).max(40) });
export const CheckReferenceResponse = result({ beneficiary: z.string().max(80) });
export const QuoteRequest = z.object({
  operation: Operation,
  amount: Tiyn,
  productId: z.string().max(64).optional(),
  /** a service payment's commission follows that service's tariff where the bank sets one */
  serviceId: z.string().max(64).optional(),
});
export const QuoteResponse = z.object({ operation: Operation, amount: Tiyn, commission: Tiyn, total: Tiyn });
export const PrecheckRequest = z.object({
  productId: z.string().max(64).optional(),
  serviceId: z.string().max(64).optional(),
  reference: z.string().max(40).optional(),
});
export const PrecheckResponse = result({ maxAmount: Tiyn, minAmount: Tiyn });

// --- withdrawal -------------------------------------------------------------------------------
export const IdempotencyKey = z.string().min(8).max(80);
export const AuthoriseRequest = z.object({ productId: z.string().max(64), amount: Tiyn.positive(), idempotencyKey: IdempotencyKey });
export const AuthoriseResponse = result({
  holdId: z.string().max(64),
  commission: Tiyn,
  status: z.enum(['approved', 'pendingApproval']),
  approvalId: z.string().max(64).optional(),
});
// --- service payment from an account ----------------------------------------------------------
/**
 * A hold on amount + commission for a service payment from the customer's product. `commission`
 * is what the customer was shown before consent (5.5): the bank refuses if its tariff says other.
 * The debit itself arrives later as a `servicePayment` outbox message naming the hold.
 */
export const ServicePaymentAuthoriseRequest = z.object({
  productId: z.string().min(1).max(64),
  serviceId: z.string().min(1).max(64),
  reference: z.string().min(1).max(40),
  amount: Tiyn.positive(),
  commission: Tiyn,
  idempotencyKey: IdempotencyKey,
});
export const ServicePaymentAuthoriseResponse = AuthoriseResponse;
export const ApprovalStatusResponse = z.object({ status: z.enum(['pending', 'approved', 'refused', 'expired']) });

// --- PIN change (the PIN itself is set in the bank's app or secure SMS link, never here) ------
export const PanToken = z.string().regex(/^[0-9a-f]{64}$/);
export const PinChangeId = z.string().min(1).max(64);
export const StartPinChangeRequest = z.object({ sessionId: SessionId, panToken: PanToken }).strict();
export const StartPinChangeResponse = result({ pinChangeId: PinChangeId, channel: z.enum(['push', 'sms']), expiresAt: z.number().int() });
export const PinChangeStatusResponse = z.object({ status: z.enum(['pending', 'done', 'failed', 'expired', 'cancelled']) });

/** error body of non-2xx answers */
export const ErrorBody = z.object({ error: z.string() });
