/** Birth date typed as DDMMYYYY on the keypad, shown as DD.MM.YYYY, sent as ISO YYYY-MM-DD. */
export const BIRTH_DATE_DIGITS = 8;

export function formatBirthDateDigits(digits: string): string {
  const d = digits.slice(0, BIRTH_DATE_DIGITS);
  return [d.slice(0, 2), d.slice(2, 4), d.slice(4, 8)].filter((p) => p.length > 0).join('.');
}

export type BirthDateProblem = 'date' | 'incomplete';

export function checkBirthDateDigits(digits: string, now: Date = new Date()): BirthDateProblem | null {
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  if (digits.length >= 2 && (day < 1 || day > 31)) return 'date';
  if (digits.length >= 4 && (month < 1 || month > 12)) return 'date';
  if (digits.length < BIRTH_DATE_DIGITS) return 'incomplete';
  const year = Number(digits.slice(4, 8));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return 'date';
  if (year < 1900 || d.getTime() > now.getTime()) return 'date';
  return null;
}

export function birthDateIso(digits: string): string {
  return `${digits.slice(4, 8)}-${digits.slice(2, 4)}-${digits.slice(0, 2)}`;
}
