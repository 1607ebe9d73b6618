import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { ErrorCode, Locale, Operation } from '../../../kiosk/bridge/schema.js';
import { catalogues, en, locales, translator, type MessageKey } from '../../../renderer/src/i18n/i18n.js';

/** Argument names a message uses ({name}, {count, plural, ...}), so translations can be compared. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  for (const m of message.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,}]/g)) names.add(m[1] ?? '');
  return [...names].sort();
}

const referenceKeys = Object.keys(en).sort();

describe('message catalogues', () => {
  it('cover exactly the three kiosk locales', () => {
    expect(Object.keys(catalogues).sort()).toEqual([...Locale.options].sort());
    expect([...locales].sort()).toEqual([...Locale.options].sort());
  });

  for (const locale of Locale.options) {
    it(`${locale} has no missing and no extra keys`, () => {
      const keys = Object.keys(catalogues[locale]).sort();
      const missing = referenceKeys.filter((k) => !keys.includes(k));
      const extra = keys.filter((k) => !referenceKeys.includes(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it(`${locale} messages parse as ICU and use the same arguments as English`, () => {
      for (const key of referenceKeys as MessageKey[]) {
        const message = catalogues[locale][key];
        expect(message.trim(), `${locale}:${key} is empty`).not.toBe('');
        expect(() => new IntlMessageFormat(message, locale), `${locale}:${key}`).not.toThrow();
        expect(argumentsOf(message), `${locale}:${key}`).toEqual(argumentsOf(en[key]));
      }
    });
  }

  it('Kazakh and Russian are translated, not copied from English', () => {
    const same = (l: 'kk' | 'ru') => (referenceKeys as MessageKey[]).filter((k) => !k.startsWith('lang.') && catalogues[l][k] === en[k]);
    // Only brand-like tokens may stay identical (none today).
    expect(same('kk')).toEqual([]);
    expect(same('ru')).toEqual([]);
  });

  it('has a reason and a next step for every refusal code', () => {
    for (const code of ErrorCode.options) {
      expect(referenceKeys).toContain(`error.${code}.reason`);
      expect(referenceKeys).toContain(`error.${code}.next`);
    }
    for (const op of Operation.options) expect(referenceKeys).toContain(`op.${op}`);
  });
});

describe('translator', () => {
  it('uses Russian plural forms one / few / many', () => {
    const t = translator('ru');
    expect(t('otp.attemptsLeft', { count: 1 })).toBe('Осталась 1 попытка');
    expect(t('otp.attemptsLeft', { count: 3 })).toBe('Осталось 3 попытки');
    expect(t('otp.attemptsLeft', { count: 5 })).toBe('Осталось 5 попыток');
    expect(t('otp.attemptsLeft', { count: 21 })).toBe('Осталась 21 попытка');
  });

  it('uses Kazakh and English plural forms', () => {
    expect(translator('kk')('otp.attemptsLeft', { count: 2 })).toBe('2 әрекет қалды');
    expect(translator('en')('otp.attemptsLeft', { count: 1 })).toBe('1 attempt left');
    expect(translator('en')('otp.attemptsLeft', { count: 2 })).toBe('2 attempts left');
  });

  it('fills named arguments', () => {
    expect(translator('kk')('otp.sentTo', { phone: '+7 701 *** ** 67' })).toBe('Кодты SMS арқылы +7 701 *** ** 67 нөміріне жібердік');
  });
});
