import { describe, expect, it } from 'vitest';
import { decodeMagtekReport, encodeMagtekReport, EncodeType, MAGTEK_REPORT_LENGTH } from '../../../drivers/card-reader/magtek-report.js';
import { decodeSwipe } from '../../../drivers/card-reader/swipe-decoder.js';
import { encodeTrack1, encodeTrack2 } from '../../../simulators/devices/card-reader/tracks.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const card = { pan: '4400430000000015', expiry: '3012', name: 'SEITKALI/AIGERIM' };

describe('MagTek report layout', () => {
  it('puts status, lengths, encode type and tracks at the documented offsets', () => {
    const t1 = ascii('%B4111111111111111^TEST/CARD^3012101?');
    const t2 = ascii(';4111111111111111=3012101?');
    const report = encodeMagtekReport([{ data: t1 }, { data: t2 }, { decodeError: true }], EncodeType.iso);
    expect(report.length).toBe(337);
    expect([...report.subarray(0, 7)]).toEqual([0x00, 0x00, 0x01, t1.length, t2.length, 0x00, 0x00]);
    expect(Buffer.from(report.subarray(7, 7 + t1.length)).toString('latin1')).toBe('%B4111111111111111^TEST/CARD^3012101?');
    expect(report[117]).toBe(0x3b);
    expect(report[227]).toBe(0x00);
    const decoded = decodeMagtekReport(report);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.swipe.tracks[2]).toEqual({ decodeError: true, data: new Uint8Array(0) });
  });

  it('rejects a report of another length or a track longer than its field', () => {
    expect(decodeMagtekReport(new Uint8Array(336)).ok).toBe(false);
    const report = new Uint8Array(MAGTEK_REPORT_LENGTH);
    report[4] = 111;
    expect(decodeMagtekReport(report).ok).toBe(false);
  });
});

describe('swipe decoding', () => {
  const swipe = (t1?: Uint8Array, t2?: Uint8Array, encodeType: number = EncodeType.iso): Uint8Array =>
    encodeMagtekReport([t1 ? { data: t1 } : {}, t2 ? { data: t2 } : {}, {}], encodeType);

  it('reads PAN and expiry from track 2 and the name from track 1', () => {
    expect(decodeSwipe(swipe(encodeTrack1(card), encodeTrack2(card)))).toEqual({
      ok: true,
      card: { pan: card.pan, expiry: '3012', serviceCode: '101', name: 'SEITKALI/AIGERIM' },
    });
  });

  it('reads a card with only one good track', () => {
    expect(decodeSwipe(swipe(undefined, encodeTrack2(card)))).toMatchObject({ ok: true, card: { pan: card.pan } });
    expect(decodeSwipe(swipe(encodeTrack1(card), undefined))).toMatchObject({ ok: true, card: { pan: card.pan, name: card.name } });
  });

  it('classifies errors', () => {
    expect(decodeSwipe(swipe(encodeTrack1(card, true), encodeTrack2(card)))).toEqual({ ok: false, error: 'badLrc' });
    expect(decodeSwipe(encodeMagtekReport([{ decodeError: true }, { decodeError: true }, {}], EncodeType.undetermined))).toEqual({ ok: false, error: 'unreadable' });
    expect(decodeSwipe(new Uint8Array(10))).toEqual({ ok: false, error: 'unreadable' });
    const other = { ...card, pan: '4400430000000023' };
    expect(decodeSwipe(swipe(encodeTrack1(other), encodeTrack2(card)))).toEqual({ ok: false, error: 'unreadable' });
    const luhnFail = { ...card, pan: '4400430000000016' };
    expect(decodeSwipe(swipe(encodeTrack1(luhnFail), encodeTrack2(luhnFail)))).toEqual({ ok: false, error: 'notBankCard' });
    expect(decodeSwipe(swipe(ascii('%ADRIVER^LICENCE?'), undefined, EncodeType.aamva))).toEqual({ ok: false, error: 'notBankCard' });
    expect(decodeSwipe(swipe(ascii('%AHOTEL KEY 123?'), ascii(';123=45?')))).toEqual({ ok: false, error: 'notBankCard' });
    expect(decodeSwipe(swipe(undefined, undefined, EncodeType.blank))).toEqual({ ok: false, error: 'notBankCard' });
  });
});
