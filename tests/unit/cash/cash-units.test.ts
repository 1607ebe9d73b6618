import { describe, expect, it } from 'vitest';
import {
  addStacked, amountStep, applyDispense, cashBoxAmount, cashBoxLevel, cassetteLevel, dispensableAmounts, emptyCashBox,
  isDispensable, planDispense, type CashBoxUnit, type CassetteUnit,
} from '../../../kiosk/cash/cash-units.js';

const t = (tenge: number): number => tenge * 100;
const cassette = (index: number, denomTenge: number, count: number, extra: Partial<CassetteUnit> = {}): CassetteUnit => ({
  index, denomination: t(denomTenge), count, lowThreshold: 20, emptyThreshold: 0, ...extra,
});

describe('levels', () => {
  it('classifies cassettes by thresholds', () => {
    expect(cassetteLevel(cassette(0, 5000, 100))).toBe('ok');
    expect(cassetteLevel(cassette(0, 5000, 20))).toBe('low');
    expect(cassetteLevel(cassette(0, 5000, 3, { emptyThreshold: 3 }))).toBe('empty');
  });
  it('counts the cash box per denomination', () => {
    let box: CashBoxUnit = { counts: {}, capacity: 3, nearFullThreshold: 2 };
    box = addStacked(box, t(1000));
    expect(cashBoxLevel(box)).toBe('ok');
    box = addStacked(addStacked(box, t(1000)), t(20000));
    expect(box.counts).toEqual({ '100000': 2, '2000000': 1 });
    expect(cashBoxAmount(box)).toBe(t(22000));
    expect(cashBoxLevel(box)).toBe('full');
    expect(emptyCashBox(box).counts).toEqual({});
    expect(() => addStacked(box, 10.5)).toThrow(/tiyn/);
  });
  it('applies a dispense result to the counts, rejects included', () => {
    const after = applyDispense([cassette(0, 5000, 10), cassette(1, 10000, 10)], [
      { cassette: 0, requested: 3, dispensed: 3, rejected: 2 },
    ]);
    expect(after.map((c) => c.count)).toEqual([5, 10]);
  });
});

describe('planner', () => {
  const two = [cassette(0, 5000, 50), cassette(1, 10000, 40)];

  it('uses the fewest notes', () => {
    expect(planDispense(t(35000), two)).toEqual({ ok: true, notes: 4, amount: t(35000), plan: [{ cassette: 0, count: 1 }, { cassette: 1, count: 3 }] });
  });
  it('beats greedy where greedy fails (2000 + 5000 for 6000)', () => {
    const r = planDispense(t(6000), [cassette(0, 2000, 10), cassette(1, 5000, 10)]);
    expect(r).toMatchObject({ ok: true, notes: 3, plan: [{ cassette: 0, count: 3 }] });
  });
  it('respects counts and the empty reserve', () => {
    const r = planDispense(t(30000), [cassette(0, 5000, 50), cassette(1, 10000, 3, { emptyThreshold: 1 })]);
    expect(r).toMatchObject({ ok: true, plan: [{ cassette: 0, count: 2 }, { cassette: 1, count: 2 }] });
  });
  it('skips unusable cassettes', () => {
    const r = planDispense(t(10000), [cassette(0, 5000, 50), cassette(1, 10000, 40, { usable: false })]);
    expect(r).toMatchObject({ ok: true, plan: [{ cassette: 0, count: 2 }] });
  });
  it('splits one denomination across two cassettes when one runs short', () => {
    const r = planDispense(t(50000), [cassette(0, 10000, 2), cassette(1, 10000, 10)]);
    expect(r.ok && r.plan.reduce((a, p) => a + p.count, 0)).toBe(5);
  });
  it('reports impossible amounts with the nearest possible ones', () => {
    expect(planDispense(t(7000), two)).toEqual({ ok: false, reason: 'notMultiple', lower: t(5000), higher: t(10000) });
    expect(planDispense(t(1_000_000), [cassette(0, 5000, 2)])).toMatchObject({ ok: false, reason: 'insufficient', lower: t(10000) });
    expect(planDispense(0, two)).toEqual({ ok: false, reason: 'invalidAmount' });
    expect(planDispense(t(5000), [cassette(0, 5000, 0)])).toEqual({ ok: false, reason: 'insufficient' });
    expect(planDispense(t(50000), two, { maxNotes: 3 })).toMatchObject({ ok: false, reason: 'tooManyNotes', lower: t(30000) });
  });
  it('honours the per-command cassette limit', () => {
    expect(planDispense(t(5000 * 61), [cassette(0, 5000, 100)]).ok).toBe(false);
    expect(planDispense(t(5000 * 60), [cassette(0, 5000, 100)]).ok).toBe(true);
  });
  it('lists which multiples are possible', () => {
    const cs = [cassette(0, 2000, 1), cassette(1, 5000, 1)];
    expect(amountStep(cs)).toBe(t(1000));
    expect(dispensableAmounts(cs, t(10000))).toEqual([t(2000), t(5000), t(7000)]);
    expect(isDispensable(t(7000), cs)).toBe(true);
    expect(isDispensable(t(4000), cs)).toBe(false);
  });
  it('every planned amount adds up exactly and never exceeds a count (exhaustive small case)', () => {
    const cs = [cassette(0, 2000, 4), cassette(1, 5000, 3), cassette(2, 10000, 2)];
    const possible = new Set(dispensableAmounts(cs, t(60000)));
    for (let a = t(1000); a <= t(60000); a += t(1000)) {
      const r = planDispense(a, cs);
      expect(r.ok).toBe(possible.has(a));
      if (!r.ok) continue;
      expect(r.plan.reduce((s, p) => s + p.count * cs[p.cassette]!.denomination, 0)).toBe(a);
      for (const p of r.plan) expect(p.count).toBeLessThanOrEqual(cs[p.cassette]!.count);
    }
  });
});
