/**
 * Receipts rendered from the store's journal-backed receipt data and printed on the ESC/POS
 * printer. SMS: the bank sends a payment's receipt to the phone carried in its payment message;
 * for a receipt asked for after the payment there is no gateway call yet, so the terminal says
 * it could not send (and the customer is offered print or none).
 */
import type { Locale, Operation } from '../bridge/schema.js';
import { ReceiptModel } from '../receipt/receipt-model.js';
import { printReceipt } from '../receipt/print-receipt.js';
import type { MoneyStore, ReceiptData } from '../store/money-store.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { ReceiptDelivery } from '../session/ports.js';

const OPERATION: Record<ReceiptData['operation'], Operation> = {
  cashIn: 'cashIn',
  servicePayment: 'payService',
  withdrawal: 'withdraw',
  withdrawalReverse: 'withdraw',
  collection: 'cashIn',
  replenishment: 'withdraw',
};

export interface ReceiptSite {
  bankName: string;
  terminalId: string;
  address: string;
}

export function receiptModel(data: ReceiptData, locale: Locale, site: ReceiptSite): ReceiptModel {
  return ReceiptModel.parse({
    locale,
    bankName: site.bankName,
    terminalId: site.terminalId,
    address: site.address,
    dateTime: data.at,
    receiptNumber: data.receiptNumber,
    operation: OPERATION[data.operation],
    ...(data.customer?.label ? { beneficiary: data.customer.label } : data.service ? { beneficiary: `${data.service.serviceId} ${data.service.reference}`.slice(0, 120) } : {}),
    ...(data.notes && data.notes.length > 0 ? { notes: data.notes } : {}),
    amount: data.amount,
    commission: data.commission,
    total: data.amount + data.commission,
    status: data.operation === 'withdrawalReverse' ? 'declined' : 'completed',
  });
}

export function receiptDelivery(store: MoneyStore, printer: ReceiptPrinter, site: ReceiptSite): ReceiptDelivery {
  return {
    async print(receiptNumber, locale) {
      const data = store.receipt(receiptNumber);
      if (!data) return { ok: false, failure: `no receipt ${receiptNumber}` };
      const result = await printReceipt(printer, receiptModel(data, locale, site));
      return result.ok ? { ok: true } : { ok: false, failure: result.failure };
    },
    async sms() {
      return { ok: false };
    },
  };
}
