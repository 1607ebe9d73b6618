/**
 * Commission per operation type: fixed part plus a percentage in basis points, clamped to a
 * minimum and maximum. Integer arithmetic only (BigInt for the product so large amounts cannot
 * lose precision); the percentage rounds half up to the tiyn.
 */
export interface Tariff {
  fixed: number;
  bps: number;
  minFee: number;
  maxFee: number | null;
}

export function commissionFor(amount: number, tariff: Tariff): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative integer of tiyn, got ${amount}`);
  if (amount === 0) return 0;
  const percent = Number((BigInt(amount) * BigInt(tariff.bps) + 5000n) / 10000n);
  let fee = tariff.fixed + percent;
  if (fee < tariff.minFee) fee = tariff.minFee;
  if (tariff.maxFee !== null && fee > tariff.maxFee) fee = tariff.maxFee;
  return fee;
}
