/**
 * Seeded fuzzing of the ID003 codec (100 000+ inputs): random bytes, mutated frames and random
 * frames through the stream parser, the whole-frame decoder and every field decoder. Nothing may
 * throw anything but CodecError; every frame the parser emits was on the wire byte for byte; a
 * single-byte corruption past FC and LNG never yields a frame, and the next valid frame is found.
 */
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../drivers/common/codec-error.js';
import {
  Id003Parser, decodeEnableMask, decodeFrame, decodeStatus, encodeFrame, parseCurrencyAssign, parseVersion, type Id003Frame,
} from '../../../drivers/cash-acceptor/id003-codec.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function containsRun(hay: ArrayLike<number>, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** runs a decoder; counts anything thrown that is not a CodecError */
function tally(out: { ok: number; codec: number; other: number }, fn: () => unknown): void {
  try {
    fn();
    out.ok++;
  } catch (err) {
    if (err instanceof CodecError) out.codec++;
    else out.other++;
  }
}

function decodeAll(f: Id003Frame, t: { ok: number; codec: number; other: number }): void {
  tally(t, () => decodeStatus(f));
  tally(t, () => parseCurrencyAssign(f.data));
  tally(t, () => decodeEnableMask(f.data));
  tally(t, () => parseVersion(f.data));
}

const CASES = 35_000; // three categories: 105 000 inputs

describe('ID003 codec fuzz', () => {
  const rand = prng(0x1d003);
  const byte = (): number => Math.floor(rand() * 256);
  const randomFrame = (): Uint8Array => encodeFrame(byte(), Array.from({ length: Math.floor(rand() * 40) }, byte));

  it('random chunks: only CodecError or valid results; every emitted frame was on the wire', () => {
    const p = new Id003Parser();
    const window: number[] = [];
    const t = { ok: 0, codec: 0, other: 0 };
    let emitted = 0;
    let invented = 0;
    for (let i = 0; i < CASES; i++) {
      const chunk = Uint8Array.from({ length: 1 + Math.floor(rand() * 64) }, () => (rand() < 0.05 ? 0xfc : byte()));
      window.push(...chunk);
      if (window.length > 600) window.splice(0, window.length - 600);
      tally(t, () => decodeFrame(chunk));
      for (const f of p.push(chunk)) {
        emitted++;
        if (!containsRun(window, encodeFrame(f.cmd, f.data))) invented++;
        decodeAll(f, t);
      }
    }
    expect(t.other).toBe(0);
    expect(invented).toBe(0);
    expect(emitted).toBeLessThan(10);
  });

  it('single-byte corruptions past FC and LNG yield no frame; the next valid frame is recovered', () => {
    let cases = 0;
    let falseFrames = 0;
    let notRecovered = 0;
    const t = { ok: 0, codec: 0, other: 0 };
    for (let i = 0; i < CASES; i++) {
      const good = randomFrame();
      const bad = good.slice();
      const pos = 2 + Math.floor(rand() * (bad.length - 2));
      bad[pos]! ^= 1 + Math.floor(rand() * 255);
      cases++;
      tally(t, () => decodeFrame(bad));
      const p = new Id003Parser();
      const split = Math.floor(rand() * bad.length);
      falseFrames += p.push(bad.subarray(0, split)).length + p.push(bad.subarray(split)).length;
      const next = randomFrame();
      const frames = p.push(next);
      if (frames.length !== 1 || !same(encodeFrame(frames[0]!.cmd, frames[0]!.data), next)) notRecovered++;
    }
    expect(cases).toBe(CASES);
    expect(t.other).toBe(0);
    expect(t.ok).toBe(0); // a CRC catches every single-byte error
    expect(falseFrames).toBe(0);
    expect(notRecovered).toBe(0);
  });

  it('valid random frames decode to a status or a CodecError, never anything else', () => {
    const t = { ok: 0, codec: 0, other: 0 };
    const p = new Id003Parser();
    let lost = 0;
    for (let i = 0; i < CASES; i++) {
      const frame = randomFrame();
      // LNG corrupted in a tenth of the cases: framing must recover on the following frame
      const wire = rand() < 0.1 ? Uint8Array.from([frame[0]!, byte(), ...frame.subarray(2)]) : frame;
      const follow = encodeFrame(0x11);
      const got = p.push(Uint8Array.from([...wire, ...follow]));
      if (!got.some((f) => f.cmd === 0x11 && f.data.length === 0)) lost++;
      for (const f of got) decodeAll(f, t);
    }
    expect(t.other).toBe(0);
    expect(t.ok).toBeGreaterThan(0);
    // a corrupted LNG may swallow the follower until the next frame completes; never more than the corrupted share
    expect(lost).toBeLessThan(CASES * 0.1);
  });
});
