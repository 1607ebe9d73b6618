/**
 * The technician's paper for a dead letter: which message the bank refused, for what amount and
 * receipt, the bank's reason, and every resolution recorded (who, when, retried or closed, the
 * comment). Plain ESC/POS text lines in the terminal's language; printed only when the printer
 * can print now, the same rule as the collection slip.
 */
import type { Locale } from '../bridge/schema.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import { concatBytes, cut, initialize, selectCodePage, textLine } from '../../drivers/printer/escpos-commands.js';
import { EPSON_CODE_PAGES, toPrintable, type CodePageProfile } from '../../drivers/printer/code-page.js';
import type { ResolutionRecord } from './dead-letters.js';
import { printerUsable, type PrintOutcome } from './service-receipts.js';

const TEXT = {
  kk: { title: 'ЖЕТКІЗІЛМЕГЕН ХАБАРЛАМА', terminal: 'Терминал', message: 'Хабарлама', kind: 'Түрі', receipt: 'Түбіртек', amount: 'Сомасы', reason: 'Банк себебі', retried: 'Қайта жіберілді', closed: 'Жабылды', printed: 'Басылды', none: 'Шешім жоқ' },
  ru: { title: 'НЕДОСТАВЛЕННОЕ СООБЩЕНИЕ', terminal: 'Терминал', message: 'Сообщение', kind: 'Вид', receipt: 'Чек', amount: 'Сумма', reason: 'Причина банка', retried: 'Отправлено повторно', closed: 'Закрыто', printed: 'Напечатано', none: 'Решений нет' },
  en: { title: 'UNDELIVERED MESSAGE', terminal: 'Terminal', message: 'Message', kind: 'Kind', receipt: 'Receipt', amount: 'Amount', reason: 'Bank reason', retried: 'Retried', closed: 'Closed', printed: 'Printed', none: 'No resolution' },
} as const satisfies Record<Locale, Record<string, string>>;

export interface DeadLetterFacts {
  key: string;
  kind: string;
  receiptNumber: string | null;
  amount: number;
  reason: string | null;
}

const COLUMNS = 48;

/** splits a long text (a comment, a reason) into lines that fit the paper */
export function wrap(text: string, width = COLUMNS): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word.slice(0, width);
  }
  if (line) out.push(line);
  return out;
}

export const tenge = (tiyn: number): string => `${Math.trunc(tiyn / 100)}.${String(tiyn % 100).padStart(2, '0')} KZT`;

export function slipLines(input: { terminalId: string; letter: DeadLetterFacts; resolutions: readonly ResolutionRecord[]; locale: Locale; now: Date }): string[] {
  const t = TEXT[input.locale];
  const l = input.letter;
  const lines = [
    t.title,
    `${t.terminal}: ${input.terminalId}`,
    `${t.message}: ${l.key}`,
    `${t.kind}: ${l.kind}`,
    ...(l.receiptNumber ? [`${t.receipt}: ${l.receiptNumber}`] : []),
    `${t.amount}: ${tenge(l.amount)}`,
    ...(l.reason ? wrap(`${t.reason}: ${l.reason}`) : []),
    '-'.repeat(COLUMNS),
  ];
  if (input.resolutions.length === 0) lines.push(t.none);
  for (const r of input.resolutions) {
    lines.push(`${r.at.slice(0, 19).replace('T', ' ')} ${r.who}: ${r.resolution === 'retried' ? t.retried : t.closed}`);
    if (r.comment) lines.push(...wrap(r.comment));
  }
  lines.push('-'.repeat(COLUMNS), `${t.printed}: ${input.now.toISOString().slice(0, 19).replace('T', ' ')}`);
  return lines;
}

/** `codePage`: the terminal's printer page (config `devices.printer`), Epson KZ-1048 when not named */
export async function printSlip(printer: ReceiptPrinter, lines: readonly string[], codePage: CodePageProfile = EPSON_CODE_PAGES.kz1048): Promise<PrintOutcome> {
  if (!printerUsable(printer)) return { printed: false, failure: 'printerUnavailable' };
  const page = codePage;
  const job = concatBytes([initialize(), selectCodePage(page), ...lines.map((line) => textLine(toPrintable(line, page.name), page)), cut('full', 3)]);
  const r = await printer.print(job);
  return r.ok ? { printed: true } : { printed: false, failure: r.failure };
}
