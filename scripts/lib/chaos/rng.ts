/** The harness's only source of chance: a seed replays the same run (the same points, notes, amounts). */

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** an integer in [0, n) */
  below(n: number): number;
  pick<T>(list: readonly T[]): T;
}

/** MINSTD (Park-Miller): exact in double precision, so the sequence is the same on every machine */
export function rng(seed: number): Rng {
  let x = (Math.abs(Math.trunc(seed)) % 2147483646) + 1;
  const next = (): number => {
    x = (x * 48271) % 2147483647;
    return (x - 1) / 2147483646;
  };
  const below = (n: number): number => Math.floor(next() * n);
  return {
    next,
    below,
    pick: <T>(list: readonly T[]): T => {
      if (list.length === 0) throw new RangeError('pick from an empty list');
      return list[below(list.length)] as T;
    },
  };
}
