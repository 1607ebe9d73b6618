/**
 * Kazakh phone numbers to E.164 (+7 and a 10-digit national number, 12 characters). Accepted on
 * input: `8 7xx ...` (trunk prefix), `+7 7xx ...`, `7 7xx ...` and the bare 10 digits.
 * Kazakhstan holds zone codes 6xx and 7xx of +7; others belong to Russia and are refused here.
 */

export function normalisePhone(input: string): string | undefined {
  const digits = input.replace(/[\s()-]/g, '');
  let national: string | undefined;
  if (/^\+7[0-9]{10}$/.test(digits)) national = digits.slice(2);
  else if (/^[78][0-9]{10}$/.test(digits)) national = digits.slice(1);
  else if (/^[0-9]{10}$/.test(digits)) national = digits;
  if (!national || !/^[67]/.test(national)) return undefined;
  return `+7${national}`;
}

/** For screens and receipts: country code, operator code and the last two digits. */
export function maskPhone(e164: string): string {
  if (e164.length < 7) return '*'.repeat(e164.length);
  return `${e164.slice(0, 5)}*****${e164.slice(-2)}`;
}
