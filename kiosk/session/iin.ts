/**
 * Local checks of the customer's identifiers, run before any bank call so a mistyped number never
 * leaves the terminal: the IIN's layout and decree-406 check digit, and Kazakh phone numbers.
 */

export type IinProblem = 'format' | 'century' | 'date' | 'checkDigit' | 'neverIssued';
export type IinCheck = { ok: true; birthDate: string; sex: 'male' | 'female' } | { ok: false; problem: IinProblem };

const PASS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const PASS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

function weightedMod11(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return sum % 11;
}

/**
 * The check digit by Government Decree No. 406 §5, or undefined when both passes give 10: the
 * decree says such 11 digits are never issued (some validators put 0 instead; we follow the decree).
 */
export function iinCheckDigit(first11: string): number | undefined {
  if (!/^[0-9]{11}$/.test(first11)) throw new Error('iinCheckDigit needs exactly 11 digits');
  const digits = [...first11].map(Number);
  const first = weightedMod11(digits, PASS_1);
  if (first !== 10) return first;
  const second = weightedMod11(digits, PASS_2);
  return second === 10 ? undefined : second;
}

const CENTURY: Record<string, { base: number; sex: 'male' | 'female' }> = {
  '1': { base: 1800, sex: 'male' },
  '2': { base: 1800, sex: 'female' },
  '3': { base: 1900, sex: 'male' },
  '4': { base: 1900, sex: 'female' },
  '5': { base: 2000, sex: 'male' },
  '6': { base: 2000, sex: 'female' },
};

/** Validator order from the reference: 12 digits, century digit, real date, check digit. */
export function checkIin(iin: string): IinCheck {
  if (!/^[0-9]{12}$/.test(iin)) return { ok: false, problem: 'format' };
  const century = CENTURY[iin[6] ?? ''];
  if (!century) return { ok: false, problem: 'century' };
  const year = century.base + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, problem: 'date' };
  }
  const expected = iinCheckDigit(iin.slice(0, 11));
  if (expected === undefined) return { ok: false, problem: 'neverIssued' };
  if (expected !== Number(iin[11])) return { ok: false, problem: 'checkDigit' };
  const birthDate = `${String(year).padStart(4, '0')}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
  return { ok: true, birthDate, sex: century.sex };
}

export const isValidIin = (iin: string): boolean => checkIin(iin).ok;
