/**
 * Tenge amounts from integer tiyn, with integer arithmetic only (no floats, no Intl rounding).
 *   kk, ru: "1 234,00 ₸"  (space between thousands, decimal comma, sign after)
 *   en:     "1,234.00 ₸"  (comma between thousands, decimal point)
 * The thousands separator is a plain space, not Intl's no-break space: receipt printers and SMS
 * gateways print it reliably. The currency text is a parameter so a printer page without ₸
 * can use the locale's word instead (see CURRENCY_WORD).
 */
import type { Locale } from '../bridge/schema.js';

export const CURRENCY_SIGN = '₸';
export const CURRENCY_WORD: Record<Locale, string> = { kk: 'тг', ru: 'тг', en: 'KZT' };

const SEPARATORS: Record<Locale, { group: string; decimal: string }> = {
  kk: { group: ' ', decimal: ',' },
  ru: { group: ' ', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

export function formatTenge(tiyn: number, locale: Locale, currency: string = CURRENCY_SIGN): string {
  if (!Number.isSafeInteger(tiyn)) throw new RangeError(`amount must be a safe integer of tiyn, got ${tiyn}`);
  const { group, decimal } = SEPARATORS[locale];
  const negative = tiyn < 0;
  const abs = negative ? -tiyn : tiyn;
  const whole = String(Math.trunc(abs / 100));
  const cents = String(abs % 100).padStart(2, '0');
  let grouped = '';
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) grouped += group;
    grouped += whole[i];
  }
  return `${negative ? '-' : ''}${grouped}${decimal}${cents}${currency ? ` ${currency}` : ''}`;
}
