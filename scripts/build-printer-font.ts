/**
 * `tsx scripts/build-printer-font.ts [--preview]`: writes drivers/printer/receipt-font-data.ts, the
 * 12 x 24 dot bitmaps the kiosk draws receipt lines with when the printer's code page lacks a letter
 * (Kazakh on PC866 / WPC1251). 12 x 24 is the cell of the printer's own font A, so a raster line
 * lines up with the text lines around it (48 columns on 576 dots, 32 on 384).
 *
 * The bitmaps are rasterised from DejaVu Sans Mono and DejaVu Sans Mono Bold (Debian fonts-dejavu-core,
 * /usr/share/fonts/truetype/dejavu): Bitstream Vera licence, DejaVu changes public domain. The licence
 * allows modified glyphs under a name without "Bitstream" or "Vera": the data file is "receipt font
 * 12x24" and carries the copyright and permission notice. The output is committed, so a kiosk and CI
 * never need the font files; run this again only to change the character set or the cell.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coverage, TrueTypeFont } from './fonts/truetype.js';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const CELL_W = 12;
const CELL_H = 24;
/** rows above the baseline: DejaVu Sans Mono's ascent (1901/2048 em) at 12 dots per advance is 18.5 dots */
const BASELINE = 19;
/** a dot is black when the outline covers at least this share of it */
const THRESHOLD = 0.42;

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

/** ASCII, Russian, the 18 Kazakh letters, and the typography receipts use */
export const CHARSET: string[] = [
  ...range(0x20, 0x7e),
  ...range(0x410, 0x44f), 'Ё', 'ё',
  ...'ӘәҒғҚқҢңӨөҰұҮүҺһІі',
  ...'«»–—…№₸',
];

const LICENCE = `Glyphs rasterised from DejaVu Sans Mono (regular and bold), fonts-dejavu-core:
 * Copyright (c) 2003 by Bitstream, Inc. All Rights Reserved. Bitstream Vera is a trademark of
 * Bitstream, Inc. DejaVu changes are in public domain.
 * Permission is hereby granted, free of charge, to any person obtaining a copy of the fonts
 * accompanying this license ("Fonts") and associated documentation files (the "Font Software"), to
 * reproduce and distribute the Font Software, including without limitation the rights to use, copy,
 * merge, publish, distribute, and/or sell copies of the Font Software, and to permit persons to whom
 * the Font Software is furnished to do so, subject to the following conditions:
 * The above copyright and trademark notices and this permission notice shall be included in all
 * copies of one or more of the Font Software typefaces.
 * The Font Software may be modified, altered, or added to, and in particular the designs of glyphs or
 * characters in the Fonts may be modified and additional glyphs or characters may be added to the
 * Fonts, only if the fonts are renamed to names not containing either the words "Bitstream" or the
 * word "Vera".
 * This License becomes null and void to the extent applicable to Fonts or Font Software that has been
 * modified and is distributed under the "Bitstream Vera" names.
 * The Font Software may be sold as part of a larger software package but no copy of one or more of the
 * Font Software typefaces may be sold by itself.
 * THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
 * BUT NOT LIMITED TO ANY WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 * NONINFRINGEMENT OF COPYRIGHT, PATENT, TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL BITSTREAM OR THE
 * GNOME FOUNDATION BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, INCLUDING ANY GENERAL,
 * SPECIAL, INDIRECT, INCIDENTAL, OR CONSEQUENTIAL DAMAGES, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 * OTHERWISE, ARISING FROM, OUT OF THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM OTHER DEALINGS
 * IN THE FONT SOFTWARE.
 * Except as contained in this notice, the names of Gnome, the Gnome Foundation, and Bitstream Inc.,
 * shall not be used in advertising or otherwise to promote the sale, use or other dealings in this
 * Font Software without prior written authorization from the Gnome Foundation or Bitstream Inc.,
 * respectively.`;

/** one glyph as CELL_H rows of 3 hex digits (12 dots, MSB = leftmost) */
function rasterise(font: TrueTypeFont, ch: string): string | undefined {
  const g = font.glyphIndex(ch);
  if (g === undefined) return undefined;
  const s = CELL_W / font.advance(g);
  const cov = coverage(font.contours(g), CELL_W, CELL_H, (x, y) => ({ x: x * s, y: BASELINE - y * s }));
  let out = '';
  for (let y = 0; y < CELL_H; y++) {
    let row = 0;
    for (let x = 0; x < CELL_W; x++) if (cov[y * CELL_W + x]! >= THRESHOLD) row |= 1 << (CELL_W - 1 - x);
    out += row.toString(16).padStart(3, '0');
  }
  return out;
}

function build(file: string): Record<string, string> {
  const font = new TrueTypeFont(join(FONT_DIR, file));
  const glyphs: Record<string, string> = {};
  for (const ch of CHARSET) {
    const bmp = rasterise(font, ch);
    if (bmp === undefined) console.warn(`${file} has no glyph for ${ch} (U+${ch.codePointAt(0)!.toString(16)})`);
    else glyphs[ch] = bmp;
  }
  return glyphs;
}

function preview(glyphs: Record<string, string>, text: string): string {
  const rows: string[] = Array.from({ length: CELL_H }, () => '');
  for (const ch of text) {
    const hex = glyphs[ch] ?? '0'.repeat(CELL_H * 3);
    for (let y = 0; y < CELL_H; y++) rows[y] += parseInt(hex.slice(y * 3, y * 3 + 3), 16).toString(2).padStart(CELL_W, '0').replace(/0/g, '.').replace(/1/g, '#');
  }
  return rows.join('\n');
}

const regular = build('DejaVuSansMono.ttf');
const bold = build('DejaVuSansMono-Bold.ttf');
if (process.argv.includes('--preview')) {
  const text = process.argv[process.argv.indexOf('--preview') + 1] ?? 'ӘҒҚҢӨҰҮҺІ';
  console.log(preview(regular, text));
  console.log(preview(bold, text));
} else {
  const entries = (g: Record<string, string>): string => Object.entries(g).map(([ch, hex]) => `  ${JSON.stringify(ch)}: '${hex}',`).join('\n');
  const out = `/**
 * Receipt font 12x24: generated by scripts/build-printer-font.ts, do not edit by hand.
 * Each glyph is ${CELL_H} rows of 3 hex digits, ${CELL_W} dots a row, most significant bit = leftmost dot;
 * row ${BASELINE} (0-based) is the first row below the baseline.
 *
 * ${LICENCE}
 */
export const RECEIPT_FONT_CELL = { width: ${CELL_W}, height: ${CELL_H}, baseline: ${BASELINE} } as const;

export const RECEIPT_FONT_REGULAR: Readonly<Record<string, string>> = {
${entries(regular)}
};

export const RECEIPT_FONT_BOLD: Readonly<Record<string, string>> = {
${entries(bold)}
};
`;
  writeFileSync('drivers/printer/receipt-font-data.ts', out);
  console.log(`wrote drivers/printer/receipt-font-data.ts: ${Object.keys(regular).length} regular, ${Object.keys(bold).length} bold glyphs`);
}
