/** Receipt wording per locale. Kazakh text uses the Kazakh letters the printer page must carry. */
import type { Locale, Operation } from '../bridge/schema.js';
import type { ReceiptStatus } from './receipt-model.js';

export interface ReceiptTexts {
  terminal: string;
  date: string;
  receiptNo: string;
  card: string;
  phone: string;
  beneficiary: string;
  notes: string;
  amount: string;
  commission: string;
  total: string;
  status: string;
  statuses: Record<ReceiptStatus, string>;
  operations: Record<Operation, string>;
  footer: string;
}

export const RECEIPT_TEXTS: Record<Locale, ReceiptTexts> = {
  kk: {
    terminal: 'Терминал',
    date: 'Күні',
    receiptNo: 'Түбіртек №',
    card: 'Карта',
    phone: 'Телефон',
    beneficiary: 'Алушы',
    notes: 'Купюралар',
    amount: 'Сома',
    commission: 'Комиссия',
    total: 'Барлығы',
    status: 'Мәртебесі',
    statuses: { completed: 'Сәтті орындалды', declined: 'Қабылданбады', pending: 'Өңделуде' },
    operations: {
      balance: 'Баланс',
      cashIn: 'Шотты толықтыру',
      withdraw: 'Қолма-қол ақша алу',
      payService: 'Қызметтерге төлем',
      loanRepayment: 'Несиені өтеу',
      changePin: 'PIN-кодты ауыстыру',
    },
    footer: 'Түбіртекті сақтаңыз. Рақмет!',
  },
  ru: {
    terminal: 'Терминал',
    date: 'Дата',
    receiptNo: 'Чек №',
    card: 'Карта',
    phone: 'Телефон',
    beneficiary: 'Получатель',
    notes: 'Купюры',
    amount: 'Сумма',
    commission: 'Комиссия',
    total: 'Итого',
    status: 'Статус',
    statuses: { completed: 'Успешно', declined: 'Отклонено', pending: 'В обработке' },
    operations: {
      balance: 'Баланс',
      cashIn: 'Пополнение счёта',
      withdraw: 'Снятие наличных',
      payService: 'Оплата услуг',
      loanRepayment: 'Погашение кредита',
      changePin: 'Смена PIN-кода',
    },
    footer: 'Сохраните чек. Спасибо!',
  },
  en: {
    terminal: 'Terminal',
    date: 'Date',
    receiptNo: 'Receipt No.',
    card: 'Card',
    phone: 'Phone',
    beneficiary: 'Recipient',
    notes: 'Notes',
    amount: 'Amount',
    commission: 'Commission',
    total: 'Total',
    status: 'Status',
    statuses: { completed: 'Successful', declined: 'Declined', pending: 'Pending' },
    operations: {
      balance: 'Balance',
      cashIn: 'Cash deposit',
      withdraw: 'Cash withdrawal',
      payService: 'Service payment',
      loanRepayment: 'Loan repayment',
      changePin: 'PIN change',
    },
    footer: 'Please keep this receipt. Thank you!',
  },
};
