/**
 * Withdrawals start-up reconciliation left for the technician (kiosk/recovery/README.md): a
 * dispense in flight when the core died (`dispensing`, notes counted nowhere), or notes counted
 * into the presenter that may or may not have reached the customer (`dispensed`, never or perhaps
 * presented). The bank's hold stays until a technician decides, with a written comment:
 * - `received`: the customer has the notes; the debit goes out once (`withdrawalComplete`);
 * - `notDispensed`: the notes never left the terminal; the hold is released (`withdrawalReverse`).
 * The store does the money (counters, receipt, journal, outbox); the decision with its comment is
 * a journal entry and an audit row of its own in the same transaction, and a slip is printed when
 * the printer can print.
 */
import type { Locale, ServiceModeView } from '../bridge/schema.js';
import type { Db } from '../store/db.js';
import { leftForTechnician, type MoneyStore, type WithdrawalRecord } from '../store/money-store.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import type { CodePageProfile } from '../../drivers/printer/code-page.js';
import { recordAuditIn } from '../store/audit.js';
import { readCounters } from '../store/counters.js';
import { appendJournal } from '../store/journal.js';
import { looksLikePan } from '../store/secrets-guard.js';
import { COMMENT_MAX, COMMENT_MIN } from './dead-letters.js';
import { printSlip, tenge, wrap } from './dead-letter-slip.js';
import { printerUsable } from './service-receipts.js';

type OpenView = Extract<ServiceModeView, { action: 'openWithdrawals' }>;
export type SettleDecision = 'received' | 'notDispensed';
export type SettleRefusal = 'unknownWithdrawal' | 'alreadySettled' | 'notLeftForTechnician' | 'heldBySession' | 'commentRequired' | 'commentHoldsCardNumber' | 'badDecision';

export interface OpenWithdrawalsDeps {
  db: Db;
  store: Pick<MoneyStore, 'openWithdrawals' | 'withdrawal' | 'reverseWithdrawal' | 'completeWithdrawalByTechnician'>;
  printer: ReceiptPrinter;
  terminalId: string;
  codePage?: CodePageProfile;
  /** a live customer session works on this withdrawal now: it is the session's, not the technician's */
  heldBySession: (withdrawalId: string) => boolean;
  now: () => Date;
}

/** what reconciliation could tell about the notes */
const knownOf = (w: WithdrawalRecord): 'notCounted' | 'neverPresented' | 'perhapsPresented' =>
  w.state === 'dispensing' ? 'notCounted' : w.presentState === 'unknown' ? 'perhapsPresented' : 'neverPresented';

export function openWithdrawalsView(deps: OpenWithdrawalsDeps, extra: Pick<OpenView, 'decision' | 'refusal'> = {}): OpenView {
  const withdrawals = deps.store.openWithdrawals()
    .filter((w) => leftForTechnician(w) && !deps.heldBySession(w.withdrawalId))
    .slice(0, 50)
    .map((w) => ({
      withdrawalId: w.withdrawalId, amount: w.amount, commission: w.commission, authorisedAt: w.authorisedAt,
      ...(w.label ? { label: w.label.slice(0, 80) } : {}),
      state: w.state as 'dispensing' | 'dispensed', known: knownOf(w),
      notesCounted: (w.dispensed ?? []).reduce((s, d) => s + d.dispensed, 0), dispensedAmount: w.dispensedAmount,
    }));
  // the dispenser's side as the counters see it now, so the technician can hold it against the cassettes
  const counters = readCounters(deps.db).filter((c) => c.unit.startsWith('cassette:') || c.unit === 'presenter' || c.unit === 'reject');
  return { action: 'openWithdrawals', withdrawals, counters, printerUsable: printerUsable(deps.printer), ...extra };
}

function refusalOf(deps: OpenWithdrawalsDeps, withdrawalId: string): SettleRefusal | undefined {
  const w = deps.store.withdrawal(withdrawalId);
  if (!w) return 'unknownWithdrawal';
  if (w.state === 'complete' || w.state === 'reversed') return 'alreadySettled';
  if (!leftForTechnician(w)) return 'notLeftForTechnician';
  if (deps.heldBySession(withdrawalId)) return 'heldBySession';
  return undefined;
}

export function settleWithdrawal(
  deps: OpenWithdrawalsDeps,
  input: { withdrawalId: string; decision: string; comment?: string; who: string },
): { ok: true; decision: SettleDecision; receiptNumber: string; messageKey: string; amount: number } | { ok: false; refusal: SettleRefusal } {
  if (input.decision !== 'received' && input.decision !== 'notDispensed') return { ok: false, refusal: 'badDecision' };
  const decision: SettleDecision = input.decision;
  const comment = input.comment?.trim();
  if (comment === undefined || comment.length < COMMENT_MIN) return { ok: false, refusal: 'commentRequired' };
  // the comment goes to the journal, the bank and a slip: a card number has no place there
  if (looksLikePan(comment)) return { ok: false, refusal: 'commentHoldsCardNumber' };
  return deps.db.transaction(() => {
    // checked inside the write lock: a second decision on the same withdrawal finds it settled
    const refusal = refusalOf(deps, input.withdrawalId);
    if (refusal) return { ok: false as const, refusal };
    const at = deps.now();
    const done = decision === 'received'
      ? deps.store.completeWithdrawalByTechnician(input.withdrawalId, input.who)
      : { ...deps.store.reverseWithdrawal(input.withdrawalId, 'technician: notes did not leave the terminal', { technician: input.who }), amount: 0 };
    // `ofReceipt`, not `receiptNumber`: the journal indexes that field as the receipt's own entry
    const body = {
      withdrawalId: input.withdrawalId, decision, comment: comment.slice(0, COMMENT_MAX), ofReceipt: done.receiptNumber,
      messageKey: done.messageKey, amount: done.amount, who: input.who, at: at.toISOString(),
    };
    const entry = appendJournal(deps.db, 'withdrawalSettledByTechnician', body, at);
    recordAuditIn(deps.db, input.who, 'withdrawalSettled', body, at, entry);
    return { ok: true as const, decision, receiptNumber: done.receiptNumber, messageKey: done.messageKey, amount: done.amount };
  }).immediate();
}

const TEXT = {
  kk: { title: 'ТЕХНИК ШЕШКЕН АҚША БЕРУ', terminal: 'Терминал', withdrawal: 'Ақша беру', amount: 'Сомасы', receipt: 'Түбіртек', technician: 'Техник', received: 'Клиент банкноттарды алды: дебет банкке жіберілді', notDispensed: 'Банкноттар терминалдан шықпады: блок алынды', printed: 'Басылды' },
  ru: { title: 'ВЫДАЧА, РЕШЁННАЯ ТЕХНИКОМ', terminal: 'Терминал', withdrawal: 'Выдача', amount: 'Сумма', receipt: 'Чек', technician: 'Техник', received: 'Клиент получил купюры: списание отправлено в банк', notDispensed: 'Купюры не покинули терминал: блокировка снята', printed: 'Напечатано' },
  en: { title: 'WITHDRAWAL SETTLED BY TECHNICIAN', terminal: 'Terminal', withdrawal: 'Withdrawal', amount: 'Amount', receipt: 'Receipt', technician: 'Technician', received: 'The customer received the notes: debit sent to the bank', notDispensed: 'The notes did not leave the terminal: hold released', printed: 'Printed' },
} as const satisfies Record<Locale, Record<string, string>>;

const COLUMNS = 48;

export function settleSlipLines(input: { terminalId: string; withdrawalId: string; amount: number; decision: SettleDecision; receiptNumber: string; who: string; comment: string; locale: Locale; now: Date }): string[] {
  const t = TEXT[input.locale];
  const stamp = input.now.toISOString().slice(0, 19).replace('T', ' ');
  return [
    t.title, `${t.terminal}: ${input.terminalId}`, `${t.withdrawal}: ${input.withdrawalId}`, `${t.amount}: ${tenge(input.amount)}`,
    `${t.receipt}: ${input.receiptNumber}`, `${t.technician}: ${input.who}`, '-'.repeat(COLUMNS),
    ...wrap(input.decision === 'received' ? t.received : t.notDispensed), ...wrap(input.comment), '-'.repeat(COLUMNS), `${t.printed}: ${stamp}`,
  ];
}

/** the decision, then the list again with its outcome (and the slip's) on it */
export async function decideOpenWithdrawal(
  deps: OpenWithdrawalsDeps,
  input: { withdrawalId: string; decision: string; comment?: string; who: string; locale: Locale },
): Promise<OpenView> {
  const amount = deps.store.withdrawal(input.withdrawalId)?.amount ?? 0;
  const r = settleWithdrawal(deps, input);
  if (!r.ok) return openWithdrawalsView(deps, { refusal: { code: r.refusal } });
  const lines = settleSlipLines({
    terminalId: deps.terminalId, withdrawalId: input.withdrawalId, amount: r.decision === 'received' ? r.amount : amount, decision: r.decision,
    receiptNumber: r.receiptNumber, who: input.who, comment: (input.comment ?? '').trim(), locale: input.locale, now: deps.now(),
  });
  const slip = await printSlip(deps.printer, lines, deps.codePage);
  return openWithdrawalsView(deps, {
    decision: {
      withdrawalId: input.withdrawalId, decision: r.decision, receiptNumber: r.receiptNumber, amount: r.amount,
      slip: slip.failure ? { printed: slip.printed, failure: slip.failure.slice(0, 80) } : { printed: slip.printed },
    },
  });
}
