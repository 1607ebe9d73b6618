import { describe, expect, it } from 'vitest';
import { canEncode, decodeText, encodeText, pageForEscT, toPrintable } from '../../../drivers/printer/code-page.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('code page encoding', () => {
  it('KZ-1048 carries all 18 Kazakh letters at the reference positions', () => {
    expect(hex(encodeText('ӘәҒғҚқҢңӨөҰұҮүҺһІі', 'kz1048'))).toBe('a3bcaaba8d9dbdbea5b4a1a2afbf8e9eb2b3');
  });

  it('KZ-1048 encodes Russian letters exactly as WPC1251', () => {
    const russian = 'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя';
    expect(hex(encodeText(russian, 'kz1048'))).toBe(hex(encodeText(russian, 'wpc1251')));
    expect(encodeText('А', 'kz1048')[0]).toBe(0xc0);
    expect(encodeText('я', 'kz1048')[0]).toBe(0xff);
  });

  it('PC866 prints Kazakh letters as their Russian look-alikes', () => {
    expect(toPrintable('Қазақ тілі', 'cp866')).toBe('Казак тiлi');
    expect(hex(encodeText('Қ', 'cp866'))).toBe('8a'); // К in CP866
    expect(hex(encodeText('Спасибо!', 'cp866'))).toBe('91afa0e1a8a1ae21');
  });

  it('WPC1251 keeps І/і and falls back for the rest', () => {
    expect(hex(encodeText('Іі', 'wpc1251'))).toBe('b2b3');
    expect(toPrintable('Ә', 'wpc1251')).toBe('А');
  });

  it('falls back for ₸, quotes and unknown characters, never throws', () => {
    expect(toPrintable('100 ₸', 'kz1048')).toBe('100 KZT');
    expect(toPrintable('«Банк» — ок', 'cp866')).toBe('"Банк" - ок');
    expect(toPrintable('日本 😀', 'kz1048')).toBe('?? ?');
    expect(canEncode('₸', 'kz1048')).toBe(false);
    expect(canEncode('Ң', 'kz1048')).toBe(true);
  });

  it('drops control characters so text can never carry a command', () => {
    const bytes = encodeText('a\x10\x04\x01b\x1b@\x7f', 'kz1048');
    expect(hex(bytes)).toBe('616240');
  });

  it('decodes what it encodes', () => {
    const s = 'Қазақстан Республикасы, Алматы — 2026';
    expect(decodeText(encodeText(s, 'kz1048'), 'kz1048')).toBe(toPrintable(s, 'kz1048'));
  });

  it('maps Epson ESC t numbers to pages', () => {
    expect(pageForEscT(53)).toBe('kz1048');
    expect(pageForEscT(17)).toBe('cp866');
    expect(pageForEscT(46)).toBe('wpc1251');
    expect(pageForEscT(0)).toBe('pc437');
    expect(pageForEscT(99)).toBeUndefined();
  });
});
