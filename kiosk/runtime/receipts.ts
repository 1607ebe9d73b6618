/**
 * Receipts rendered from the store's journal-backed receipt data: printed on the ESC/POS printer,
 * or as plain text queued in the outbox for the bank's SMS gateway or the customer's bank app
 * (store-and-forward, so an electronic receipt is given even while the bank is offline and goes
 * out once it is back).
 */
import type { Locale, Operation } from '../bridge/schema.js';
import { ReceiptModel, maskAccountLabel } from '../receipt/receipt-model.js';
import { printReceipt } from '../receipt/print-receipt.js';
import { receiptToText } from '../receipt/receipt-text.js';
import type { MoneyStore, ReceiptData, ReceiptSmsStore } from '../store/money-store.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { ReceiptDelivery } from '../session/ports.js';
import type { Db } from '../store/db.js';
import { beginReceiptPrint, endReceiptPrint } from '../store/receipt-prints.js';
import type { EscPosReceiptOptions } from '../receipt/receipt-escpos.js';

const OPERATION: Record<ReceiptData['operation'], Operation> = {
  cashIn: 'cashIn',
  servicePayment: 'payService',
  servicePaymentReverse: 'payService',
  withdrawal: 'withdraw',
  withdrawalReverse: 'withdraw',
  collection: 'cashIn',
  replenishment: 'withdraw',
  pinChange: 'changePin',
};

export interface ReceiptSite {
  bankName: string;
  terminalId: string;
  address: string;
  /** the bank's BIN, printed under its name when configured */
  bankBin?: string;
  /** false: the dispenser has no presenter, so a withdrawal's notes were paid out at its exit */
  dispenserPresenter?: boolean;
  /** how this terminal's printer prints: its code page and ESC t number, dot width (config `devices.printer`) */
  printer?: EscPosReceiptOptions;
}

export interface ReceiptModelOptions {
  /** a reprint: marked as a copy, with the local time it was made */
  copyPrintedAt?: string;
}

export function receiptModel(data: ReceiptData, locale: Locale, site: ReceiptSite, options: ReceiptModelOptions = {}): ReceiptModel {
  const slip = data.operation === 'collection' || data.operation === 'replenishment' ? data.operation : undefined;
  return ReceiptModel.parse({
    locale,
    bankName: site.bankName,
    ...(site.bankBin ? { bankBin: site.bankBin } : {}),
    terminalId: site.terminalId,
    address: site.address,
    dateTime: data.at,
    receiptNumber: data.receiptNumber,
    operation: OPERATION[data.operation],
    // a service payment names the provider and the reference, also when paid from an account
    ...(data.service
      ? { beneficiary: `${data.service.name ?? data.service.serviceId} ${data.service.reference}`.slice(0, 120) }
      : data.customer?.label ? { beneficiary: data.customer.label } : {}),
    ...(data.card ? { payer: { kind: 'card', masked: data.card.masked } } : payer(data)),
    ...(data.notes && data.notes.length > 0 ? { notes: data.notes } : {}),
    amount: data.amount,
    commission: data.commission,
    total: data.amount + data.commission,
    status: receiptStatus(data),
    ...(site.dispenserPresenter === false && data.operation === 'withdrawal' ? { paidAtExit: true } : {}),
    ...(slip ? { cashSlip: { kind: slip, units: data.units ?? [] } } : {}),
    ...(options.copyPrintedAt ? { copy: { printedAt: options.copyPrintedAt } } : {}),
  });
}

/**
 * Cash paid in is the customer's the moment it is in the box, but the bank credits it when the
 * queued message is delivered: until then (a slow or unreachable bank) the receipt says pending.
 */
function receiptStatus(data: ReceiptData): ReceiptModel['status'] {
  if (data.operation === 'withdrawalReverse' || data.operation === 'servicePaymentReverse') return 'declined';
  if ((data.operation === 'cashIn' || data.operation === 'servicePayment') && data.delivery?.state === 'pending') return 'pending';
  return 'completed';
}

/** a payment from an account names the account paid from: the label the customer saw, masked again in case it carries a number */
function payer(data: ReceiptData): { payer?: ReceiptModel['payer'] } {
  if (!data.service || !data.customer) return {};
  const label = data.customer.label?.trim();
  return label ? { payer: { kind: 'account', masked: maskAccountLabel(label).slice(0, 80) } } : {};
}

/** the plain text an SMS or push receipt carries: the paper receipt's words */
export function receiptText(data: ReceiptData, locale: Locale, site: ReceiptSite): string {
  return receiptToText(receiptModel(data, locale, site));
}

export interface ReceiptDeliveryOptions {
  /** wakes the sync worker once an SMS receipt is queued */
  onEnqueue?: () => void;
  /** language of SMS receipts when the session does not say (the terminal's default) */
  locale?: Locale;
  /**
   * the database holding the receipt print log: each print is recorded before the printer gets
   * the job, so a print the core dies in is found at start-up (kiosk/recovery/lost-receipts.ts)
   */
  printLog?: { db: Db; now?: () => Date };
}

export function receiptDelivery(
  store: MoneyStore & ReceiptSmsStore, printer: ReceiptPrinter, site: ReceiptSite, options: ReceiptDeliveryOptions = {},
): ReceiptDelivery {
  return {
    async print(receiptNumber, locale, printOptions = {}) {
      const data = store.receipt(receiptNumber);
      if (!data) return { ok: false, failure: `no receipt ${receiptNumber}` };
      const log = options.printLog;
      const now = log?.now ?? (() => new Date());
      const printId = log
        ? beginReceiptPrint(log.db, { receiptNumber, locale, ...(printOptions.phone ? { phone: printOptions.phone } : {}) }, now())
        : undefined;
      let result: Awaited<ReturnType<typeof printReceipt>>;
      try {
        result = await printReceipt(printer, receiptModel(data, locale, site), site.printer);
      } catch (err) {
        if (log && printId !== undefined) endReceiptPrint(log.db, printId, { ok: false, failure: err instanceof Error ? err.message : String(err) }, now());
        throw err;
      }
      if (log && printId !== undefined) endReceiptPrint(log.db, printId, result.ok ? { ok: true } : { ok: false, failure: result.detail ? `${result.failure}: ${result.detail}` : result.failure }, now());
      return result.ok ? { ok: true } : { ok: false, failure: result.failure };
    },
    async sms(receiptNumber, phoneE164, locale) {
      const data = store.receipt(receiptNumber);
      if (!data) return { ok: false };
      const text = receiptText(data, locale ?? options.locale ?? 'ru', site);
      store.recordReceiptSms({ receiptNumber, phone: phoneE164, text, ...(data.sessionId ? { sessionId: data.sessionId } : {}) });
      options.onEnqueue?.();
      return { ok: true };
    },
    async push(receiptNumber, customerId, locale) {
      const data = store.receipt(receiptNumber);
      if (!data) return { ok: false };
      const text = receiptToText(receiptModel(data, locale ?? options.locale ?? 'ru', site));
      store.recordReceiptPush({ receiptNumber, customerId, text, ...(data.sessionId ? { sessionId: data.sessionId } : {}) });
      options.onEnqueue?.();
      return { ok: true };
    },
  };
}
