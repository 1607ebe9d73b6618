/**
 * IIN checks per Government Decree No. 406 §5: 12 digits, century/sex digit 1-6, a real birth
 * date in that century, and the mod-11 check digit with the second weight pass.
 */
export const IIN_DIGITS = 12;

export type IinProblem = 'century' | 'date' | 'checkDigit' | 'neverIssued' | 'incomplete';

const PASS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const PASS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

function weighted(digits: number[], weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return sum % 11;
}

/** The control digit for the first 11 digits, or null when the decree says no IIN uses them. */
export function iinCheckDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  const first = weighted(digits, PASS_1);
  if (first !== 10) return first;
  const second = weighted(digits, PASS_2);
  return second === 10 ? null : second;
}

function centuryOf(g: number): number | null {
  if (g === 1 || g === 2) return 1800;
  if (g === 3 || g === 4) return 1900;
  if (g === 5 || g === 6) return 2000;
  return null;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Validates as typed: each part is judged as soon as its digits are in. */
export function checkIinDigits(digits: string): IinProblem | null {
  if (!/^[0-9]*$/.test(digits)) return 'incomplete';
  const month = Number(digits.slice(2, 4));
  if (digits.length >= 4 && (month < 1 || month > 12)) return 'date';
  if (digits.length >= 6) {
    const day = Number(digits.slice(4, 6));
    // Without the century digit, 2000 (a leap year) is the most permissive year to test against.
    if (!isRealDate(2000, month, day)) return 'date';
  }
  if (digits.length >= 7) {
    const century = centuryOf(Number(digits[6]));
    if (century === null) return 'century';
    const year = century + Number(digits.slice(0, 2));
    if (!isRealDate(year, month, Number(digits.slice(4, 6)))) return 'date';
  }
  if (digits.length < IIN_DIGITS) return 'incomplete';
  const expected = iinCheckDigit(digits.slice(0, 11));
  if (expected === null) return 'neverIssued';
  return expected === Number(digits[11]) ? null : 'checkDigit';
}

/** "900101 3 0001 7" reads easier on a screen than twelve digits in a row. */
export function formatIinDigits(digits: string): string {
  const d = digits.slice(0, IIN_DIGITS);
  return [d.slice(0, 6), d.slice(6, 12)].filter((p) => p.length > 0).join(' ');
}
