/** mulberry32: a small seeded PRNG so every fuzz run replays the same inputs. */
export function prng(seed: number): { int(maxExclusive: number): number; byte(): number; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    byte: () => Math.floor(next() * 256),
    chance: (p) => next() < p,
  };
}
