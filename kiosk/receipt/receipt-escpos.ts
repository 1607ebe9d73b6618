/**
 * Receipt model -> one ESC/POS job (pure). The text goes through the printer's code page with
 * its fallback (drivers/printer/code-page.ts); ₸, which no single-byte page has, is printed as the
 * locale's word (тг / KZT). QR: printer-native GS ( k with a fed quiet zone, or a GS v 0 raster
 * (quiet zone included) for printers without it. The job ends with feed-to-cutter and a full cut.
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
import { canEncode, EPSON_CODE_PAGES, toPrintable, type CodePageProfile } from '../../drivers/printer/code-page.js';
import type { ReceiptModel } from './receipt-model.js';
import { CURRENCY_SIGN, CURRENCY_WORD } from './money-format.js';
import { layoutReceipt, PAPER, type LayoutBlock, type PaperWidth } from './receipt-layout.js';

export interface EscPosReceiptOptions {
  paper?: PaperWidth;
  /** the printer's page and its ESC t number (default Epson KZ-1048, 53) */
  codePage?: CodePageProfile;
  /** 'native' GS ( k (default) or 'raster' for printers without it */
  qr?: 'native' | 'raster';
}

/** the layout as this printer will print it (text after the page's fallback) */
export function printedLayout(model: ReceiptModel, options: EscPosReceiptOptions = {}): LayoutBlock[] {
  const page = options.codePage ?? EPSON_CODE_PAGES.kz1048;
  const currency = canEncode(CURRENCY_SIGN, page.name) ? CURRENCY_SIGN : CURRENCY_WORD[model.locale];
  return layoutReceipt(model, {
    columns: PAPER[options.paper ?? '80mm'].columns,
    printable: (s) => toPrintable(s, page.name),
    currency,
  });
}

export function receiptToEscPos(model: ReceiptModel, options: EscPosReceiptOptions = {}): Uint8Array {
  const page = options.codePage ?? EPSON_CODE_PAGES.kz1048;
  const paper = PAPER[options.paper ?? '80mm'];
  const parts: Uint8Array[] = [initialize(), selectCodePage(page)];
  let align: string = 'left';
  let bold = false;
  let height = 1;
  for (const block of printedLayout(model, options)) {
    const wantAlign = block.kind === 'qr' ? 'center' : block.align;
    if (wantAlign !== align) {
      parts.push(alignCmd(wantAlign));
      align = wantAlign;
    }
    if (block.kind === 'qr') {
      if (options.qr === 'raster') {
        parts.push(qrRaster(block.payload, paper.dots)); // the bitmap carries its own quiet zone
      } else {
        // GS ( k prints no quiet zone: feed 4 modules above and below (the sides are blank paper)
        const moduleSize = paper.columns > 32 ? 6 : 4;
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
