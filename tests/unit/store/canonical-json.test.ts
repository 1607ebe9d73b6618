import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../kiosk/store/canonical-json.js';
import { looksLikePan, maskPan, maskPansIn, assertNoSecrets, SecretDataError } from '../../../kiosk/store/secrets-guard.js';
import { backoffDelay } from '../../../kiosk/sync/backoff.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}');
  });
  it('refuses non-integer money and odd types', () => {
    expect(() => canonicalJson({ amount: 1.5 })).toThrow(/\$\.amount is not a safe integer/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/unsupported type function/);
  });
  it('hashes UTF-8 text with SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('secrets guard', () => {
  it('spots Luhn-valid card numbers, not phone numbers or IINs', () => {
    expect(looksLikePan('4400430000000015')).toBe(true);
    expect(looksLikePan('card 4400 4300 0000 0015 here')).toBe(true);
    expect(looksLikePan('4400430000000016')).toBe(false);
    expect(looksLikePan('+77011234567')).toBe(false);
    expect(looksLikePan('900101300123')).toBe(false);
    expect(looksLikePan('ci-8f3a2c11-4400-4300-0000-0015a1b2c3d4')).toBe(false); // a UUID is not a card
    expect(looksLikePan('T-0001-20261125-000317')).toBe(false);
  });
  it('does not take a SHA-256 digest for a card number, though its digits pass the Luhn check', () => {
    // journal hashes and card tokens are 64 hex characters; about one in 200 holds a Luhn-valid run
    const digests = Array.from({ length: 5_000 }, (_, i) => sha256Hex(`entry ${i}`));
    const withRun = digests.filter((d) => (d.match(/(?<!\d)\d{13,19}(?!\d)/g) ?? []).some((run) => looksLikePan(run)));
    expect(withRun.length).toBeGreaterThan(0);
    for (const digest of withRun) {
      expect(looksLikePan(digest)).toBe(false);
      expect(() => assertNoSecrets({ entries: [{ hash: digest }], headHash: digest })).not.toThrow();
    }
    // a card number beside a digest is still found
    expect(looksLikePan(`${withRun[0]} 4400430000000015`)).toBe(true);
    expect(looksLikePan(`x4400430000000015`)).toBe(true);
  });
  it('refuses forbidden fields and PANs anywhere in a payload', () => {
    expect(() => assertNoSecrets({ a: { otp: '1234' } })).toThrow(SecretDataError);
    expect(() => assertNoSecrets({ list: [{ note: '5269880000000018' }] })).toThrow(/\$\.list\[0\]\.note/);
    expect(() => assertNoSecrets({ customerId: 'c-1', amount: 100000 })).not.toThrow();
  });
  it('masks a PAN to first 6 and last 4', () => {
    expect(maskPan('4400430000000015')).toBe('440043******0015');
  });
  it('masks every card number in free text and leaves the rest, digests and other numbers included', () => {
    const digest = sha256Hex('entry 0');
    const text = `card 4400 4300 0000 0015 and 5269880000000018, phone +77011234567, ${digest}, 4400430000000016`;
    expect(maskPansIn(text)).toBe(`card 440043******0015 and 526988******0018, phone +77011234567, ${digest}, 4400430000000016`);
    expect(looksLikePan(maskPansIn(text))).toBe(false);
    expect(maskPansIn('no card here: T-0001-20261125-000317')).toBe('no card here: T-0001-20261125-000317');
  });
});

describe('backoff', () => {
  it('grows exponentially within [ceiling/2, ceiling] and stops at the cap', () => {
    const p = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, p, () => 0)).toBe(50);
    expect(backoffDelay(1, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 0.5)).toBe(300);
    expect(backoffDelay(10, p, () => 1)).toBe(1000);
    expect(backoffDelay(50, p, () => 0)).toBe(500);
  });
});
