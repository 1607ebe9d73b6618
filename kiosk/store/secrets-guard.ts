/**
 * Last line of defence for PCI DSS and the bank's rules (8.26, 8.33): nothing that looks like card
 * or authentication data may enter the journal or the outbox. The kiosk's callers are expected to
 * pass only customer ids, masked labels and tokens; this refuses the record if they slip.
 */
const FORBIDDEN_KEYS = /^(pan|cardnumber|track[0-9]?|trackdata|cvv|cvc|cvv2|pin|pinblock|otp|otpcode|template|palmtemplate|biometric)$/i;

export class SecretDataError extends Error {
  override readonly name = 'SecretDataError';
}

export function assertNoSecrets(value: unknown, path = '$'): void {
  if (typeof value === 'string') {
    if (looksLikePan(value)) throw new SecretDataError(`refusing to store what looks like a card number at ${path}`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoSecrets(v, `${path}[${i}]`));
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.test(key)) throw new SecretDataError(`refusing to store field "${key}" at ${path}`);
    assertNoSecrets(v, `${path}.${key}`);
  }
}

/**
 * A SHA-256 digest or HMAC in hex (journal hashes, card tokens): one in about 200 holds a run of
 * 13-19 decimal digits that passes the Luhn check by chance, and refusing it stopped the journal
 * upload for good (the same entry is retried at every check). A card number hidden inside 64 hex
 * characters is no accidental leak, so such a digest is not searched.
 */
const HEX_DIGEST = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g;

/**
 * 13-19 contiguous digits, or the printed 4-4-4-4(-3) grouping, passing the Luhn check. Grouped
 * identifiers of our own (receipt numbers: terminal-date-sequence) and hex digests do not count.
 */
const PAN_RUN = /(?<!\d)\d{13,19}(?!\d)|(?<![\w-])\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?![\w-])/g;

function isPanRun(run: string): boolean {
  const digits = run.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
}

export function looksLikePan(text: string): boolean {
  const runs = text.replace(HEX_DIGEST, ' ').match(PAN_RUN);
  return runs !== null && runs.some(isPanRun);
}

/**
 * Free text a person typed (a technician's comment, an audited form field) with every card-like
 * run masked (first 6, last 4), so recording what was asked never stores or refuses a card number.
 */
export function maskPansIn(text: string): string {
  if (!looksLikePan(text)) return text;
  // digests are kept as they are, as looksLikePan skips them; the text between them is masked
  const mask = (part: string): string => part.replace(PAN_RUN, (run) => (isPanRun(run) ? maskPan(run) : run));
  let out = '';
  let from = 0;
  for (const m of text.matchAll(HEX_DIGEST)) {
    out += mask(text.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + mask(text.slice(from));
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** first 6 and last 4 digits, the rest masked */
export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, '');
  if (digits.length < 13) return '*'.repeat(digits.length);
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}
