import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { qrBitmap, qrRaster, QR_QUIET_ZONE_MODULES } from '../../../drivers/printer/qr-raster.js';
import { containsRealtimeCommand } from '../../../drivers/printer/escpos-commands.js';

describe('QR raster fallback', () => {
  it('draws every module of the symbol at 8 dots when it fits', () => {
    const payload = 'https://bank.kz/r/KZ0042-000123';
    const bmp = qrBitmap(payload, 576);
    const symbol = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    expect(bmp.dotsPerModule).toBe(8);
    expect(bmp.widthDots).toBe((symbol.modules.size + 2 * QR_QUIET_ZONE_MODULES) * 8);
    for (let r = 0; r < bmp.modules; r++) {
      for (let c = 0; c < bmp.modules; c++) {
        const y = (r + QR_QUIET_ZONE_MODULES) * 8 + 3;
        const x = (c + QR_QUIET_ZONE_MODULES) * 8 + 3;
        expect(bmp.bits[y * bmp.widthDots + x]).toBe(symbol.modules.data[r * bmp.modules + c]);
      }
    }
  });

  it('uses only 00/0F/F0/FF bytes, so the image never holds DLE EOT', () => {
    for (const [payload, width] of [['KZ123', 576], ['x'.repeat(60), 384], ['Қ'.repeat(40), 384], ['x'.repeat(200), 384]] as const) {
      const bytes = qrRaster(payload, width);
      expect(containsRealtimeCommand(bytes)).toBe(false);
      expect([...new Set(bytes.subarray(8))].filter((b) => ![0x00, 0x0f, 0xf0, 0xff].includes(b))).toEqual([]);
    }
  });

  it('refuses a symbol that cannot fit the paper', () => {
    expect(() => qrBitmap('x'.repeat(1000), 384)).toThrow(RangeError);
  });
});
