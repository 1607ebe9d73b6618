import { describe, expect, it } from 'vitest';
import { commissionFor } from '../../../simulators/bank/tariffs.js';

describe('commissionFor', () => {
  const withdraw = { fixed: 0, bps: 50, minFee: 10_000, maxFee: 500_000 };

  it('takes basis points of the amount, rounding half up to the tiyn', () => {
    expect(commissionFor(10_000_000, withdraw)).toBe(50_000);
    expect(commissionFor(2_000_100, { fixed: 0, bps: 50, minFee: 0, maxFee: null })).toBe(10_001); // 10 000.5 -> 10 001
    expect(commissionFor(2_000_099, { fixed: 0, bps: 50, minFee: 0, maxFee: null })).toBe(10_000); // 10 000.495 -> 10 000
  });

  it('clamps to the minimum and maximum, and adds the fixed part before clamping', () => {
    expect(commissionFor(100_000, withdraw)).toBe(10_000);
    expect(commissionFor(1_000_000_000, withdraw)).toBe(500_000);
    expect(commissionFor(100_000, { fixed: 2_500, bps: 100, minFee: 0, maxFee: null })).toBe(3_500);
  });

  it('charges nothing for nothing and is exact for amounts beyond 2^53 / 10 000', () => {
    expect(commissionFor(0, withdraw)).toBe(0);
    expect(commissionFor(9_007_199_254_740_991, { fixed: 0, bps: 1, minFee: 0, maxFee: null })).toBe(900_719_925_474);
  });

  it('refuses fractional or negative amounts', () => {
    expect(() => commissionFor(10.5, withdraw)).toThrow(RangeError);
    expect(() => commissionFor(-1, withdraw)).toThrow(RangeError);
  });
});
