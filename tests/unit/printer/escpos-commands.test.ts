import { CodecError } from '../../../drivers/common/codec-error.js';
import { describe, expect, it } from 'vitest';
import {
  align,
  bold,
  concatBytes,
  containsRealtimeCommand,
  cut,
  feedDots,
  feedLines,
  initialize,
  qrNative,
  rasterImage,
  selectCodePage,
  size,
  statusRequest,
  textLine,
} from '../../../drivers/printer/escpos-commands.js';
import { EPSON_CODE_PAGES } from '../../../drivers/printer/code-page.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)/g, '$1 ').trim();

describe('ESC/POS command bytes', () => {
  it('reproduces the reference worked receipt byte for byte (74 bytes)', () => {
    const job = concatBytes([
      initialize(),
      selectCodePage(EPSON_CODE_PAGES.cp866),
      align('center'),
      bold(true),
      textLine('Спасибо!', EPSON_CODE_PAGES.cp866),
      bold(false),
      qrNative('KZ123', { moduleSize: 6, level: 'M' }),
      Uint8Array.of(0x0a),
      cut('full', 0),
    ]);
    expect(job.length).toBe(74);
    expect(hex(job)).toBe(
      '1b 40 1b 74 11 1b 61 01 1b 45 01 91 af a0 e1 a8 a1 ae 21 0a 1b 45 00 ' +
        '1d 28 6b 04 00 31 41 32 00 1d 28 6b 03 00 31 43 06 1d 28 6b 03 00 31 45 31 ' +
        '1d 28 6b 08 00 31 50 30 4b 5a 31 32 33 1d 28 6b 03 00 31 51 30 0a 1d 56 41 00',
    );
  });

  it('QR store length is k + 3 little-endian, data UTF-8', () => {
    const payload = 'Қ'.repeat(150); // 300 bytes
    const q = qrNative(payload);
    const store = q.subarray(8 + 8 + 9); // model 9, size 8, level 8 bytes
    expect(hex(store.subarray(0, 8))).toBe('1d 28 6b 2f 01 31 50 30'); // 303 = 0x012f
    expect(Buffer.from(store.subarray(8, 308)).toString('utf8')).toBe(payload);
    expect(hex(q.subarray(q.length - 8))).toBe('1d 28 6b 03 00 31 51 30');
  });

  it('QR refuses empty, oversized and control-character payloads', () => {
    expect(() => qrNative('')).toThrow(CodecError);
    expect(() => qrNative('x'.repeat(513))).toThrow(CodecError);
    expect(() => qrNative('a\x10\x04')).toThrow(/control/);
    expect(() => qrNative('a', { moduleSize: 17 })).toThrow(/module size/);
  });

  it('encodes styles, size, feed, cut and status requests', () => {
    expect(hex(size(1, 2))).toBe('1d 21 01');
    expect(hex(size(2, 2))).toBe('1d 21 11');
    expect(hex(size(8, 8))).toBe('1d 21 77');
    expect(() => size(0, 1)).toThrow(CodecError);
    expect(hex(align('right'))).toBe('1b 61 02');
    expect(hex(feedLines(4))).toBe('1b 64 04');
    expect(hex(feedDots(24))).toBe('1b 4a 18');
    expect(hex(cut('partial', 3))).toBe('1d 56 42 03');
    expect(hex(statusRequest(4))).toBe('10 04 04');
    expect(hex(selectCodePage(EPSON_CODE_PAGES.kz1048))).toBe('1b 74 35');
  });

  it('packs raster rows MSB-first and pads to whole bytes', () => {
    // 10 x 2: row 0 = dots 0 and 9, row 1 = dot 7
    const bits = new Uint8Array(20);
    bits[0] = 1;
    bits[9] = 1;
    bits[17] = 1;
    expect(hex(rasterImage(bits, 10, 2))).toBe('1d 76 30 00 02 00 02 00 80 40 01 00');
    expect(() => rasterImage(bits, 10, 3)).toThrow(CodecError);
  });

  it('spots real-time sequences in a job', () => {
    expect(containsRealtimeCommand(Uint8Array.of(0x41, 0x10, 0x04, 0x01))).toBe(true);
    expect(containsRealtimeCommand(Uint8Array.of(0x10, 0x05))).toBe(true);
    expect(containsRealtimeCommand(Uint8Array.of(0x10, 0x00, 0x04))).toBe(false);
    expect(containsRealtimeCommand(qrNative('https://bank.kz/r/1'))).toBe(false);
  });
});
