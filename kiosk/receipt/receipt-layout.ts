/**
 * Receipt model -> lines for a paper of N columns (48 on 80 mm, 32 on 58 mm, font A). Pure.
 * Every line fits the columns; label/value rows put the value flush right, or on its own line
 * when both do not fit. `printable` maps text to what the output can show (the printer's code
 * page fallback), applied before measuring so padding stays exact.
 */
import type { Locale } from '../bridge/schema.js';
import type { ReceiptModel } from './receipt-model.js';
import { RECEIPT_TEXTS } from './receipt-texts.js';
import { CURRENCY_SIGN, formatTenge } from './money-format.js';

export type PaperWidth = '80mm' | '58mm';
export const PAPER: Record<PaperWidth, { columns: number; dots: number }> = {
  '80mm': { columns: 48, dots: 576 },
  '58mm': { columns: 32, dots: 384 },
};

export type LayoutAlign = 'left' | 'center' | 'right';
export type LayoutBlock =
  | { kind: 'line'; text: string; align: LayoutAlign; bold: boolean; height: 1 | 2 }
  | { kind: 'qr'; payload: string };

export interface LayoutOptions {
  columns: number;
  printable?: (text: string) => string;
  /** the currency text after amounts (default ₸) */
  currency?: string;
}

const len = (s: string): number => [...s].length;

/** word wrap to `width` columns; words longer than a line are split */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (len(w) > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      const cps = [...w];
      out.push(cps.slice(0, width).join(''));
      w = cps.slice(width).join('');
    }
    if (!w) continue;
    if (!line) line = w;
    else if (len(line) + 1 + len(w) <= width) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  return out;
}

/** "2026-11-25T19:23:14+05:00" -> "25.11.2026 19:23:14" (the wall time the kiosk recorded) */
export function formatDateTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new RangeError(`not an ISO date-time: ${iso}`);
  return `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}:${m[6]}`;
}

export function layoutReceipt(model: ReceiptModel, options: LayoutOptions): LayoutBlock[] {
  const { columns } = options;
  const p = options.printable ?? ((s: string) => s);
  const currency = options.currency ?? CURRENCY_SIGN;
  const locale: Locale = model.locale;
  const t = RECEIPT_TEXTS[locale];
  const money = (tiyn: number): string => formatTenge(tiyn, locale, currency);
  const blocks: LayoutBlock[] = [];
  const line = (text: string, align: LayoutAlign = 'left', bold = false, height: 1 | 2 = 1): void => {
    blocks.push({ kind: 'line', text, align, bold, height });
  };
  const centered = (text: string, bold = false, height: 1 | 2 = 1): void => {
    for (const l of wrap(p(text), columns)) line(l, 'center', bold, height);
  };
  const row = (label: string, value: string, bold = false): void => {
    const l = p(label);
    const v = p(value);
    if (len(l) + 1 + len(v) <= columns) {
      line(l + ' '.repeat(columns - len(l) - len(v)) + v, 'left', bold);
      return;
    }
    for (const part of wrap(l, columns)) line(part, 'left', bold);
    for (const part of wrap(v, columns)) line(' '.repeat(columns - len(part)) + part, 'left', bold);
  };
  const rule = (): void => line('-'.repeat(columns));

  if (model.copy) centered(t.copy, true, 2);
  centered(model.bankName, true, 2);
  if (model.bankBin) centered(`${t.bin} ${model.bankBin}`);
  if (model.address) centered(model.address);
  rule();
  row(t.terminal, model.terminalId);
  row(t.date, formatDateTime(model.dateTime));
  row(t.receiptNo, model.receiptNumber);
  rule();
  centered(model.cashSlip ? t.slips[model.cashSlip.kind] : t.operations[model.operation], true);
  for (const u of model.cashSlip?.units ?? []) {
    const [kind = '', index] = u.unit.split(':');
    const name = kind === 'cassette' ? `${t.units.cassette} ${Number(index ?? 0) + 1}` : (t.units as Record<string, string>)[kind] ?? u.unit;
    line(p(`${name}: ${money(u.denomination)}`));
    if (u.removed !== undefined) row(`  ${t.removed}`, String(u.removed));
    row(`  ${t.counter}`, `${u.count} = ${money(u.denomination * u.count)}`);
    if (u.counted !== undefined) {
      row(`  ${t.counted}`, `${u.counted} = ${money(u.denomination * u.counted)}`);
      const diff = u.counted - u.count;
      row(`  ${t.difference}`, `${diff > 0 ? '+' : ''}${diff}`, true);
    }
  }
  if (model.beneficiary) row(t.beneficiary, model.beneficiary);
  if (model.payer) row(t[model.payer.kind], model.payer.masked);
  if (model.notes && model.notes.length > 0) {
    line(p(t.notes));
    for (const n of model.notes) row(`  ${money(n.denomination)} x ${n.count}`, money(n.denomination * n.count));
  }
  // a PIN change moves no money: the slip says what was done to which (masked) card, nothing more
  if (model.operation !== 'changePin') {
    row(t.amount, money(model.amount));
    row(t.commission, money(model.commission));
    row(t.total, money(model.total), true);
  }
  row(t.status, t.statuses[model.status], true);
  if (model.paidAtExit) for (const part of wrap(p(t.paidAtExit), columns)) line(part);
  rule();
  blocks.push({ kind: 'qr', payload: model.qrPayload ?? model.receiptNumber });
  centered(model.receiptNumber);
  if (model.copy) {
    centered(`${t.copyPrinted} ${formatDateTime(model.copy.printedAt)}`);
    centered(t.copy, true);
  } else centered(t.footer);
  return blocks;
}
