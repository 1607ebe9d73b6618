/**
 * Money on screen. Amounts arrive as integer tiyn; they are divided only here, for display,
 * through Intl so grouping and the tenge sign follow the active locale.
 */
import type { Locale } from '../../../kiosk/bridge/schema.js';

const TIYN_PER_TENGE = 100;
const intlLocale: Record<Locale, string> = { kk: 'kk-KZ', ru: 'ru-KZ', en: 'en-KZ' };

export function bcp47(locale: Locale): string {
  return intlLocale[locale];
}

/** "12 500 ₸" / "12 500,50 ₸": whole tenge without decimals, kopecks only when present. */
export function formatTenge(tiyn: number, locale: Locale): string {
  const whole = tiyn % TIYN_PER_TENGE === 0;
  const fmt = new Intl.NumberFormat(intlLocale[locale], {
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
