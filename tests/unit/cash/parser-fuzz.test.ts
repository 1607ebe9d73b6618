/**
 * Seeded fuzzing of both stream parsers (120 000 inputs each): random bytes and mutated frames
 * never throw, never produce a frame that was not on the wire byte for byte, and a corruption the
 * check bytes must catch yields no frame at all. A valid frame after junk is recovered, except
 * when the junk's tail and the frame's head happen to pass the check together (counted, rare).
 * Failures are tallied and asserted once per test so the loop stays fast.
 */
import { describe, expect, it } from 'vitest';
import { CcnetParser, decodePollState, encodeFrame, parseBillTable } from '../../../drivers/cash-acceptor/ccnet-codec.js';
import { LcdmParser, decodeReply, encodeDeviceFrame } from '../../../drivers/dispenser/lcdm-codec.js';

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

const CASES = 40_000; // per category: 3 categories => 120 000 inputs per parser

describe('CCNET parser fuzz', () => {
  const rand = prng(0xc0ffee);
  const byte = (): number => Math.floor(rand() * 256);
  const randomFrame = (): Uint8Array => encodeFrame(byte(), Array.from({ length: 1 + Math.floor(rand() * 40) }, byte));

  it('random chunks: no throw, every frame emitted was on the wire', () => {
    const p = new CcnetParser();
    const window: number[] = [];
    let emitted = 0;
    let invented = 0;
    for (let i = 0; i < CASES; i++) {
      const chunk = Uint8Array.from({ length: 1 + Math.floor(rand() * 64) }, () => (rand() < 0.05 ? 0x02 : byte()));
      window.push(...chunk);
      if (window.length > 600) window.splice(0, window.length - 600);
      for (const f of p.push(chunk)) {
        emitted++;
        if (!containsRun(window, encodeFrame(f.addr, f.body))) invented++;
        decodePollState(f.body);
        if (f.body.length === 120) parseBillTable(f.body);
      }
    }
    expect(invented).toBe(0);
    expect(emitted).toBeLessThan(5);
  });

  it('single-byte corruptions past SYNC and LNG yield no frame; the next valid frame is recovered', () => {
    let cases = 0;
    let falseFrames = 0;
    let notRecovered = 0;
    for (let i = 0; i < CASES; i++) {
      const good = randomFrame();
      const bad = good.slice();
      const pos = 1 + Math.floor(rand() * (bad.length - 1));
      if (pos === 2) continue; // LNG changes framing: the next test
      bad[pos]! ^= 1 + Math.floor(rand() * 255);
      cases++;
      const p = new CcnetParser();
      const split = Math.floor(rand() * bad.length);
      falseFrames += p.push(bad.subarray(0, split)).length + p.push(bad.subarray(split)).length;
      const next = randomFrame();
      const frames = p.push(next);
      if (frames.length !== 1 || !same(encodeFrame(frames[0]!.addr, frames[0]!.body), next)) notRecovered++;
    }
    expect(cases).toBeGreaterThan(CASES * 0.8);
    expect(falseFrames).toBe(0);
    expect(notRecovered).toBe(0);
  });

  it('length corruptions, truncations and insertions: only real frames, the next frame recovered', () => {
    let invented = 0;
    let notRecovered = 0;
    for (let i = 0; i < CASES; i++) {
      const good = randomFrame();
      let bad: Uint8Array;
      const kind = i % 3;
      if (kind === 0) {
        bad = good.slice();
        bad[2] = byte();
      } else if (kind === 1) bad = good.slice(0, Math.floor(rand() * good.length));
      else {
        const at = 1 + Math.floor(rand() * (good.length - 1));
        bad = Uint8Array.from([...good.subarray(0, at), byte(), ...good.subarray(at)]);
      }
      const next = randomFrame();
      const wire = Uint8Array.from([...bad, ...next]);
      const frames = new CcnetParser().push(wire);
      for (const f of frames) if (!containsRun(wire, encodeFrame(f.addr, f.body))) invented++;
      const last = frames.at(-1);
      if (!last || !same(encodeFrame(last.addr, last.body), next)) notRecovered++;
    }
    expect(invented).toBe(0);
    expect(notRecovered).toBeLessThan(CASES / 1000);
  });
});

describe('LCDM parser fuzz', () => {
  const rand = prng(0xbadc0de);
  const byte = (): number => Math.floor(rand() * 256);
  const CMDS = [0x44, 0x45, 0x46, 0x47, 0x55, 0x56, 0x76, 0x77, 0x70, 0x71, 0x72];
  // reply data never holds ETX or a start byte (digits, error codes, status bytes with bit 7 set)
  const dataByte = (): number => {
    const b = byte();
    return b === 0x03 || b === 0x01 || b === 0x04 ? 0x30 : b;
  };
  const randomFrame = (): Uint8Array =>
    encodeDeviceFrame(CMDS[Math.floor(rand() * CMDS.length)]!, Array.from({ length: Math.floor(rand() * 16) }, dataByte));

  it('random chunks: no throw, every frame emitted was on the wire, decoding never throws', () => {
    const p = new LcdmParser(0x01);
    const window: number[] = [];
    let invented = 0;
    for (let i = 0; i < CASES; i++) {
      const chunk = Uint8Array.from({ length: 1 + Math.floor(rand() * 48) }, () => (rand() < 0.05 ? [0x01, 0x50, 0x02, 0x03][Math.floor(rand() * 4)]! : byte()));
      window.push(...chunk);
      if (window.length > 400) window.splice(0, window.length - 400);
      for (const t of p.push(chunk)) {
        if (t.type !== 'frame') continue;
        if (!containsRun(window, encodeDeviceFrame(t.cmd, t.data))) invented++;
        decodeReply(t.cmd, t.data);
      }
    }
    expect(invented).toBe(0);
  });

  it('single-byte corruptions the BCC must catch yield no frame; the next valid frame is recovered', () => {
    let falseFrames = 0;
    let notRecovered = 0;
    for (let i = 0; i < CASES; i++) {
      const good = randomFrame();
      const bad = good.slice();
      // ID, STX, CMD, DATA or BCC; the new value is never ETX or SOH (they move the frame's bounds)
      let pos = 1 + Math.floor(rand() * (good.length - 1));
      if (pos === good.length - 2) pos = good.length - 1;
      let v = byte();
      while (v === bad[pos] || v === 0x03 || v === 0x01) v = byte();
      bad[pos] = v;
      const p = new LcdmParser(0x01);
      const split = Math.floor(rand() * bad.length);
      for (const t of [...p.push(bad.subarray(0, split)), ...p.push(bad.subarray(split))]) if (t.type === 'frame') falseFrames++;
      const next = randomFrame();
      const after = p.push(next).filter((t) => t.type === 'frame');
      const f = after[0];
      if (after.length !== 1 || f?.type !== 'frame' || !same(encodeDeviceFrame(f.cmd, f.data), next)) notRecovered++;
    }
    expect(falseFrames).toBe(0);
    expect(notRecovered).toBe(0);
  });

  it('ETX corruptions, truncations and insertions: only real frames, the next frame recovered', () => {
    let invented = 0;
    let notRecovered = 0;
    for (let i = 0; i < CASES; i++) {
      const good = randomFrame();
      let bad: Uint8Array;
      const kind = i % 3;
      if (kind === 0) {
        bad = good.slice();
        bad[bad.length - 2] = byte();
      } else if (kind === 1) bad = good.slice(0, Math.floor(rand() * good.length));
      else {
        const at = 1 + Math.floor(rand() * (good.length - 1));
        bad = Uint8Array.from([...good.subarray(0, at), byte(), ...good.subarray(at)]);
      }
      const next = randomFrame();
      const wire = Uint8Array.from([...bad, ...next]);
      const frames = new LcdmParser(0x01).push(wire).filter((t) => t.type === 'frame');
      for (const f of frames) if (f.type === 'frame' && !containsRun(wire, encodeDeviceFrame(f.cmd, f.data))) invented++;
      const last = frames.at(-1);
      if (last?.type !== 'frame' || !same(encodeDeviceFrame(last.cmd, last.data), next)) notRecovered++;
    }
    expect(invented).toBe(0);
    // an XOR check passes a cut-short frame glued to the next frame's SOH one time in 256
    expect(notRecovered).toBeLessThan(CASES / 200);
  });
});
