/**
 * Finding many short byte strings in large buffers, and regular expressions over raw bytes. Both
 * report byte offsets: text patterns run over the buffer decoded as latin1, where one character is
 * exactly one byte, so a match index is the byte offset whatever the file's encoding.
 */

export interface Needle<T> {
  bytes: Uint8Array;
  tag: T;
}

export interface Match<T> {
  offset: number;
  length: number;
  tag: T;
}

const PREFIX = 4;

/**
 * A set of needles (each at least 4 bytes) indexed by their first 4 bytes, so one pass over the
 * haystack with a map look-up per position finds all of them.
 */
export class NeedleSet<T> {
  readonly #byPrefix = new Map<number, Needle<T>[]>();
  readonly maxLength: number;

  constructor(needles: readonly Needle<T>[]) {
    let max = 0;
    for (const n of needles) {
      if (n.bytes.length < PREFIX) throw new Error(`needle shorter than ${PREFIX} bytes`);
      const key = prefixAt(n.bytes, 0);
      const list = this.#byPrefix.get(key);
      if (list) list.push(n);
      else this.#byPrefix.set(key, [n]);
      max = Math.max(max, n.bytes.length);
    }
    this.maxLength = max;
  }

  /** every occurrence of every needle, in offset order */
  find(haystack: Uint8Array): Match<T>[] {
    const out: Match<T>[] = [];
    const last = haystack.length - PREFIX;
    for (let i = 0; i <= last; i++) {
      const candidates = this.#byPrefix.get(prefixAt(haystack, i));
      if (!candidates) continue;
      for (const n of candidates) {
        if (i + n.bytes.length <= haystack.length && equalAt(haystack, i, n.bytes)) out.push({ offset: i, length: n.bytes.length, tag: n.tag });
      }
    }
    return out;
  }
}

function prefixAt(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function equalAt(haystack: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let j = PREFIX; j < needle.length; j++) if (haystack[at + j] !== needle[j]) return false;
  return true;
}

export interface BytePattern<T> {
  /** must carry the global flag */
  regex: RegExp;
  tag: T;
}

/** matches of latin1-safe regular expressions over raw bytes */
export function findPatterns<T>(haystack: Uint8Array, patterns: readonly BytePattern<T>[]): Match<T>[] {
  const text = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).toString('latin1');
  const out: Match<T>[] = [];
  for (const p of patterns) {
    if (!p.regex.global) throw new Error(`pattern ${p.regex} needs the g flag`);
    p.regex.lastIndex = 0;
    for (const m of text.matchAll(p.regex)) out.push({ offset: m.index, length: m[0].length, tag: p.tag });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
