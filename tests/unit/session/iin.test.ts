import { describe, expect, it } from 'vitest';
import { checkIin, iinCheckDigit } from '../../../kiosk/session/iin.js';
import { maskPhone, normalisePhone } from '../../../kiosk/session/phone.js';

describe('IIN check digit (decree 406 §5)', () => {
  it.each([
    ['900101300017', '1990-01-01', 'male'],
    ['921215401236', '1992-12-15', 'female'],
    ['850501300011', '1985-05-01', 'male'], // needs the second pass
    ['010203500078', '2001-02-03', 'male'],
  ])('accepts the worked example %s', (iin, birthDate, sex) => {
    expect(checkIin(iin)).toEqual({ ok: true, birthDate, sex });
  });

  it('computes pass 1 and pass 2 digits as in the worked examples', () => {
    expect(iinCheckDigit('90010130001')).toBe(7);
    expect(iinCheckDigit('85050130001')).toBe(1);
  });

  it('rejects a wrong check digit', () => {
    expect(checkIin('900101300016')).toEqual({ ok: false, problem: 'checkDigit' });
  });

  it('rejects every number whose both passes give 10 (never issued)', () => {
    for (let x = 0; x <= 9; x++) expect(checkIin(`90010130080${x}`)).toEqual({ ok: false, problem: 'neverIssued' });
    expect(iinCheckDigit('90010130080')).toBeUndefined();
  });

  it('checks layout before arithmetic', () => {
    expect(checkIin('90010130001')).toEqual({ ok: false, problem: 'format' });
    expect(checkIin('90010130001a')).toEqual({ ok: false, problem: 'format' });
    expect(checkIin('900101000017')).toEqual({ ok: false, problem: 'century' });
    expect(checkIin('900101700017')).toEqual({ ok: false, problem: 'century' });
    expect(checkIin('900230300017')).toEqual({ ok: false, problem: 'date' }); // 30 February
    expect(checkIin('901301300017')).toEqual({ ok: false, problem: 'date' });
  });
});

describe('phone normalisation to E.164', () => {
  it.each(['87011234567', '+77011234567', '77011234567', '7011234567', '8 (701) 123-45-67'])('accepts %s', (input) => {
    expect(normalisePhone(input)).toBe('+77011234567');
  });

  it.each(['+79161234567', '89161234567', '12345', '+7701123456', '+770112345678'])('refuses %s', (input) => {
    expect(normalisePhone(input)).toBeUndefined();
  });

  it('masks for the screen', () => {
    expect(maskPhone('+77011234567')).toBe('+7701*****67');
  });
});
