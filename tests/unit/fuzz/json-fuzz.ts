/**
 * Seeded JSON fuzzing shared by the parser fuzz tests: random JSON values, one structural mutation
 * of a valid document, byte-level mutations of its text, and a loop that tallies what a parser did
 * with each input (and the slowest single input, so a hang shows as a number, not a stuck run).
 */
import { prng } from '../hid/prng.js';

export type Rand = ReturnType<typeof prng>;
export { prng };

const KEYS = ['ok', 'status', 'reason', 'amount', 'id', 'name', 'payload', 'code', 'phone', '__proto__', 'constructor', 'toString', '', 'a'.repeat(300)];
const STRINGS = ['', ' ', 'x', '0', '-1', '1e309', 'NaN', 'true', 'null', '{}', '[]', '\u0000', '\ud800', '💶', '<script>', 'a'.repeat(5_000), '+77011234567', '1234', 'KZT'];
const NUMBERS = [0, -0, 1, -1, 0.5, -0.5, 1e-9, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 65535, 65536];

export function pick<T>(r: Rand, items: readonly T[]): T {
  return items[r.int(items.length)] as T;
}

export function randomString(r: Rand): string {
  if (r.chance(0.5)) return pick(r, STRINGS);
  return String.fromCharCode(...Array.from({ length: r.int(24) }, () => (r.chance(0.8) ? 32 + r.int(95) : r.int(0x10000))));
}

export function randomScalar(r: Rand): unknown {
  switch (r.int(5)) {
    case 0: return pick(r, NUMBERS);
    case 1: return r.int(2_000_000) - 1_000;
    case 2: return randomString(r);
    case 3: return r.chance(0.5);
    default: return null;
  }
}

export function randomJson(r: Rand, depth = 0): unknown {
  const kind = depth > 4 ? 0 : r.int(4);
  if (kind <= 1) return randomScalar(r);
  if (kind === 2) return Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = r.int(6); i > 0; i--) o[r.chance(0.7) ? pick(r, KEYS) : randomString(r)] = randomJson(r, depth + 1);
  return o;
}

/** every place in a document a mutation may hit: [] is the root */
export function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

// documents here are plain JSON: a text round trip is the cheapest deep copy
const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}

/** one structural change at a random place of a copy of `doc`: replace, delete, add a key, wrap, duplicate */
export function mutateJson(r: Rand, doc: unknown, docPaths: (string | number)[][] = paths(doc)): unknown {
  const copy = clone(doc);
  const all = docPaths;
  const path = pick(r, all);
  if (path.length === 0) return r.chance(0.5) ? randomJson(r) : [copy];
  const parent = parentOf(copy, path);
  const key = path.at(-1) as string | number;
  if (parent === undefined) return copy;
  switch (r.int(6)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 1:
      parent[key] = randomScalar(r);
      break;
    case 2:
      parent[key] = randomJson(r, 2);
      break;
    case 3:
      if (Array.isArray(parent)) parent.push(clone(parent[Number(key)]));
      else parent[`${String(key)}${r.chance(0.5) ? '' : '_'}${r.int(3)}`] = randomJson(r, 3);
      break;
    case 4: {
      const v = parent[key];
      parent[key] = typeof v === 'number' ? pick(r, [v + 0.5, -v - 1, String(v), v * 1e12]) : typeof v === 'string' ? pick(r, [v + v, v.slice(1), `${v}\u0000`, Number(v)]) : [v];
      break;
    }
    default:
      parent[key] = null;
  }
  return copy;
}

/** a few byte-level changes to a JSON text: flips, cuts, insertions, swaps */
export function mutateText(r: Rand, text: string): string {
  let t = text;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const at = r.int(t.length + 1);
    switch (r.int(4)) {
      case 0: t = t.slice(0, at) + String.fromCharCode(r.int(128)) + t.slice(at + 1); break;
      case 1: t = t.slice(0, at); break;
      case 2: t = t.slice(0, at) + pick(r, ['{', '}', '[', ']', '"', ',', ':', '\\', '-', '0', 'e', ' ']) + t.slice(at); break;
      default: t = t.slice(0, at) + t.slice(at + 1 + r.int(8)); break;
    }
  }
  return t;
}

export interface Tally {
  inputs: number;
  accepted: number;
  refused: number;
  /** a throw that was not the typed error, with the first input that did it */
  untyped: number;
  firstUntyped?: { input: string; error: string };
  /** slowest single input, ms */
  slowestMs: number;
}

export function newTally(): Tally {
  return { inputs: 0, accepted: 0, refused: 0, untyped: 0, slowestMs: 0 };
}

/** runs one input; `typed` says which errors are the parser's own refusal */
export function attempt<T>(tally: Tally, input: unknown, run: () => T, typed: (err: unknown) => boolean): { ok: true; value: T } | { ok: false } {
  tally.inputs++;
  const started = performance.now();
  try {
    const value = run();
    tally.accepted++;
    return { ok: true, value };
  } catch (err) {
    if (typed(err)) tally.refused++;
    else {
      tally.untyped++;
      tally.firstUntyped ??= { input: (typeof input === 'string' ? input : safeJson(input)).slice(0, 300), error: String(err).slice(0, 300) };
    }
    return { ok: false };
  } finally {
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started);
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
