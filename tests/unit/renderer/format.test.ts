import { describe, expect, it } from 'vitest';
import { birthDateIso, checkBirthDateDigits, formatBirthDateDigits } from '../../../renderer/src/format/date.js';
import { checkIinDigits, formatIinDigits, iinCheckDigit } from '../../../renderer/src/format/iin.js';
import { formatTenge, tengeDigitsToTiyn } from '../../../renderer/src/format/money.js';
import { checkPhoneDigits, formatPhoneDigits, phoneE164 } from '../../../renderer/src/format/phone.js';

// Intl output uses no-break spaces; compare with plain spaces.
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('IIN (Decree 406 §5)', () => {
  it('accepts the worked examples', () => {
    for (const iin of ['900101300017', '921215401236', '850501300011', '010203500078']) expect(checkIinDigits(iin), iin).toBeNull();
  });

  it('computes the second weight pass when the first gives 10', () => {
    expect(iinCheckDigit('85050130001')).toBe(1);
  });

  it('rejects a wrong check digit and digits no IIN uses', () => {
    expect(checkIinDigits('900101300016')).toBe('checkDigit');
    for (let x = 0; x <= 9; x++) expect(checkIinDigits(`90010130080${x}`)).toBe('neverIssued');
  });

  it('judges each part as soon as it is typed', () => {
    expect(checkIinDigits('')).toBe('incomplete');
    expect(checkIinDigits('9013')).toBe('date');
    expect(checkIinDigits('900230')).toBe('date');
    expect(checkIinDigits('9001017')).toBe('century');
    expect(checkIinDigits('0102295')).toBe('date'); // 2001 is not a leap year
    expect(checkIinDigits('0002295')).toBe('incomplete'); // 2000 is
    expect(checkIinDigits('90010130001')).toBe('incomplete');
  });

  it('groups the digits for reading', () => {
    expect(formatIinDigits('900101300017')).toBe('900101 300017');
    expect(formatIinDigits('9001')).toBe('9001');
  });
});

describe('phone', () => {
  it('masks as +7 7xx xxx xx xx while typed', () => {
    expect(formatPhoneDigits('')).toBe('+7');
    expect(formatPhoneDigits('701')).toBe('+7 701');
    expect(formatPhoneDigits('70123')).toBe('+7 701 23');
    expect(formatPhoneDigits('7012345678')).toBe('+7 701 234 56 78');
  });

  it('accepts only Kazakhstan mobile prefixes', () => {
    expect(checkPhoneDigits('7012345678')).toBeNull();
    expect(checkPhoneDigits('7472345678')).toBeNull();
    expect(checkPhoneDigits('6')).toBe('notMobile');
    expect(checkPhoneDigits('703')).toBe('notMobile');
    expect(checkPhoneDigits('7172345678')).toBe('notMobile'); // Astana landline
    expect(checkPhoneDigits('70')).toBe('incomplete');
    expect(phoneE164('7012345678')).toBe('+77012345678');
  });
});

describe('birth date', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  it('masks and converts to ISO', () => {
    expect(formatBirthDateDigits('150319')).toBe('15.03.19');
    expect(birthDateIso('15031990')).toBe('1990-03-15');
  });
  it('rejects impossible and future dates', () => {
    expect(checkBirthDateDigits('15031990', now)).toBeNull();
    expect(checkBirthDateDigits('32', now)).toBe('date');
    expect(checkBirthDateDigits('3113', now)).toBe('date');
    expect(checkBirthDateDigits('29022001', now)).toBe('date');
    expect(checkBirthDateDigits('01012030', now)).toBe('date');
    expect(checkBirthDateDigits('1503', now)).toBe('incomplete');
  });
});

describe('money', () => {
  it('formats integer tiyn as tenge per locale', () => {
    expect(plain(formatTenge(1_500_000, 'ru'))).toBe('15 000 ₸');
    expect(plain(formatTenge(1_500_000, 'kk'))).toBe('15 000 ₸');
    expect(plain(formatTenge(1_500_000, 'en'))).toBe('₸15,000');
    expect(plain(formatTenge(1_500_050, 'ru'))).toBe('15 000,50 ₸');
    expect(plain(formatTenge(0, 'kk'))).toBe('0 ₸');
  });

  it('turns typed whole tenge into integer tiyn', () => {
    expect(tengeDigitsToTiyn('5000')).toBe(500_000);
    expect(tengeDigitsToTiyn('')).toBeNull();
    expect(tengeDigitsToTiyn('12a')).toBeNull();
    expect(tengeDigitsToTiyn('0')).toBe(0);
  });
});
