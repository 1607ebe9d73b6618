import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../drivers/palm/crc32.js';
import {
  chunkCountFor,
  decodeCommand,
  decodeDeviceReport,
  encodeCommand,
  encodeDeviceMessage,
  startCapturePayload,
  type DeviceMessage,
} from '../../../drivers/palm/pv-hid-codec.js';

const hex = (r: Uint8Array, n: number): string => Buffer.from(r.subarray(0, n)).toString('hex');

describe('CRC-32', () => {
  it('has the IEEE check value', () => expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926));
});

describe('PV-HID 1 reports (reference example, tag 07, 1024-byte template)', () => {
  it('START_CAPTURE identify, 20 s, liveness', () => {
    const r = encodeCommand(0x02, 0x07, startCapturePayload(2, 20, true));
    expect(r.length).toBe(64);
    expect(hex(r, 7)).toBe('01020703021401');
    expect(r.subarray(7).every((b) => b === 0)).toBe(true);
    expect(decodeCommand(r)).toEqual({ ok: true, value: { cmd: 2, tag: 7, payload: Uint8Array.of(2, 20, 1) } });
  });

  const cases: [string, DeviceMessage, string][] = [
    ['ACK', { kind: 'ack', tag: 7, cmd: 2 }, '0280070102'],
    ['PRESENT_PALM', { kind: 'event', event: 'presentPalm' }, '02200000'],
    ['TOO_FAR 110 mm', { kind: 'event', event: 'tooFar', mm: 110 }, '022200016e'],
    ['CAPTURING', { kind: 'event', event: 'capturing' }, '02250000'],
    [
      'CAPTURE_OK',
      { kind: 'event', event: 'captureOk', capture: { captureId: 1, totalLength: 1024, chunkCount: 18, crc: 0x11223344, format: 1, quality: 90 } },
      '0230000d010004000012004433221101' + '5a',
    ],
    ['NAK busy', { kind: 'nak', tag: 9, cmd: 2, error: 3 }, '028f09020203'],
    ['STATUS', { kind: 'status', tag: 4, status: { state: 1, lastEvent: 0x20, lastError: 0, distanceMm: 300 } }, '02820405012000' + '2c01'],
  ];
  it.each(cases)('%s encodes to the documented bytes and decodes back', (_name, message, bytes) => {
    const r = encodeDeviceMessage(message);
    expect(hex(r, bytes.length / 2)).toBe(bytes);
    expect(r.subarray(bytes.length / 2).every((b) => b === 0)).toBe(true);
    expect(decodeDeviceReport(r)).toEqual({ ok: true, value: message });
  });

  it('chunks: 1024 bytes = 17 x 59 + 21', () => {
    expect(chunkCountFor(1024)).toBe(18);
    const data = new Uint8Array(21).fill(0xab);
    const r = encodeDeviceMessage({ kind: 'chunk', captureId: 1, seq: 0x11, data });
    expect(hex(r, 5)).toBe('0301110015');
    const d = decodeDeviceReport(r);
    expect(d.ok && d.value.kind === 'chunk' && [...d.value.data]).toEqual([...data]);
  });

  it('INFO round-trips', () => {
    const m: DeviceMessage = { kind: 'info', tag: 1, info: { protoMajor: 1, protoMinor: 0, firmware: [1, 2, 3], maxTemplate: 4096, formats: 1, serial: 'PV-123' } };
    expect(decodeDeviceReport(encodeDeviceMessage(m))).toEqual({ ok: true, value: m });
  });

  it.each([
    ['short report', Uint8Array.of(0x02, 0x20, 0x00, 0x00)],
    ['event with a tag', (() => { const r = new Uint8Array(64); r.set([0x02, 0x20, 0x05, 0x00]); return r; })()],
    ['reply with tag 0', (() => { const r = new Uint8Array(64); r.set([0x02, 0x80, 0x00, 0x01, 0x02]); return r; })()],
    ['non-zero padding', (() => { const r = new Uint8Array(64); r.set([0x02, 0x20, 0x00, 0x00]); r[63] = 1; return r; })()],
    ['unknown code', (() => { const r = new Uint8Array(64); r.set([0x02, 0x26, 0x00, 0x00]); return r; })()],
    ['chunk count not fitting the length', (() => { const r = new Uint8Array(64); r.set([0x02, 0x30, 0x00, 0x0d, 0x01, 0x00, 0x04, 0x00, 0x00, 0x11, 0x00]); return r; })()],
    ['template over 4096 bytes', (() => { const r = new Uint8Array(64); r.set([0x02, 0x30, 0x00, 0x0d, 0x01, 0x01, 0x10, 0x00, 0x00, 0x46, 0x00]); return r; })()],
    ['empty chunk', (() => { const r = new Uint8Array(64); r.set([0x03, 0x01, 0x00, 0x00, 0x00]); return r; })()],
    ['chunk over 59 bytes', (() => { const r = new Uint8Array(64); r.set([0x03, 0x01, 0x00, 0x00, 0x3c]); return r; })()],
    ['command report from the device', encodeCommand(1, 1)],
  ])('rejects %s', (_what, report) => {
    expect(decodeDeviceReport(report).ok).toBe(false);
  });
});
