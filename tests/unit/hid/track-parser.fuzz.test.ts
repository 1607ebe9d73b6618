/**
 * Fuzzing the track parser and the swipe decoder with 100,000+ seeded inputs each: random bytes,
 * track-alphabet noise and mutated genuine tracks. Nothing may throw, and whatever is accepted
 * is checked against an independent reading of ISO/IEC 7813 (regular expressions, a separate LRC
 * and Luhn), so nothing invalid passes as valid.
 */
import { describe, expect, it } from 'vitest';
import { encodeMagtekReport, EncodeType, MAGTEK_REPORT_LENGTH } from '../../../drivers/card-reader/magtek-report.js';
import { decodeSwipe } from '../../../drivers/card-reader/swipe-decoder.js';
import { parseTrack1, parseTrack2, type TrackResult } from '../../../drivers/card-reader/track-parser.js';
import { encodeTrack1, encodeTrack2 } from '../../../simulators/devices/card-reader/tracks.js';
import { prng } from './prng.js';

const N = 100_000;
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

// ---- the independent oracle ---------------------------------------------------------------
function oracleLuhn(pan: string): boolean {
  const digits = [...pan].reverse().map(Number);
  const sum = digits.reduce((acc, d, i) => acc + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][d]! : d), 0);
  return sum % 10 === 0;
}

function oracleLrc(text: string, base: number, mask: number): number {
  return [...text].reduce((x, ch) => x ^ ((ch.charCodeAt(0) - base) & mask), 0) + base;
}

// the end sentinel is the first '?'; the LRC after it may itself be any character, '?' included
const T1 = /^%B(\d{12,19})\^([^^?]{2,26})\^(\d\d(?:0[1-9]|1[0-2]))(\d{3})([^^?]*)\?([\s\S]?)$/;
const T2 = /^;(\d{12,19})=(\d\d(?:0[1-9]|1[0-2]))(\d{3})(\d*)\?([\s\S]?)$/;

function oracleTrack1(s: string): { pan: string; name: string; expiry: string; serviceCode: string } | undefined {
  const m = T1.exec(s);
  if (!m || s.length > 79) return undefined;
  const body = s.slice(1, s.indexOf('?'));
  if (![...body].every((c) => c >= ' ' && c <= '_' && !'[\\]%?'.includes(c))) return undefined;
  if (m[6] && oracleLrc(s.slice(0, -1), 0x20, 0x3f) !== m[6].charCodeAt(0)) return undefined;
  if (m[2]!.trimEnd() === '') return undefined;
  return { pan: m[1]!, name: m[2]!.trimEnd(), expiry: m[3]!, serviceCode: m[4]! };
}

function oracleTrack2(s: string): { pan: string; expiry: string; serviceCode: string } | undefined {
  const m = T2.exec(s);
  if (!m || s.length > 40) return undefined;
  if (m[5] && oracleLrc(s.slice(0, -1), 0x30, 0x0f) !== m[5].charCodeAt(0)) return undefined;
  return { pan: m[1]!, expiry: m[2]!, serviceCode: m[3]! };
}

// ---- input generators -------------------------------------------------------------------------
type Rng = ReturnType<typeof prng>;

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

function randomCard(rng: Rng): { pan: string; expiry: string; name: string } {
  const names = ['SEITKALI/AIGERIM', 'IVANOVA/OLGA', 'A/B', 'TEST/CARD', 'NURLANOV/DAUREN MR'];
  const month = String(1 + rng.int(12)).padStart(2, '0');
  return { pan: digits(rng, 12 + rng.int(8)), expiry: `${digits(rng, 2)}${month}`, name: names[rng.int(names.length)]! };
}

function mutate(rng: Rng, input: Uint8Array, alphabet: string): Uint8Array {
  const bytes = [...input];
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const pos = rng.int(bytes.length + 1);
    const b = rng.chance(0.7) ? alphabet.charCodeAt(rng.int(alphabet.length)) : rng.byte();
    const op = rng.int(3);
    if (op === 0 && pos < bytes.length) bytes[pos] = b;
    else if (op === 1) bytes.splice(pos, 0, b);
    else bytes.splice(pos, 1);
  }
  return Uint8Array.from(bytes);
}

const ALPHA1 = '%B^?/ 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]_@';
const ALPHA2 = ';=?0123456789:<>';

function trackInput(rng: Rng): Uint8Array {
  const kind = rng.int(5);
  const card = randomCard(rng);
  if (kind === 0) return Uint8Array.from({ length: rng.int(90) }, () => rng.byte());
  if (kind === 1) return Uint8Array.from({ length: rng.int(60) }, () => ALPHA1.charCodeAt(rng.int(ALPHA1.length)));
  if (kind === 2) return Uint8Array.from({ length: rng.int(45) }, () => ALPHA2.charCodeAt(rng.int(ALPHA2.length)));
  if (kind === 3) return rng.chance(0.2) ? encodeTrack1(card) : mutate(rng, encodeTrack1(card), ALPHA1);
  return rng.chance(0.2) ? encodeTrack2(card) : mutate(rng, encodeTrack2(card), ALPHA2);
}

function checkAgainstOracle(track: 1 | 2, input: Uint8Array, result: TrackResult): boolean {
  const s = latin1(input);
  const expected = track === 1 ? oracleTrack1(s) : oracleTrack2(s);
  if (!result.ok) return expected === undefined;
  return expected !== undefined && JSON.stringify({ ...expected }) === JSON.stringify(track === 1
    ? { pan: result.fields.pan, name: result.fields.name, expiry: result.fields.expiry, serviceCode: result.fields.serviceCode }
    : { pan: result.fields.pan, expiry: result.fields.expiry, serviceCode: result.fields.serviceCode });
}

describe('track parser fuzz', () => {
  it(`${N} inputs: never throws, accepts exactly what the oracle accepts`, () => {
    const rng = prng(0x7813);
    let accepted = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < N; i++) {
      const input = trackInput(rng);
      const r1 = parseTrack1(input);
      const r2 = parseTrack2(input);
      if (r1.ok || r2.ok) accepted++;
      if (!checkAgainstOracle(1, input, r1) || !checkAgainstOracle(2, input, r2)) {
        if (mismatches.length < 5) mismatches.push(JSON.stringify({ input: latin1(input), r1, r2 }));
      }
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(N / 20); // the generator reaches the valid space
  });

  // with 'auto', replacing the end sentinel can make the old LRC look like a sentinel of a
  // track without LRC; a reader known to append the LRC is read with 'required'
  it(`${N} single-character substitutions of tracks with an LRC are never accepted ('required')`, () => {
    const rng = prng(0x1c);
    for (let i = 0; i < N; i++) {
      const card = randomCard(rng);
      const track = rng.chance(0.5) ? 1 : 2;
      const original = track === 1 ? encodeTrack1(card) : encodeTrack2(card);
      const bytes = new Uint8Array(original);
      const pos = rng.int(bytes.length);
      let b = rng.byte();
      while (b === bytes[pos]) b = rng.byte();
      bytes[pos] = b;
      const r = track === 1 ? parseTrack1(bytes, 'required') : parseTrack2(bytes, 'required');
      if (r.ok) throw new Error(`corrupted track accepted: ${latin1(bytes)}`);
    }
  });
});

describe('swipe decoder fuzz', () => {
  it(`${N} reader reports: never throws, a card is only ever a Luhn-valid PAN from a valid track`, () => {
    const rng = prng(0x337);
    const outcomes: Record<string, number> = {};
    const failures: string[] = [];
    for (let i = 0; i < N; i++) {
      let report: Uint8Array;
      const kind = rng.int(4);
      if (kind === 0) {
        report = Uint8Array.from({ length: rng.chance(0.9) ? MAGTEK_REPORT_LENGTH : rng.int(400) }, () => rng.byte());
      } else {
        const card = randomCard(rng);
        const t1 = rng.chance(0.7) ? trackInput(rng) : encodeTrack1(card);
        const t2 = rng.chance(0.7) ? trackInput(rng) : encodeTrack2(card);
        const fit = (t: Uint8Array): Uint8Array => t.subarray(0, 110);
        report = encodeMagtekReport(
          [rng.chance(0.1) ? { decodeError: true } : { data: fit(t1) }, rng.chance(0.1) ? { decodeError: true } : { data: fit(t2) }, {}],
          rng.chance(0.9) ? EncodeType.iso : rng.int(8),
        );
        if (kind === 3) report[rng.int(7)] = rng.byte(); // damage the header
      }
      const copy = new Uint8Array(report);
      const result = decodeSwipe(report);
      outcomes[result.ok ? 'card' : result.error] = (outcomes[result.ok ? 'card' : result.error] ?? 0) + 1;
      if (!result.ok) continue;
      const { pan, expiry } = result.card;
      const fail = (why: string): void => {
        if (failures.length < 5) failures.push(`${why}: ${Buffer.from(copy).toString('hex')}`);
      };
      if (!oracleLuhn(pan)) fail('Luhn');
      const tracks = copy.length === MAGTEK_REPORT_LENGTH ? [latin1(copy.subarray(7, 7 + copy[3]!)), latin1(copy.subarray(117, 117 + copy[4]!))] : [];
      const t1 = tracks[0] !== undefined && (copy[0]! & 1) === 0 ? oracleTrack1(tracks[0]) : undefined;
      const t2 = tracks[1] !== undefined && (copy[1]! & 1) === 0 ? oracleTrack2(tracks[1]) : undefined;
      const source = t2 ?? t1;
      if (source?.pan !== pan || source.expiry !== expiry) fail('not from a valid track');
    }
    expect(failures).toEqual([]);
    expect(outcomes.card).toBeGreaterThan(1_000);
    expect(outcomes.badLrc).toBeGreaterThan(1_000);
    expect(outcomes.notBankCard).toBeGreaterThan(1_000);
    expect(outcomes.unreadable).toBeGreaterThan(1_000);
  });
});
