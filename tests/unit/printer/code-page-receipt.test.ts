/**
 * Receipts on every code page, checked by decoding the bytes with the project's own decoder (the
 * printer emulator's mechanism): KZ-1048 prints Kazakh as text; PC866 / WPC1251 print the lines
 * with Kazakh letters as GS v 0 images as wide as the head (read back with the receipt font) and
 * every other line as text; a model numbering its tables differently reads the job only when the
 * kiosk sends that model's number.
 */
import { describe, expect, it } from 'vitest';
import { ReceiptModel } from '../../../kiosk/receipt/receipt-model.js';
import { printedLayout, receiptToEscPos, type EscPosReceiptOptions } from '../../../kiosk/receipt/receipt-escpos.js';
import { PrintMechanism, type PaperItem } from '../../../simulators/devices/printer/print-mechanism.js';
import { EPSON_CODE_PAGES, fitsPage, numberingWith, parseEscTNumbering } from '../../../drivers/printer/code-page.js';
import { EscPosDecoder } from '../../../drivers/printer/escpos-decoder.js';
import { containsRealtimeCommand } from '../../../drivers/printer/escpos-commands.js';
import { clearRealtimeSequences, readRasterText, textRaster } from '../../../drivers/printer/text-raster.js';
import type { LayoutBlock } from '../../../kiosk/receipt/receipt-layout.js';

const model = (locale: 'kk' | 'ru' | 'en', over: Record<string, unknown> = {}) =>
  ReceiptModel.parse({
    locale,
    bankName: 'Қазақстан Халық Банкі',
    terminalId: 'KZ-ALA-0042',
    address: 'Алматы қ., Әл-Фараби даңғылы 77/8, Esentai Mall, 1-қабат',
    dateTime: '2026-11-25T19:23:14+05:00',
    receiptNumber: 'KZ0042-000123',
    operation: 'cashIn',
    payer: { kind: 'card', masked: '440043******1234' },
    notes: [{ denomination: 500000, count: 2 }],
    amount: 1000000,
    commission: 0,
    total: 1000000,
    status: 'completed',
    qrPayload: 'https://bank.kz/r/KZ0042-000123',
    ...over,
  });

/** what the paper shows, line by line: text lines as decoded, raster lines as read back */
type PaperLine = { kind: 'text' | 'image'; text: string; widthDots?: number };
function paperLines(items: readonly PaperItem[]): PaperLine[] {
  return items.flatMap((i): PaperLine[] => {
    if (i.kind === 'line') return [{ kind: 'text' as const, text: i.text }];
    if (i.kind === 'image' && i.text !== undefined) return [{ kind: 'image' as const, text: i.text, widthDots: i.widthDots }];
    return [];
  });
}

/** a layout line as the paper should show it (an image spans the head, so a centred line has spaces around it) */
const lineOf = (b: Extract<LayoutBlock, { kind: 'line' }>, image: boolean): string => (image && b.align === 'center' ? b.text.trim() : b.text);

function printOn(options: EscPosReceiptOptions, numbering = parseEscTNumbering('kz1048:53,cp866:17,wpc1251:46,pc437:0'), locale: 'kk' | 'ru' | 'en' = 'kk') {
  const job = receiptToEscPos(model(locale), options);
  const mechanism = new PrintMechanism(() => new Date('2026-12-05T08:00:00Z'), { escT: numbering });
  mechanism.receive(job);
  return { job, mechanism, receipt: mechanism.receipts[0]!, layout: printedLayout(model(locale), options) };
}

describe('receipt code pages, decoded', () => {
  it('KZ-1048 under ESC t 53: every line is text and reads back with its Kazakh letters', () => {
    const { job, receipt, layout, mechanism } = printOn({ codePage: EPSON_CODE_PAGES.kz1048 });
    expect(Buffer.from(job.subarray(0, 5)).toString('hex')).toBe('1b401b7435');
    const expected = layout.flatMap((b) => (b.kind === 'line' ? [b.text] : []));
    expect(receipt.lines).toEqual(expected);
    expect(receipt.lines[0]).toBe('Қазақстан Халық Банкі');
    expect(receipt.lines.join('\n')).toMatch(/Әл-Фараби даңғылы/);
    expect(receipt.items.some((i) => i.kind === 'image')).toBe(false);
    expect(receipt.qr).toEqual(['https://bank.kz/r/KZ0042-000123']);
    expect(mechanism.unknownCommands).toBe(0);
    // the decoder alone sees the same select and the reference's KZ-1048 bytes for Қ (8D) and Ә (A3)
    const cmds = new EscPosDecoder().push(job);
    expect(cmds.find((c) => c.type === 'codePage')).toEqual({ type: 'codePage', n: 53 });
    const text = cmds.flatMap((c) => (c.type === 'text' ? [...c.bytes] : []));
    expect(text).toContain(0x8d);
    expect(text).toContain(0xa3);
  });

  for (const [page, dotWidth] of [['cp866', 576], ['wpc1251', 576], ['cp866', 384], ['wpc1251', 512]] as const) {
    it(`${page} on a ${dotWidth}-dot head: Kazakh lines are images as wide as the head, the rest is text`, () => {
      const { job, receipt, layout, mechanism } = printOn({ codePage: EPSON_CODE_PAGES[page], dotWidth });
      expect(Buffer.from(job.subarray(2, 5)).toString('hex')).toBe(`1b74${EPSON_CODE_PAGES[page].escT.toString(16).padStart(2, '0')}`);
      expect(containsRealtimeCommand(job)).toBe(false);
      const lines = layout.flatMap((b) => (b.kind === 'line' ? [b] : []));
      const rastered = lines.filter((b) => !fitsPage(b.text, page));
      expect(rastered.length).toBeGreaterThan(3); // bank name, address, labels with Kazakh letters
      const expected = lines.map((b) => {
        const image = !fitsPage(b.text, page);
        return image ? { kind: 'image', text: lineOf(b, true), widthDots: dotWidth } : { kind: 'text', text: b.text };
      });
      // a centred image line has the spaces the printer would have centred it with
      const got = paperLines(receipt.items).map((l, i) => (l.kind === 'image' && lines[i]?.align === 'center' ? { ...l, text: l.text.trim() } : l));
      expect(got).toEqual(expected);
      expect(receipt.items.filter((i) => i.kind === 'image').every((i) => i.kind === 'image' && i.widthDots === dotWidth && i.heightDots % 24 === 0)).toBe(true);
      expect(got.find((l) => l.kind === 'image')?.text).toBe('Қазақстан Халық Банкі');
      expect(receipt.qr).toEqual(['https://bank.kz/r/KZ0042-000123']);
      expect(mechanism.unknownCommands).toBe(0);
    });
  }

  it('a Russian receipt without Kazakh names needs no image on PC866', () => {
    const over = { bankName: 'Народный Банк', address: 'Алматы, пр. Абая 1' };
    const options = { codePage: EPSON_CODE_PAGES.cp866 };
    const m = new PrintMechanism(undefined, { escT: { cp866: 17 } });
    m.receive(receiptToEscPos(model('ru', over), options));
    expect(m.receipts[0]!.items.some((i) => i.kind === 'image')).toBe(false);
    expect(m.receipts[0]!.lines).toEqual(printedLayout(model('ru', over), options).flatMap((b) => (b.kind === 'line' ? [b.text] : [])));
    expect(m.receipts[0]!.lines).toContain('Народный Банк');
  });

  it('a model that numbers KZ-1048 differently reads the job only with its own number', () => {
    // an invented firmware numbering: KZ-1048 under 33 and no other Cyrillic table
    const model33 = parseEscTNumbering('kz1048:33,pc437:0');
    const right = printOn({ codePage: { name: 'kz1048', escT: 33 } }, model33);
    expect(right.job[4]).toBe(33);
    expect(right.receipt.lines[0]).toBe('Қазақстан Халық Банкі');
    expect(right.receipt.lines).toEqual(right.layout.flatMap((b) => (b.kind === 'line' ? [b.text] : [])));
    expect(right.mechanism.unknownCodePages).toBe(0);
    // Epson's 53 means nothing to that model: it stays in PC437 and prints the wrong glyphs
    const wrong = printOn({ codePage: EPSON_CODE_PAGES.kz1048 }, model33);
    expect(wrong.mechanism.unknownCodePages).toBe(1);
    expect(wrong.receipt.lines[0]).not.toBe('Қазақстан Халық Банкі');
    // and the numbering the simulator gets from the kiosk's config moves the table, dropping a clash
    expect(numberingWith('wpc1251', 17)).toEqual({ kz1048: 53, pc437: 0, wpc1251: 17 });
  });
});

describe('text raster', () => {
  it('draws a line as wide as the head and reads it back, bold and double height too', () => {
    for (const [bold, height] of [[false, 1], [true, 1], [false, 2]] as const) {
      const bytes = textRaster('ӘҒҚҢӨҰҮҺІ әғқңөұүһі', { dotWidth: 576, bold, height });
      expect([...bytes.subarray(0, 8)]).toEqual([0x1d, 0x76, 0x30, 0, 72, 0, 24 * height, 0]);
      expect(readRasterText(bytes.subarray(8), 72, 24 * height)).toBe('ӘҒҚҢӨҰҮҺІ әғқңөұүһі');
    }
    const right = textRaster('Барлығы', { dotWidth: 384, align: 'right' });
    expect(readRasterText(right.subarray(8), 48, 24)).toBe(`${' '.repeat(32 - 7)}Барлығы`);
  });

  it('never leaves DLE EOT / ENQ / DC4 in image data', () => {
    const data = Uint8Array.of(0x10, 0x04, 0x00, 0x10, 0x05, 0x10, 0x14, 0x10, 0x20);
    expect(clearRealtimeSequences(data)).toBe(3);
    expect(containsRealtimeCommand(data)).toBe(false);
    const all = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдежзийклмнопрстуфхцчшщъыьэюя 0123456789 .,:;-+*/()"\'!?';
    for (const dotWidth of [384, 512, 576]) {
      for (let i = 0; i < all.length; i += 3) {
        expect(containsRealtimeCommand(textRaster([...all].slice(i).join(''), { dotWidth, align: 'center' }))).toBe(false);
      }
    }
  });
});

