/**
 * The technician's test receipt, decoded by the printer emulator's mechanism: a line per language
 * with every Kazakh-specific letter, a QR code, and the code page in use by name and ESC t number.
 */
import { describe, expect, it } from 'vitest';
import { KAZAKH_LETTERS, TEST_RECEIPT_LINES, testReceiptToEscPos } from '../../../kiosk/receipt/test-receipt.js';
import { PrintMechanism, type PaperItem } from '../../../simulators/devices/printer/print-mechanism.js';
import { containsRealtimeCommand } from '../../../drivers/printer/escpos-commands.js';
import type { CodePageProfile, EscTNumbering } from '../../../drivers/printer/code-page.js';

const info = { terminalId: 'KZ-ALA-0042', printedAt: '2026-12-05T13:04:05+05:00' };

function print(codePage: CodePageProfile, numbering: EscTNumbering, dotWidth = 576) {
  const job = testReceiptToEscPos(info, { codePage, dotWidth });
  expect(containsRealtimeCommand(job)).toBe(false);
  const m = new PrintMechanism(undefined, { escT: numbering });
  m.receive(job);
  expect(m.receipts).toHaveLength(1);
  expect(m.unknownCommands).toBe(0);
  return m.receipts[0]!;
}

/** every line on the paper, text or raster, trimmed */
const shown = (items: readonly PaperItem[]): string[] =>
  items.flatMap((i) => (i.kind === 'line' ? [i.text.trim()] : i.kind === 'image' && i.text !== undefined ? [i.text.trim()] : []));

describe('technician test receipt', () => {
  it('on KZ-1048 prints all three languages as text, the Kazakh letters included, the page and a QR', () => {
    const r = print({ name: 'kz1048', escT: 53 }, { kz1048: 53 });
    expect(r.items.some((i) => i.kind === 'image')).toBe(false);
    expect(r.lines).toEqual(expect.arrayContaining([TEST_RECEIPT_LINES.kk, TEST_RECEIPT_LINES.ru, TEST_RECEIPT_LINES.en, KAZAKH_LETTERS, 'Code page: KZ-1048, ESC t 53']));
    expect(r.lines.slice(0, 3)).toEqual(['Сынақ басып шығару', 'Пробная печать', 'Test print']);
    expect(r.lines.at(-1)).toBe('KZ-1048, ESC t 53');
    expect(r.qr).toEqual(['TEST KZ-ALA-0042 KZ-1048, ESC t 53']);
    for (const letter of 'ӘҒҚҢӨҰҮҺІәғқңөұүһі') expect(r.lines.join('')).toContain(letter);
  });

  it('on PC866 (no Kazakh letters) prints the Kazakh lines as images as wide as the head, the rest as text', () => {
    const r = print({ name: 'cp866', escT: 17 }, { cp866: 17 }, 384);
    const images = r.items.filter((i) => i.kind === 'image' && i.text !== undefined);
    expect(images).toHaveLength(3); // the Kazakh title, the Kazakh line, the letters
    expect(images.every((i) => i.kind === 'image' && i.widthDots === 384)).toBe(true);
    const all = shown(r.items);
    expect(all).toContain(KAZAKH_LETTERS);
    expect(all).toContain(TEST_RECEIPT_LINES.kk);
    expect(all).toContain('Сынақ басып шығару');
    expect(r.lines).toEqual(expect.arrayContaining([TEST_RECEIPT_LINES.en, 'Code page: PC866, ESC t 17', 'Dot width: 384, columns: 32']));
    expect(r.lines).toContain(TEST_RECEIPT_LINES.ru); // ё is in PC866: text, not an image
    expect(r.qr).toEqual(['TEST KZ-ALA-0042 PC866, ESC t 17']);
  });

  it('on an Xprinter-numbered WPC1251 (ESC t 23) names that number and decodes under it', () => {
    const r = print({ name: 'wpc1251', escT: 23 }, { wpc1251: 23, cp866: 17 });
    expect(r.lines).toContain('Code page: WPC1251, ESC t 23');
    expect(r.lines).toContain(TEST_RECEIPT_LINES.ru);
    expect(shown(r.items)).toContain(TEST_RECEIPT_LINES.kk);
  });
});
