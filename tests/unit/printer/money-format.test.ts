import { describe, expect, it } from 'vitest';
import { formatTenge } from '../../../kiosk/receipt/money-format.js';

describe('tenge formatting from tiyn', () => {
  it('formats per locale', () => {
    expect(formatTenge(123400, 'ru')).toBe('1 234,00 ₸');
    expect(formatTenge(123400, 'kk')).toBe('1 234,00 ₸');
    expect(formatTenge(123400, 'en')).toBe('1,234.00 ₸');
    expect(formatTenge(5, 'ru', 'тг')).toBe('0,05 тг');
    expect(formatTenge(0, 'en', '')).toBe('0.00');
    expect(formatTenge(100000000, 'ru')).toBe('1 000 000,00 ₸');
    expect(formatTenge(-99, 'ru')).toBe('-0,99 ₸');
  });

  it('stays exact up to the largest safe integer', () => {
    expect(formatTenge(Number.MAX_SAFE_INTEGER, 'en', 'KZT')).toBe('90,071,992,547,409.91 KZT');
  });

  it('refuses non-integers', () => {
    expect(() => formatTenge(1.5, 'ru')).toThrow(RangeError);
    expect(() => formatTenge(Number.NaN, 'ru')).toThrow(RangeError);
  });
});
