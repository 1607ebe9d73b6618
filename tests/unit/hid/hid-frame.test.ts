import { describe, expect, it } from 'vitest';
import { encodeHidFrame, HidFrameDecoder, MAX_HID_FRAME } from '../../../drivers/common/hid-frame.js';

describe('HID report framing', () => {
  it('prefixes a big-endian length', () => {
    expect([...encodeHidFrame(Uint8Array.of(0xaa, 0xbb, 0xcc))]).toEqual([0x00, 0x03, 0xaa, 0xbb, 0xcc]);
    expect([...encodeHidFrame(new Uint8Array(337)).subarray(0, 2)]).toEqual([0x01, 0x51]);
    expect(() => encodeHidFrame(new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeHidFrame(new Uint8Array(MAX_HID_FRAME + 1))).toThrow(RangeError);
  });

  it('reassembles reports split and joined arbitrarily', () => {
    const reports = [Uint8Array.of(1), new Uint8Array(64).fill(2), new Uint8Array(337).fill(3)];
    const stream = Buffer.concat(reports.map((r) => encodeHidFrame(r)));
    for (const step of [1, 2, 3, 7, 64, stream.length]) {
      const decoder = new HidFrameDecoder();
      const out: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...decoder.push(stream.subarray(i, i + step)));
      expect(out).toEqual(reports);
      expect(out.every((r) => !Buffer.isBuffer(r))).toBe(true);
    }
  });

  it('hands out copies the caller may zero', () => {
    const decoder = new HidFrameDecoder();
    const [a, b] = decoder.push(Buffer.concat([encodeHidFrame(Uint8Array.of(5, 6)), encodeHidFrame(Uint8Array.of(7, 8))]));
    a!.fill(0);
    expect([...b!]).toEqual([7, 8]);
  });

  it('stops at a frame length no report can have', () => {
    const decoder = new HidFrameDecoder();
    expect(decoder.push(Uint8Array.of(0x00, 0x00, 0x01))).toEqual([]);
    expect(decoder.error).toMatch(/bad HID frame length 0/);
    expect(decoder.push(encodeHidFrame(Uint8Array.of(1)))).toEqual([]);
    decoder.reset();
    expect(decoder.push(encodeHidFrame(Uint8Array.of(1)))).toEqual([Uint8Array.of(1)]);
  });
});
