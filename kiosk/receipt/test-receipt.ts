/**
 * The technician's test receipt (service menu "Test print"): shows on the paper whether this
 * printer prints every language the kiosk uses. A line in Kazakh with all 18 Kazakh-specific
 * letters, one in Russian, one in English, a QR code, and the code page in use by name and ESC t
 * number, so a wrong `devices.printer.escT` or a page without Kazakh letters is seen at once (on
 * PC866 / WPC1251 the Kazakh lines come out as raster images, as customer receipts do).
 */
import { CODE_PAGE_LABEL, EPSON_CODE_PAGES, toPrintable } from '../../drivers/printer/code-page.js';
import { columnsFor, hasGlyph } from '../../drivers/printer/text-raster.js';
import { dotWidthOf, layoutToEscPos, type EscPosReceiptOptions } from './receipt-escpos.js';
import { formatDateTime, wrap, type LayoutBlock } from './receipt-layout.js';

/** every Kazakh-specific letter, capitals then small */
export const KAZAKH_LETTERS = 'ӘҒҚҢӨҰҮҺІ әғқңөұүһі';

/** each fits 32 columns (58 mm), so no line wraps on any head */
export const TEST_RECEIPT_LINES = {
  title: ['Сынақ басып шығару', 'Пробная печать', 'Test print'],
  kk: `Қазақша: ${KAZAKH_LETTERS}`,
  ru: 'Русский: Съешь же ещё этих булок',
  en: 'English: The quick brown fox',
} as const;

export interface TestReceiptInfo {
  terminalId: string;
  /** local wall time, ISO 8601 */
  printedAt: string;
}

export function testReceiptLayout(info: TestReceiptInfo, options: EscPosReceiptOptions = {}): LayoutBlock[] {
  const page = options.codePage ?? EPSON_CODE_PAGES.kz1048;
  const dotWidth = dotWidthOf(options);
  const columns = columnsFor(dotWidth);
  const p = (s: string): string => toPrintable(s, page.name, (options.missingGlyphs ?? 'raster') === 'raster' ? { keep: hasGlyph } : {});
  const blocks: LayoutBlock[] = [];
  const add = (text: string, align: 'left' | 'center' = 'left', bold = false): void => {
    for (const l of wrap(p(text), columns)) blocks.push({ kind: 'line', text: l, align, bold, height: 1 });
  };
  const codePage = `${CODE_PAGE_LABEL[page.name]}, ESC t ${page.escT}`;
  for (const title of TEST_RECEIPT_LINES.title) add(title, 'center', true);
  add(`${info.terminalId} ${formatDateTime(info.printedAt)}`, 'center');
  blocks.push({ kind: 'line', text: '-'.repeat(columns), align: 'left', bold: false, height: 1 });
  add(`Code page: ${codePage}`);
  add(`Dot width: ${dotWidth}, columns: ${columns}`);
  blocks.push({ kind: 'line', text: '-'.repeat(columns), align: 'left', bold: false, height: 1 });
  add(TEST_RECEIPT_LINES.kk);
  add(TEST_RECEIPT_LINES.ru);
  add(TEST_RECEIPT_LINES.en);
  add(KAZAKH_LETTERS, 'left', true);
  blocks.push({ kind: 'qr', payload: `TEST ${info.terminalId} ${codePage}` });
  add(codePage, 'center');
  return blocks;
}

export function testReceiptToEscPos(info: TestReceiptInfo, options: EscPosReceiptOptions = {}): Uint8Array {
  return layoutToEscPos(testReceiptLayout(info, options), options);
}
