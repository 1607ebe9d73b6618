/**
 * Receipt model -> one ESC/POS job (pure). Text goes out in the printer's code page (config
 * `devices.printer.codePage`, selected with this model's `ESC t` number, `devices.printer.escT`); a
 * line with a letter the page lacks (Kazakh on PC866 / WPC1251) goes out as a GS v 0 raster drawn
 * with the receipt font at the printer's dot width (drivers/printer/text-raster.ts). ₸, which no
 * single-byte page has, is printed as the locale's word (тг / KZT). QR: printer-native GS ( k with a
 * fed quiet zone, or a GS v 0 raster (quiet zone included) for printers without it. The job ends
 * with feed-to-cutter and a full cut.
 */
import {
  align as alignCmd,
  bold as boldCmd,
  concatBytes,
  cut,
  feedDots,
  initialize,
  qrNative,
  selectCodePage,
  size,
  textLine,
} from '../../drivers/printer/escpos-commands.js';
import { qrRaster } from '../../drivers/printer/qr-raster.js';
import { canEncode, EPSON_CODE_PAGES, fitsPage, toPrintable, type CodePageProfile } from '../../drivers/printer/code-page.js';
import { columnsFor, hasGlyph, textRaster } from '../../drivers/printer/text-raster.js';
import type { ReceiptModel } from './receipt-model.js';
import { CURRENCY_SIGN, CURRENCY_WORD } from './money-format.js';
import { layoutReceipt, PAPER, type LayoutBlock, type PaperWidth } from './receipt-layout.js';

export interface EscPosReceiptOptions {
  /** shorthand for the dot width of a common head (80mm = 576, 58mm = 384); `dotWidth` wins */
  paper?: PaperWidth;
  /** the printer's dots per line (config `devices.printer.dotWidth`) */
  dotWidth?: number;
  /** the printer's page and its ESC t number (default Epson KZ-1048, 53) */
  codePage?: CodePageProfile;
  /** 'native' GS ( k (default) or 'raster' for printers without it */
  qr?: 'native' | 'raster';
  /**
   * 'raster' (default): a line the page cannot print goes out as an image; 'text': it is printed
   * with look-alike letters (Қ -> К) instead, for a printer that cannot take images
   */
  missingGlyphs?: 'raster' | 'text';
}

export function dotWidthOf(options: Pick<EscPosReceiptOptions, 'paper' | 'dotWidth'>): number {
  return options.dotWidth ?? PAPER[options.paper ?? '80mm'].dots;
}

/** the layout as this printer will print it (text after the page's fallback; raster lines keep their letters) */
export function printedLayout(model: ReceiptModel, options: EscPosReceiptOptions = {}): LayoutBlock[] {
  const page = options.codePage ?? EPSON_CODE_PAGES.kz1048;
  const currency = canEncode(CURRENCY_SIGN, page.name) ? CURRENCY_SIGN : CURRENCY_WORD[model.locale];
  const raster = (options.missingGlyphs ?? 'raster') === 'raster';
  return layoutReceipt(model, {
    columns: columnsFor(dotWidthOf(options)),
    printable: (s) => toPrintable(s, page.name, raster ? { keep: hasGlyph } : {}),
    currency,
  });
}

/** the job's lines: a text line in the page, or the same line as an image when the page cannot print it */
export function layoutToEscPos(blocks: readonly LayoutBlock[], options: EscPosReceiptOptions = {}): Uint8Array {
  const page = options.codePage ?? EPSON_CODE_PAGES.kz1048;
  const dotWidth = dotWidthOf(options);
  const columns = columnsFor(dotWidth);
  const parts: Uint8Array[] = [initialize(), selectCodePage(page)];
  let align: string = 'left';
  let bold = false;
  let height = 1;
  for (const block of blocks) {
    if (block.kind === 'line' && !fitsPage(block.text, page.name)) {
      // the image spans the whole line and carries its own alignment and weight; size does not
      // apply to GS v 0, so the image is drawn at the line's height
      parts.push(textRaster(block.text, { dotWidth, align: block.align, bold: block.bold, height: block.height }));
      continue;
    }
    const wantAlign = block.kind === 'qr' ? 'center' : block.align;
    if (wantAlign !== align) {
      parts.push(alignCmd(wantAlign));
      align = wantAlign;
    }
    if (block.kind === 'qr') {
      if (options.qr === 'raster') {
        parts.push(qrRaster(block.payload, dotWidth)); // the bitmap carries its own quiet zone
      } else {
        // GS ( k prints no quiet zone: feed 4 modules above and below (the sides are blank paper)
        const moduleSize = columns > 32 ? 6 : 4;
        parts.push(feedDots(4 * moduleSize), qrNative(block.payload, { moduleSize }), feedDots(4 * moduleSize));
      }
      continue;
    }
    if (block.bold !== bold) {
      parts.push(boldCmd(block.bold));
      bold = block.bold;
    }
    if (block.height !== height) {
      parts.push(size(1, block.height));
      height = block.height;
    }
    parts.push(textLine(block.text, page));
  }
  parts.push(cut('full', 3));
  return concatBytes(parts);
}

export function receiptToEscPos(model: ReceiptModel, options: EscPosReceiptOptions = {}): Uint8Array {
  return layoutToEscPos(printedLayout(model, options), options);
}
