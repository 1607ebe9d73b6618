/** Receipt wording per locale. Kazakh text uses the Kazakh letters the printer page must carry. */
import type { Locale, Operation } from '../bridge/schema.js';
import type { ReceiptStatus } from './receipt-model.js';

export interface ReceiptTexts {
  terminal: string;
  date: string;
  receiptNo: string;
  card: string;
  phone: string;
  /** the account a payment was made from */
  account: string;
  beneficiary: string;
  notes: string;
  amount: string;
  commission: string;
  total: string;
  status: string;
  statuses: Record<ReceiptStatus, string>;
  operations: Record<Operation, string>;
  footer: string;
  bin: string;
  /** the mark a reprint carries, top and bottom */
  copy: string;
  copyPrinted: string;
  /** a withdrawal from a dispenser without a presenter */
  paidAtExit: string;
  slips: Record<'collection' | 'replenishment', string>;
  units: Record<'cashBox' | 'reject' | 'retract' | 'cassette', string>;
  counter: string;
  counted: string;
  difference: string;
  removed: string;
}

export const RECEIPT_TEXTS: Record<Locale, ReceiptTexts> = {
  kk: {
    bin: 'БСН',
    copy: 'КӨШІРМЕ (ТЕЛНҰСҚА)',
    copyPrinted: 'Көшірме басылды',
    paidAtExit: 'Банкноттар диспенсер шығысында берілді',
    slips: { collection: 'Инкассация', replenishment: 'Кассеталарды толтыру' },
    units: { cashBox: 'Купюра қоймасы', reject: 'Ақау қоймасы', retract: 'Қайтарылған', cassette: 'Кассета' },
    counter: 'Есептегіш',
    counted: 'Саналды',
    difference: 'Айырма',
    removed: 'Алынды',
    terminal: 'Терминал',
    date: 'Күні',
    receiptNo: 'Түбіртек №',
    card: 'Карта',
    phone: 'Телефон',
    account: 'Төлем шоты',
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
    bin: 'БИН',
    copy: 'КОПИЯ (ДУБЛИКАТ)',
    copyPrinted: 'Копия напечатана',
    paidAtExit: 'Купюры выданы в лоток диспенсера',
    slips: { collection: 'Инкассация', replenishment: 'Загрузка кассет' },
    units: { cashBox: 'Кассета приёма', reject: 'Отбраковка', retract: 'Возврат', cassette: 'Кассета' },
    counter: 'По счётчику',
    counted: 'Пересчитано',
    difference: 'Расхождение',
    removed: 'Изъято',
    terminal: 'Терминал',
    date: 'Дата',
    receiptNo: 'Чек №',
    card: 'Карта',
    phone: 'Телефон',
    account: 'Счёт списания',
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
    bin: 'BIN',
    copy: 'COPY (DUPLICATE)',
    copyPrinted: 'Copy printed',
    paidAtExit: 'Notes paid out at the dispenser exit',
    slips: { collection: 'Cash collection', replenishment: 'Cassette replenishment' },
    units: { cashBox: 'Cash box', reject: 'Reject bin', retract: 'Retract bin', cassette: 'Cassette' },
    counter: 'Counter',
    counted: 'Counted',
    difference: 'Difference',
    removed: 'Removed',
    terminal: 'Terminal',
    date: 'Date',
    receiptNo: 'Receipt No.',
    card: 'Card',
    phone: 'Phone',
    account: 'Paid from',
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
