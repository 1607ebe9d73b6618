import { describe, expect, it } from 'vitest';
import {
  CcnetParser, Cmd, crc16Kermit, decodePollState, decodeTypeMask, encodeBillTable, encodeCommand, encodeEnable,
  encodeFrame, encodeIdentification, encodeTypeMask, hex, parseBillTable, parseIdentification, pollStateKey,
} from '../../../drivers/cash-acceptor/ccnet-codec.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));
const KZT_TYPES = [20000, 50000, 100000, 200000, 500000, 1000000, 2000000];

describe('CRC-16/KERMIT', () => {
  it('has the catalogue check value 0x2189 for "123456789"', () => {
    expect(crc16Kermit(new TextEncoder().encode('123456789'))).toBe(0x2189);
  });
});

describe('host commands match the reference frames', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['RESET', encodeCommand(Cmd.reset), '02 03 06 30 41 B3'],
    ['POLL', encodeCommand(Cmd.poll), '02 03 06 33 DA 81'],
    ['ACK', encodeCommand(Cmd.ack), '02 03 06 00 C2 82'],
    ['NAK', encodeCommand(Cmd.nak), '02 03 06 FF BA 8D'],
    ['GET STATUS', encodeCommand(Cmd.getStatus), '02 03 06 31 C8 A2'],
    ['IDENTIFICATION', encodeCommand(Cmd.identification), '02 03 06 37 FE C7'],
    ['GET BILL TABLE', encodeCommand(Cmd.getBillTable), '02 03 06 41 4F D1'],
    ['STACK', encodeCommand(Cmd.stack), '02 03 06 35 EC E4'],
    ['RETURN', encodeCommand(Cmd.return), '02 03 06 36 77 D6'],
    ['HOLD', encodeCommand(Cmd.hold), '02 03 06 38 09 3F'],
    ['ENABLE 0-6', encodeEnable([0, 1, 2, 3, 4, 5, 6]), '02 03 0C 34 00 00 7F 00 00 7F DB 6F'],
    ['DISABLE', encodeEnable([]), '02 03 0C 34 00 00 00 00 00 00 17 0C'],
  ];
  for (const [name, frame, expected] of cases) it(name, () => expect(hex(frame)).toBe(expected));
});

describe('device replies match the reference frames', () => {
  const cases: Array<[string, number[], string]> = [
    ['IDLING', [0x14], '02 03 06 14 67 D4'],
    ['UNIT DISABLED', [0x19], '02 03 06 19 82 0F'],
    ['ESCROW 6', [0x80, 6], '02 03 07 80 06 BA 56'],
    ['STACKED 6', [0x81, 6], '02 03 07 81 06 62 4F'],
    ['REJECT 68', [0x1c, 0x68], '02 03 07 1C 68 3F 6C'],
  ];
  for (const [name, body, expected] of cases) it(name, () => expect(hex(encodeFrame(3, body))).toBe(expected));
});

describe('poll states', () => {
  it('decodes escrow, stacked, reject and failure', () => {
    expect(decodePollState(bytes('80 06'))).toEqual({ kind: 'escrow', billType: 6 });
    expect(decodePollState(bytes('81 0A'))).toEqual({ kind: 'stacked', billType: 10 });
    expect(decodePollState(bytes('1C 68'))).toEqual({ kind: 'rejecting', code: 0x68, reason: 'inhibit' });
    expect(decodePollState(bytes('1C 77'))).toEqual({ kind: 'rejecting', code: 0x77, reason: 'unknown' });
    expect(decodePollState(bytes('47 50'))).toMatchObject({ kind: 'failure', code: 0x50, message: 'stack motor failure' });
    expect(decodePollState(bytes('43'))).toEqual({ kind: 'jammed', where: 'validator' });
    expect(decodePollState(bytes('44'))).toEqual({ kind: 'jammed', where: 'cassette' });
    expect(decodePollState(bytes('11'))).toEqual({ kind: 'powerUp', billIn: 'validator' });
    expect(decodePollState(bytes('1B 03'))).toEqual({ kind: 'busy', retryMs: 300 });
  });
  it('refuses impossible shapes instead of guessing', () => {
    expect(decodePollState(bytes('80'))).toBeUndefined();
    expect(decodePollState(bytes('80 18'))).toBeUndefined();
    expect(decodePollState(bytes('14 00'))).toBeUndefined();
    expect(decodePollState(bytes('99'))).toBeUndefined();
    expect(decodePollState(new Uint8Array(0))).toBeUndefined();
  });
  it('keys differ by bill type so consecutive notes are distinct transitions', () => {
    expect(pollStateKey({ kind: 'stacked', billType: 1 })).not.toBe(pollStateKey({ kind: 'stacked', billType: 2 }));
  });
});

describe('masks', () => {
  it('puts type 0 in byte 3 bit 0 and type 23 in byte 1 bit 7', () => {
    expect(encodeTypeMask([0])).toEqual([0, 0, 1]);
    expect(encodeTypeMask([23])).toEqual([0x80, 0, 0]);
    expect(encodeTypeMask([8, 10])).toEqual([0, 0x05, 0]);
    expect(decodeTypeMask([0x80, 0x05, 0x01])).toEqual([0, 8, 10, 23]);
    expect(() => encodeTypeMask([24])).toThrow(/outside/);
  });
});

describe('bill table', () => {
  const table = encodeBillTable(KZT_TYPES.map((denomination, billType) => ({ billType, denomination })));
  it('encodes the illustrative KZT table with the reference CRC', () => {
    expect(hex(table.subarray(0, 15))).toBe('02 4B 41 5A 02 05 4B 41 5A 02 01 4B 41 5A 03');
    const reply = encodeFrame(3, table);
    expect(reply.length).toBe(125);
    expect(hex(reply.subarray(0, 3))).toBe('02 03 7D');
    expect(hex(reply.subarray(123))).toBe('43 2F');
    const kzt = encodeBillTable(KZT_TYPES.map((denomination, billType) => ({ billType, denomination, currency: 'KZT' })));
    expect(hex(encodeFrame(3, kzt).subarray(123))).toBe('DE 10');
  });
  it('parses denominations into tiyn, skipping gaps and foreign currencies', () => {
    expect(parseBillTable(table).map((e) => e.denomination)).toEqual(KZT_TYPES);
    const gappy = new Uint8Array(120);
    gappy.set([0x05, 0x4b, 0x5a, 0x54, 0x03], 9 * 5); // 5000 KZT at type 9
    gappy.set([0x01, 0x55, 0x53, 0x41, 0x01], 2 * 5); // 10 USD
    gappy.set([0x05, 0x4b, 0x5a, 0x54, 0x81], 3 * 5); // 0.5 KZT = 50 tiyn
    expect(parseBillTable(gappy)).toEqual([
      { billType: 3, currency: 'KZT', denomination: 50 },
      { billType: 9, currency: 'KZT', denomination: 500000 },
    ]);
    expect(() => parseBillTable(new Uint8Array(10))).toThrow(/bill table/);
  });
});

describe('identification', () => {
  it('round-trips part number and serial', () => {
    const id = parseIdentification(encodeIdentification({ partNumber: 'SM-KZ1706', serial: '41K012345' }));
    expect(id).toEqual({ partNumber: 'SM-KZ1706', serial: '41K012345' });
  });
});

describe('stream parser', () => {
  const poll = encodeFrame(3, [0x14]);
  const escrow = encodeFrame(3, [0x80, 6]);
  it('reassembles split frames byte by byte', () => {
    const p = new CcnetParser();
    const got = [...escrow].flatMap((b) => p.push(Uint8Array.of(b)));
    expect(got).toHaveLength(1);
    expect([...got[0]!.body]).toEqual([0x80, 6]);
  });
  it('finds two frames in one chunk and frames inside garbage', () => {
    const diags: string[] = [];
    const p = new CcnetParser((d) => diags.push(d));
    const chunk = Uint8Array.from([0xaa, 0x02, 0x01, 0x55, ...poll, 0x02, 0x03, 0x02, ...escrow]);
    expect(p.push(chunk).map((f) => hex(f.body))).toEqual(['14', '80 06']);
    expect(diags).toContain('garbage');
    expect(p.pending).toBe(0);
  });
  it('drops a frame with a bad CRC and resynchronises on the next', () => {
    const diags: string[] = [];
    const p = new CcnetParser((d) => diags.push(d));
    const bad = escrow.slice();
    bad[4] = 0x05;
    expect(p.push(Uint8Array.from([...bad, ...poll])).map((f) => hex(f.body))).toEqual(['14']);
    expect(diags).toContain('crc');
  });
  it('keeps a partial frame until the rest arrives', () => {
    const p = new CcnetParser();
    expect(p.push(escrow.subarray(0, 4))).toEqual([]);
    expect(p.pending).toBe(4);
    expect(p.push(escrow.subarray(4))).toHaveLength(1);
  });
});
