import { describe, expect, it } from 'vitest';
import {
  LcdmCmd, LcdmParser, bcc, decodeCount, decodeError, decodeReply, encodeBothReply, encodeCassetteReply, encodeCount,
  encodeDeviceFrame, encodeHostFrame, encodeStatusBytes,
} from '../../../drivers/dispenser/lcdm-codec.js';
import { hex } from '../../../drivers/cash-acceptor/ccnet-codec.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));

describe('LCDM frames match the reference', () => {
  it('dispense 10 upper: BCC 11', () => {
    expect(hex(encodeHostFrame(LcdmCmd.dispenseUpper, encodeCount(10)))).toBe('04 50 02 45 31 30 03 11');
  });
  it('purge, status, rom, lower x5, upper 3 + lower 5', () => {
    expect(hex(encodeHostFrame(LcdmCmd.purge))).toBe('04 50 02 44 03 11');
    expect(hex(encodeHostFrame(LcdmCmd.status))).toBe('04 50 02 46 03 13');
    expect(hex(encodeHostFrame(LcdmCmd.romVersion))).toBe('04 50 02 47 03 12');
    expect(hex(encodeHostFrame(LcdmCmd.testUpper))).toBe('04 50 02 76 03 23');
    expect(hex(encodeHostFrame(LcdmCmd.dispenseLower, encodeCount(5)))).toBe('04 50 02 55 30 35 03 05');
    expect(hex(encodeHostFrame(LcdmCmd.dispenseBoth, [...encodeCount(3), ...encodeCount(5)]))).toBe('04 50 02 56 30 33 30 35 03 05');
  });
  it('reply "10 dispensed, good"', () => {
    const reply = encodeDeviceFrame(LcdmCmd.dispenseUpper, encodeCassetteReply({ checked: 10, exited: 10, rejected: 0, nearEnd: false }, 0x30));
    expect(hex(reply)).toBe('01 50 02 45 31 30 31 30 30 30 30 30 03 15');
    expect(bcc(reply, reply.length - 1)).toBe(0x15);
  });
});

describe('counts and errors', () => {
  it('encodes tens then units and refuses what does not fit', () => {
    expect(encodeCount(7)).toEqual([0x30, 0x37]);
    expect(encodeCount(60)).toEqual([0x36, 0x30]);
    expect(() => encodeCount(100)).toThrow();
    expect(decodeCount([0x34, 0x32], 0)).toBe(42);
    expect(decodeCount([0x3a, 0x32], 0)).toBeUndefined();
  });
  it('classifies error codes', () => {
    expect(decodeError(0x30)).toMatchObject({ ok: true });
    expect(decodeError(0x31)).toMatchObject({ ok: true });
    expect(decodeError(0x38)).toMatchObject({ ok: false, kind: 'empty' });
    expect(decodeError(0x40)).toMatchObject({ ok: false, kind: 'empty' });
    expect(decodeError(0x33)).toMatchObject({ kind: 'jam' });
    expect(decodeError(0x47)).toMatchObject({ kind: 'timeout' });
    expect(decodeError(0x99)).toMatchObject({ ok: false, kind: 'failure' });
  });
});

describe('replies decode by the command they answer', () => {
  it('two-cassette dispense', () => {
    const u = { checked: 3, exited: 3, rejected: 1, nearEnd: false };
    const l = { checked: 5, exited: 4, rejected: 0, nearEnd: true };
    const data = Uint8Array.from(encodeBothReply(u, l, 0x40));
    expect(data.length).toBe(15);
    expect(encodeDeviceFrame(0x56, data).length).toBe(21);
    const r = decodeReply(LcdmCmd.dispenseBoth, data);
    expect(r).toMatchObject({ upper: u, lower: l, err: { kind: 'empty' } });
  });
  it('status bits', () => {
    const [s0, s1] = encodeStatusBytes({ upperNearEnd: true, lowerMissing: true });
    const r = decodeReply(LcdmCmd.status, Uint8Array.from([0x30, 0x30, s0, s1]));
    expect(r).toMatchObject({ bits: { upperNearEnd: true, lowerMissing: true, upperMissing: false, lowerNearEnd: false } });
    expect(encodeDeviceFrame(0x46, [0x30, 0x30, s0, s1]).length).toBe(10);
  });
  it('presenter extension', () => {
    expect(decodeReply(LcdmCmd.present, bytes('30 30 37 31'))).toMatchObject({ presented: 7, shutterOpen: true });
    expect(decodeReply(LcdmCmd.retract, bytes('30 30 37'))).toMatchObject({ retracted: 7 });
    expect(decodeReply(LcdmCmd.presenterStatus, bytes('30 30 30 30'))).toMatchObject({ inPresenter: 0, shutterOpen: false });
  });
  it('refuses wrong shapes', () => {
    expect(decodeReply(LcdmCmd.dispenseUpper, bytes('31 30 30'))).toBeUndefined();
    expect(decodeReply(LcdmCmd.status, bytes('30 30 00 80'))).toBeUndefined();
    expect(decodeReply(LcdmCmd.present, bytes('30 30 37 39'))).toBeUndefined();
    expect(decodeReply(0x99, bytes('30'))).toBeUndefined();
  });
});

describe('stream parser', () => {
  const reply = encodeDeviceFrame(LcdmCmd.dispenseUpper, encodeCassetteReply({ checked: 2, exited: 2, rejected: 0, nearEnd: false }, 0x30));
  it('reads ACK then a split reply', () => {
    const p = new LcdmParser(0x01);
    const tokens = [0x06, ...reply].flatMap((b) => p.push([b]));
    expect(tokens.map((t) => t.type)).toEqual(['ack', 'frame']);
    expect(tokens[1]).toMatchObject({ cmd: 0x45 });
  });
  it('skips garbage, drops a bad BCC and finds the next frame', () => {
    const diags: string[] = [];
    const p = new LcdmParser(0x01, (d) => diags.push(d));
    const bad = reply.slice();
    bad[5] = 0x39;
    const tokens = p.push([0x99, 0x01, 0x77, ...bad, 0x42, ...reply]);
    expect(tokens.filter((t) => t.type === 'frame')).toHaveLength(1);
    expect(diags).toEqual(expect.arrayContaining(['bcc', 'garbage']));
  });
  it('gives up on a frame without ETX and resynchronises', () => {
    const p = new LcdmParser(0x01);
    const noEtx = [0x01, 0x50, 0x02, 0x45, ...new Array(40).fill(0x31)];
    expect(p.push([...noEtx, ...reply]).filter((t) => t.type === 'frame')).toHaveLength(1);
  });
  it('reads host commands on the device side', () => {
    const p = new LcdmParser(0x04);
    expect(p.push(encodeHostFrame(0x46))).toEqual([{ type: 'frame', cmd: 0x46, data: new Uint8Array(0) }]);
  });
});
