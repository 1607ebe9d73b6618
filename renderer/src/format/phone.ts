/**
 * Kazakhstan mobile numbers as typed on the keypad: the customer types the ten digits after +7,
 * shown as "+7 7xx xxx xx xx". Only 7xx mobile ranges are accepted.
 */
export const PHONE_DIGITS = 10;

/** Mobile prefixes of Kazakhstan (libphonenumber KZ metadata). */
const MOBILE_PREFIXES = new Set(['700', '701', '702', '705', '706', '707', '708', '747', '760', '761', '762', '763', '764', '771', '775', '776', '777', '778', '785']);

export function formatPhoneDigits(digits: string): string {
  const d = digits.slice(0, PHONE_DIGITS);
  const parts = [d.slice(0, 3), d.slice(3, 6), d.slice(6, 8), d.slice(8, 10)].filter((p) => p.length > 0);
  return ['+7', ...parts].join(' ');
}

export type PhoneProblem = 'notMobile' | 'incomplete';

/** Validates as typed: a wrong prefix is reported as soon as three digits are in. */
export function checkPhoneDigits(digits: string): PhoneProblem | null {
  if (digits.length > 0 && digits[0] !== '7') return 'notMobile';
  if (digits.length >= 3 && !MOBILE_PREFIXES.has(digits.slice(0, 3))) return 'notMobile';
  if (digits.length < PHONE_DIGITS) return 'incomplete';
  return null;
}

/** E.164 form sent to the core. */
export function phoneE164(digits: string): string {
  return `+7${digits}`;
}
