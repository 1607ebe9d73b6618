/**
 * A text line drawn as a GS v 0 raster image (reference escpos.md §2 "Fallback when a glyph is
 * missing", §5): how a receipt prints a Kazakh line on a printer whose code page has no Kazakh
 * letters. The glyphs are the 12 x 24 receipt font (receipt-font-data.ts), the printer's own font A
 * cell, so the image lines up with the text lines around it; the image spans the printer's whole
 * dot width with the text placed as the printer would align it.
 *
 * DLE EOT / ENQ / DC4 must never occur inside image data (the printer executes them on arrival,
 * §6): a line whose bytes would contain one is drawn shifted by a dot or two, and only if no shift
 * helps is the offending lone dot left out.
 */
import { CodecError } from '../common/codec-error.js';
import { RECEIPT_FONT_BOLD, RECEIPT_FONT_CELL, RECEIPT_FONT_REGULAR } from './receipt-font-data.js';

const { width: CELL_W, height: CELL_H } = RECEIPT_FONT_CELL;
const GS = 0x1d;
const DLE = 0x10;

export interface TextRasterOptions {
  /** the printer's dots per line (576 on an 80 mm 203 dpi head) */
  dotWidth: number;
  align?: 'left' | 'center' | 'right';
  bold?: boolean;
  /** 1 or 2: double height as GS ! would print it */
  height?: 1 | 2;
}

/** whether the receipt font can draw this character */
export function hasGlyph(ch: string): boolean {
  return RECEIPT_FONT_REGULAR[ch] !== undefined;
}

/** how many characters of the receipt font fit a line of this many dots (48 on 576, 32 on 384) */
export const columnsFor = (dotWidth: number): number => Math.floor(dotWidth / CELL_W);

function glyphRow(ch: string, bold: boolean, y: number): number {
  const hex = (bold ? RECEIPT_FONT_BOLD : RECEIPT_FONT_REGULAR)[ch] ?? RECEIPT_FONT_REGULAR['?']!;
  return parseInt(hex.slice(y * 3, y * 3 + 3), 16);
}

/** the packed rows (MSB = leftmost dot) of the text placed `shift` dots right of its aligned position */
function pack(chars: string[], o: Required<TextRasterOptions>, shift: number): Uint8Array {
  const rowBytes = o.dotWidth / 8;
  const textW = chars.length * CELL_W;
  const x0 = Math.max(0, (o.align === 'center' ? Math.floor((o.dotWidth - textW) / 2) : o.align === 'right' ? o.dotWidth - textW : 0) + shift);
  const rows = CELL_H * o.height;
  const out = new Uint8Array(rowBytes * rows);
  for (let y = 0; y < rows; y++) {
    const gy = Math.floor(y / o.height);
    chars.forEach((ch, i) => {
      const bits = glyphRow(ch, o.bold, gy);
      for (let bx = 0; bx < CELL_W; bx++) {
        if (!(bits & (1 << (CELL_W - 1 - bx)))) continue;
        const x = x0 + i * CELL_W + bx;
        if (x >= 0 && x < o.dotWidth) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
      }
    });
  }
  return out;
}

const isRealtimeAfterDle = (b: number | undefined): boolean => b === 0x04 || b === 0x05 || b === 0x14;

function hasRealtime(data: Uint8Array): boolean {
  for (let i = 0; i + 1 < data.length; i++) if (data[i] === DLE && isRealtimeAfterDle(data[i + 1])) return true;
  return false;
}

/** clears the lone dot of every DLE (0x10) that a real-time function byte follows; returns how many */
export function clearRealtimeSequences(data: Uint8Array): number {
  let cleared = 0;
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] === DLE && isRealtimeAfterDle(data[i + 1])) {
      data[i] = 0;
      cleared++;
    }
  }
  return cleared;
}

/** GS v 0 bytes of one text line, as wide as the printer's line */
export function textRaster(text: string, options: TextRasterOptions): Uint8Array {
  const o: Required<TextRasterOptions> = { align: 'left', bold: false, height: 1, ...options };
  if (!Number.isInteger(o.dotWidth) || o.dotWidth < 64 || o.dotWidth % 8 !== 0 || o.dotWidth > 2040) {
    throw new CodecError('escpos', `dot width must be a multiple of 8 from 64 to 2040, got ${o.dotWidth}`);
  }
  const chars = [...text].slice(0, columnsFor(o.dotWidth));
  let data: Uint8Array | undefined;
  for (const shift of [0, 1, 2, 3, 4, 5, 6, 7]) {
    const candidate = pack(chars, o, o.align === 'right' ? -shift : shift);
    if (!hasRealtime(candidate)) {
      data = candidate;
      break;
    }
  }
  if (!data) {
    data = pack(chars, o, 0);
    clearRealtimeSequences(data);
  }
  const rowBytes = o.dotWidth / 8;
  const rows = CELL_H * o.height;
  const out = new Uint8Array(8 + data.length);
  out.set([GS, 0x76, 0x30, 0x00, rowBytes & 0xff, rowBytes >> 8, rows & 0xff, rows >> 8]);
  out.set(data, 8);
  return out;
}

const glyphIndex = (() => {
  let index: Map<string, string[]> | undefined;
  return (): Map<string, string[]> => {
    if (!index) {
      index = new Map();
      for (const font of [RECEIPT_FONT_REGULAR, RECEIPT_FONT_BOLD]) {
        for (const [ch, hex] of Object.entries(font)) {
          if (ch === ' ') continue;
          const chars = index.get(hex) ?? [];
          if (!chars.includes(ch)) chars.push(ch);
          index.set(hex, chars);
        }
      }
    }
    return index;
  };
})();

const isCyrillic = (ch: string): boolean => /\p{Script=Cyrillic}/u.test(ch);
const isLatin = (ch: string): boolean => /[A-Za-z]/.test(ch);

/**
 * Latin and Cyrillic share glyphs (K/К, 3/З, a/а): a cell that reads as several characters takes
 * the script of the nearest unambiguous letter in its word, else the ASCII one.
 */
function resolveHomoglyphs(cells: (string[] | undefined)[]): string {
  const sure = cells.map((c) => (c && c.length === 1 ? c[0]! : undefined));
  return cells
    .map((c, i) => {
      if (!c) return '?';
      if (c.length === 1) return c[0]!;
      let script: 'cyrillic' | 'latin' | undefined;
      for (const dir of [-1, 1]) {
        for (let j = i + dir; j >= 0 && j < cells.length && cells[j]?.[0] !== ' ' && script === undefined; j += dir) {
          const s = sure[j];
          if (s && isCyrillic(s)) script = 'cyrillic';
          else if (s && isLatin(s)) script = 'latin';
        }
        if (script) break;
      }
      const pick = script === 'cyrillic' ? c.find(isCyrillic) : c.find((ch) => ch.charCodeAt(0) < 0x80);
      return pick ?? c[0]!;
    })
    .join('');
}

/**
 * Reads a raster drawn with the receipt font back to text (the emulator's view of a raster line,
 * for tests and the panel): the image is cut into 12 x 24 cells on the grid offset that matches the
 * most glyphs, each cell read by exact match (blank = space, no match = '?'). Returns undefined
 * when nothing in the image is a glyph (a QR symbol, a logo). Trailing spaces are dropped.
 */
export function readRasterText(data: Uint8Array, widthBytes: number, height: number): string | undefined {
  const scale = height === CELL_H * 2 ? 2 : height === CELL_H ? 1 : 0;
  if (scale === 0) return undefined;
  const index = glyphIndex();
  const widthDots = widthBytes * 8;
  const dot = (x: number, y: number): number => ((data[y * scale * widthBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
  let best: { matched: number; cells: (string[] | undefined)[] } = { matched: 0, cells: [] };
  for (let offset = 0; offset < CELL_W; offset++) {
    let matched = 0;
    const cells: (string[] | undefined)[] = [];
    for (let x0 = offset; x0 + CELL_W <= widthDots; x0 += CELL_W) {
      let hex = '';
      let blank = true;
      for (let y = 0; y < CELL_H; y++) {
        let row = 0;
        for (let bx = 0; bx < CELL_W; bx++) row = (row << 1) | dot(x0 + bx, y);
        if (row !== 0) blank = false;
        hex += row.toString(16).padStart(3, '0');
      }
      const chars = blank ? [' '] : index.get(hex);
      if (chars && !blank) matched++;
      cells.push(chars);
    }
    if (matched > best.matched) best = { matched, cells };
  }
  if (best.matched === 0) return undefined;
  return resolveHomoglyphs(best.cells).trimEnd();
}
