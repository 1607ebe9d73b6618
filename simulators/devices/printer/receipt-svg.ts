/**
 * A printed receipt drawn as SVG paper for the panel: text lines in a monospace face at their
 * size and alignment, QR payloads drawn as real symbols, raster images dot for dot.
 */
import QRCode from 'qrcode';
import type { PrintedReceipt } from './print-mechanism.js';

const CHAR_W = 12; // dots per column of font A at 80 mm (576 dots / 48 columns)
const LINE_H = 24;

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function receiptSvg(r: PrintedReceipt, columns = 48): string {
  const width = columns * CHAR_W + 32;
  const body: string[] = [];
  let y = 16;
  const xFor = (align: 'left' | 'center' | 'right', w: number): number =>
    align === 'center' ? (width - w) / 2 : align === 'right' ? width - 16 - w : 16;
  for (const item of r.items) {
    if (item.kind === 'line') {
      const h = LINE_H * item.height;
      y += h;
      const anchor = item.align === 'center' ? 'middle' : item.align === 'right' ? 'end' : 'start';
      const x = item.align === 'center' ? width / 2 : item.align === 'right' ? width - 16 : 16;
      const t = item.text.replace(/ /g, '\u00a0');
      body.push(
        `<text x="${x}" y="${y - 6}" text-anchor="${anchor}" font-size="${20 * item.height}" ` +
          `font-weight="${item.bold ? 'bold' : 'normal'}"` +
          `${item.width > 1 ? ` textLength="${[...item.text].length * CHAR_W * item.width}"` : ''}>${escapeXml(t)}</text>`,
      );
    } else if (item.kind === 'qr') {
      let modules: { size: number; data: Uint8Array };
      try {
        modules = QRCode.create(item.payload, { errorCorrectionLevel: item.level as 'L' | 'M' | 'Q' | 'H' }).modules;
      } catch {
        body.push(`<text x="16" y="${(y += LINE_H)}">[QR: ${escapeXml(item.payload)}]</text>`);
        continue;
      }
      const m = Math.max(1, item.moduleSize);
      const side = modules.size * m;
      const x0 = xFor('center', side);
      const rects: string[] = [];
      for (let r0 = 0; r0 < modules.size; r0++) {
        for (let c = 0; c < modules.size; c++) {
          if (modules.data[r0 * modules.size + c]) rects.push(`M${x0 + c * m} ${y + 8 + r0 * m}h${m}v${m}h-${m}z`);
        }
      }
      body.push(`<path d="${rects.join('')}" fill="#000"/>`);
      y += side + 16;
    } else {
      const x0 = xFor(item.align, item.widthDots);
      const d: string[] = [];
      item.rows.forEach((row, ry) => {
        for (const m of row.matchAll(/1+/g)) d.push(`M${x0 + (m.index ?? 0)} ${y + ry}h${m[0].length}v1h-${m[0].length}z`);
      });
      body.push(`<path d="${d.join('')}" fill="#000"/>`);
      y += item.heightDots + 8;
    }
  }
  const height = y + (r.cut ? 32 : 8);
  const edge = r.cut
    ? `<line x1="0" y1="${height - 1}" x2="${width}" y2="${height - 1}" stroke="#999" stroke-dasharray="6 4"/>`
    : `<text x="${width / 2}" y="${height - 2}" text-anchor="middle" font-size="14" fill="#c00">paper ran out</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="#fffef8"/><g font-family="DejaVu Sans Mono, monospace" fill="#000">` +
    body.join('') +
    `</g>${edge}</svg>`
  );
}
