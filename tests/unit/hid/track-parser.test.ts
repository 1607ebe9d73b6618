import { describe, expect, it } from 'vitest';
import { luhnValid, parseTrack1, parseTrack2, trackLrc } from '../../../drivers/card-reader/track-parser.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const T1 = '%B4111111111111111^TEST/CARD^3012101000000000000?';
const T2 = ';4111111111111111=30121010000000000000?';

describe('LRC', () => {
  it('matches the reference values', () => {
    expect(trackLrc(2, ascii(T2))).toBe(0x3c); // '<', 4-bit value C
    expect(trackLrc(1, ascii(T1))).toBe(0x40); // '@', 6-bit value 20
  });
});

describe('Luhn', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['4400430000000015', true],
    ['', false],
    ['41111111111111a1', false],
  ])('%s -> %s', (pan, valid) => expect(luhnValid(pan)).toBe(valid));
});

describe('track 1', () => {
  it('parses format B with and without the LRC extension', () => {
    const fields = { pan: '4111111111111111', expiry: '3012', serviceCode: '101', name: 'TEST/CARD' };
    expect(parseTrack1(ascii(T1))).toEqual({ ok: true, fields: { ...fields, lrcChecked: false } });
    expect(parseTrack1(ascii(`${T1}@`))).toEqual({ ok: true, fields: { ...fields, lrcChecked: true } });
  });

  it('rejects a wrong LRC, and a missing one when required', () => {
    expect(parseTrack1(ascii(`${T1}A`))).toEqual({ ok: false, error: 'badLrc' });
    expect(parseTrack1(ascii(T1), 'required')).toEqual({ ok: false, error: 'badLrc' });
  });

  it('trims the name padding', () => {
    const r = parseTrack1(ascii('%B4111111111111111^TEST/CARD     ^3012101?'));
    expect(r.ok && r.fields.name).toBe('TEST/CARD');
  });

  it.each([
    ['format A', '%A4111111111111111^TEST/CARD^3012101000?'],
    ['no start sentinel', 'B4111111111111111^TEST/CARD^3012101000?'],
    ['no end sentinel', '%B4111111111111111^TEST/CARD^3012101000'],
    ['two bytes after the end sentinel', `${T1}@@`],
    ['short PAN', '%B41111111111^TEST/CARD^3012101?'.replace('41111111111', '4111111111')],
    ['PAN of 20 digits', '%B41111111111111111111^TEST/CARD^3012101?'],
    ['letter in PAN', '%B41111111111111X1^TEST/CARD^3012101?'],
    ['one-character name', '%B4111111111111111^T^3012101?'],
    ['27-character name', `%B4111111111111111^${'A'.repeat(27)}^3012101?`],
    ['blank name', '%B4111111111111111^   ^3012101?'],
    ['month 13', '%B4111111111111111^TEST/CARD^3013101?'],
    ['month 00', '%B4111111111111111^TEST/CARD^3000101?'],
    ['no service code', '%B4111111111111111^TEST/CARD^3012?'],
    ['third separator', '%B4111111111111111^TEST/CARD^3012101^00?'],
    ['national character', '%B4111111111111111^TEST[CARD^3012101?'],
    ['lower case (outside the set)', '%B4111111111111111^test/card^3012101?'],
    ['too long', `%B4111111111111111^TEST/CARD^3012101${'0'.repeat(60)}?`],
  ])('rejects %s', (_what, track) => {
    expect(parseTrack1(ascii(track))).toEqual({ ok: false, error: 'format' });
  });
});

describe('track 2', () => {
  it('parses with and without the LRC extension', () => {
    const fields = { pan: '4111111111111111', expiry: '3012', serviceCode: '101', lrcChecked: false };
    expect(parseTrack2(ascii(T2))).toEqual({ ok: true, fields });
    expect(parseTrack2(ascii(`${T2}<`))).toEqual({ ok: true, fields: { ...fields, lrcChecked: true } });
    expect(parseTrack2(ascii(`${T2}=`))).toEqual({ ok: false, error: 'badLrc' });
  });

  it.each([
    ['lone separator (no expiry)', ';4111111111111111=?'],
    ['field separator in discretionary data', ';4111111111111111=3012101=00?'],
    ['control character in data', ';4111111111111111=3012101:00?'],
    ['track 1 character', ';4111111111111111=3012101A0?'],
    ['month 13', ';4111111111111111=3013101?'],
    ['too long', `;4111111111111111=3012101${'0'.repeat(20)}?`],
    ['wrong start sentinel', '%4111111111111111=3012101?'],
  ])('rejects %s', (_what, track) => {
    expect(parseTrack2(ascii(track))).toEqual({ ok: false, error: 'format' });
  });
});
