/**
 * QR fallback for printers without GS ( k: the symbol is drawn with `qrcode` and sent as a
 * GS v 0 raster. Modules are 4 or 8 dots wide and start on 4-dot boundaries, so every image byte
 * is 00, 0F, F0 or FF: the data can never contain DLE EOT, which the printer would execute mid-image.
 */
import QRCode from 'qrcode';
import { rasterImage, type QrErrorLevel } from './escpos-commands.js';

export const QR_QUIET_ZONE_MODULES = 4;

export interface QrBitmap {
  widthDots: number;
  heightDots: number;
  /** row-major, 1 = black */
  bits: Uint8Array;
  modules: number;
  dotsPerModule: number;
}

/** the QR symbol as a bitmap no wider than `maxWidthDots` (throws RangeError if it cannot fit) */
export function qrBitmap(payload: string, maxWidthDots: number, level: QrErrorLevel = 'M'): QrBitmap {
  const symbol = QRCode.create(payload, { errorCorrectionLevel: level });
  const modules = symbol.modules.size;
  const total = modules + 2 * QR_QUIET_ZONE_MODULES;
  const dotsPerModule = [8, 4].find((d) => total * d <= maxWidthDots);
  if (dotsPerModule === undefined) {
    throw new RangeError(`QR symbol of ${modules} modules does not fit ${maxWidthDots} dots as a raster`);
  }
  const side = total * dotsPerModule;
  const bits = new Uint8Array(side * side);
  for (let r = 0; r < modules; r++) {
    for (let c = 0; c < modules; c++) {
      if (!symbol.modules.data[r * modules + c]) continue;
      const y0 = (r + QR_QUIET_ZONE_MODULES) * dotsPerModule;
      const x0 = (c + QR_QUIET_ZONE_MODULES) * dotsPerModule;
      for (let y = y0; y < y0 + dotsPerModule; y++) bits.fill(1, y * side + x0, y * side + x0 + dotsPerModule);
    }
  }
  return { widthDots: side, heightDots: side, bits, modules, dotsPerModule };
}

/** GS v 0 bytes of the QR symbol */
export function qrRaster(payload: string, maxWidthDots: number, level: QrErrorLevel = 'M'): Uint8Array {
  const bmp = qrBitmap(payload, maxWidthDots, level);
  return rasterImage(bmp.bits, bmp.widthDots, bmp.heightDots);
}
