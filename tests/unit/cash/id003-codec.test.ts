import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../drivers/common/codec-error.js';
import {
  Cmd, Id003Parser, St, crc16, decodeEnableMask, decodeFrame, decodeStatus, encodeCurrencyAssign, encodeEnableMask,
  encodeFrame, encodeStatus, hex, parseCurrencyAssign, parseVersion, statusKey, type Id003Status,
} from '../../../drivers/cash-acceptor/id003-codec.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));

describe('ID003 CRC', () => {
  it('is CRC-16/KERMIT (check value 0x2189 for "123456789")', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x2189);
  });
});

describe('frames match the reference worked frames', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['STATUS REQUEST', encodeFrame(Cmd.statusRequest), 'FC 05 11 27 56'],
    ['ACK', encodeFrame(Cmd.ack), 'FC 05 50 AA 05'],
    ['RESET', encodeFrame(Cmd.reset), 'FC 05 40 2B 15'],
    ['STACK-1', encodeFrame(Cmd.stack1), 'FC 05 41 A2 04'],
    ['STACK-2', encodeFrame(Cmd.stack2), 'FC 05 42 39 36'],
    ['RETURN', encodeFrame(Cmd.return), 'FC 05 43 B0 27'],
    ['HOLD', encodeFrame(Cmd.hold), 'FC 05 44 0F 53'],
    ['WAIT', encodeFrame(Cmd.wait), 'FC 05 45 86 42'],
    ['INHIBIT off', encodeFrame(Cmd.setInhibit, [0]), 'FC 06 C3 00 04 D6'],
    ['INHIBIT on', encodeFrame(Cmd.setInhibit, [1]), 'FC 06 C3 01 8D C7'],
    ['ENABLE all', encodeFrame(Cmd.setEnable, [0, 0]), 'FC 07 C0 00 00 2D B5'],
    ['currency assign request', encodeFrame(Cmd.currencyAssign), 'FC 05 8A 7D 7C'],
    ['reply ESCROW 62', encodeStatus({ kind: 'escrow', escrowCode: 0x62 }), 'FC 06 13 62 2B C9'],
    ['reply VEND VALID', encodeStatus({ kind: 'vendValid' }), 'FC 05 15 03 10'],
    ['reply IDLING = STATUS REQUEST', encodeStatus({ kind: 'idling' }), 'FC 05 11 27 56'],
    ['reply POWER UP = RESET', encodeStatus({ kind: 'powerUp' }), 'FC 05 40 2B 15'],
  ];
  for (const [name, frame, expected] of cases) it(name, () => expect(hex(frame)).toBe(expected));

  it('decodes a whole frame and refuses a bad one with CodecError', () => {
    expect(decodeFrame(bytes('FC 06 13 62 2B C9'))).toEqual({ cmd: 0x13, data: Uint8Array.of(0x62) });
    expect(() => decodeFrame(bytes('FC 06 13 62 2B C8'))).toThrow(CodecError);
    expect(() => decodeFrame(bytes('FC 07 13 62 2B C9'))).toThrow(/LNG/);
    expect(() => decodeFrame(bytes('FE 05 11 27 56'))).toThrow(CodecError);
    expect(() => decodeFrame(bytes('FC 05 11'))).toThrow(CodecError);
    expect(() => encodeFrame(0x11, new Uint8Array(251))).toThrow(CodecError);
  });
});

describe('statuses', () => {
  const f = (s: string) => decodeFrame(bytes(s));
  it('decodes escrow, vend valid, reject, failure, power-up with a bill and jams', () => {
    expect(decodeStatus(f('FC 06 13 62 2B C9'))).toEqual({ kind: 'escrow', escrowCode: 0x62 });
    expect(decodeStatus(f('FC 05 15 03 10'))).toEqual({ kind: 'vendValid' });
    expect(decodeStatus({ cmd: 0x17, data: Uint8Array.of(0x79) })).toEqual({ kind: 'rejecting', code: 0x79, reason: 'inhibit' });
    expect(decodeStatus({ cmd: 0x17, data: Uint8Array.of(0x7a) })).toEqual({ kind: 'rejecting', code: 0x7a, reason: 'unknown' });
    expect(decodeStatus({ cmd: 0x49, data: Uint8Array.of(0xa2) })).toEqual({ kind: 'failure', code: 0xa2, message: 'stack motor failure' });
    expect(decodeStatus({ cmd: 0x41, data: new Uint8Array() })).toEqual({ kind: 'powerUp', billIn: 'acceptor' });
    expect(decodeStatus({ cmd: 0x42, data: new Uint8Array() })).toEqual({ kind: 'powerUp', billIn: 'stacker' });
    expect(decodeStatus({ cmd: 0x45, data: new Uint8Array() })).toEqual({ kind: 'jammed', where: 'acceptor' });
    expect(decodeStatus({ cmd: 0x1a, data: new Uint8Array() })).toEqual({ kind: 'disabled' });
    expect(decodeStatus({ cmd: 0x4b, data: new Uint8Array() })).toEqual({ kind: 'invalidCommand' });
  });
  it('refuses impossible shapes with CodecError instead of guessing', () => {
    expect(() => decodeStatus({ cmd: 0x13, data: new Uint8Array() })).toThrow(CodecError);
    expect(() => decodeStatus({ cmd: 0x13, data: Uint8Array.of(0x69) })).toThrow(/outside 61-68/);
    expect(() => decodeStatus({ cmd: 0x11, data: Uint8Array.of(0) })).toThrow(CodecError);
    expect(() => decodeStatus({ cmd: 0x0a, data: new Uint8Array() })).toThrow(/unknown status/);
    expect(() => decodeStatus({ cmd: 0x17, data: Uint8Array.of(1, 2) })).toThrow(CodecError);
  });
  it('round-trips every status through the wire and keys transitions', () => {
    const all: Id003Status[] = [
      { kind: 'idling' }, { kind: 'accepting' }, { kind: 'escrow', escrowCode: 0x67 }, { kind: 'stacking' }, { kind: 'vendValid' },
      { kind: 'stacked' }, { kind: 'rejecting', code: 0x72, reason: 'magnetic' }, { kind: 'returning' }, { kind: 'holding' },
      { kind: 'disabled' }, { kind: 'initialize' }, { kind: 'powerUp' }, { kind: 'powerUp', billIn: 'acceptor' },
      { kind: 'powerUp', billIn: 'stacker' }, { kind: 'stackerFull' }, { kind: 'stackerOpen' }, { kind: 'jammed', where: 'acceptor' },
      { kind: 'jammed', where: 'stacker' }, { kind: 'pause' }, { kind: 'cheated' }, { kind: 'failure', code: 0xa6, message: 'transport motor failure' },
      { kind: 'communicationError' }, { kind: 'invalidCommand' },
    ];
    for (const s of all) expect(decodeStatus(decodeFrame(encodeStatus(s)))).toEqual(s);
    expect(new Set(all.map(statusKey)).size).toBe(all.length);
    expect(St.disabled).toBe(0x1a);
  });
});

describe('denomination mask and table', () => {
  it('C0: a set bit disables; DATA1 bit 0 is escrow code 61', () => {
    expect(encodeEnableMask([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68])).toEqual([0x00, 0x00]);
    expect(encodeEnableMask([])).toEqual([0xff, 0x00]);
    expect(encodeEnableMask([0x63, 0x65])).toEqual([0xeb, 0x00]);
    expect(decodeEnableMask([0xeb, 0x00])).toEqual([0x63, 0x65]);
    expect(() => encodeEnableMask([0x69])).toThrow(CodecError);
    expect(() => decodeEnableMask([0])).toThrow(CodecError);
  });
  it('8A: value x 10^exponent per escrow code; unused entries and other currencies', () => {
    const kzt = [20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000].map((denomination, i) => ({ escrowCode: 0x61 + i, denomination }));
    const body = encodeCurrencyAssign(kzt);
    expect(hex(body.subarray(0, 8))).toBe('61 51 02 02 62 51 05 02');
    expect(hex(body.subarray(24))).toBe('67 51 02 04');
    expect(parseCurrencyAssign(body).map((e) => e.denomination)).toEqual(kzt.map((e) => e.denomination));
    const mixed = parseCurrencyAssign(bytes('61 01 01 00 62 51 00 00 63 51 05 03'));
    expect(mixed).toEqual([{ escrowCode: 0x61, country: 1 }, { escrowCode: 0x63, country: 0x51, denomination: 500_000 }]);
    expect(() => parseCurrencyAssign(bytes('61 51 02'))).toThrow(CodecError);
    expect(() => parseCurrencyAssign(bytes('70 51 02 02'))).toThrow(CodecError);
    expect(() => encodeCurrencyAssign([{ escrowCode: 0x61, denomination: 150 }])).toThrow(CodecError);
  });
  it('version is one printable line', () => {
    expect(parseVersion(new TextEncoder().encode('i(KZT)-100-SS ID003-05V000-00 01JAN26 0000\0'))).toBe('i(KZT)-100-SS ID003-05V000-00 01JAN26 0000');
  });
});

describe('stream parser', () => {
  it('reassembles split frames and skips garbage', () => {
    const diag: string[] = [];
    const p = new Id003Parser((d) => diag.push(d));
    const a = encodeFrame(0x13, [0x62]);
    expect(p.push(Uint8Array.of(0x00, 0xfc, 0x01, ...a.subarray(0, 3)))).toEqual([]);
    const frames = p.push(a.subarray(3));
    expect(frames).toEqual([{ cmd: 0x13, data: Uint8Array.of(0x62) }]);
    expect(diag).toContain('garbage');
    expect(p.pending).toBe(0);
  });
  it('a bad CRC is reported and the next frame recovered', () => {
    const diag: string[] = [];
    const p = new Id003Parser((d) => diag.push(d));
    const bad = encodeFrame(0x11);
    bad[4]! ^= 0xff;
    expect(p.push(Uint8Array.from([...bad, ...encodeFrame(0x1a)]))).toEqual([{ cmd: 0x1a, data: new Uint8Array() }]);
    expect(diag).toContain('crc');
  });
});
