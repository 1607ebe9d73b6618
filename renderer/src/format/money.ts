/**
 * Money on screen. Amounts arrive as integer tiyn; they are divided only here, for display,
 * through Intl so grouping and the tenge sign follow the active locale.
 */
import type { Locale } from '../../../kiosk/bridge/schema.js';
import { TIYN_PER_TENGE } from '../../../domain/money.js';

const intlLocale: Record<Locale, string> = { kk: 'kk-KZ', ru: 'ru-KZ', en: 'en-KZ' };

export function bcp47(locale: Locale): string {
  return intlLocale[locale];
}

/**
 * Chromium ships trimmed ICU data without Kazakh number patterns and falls back to root
 * ("₸ 15,000"). Kazakh and Russian write amounts the same way in Kazakhstan ("15 000 ₸"), so
 * when the runtime's kk-KZ pattern does not put the sign after the amount, ru-KZ's is used.
 */
let kazakhNumbers: string | undefined;
function numberLocale(locale: Locale): string {
  if (locale !== 'kk') return intlLocale[locale];
  if (kazakhNumbers === undefined) {
    const probe = new Intl.NumberFormat('kk-KZ', { style: 'currency', currency: 'KZT', currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 }).format(1000);
    kazakhNumbers = /^1\D?000\s*₸$/u.test(probe) ? 'kk-KZ' : 'ru-KZ';
  }
  return kazakhNumbers;
}

/** "12 500 ₸" / "12 500,50 ₸": whole tenge without decimals, kopecks only when present. */
export function formatTenge(tiyn: number, locale: Locale): string {
  const whole = tiyn % TIYN_PER_TENGE === 0;
  const fmt = new Intl.NumberFormat(numberLocale(locale), {
    style: 'currency',
    currency: 'KZT',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  });
  // Integer tiyn up to MAX_SAFE_INTEGER divided by 100 is exact enough for display only.
  return fmt.format(tiyn / TIYN_PER_TENGE);
}

/** Whole tenge typed on the keypad -> tiyn, or null when it would not be a safe integer. */
export function tengeDigitsToTiyn(digits: string): number | null {
  if (!/^[0-9]{1,12}$/.test(digits)) return null;
  const tiyn = Number(digits) * TIYN_PER_TENGE;
  return Number.isSafeInteger(tiyn) ? tiyn : null;
}
