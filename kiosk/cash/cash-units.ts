/**
 * Cash units: the dispenser's cassettes and the acceptor's cash box as counts per denomination,
 * their levels, and the planner that splits a withdrawal into notes. Pure functions over plain
 * data, so the store can persist the same shapes and tests can enumerate cases.
 */
import type { Tiyn } from '../../domain/money.js';
import type { CassetteResult, DispensePlanItem } from '../../drivers/dispenser/cash-dispenser.js';

export interface CassetteUnit {
  /** physical position, as the dispenser driver numbers it */
  index: number;
  denomination: Tiyn;
  count: number;
  /** at or below this count the cassette is `low` (replenish soon) */
  lowThreshold: number;
  /** at or below this count the cassette is `empty` (kept back as a reserve against miscounts) */
  emptyThreshold: number;
  /** a cassette the device reports missing or faulty is not used */
  usable?: boolean;
}

export type CassetteLevel = 'ok' | 'low' | 'empty';

export interface CashBoxUnit {
  /** notes stacked per denomination (tiyn, as a string key for JSON) */
  counts: Record<string, number>;
  capacity: number;
  nearFullThreshold: number;
}

export type CashBoxLevel = 'ok' | 'nearFull' | 'full';

export interface PlanLimits {
  /** the dispenser's per-cassette limit per command (LCDM: 60) */
  maxNotesPerCassette?: number;
  /** the bank's or presenter's limit on notes per withdrawal */
  maxNotes?: number;
}

export type PlanResult =
  | { ok: true; plan: DispensePlanItem[]; notes: number; amount: Tiyn }
  | { ok: false; reason: 'invalidAmount' | 'notMultiple' | 'insufficient' | 'tooManyNotes'; lower?: Tiyn; higher?: Tiyn };

export function cassetteLevel(c: CassetteUnit): CassetteLevel {
  if (c.count <= c.emptyThreshold) return 'empty';
  if (c.count <= c.lowThreshold) return 'low';
  return 'ok';
}

/** notes a cassette may give: everything above its empty reserve */
export const availableNotes = (c: CassetteUnit): number => (c.usable === false ? 0 : Math.max(0, c.count - c.emptyThreshold));

export function cashBoxNotes(b: CashBoxUnit): number {
  return Object.values(b.counts).reduce((a, n) => a + n, 0);
}

export function cashBoxAmount(b: CashBoxUnit): Tiyn {
  return Object.entries(b.counts).reduce((a, [d, n]) => a + Number(d) * n, 0);
}

export function cashBoxLevel(b: CashBoxUnit): CashBoxLevel {
  const n = cashBoxNotes(b);
  if (n >= b.capacity) return 'full';
  if (n >= b.nearFullThreshold) return 'nearFull';
  return 'ok';
}

export function addStacked(b: CashBoxUnit, denomination: Tiyn): CashBoxUnit {
  assertTiyn(denomination);
  const key = String(denomination);
  return { ...b, counts: { ...b.counts, [key]: (b.counts[key] ?? 0) + 1 } };
}

/** a collection empties the box (the journal records what was taken out) */
export const emptyCashBox = (b: CashBoxUnit): CashBoxUnit => ({ ...b, counts: {} });

/** counts after a dispense: notes that left a cassette, paid out or rejected */
export function applyDispense(cassettes: readonly CassetteUnit[], results: readonly CassetteResult[]): CassetteUnit[] {
  return cassettes.map((c) => {
    const used = results.filter((r) => r.cassette === c.index).reduce((a, r) => a + r.dispensed + r.rejected, 0);
    return { ...c, count: Math.max(0, c.count - used) };
  });
}

function assertTiyn(v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`amount ${v} is not a whole number of tiyn`);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** the smallest step between dispensable amounts: the gcd of denominations that have notes */
export function amountStep(cassettes: readonly CassetteUnit[]): Tiyn {
  return cassettes.filter((c) => availableNotes(c) > 0).reduce((g, c) => gcd(g, c.denomination), 0);
}

interface Table {
  step: number;
  units: number;
  usable: CassetteUnit[];
  bounds: number[];
  /** best[k][v]: fewest notes for v steps using the first k cassettes (Infinity if impossible) */
  best: Float64Array[];
}

/** Bounded change-making by dynamic programming: fewest notes, respecting every cassette's count. */
function solve(cassettes: readonly CassetteUnit[], maxAmount: Tiyn, limits: PlanLimits): Table | undefined {
  const perCassette = limits.maxNotesPerCassette ?? 60;
  const usable = cassettes.filter((c) => availableNotes(c) > 0).sort((a, b) => b.denomination - a.denomination || a.index - b.index);
  const step = amountStep(usable);
  if (step === 0) return undefined;
  const units = Math.floor(maxAmount / step);
  const bounds = usable.map((c) => Math.min(availableNotes(c), perCassette));
  const best: Float64Array[] = [new Float64Array(units + 1).fill(Infinity)];
  best[0]![0] = 0;
  usable.forEach((c, k) => {
    const prev = best[k]!;
    const next = new Float64Array(units + 1).fill(Infinity);
    const d = c.denomination / step;
    for (let v = 0; v <= units; v++) {
      let m = prev[v]!;
      for (let n = 1; n <= bounds[k]! && n * d <= v; n++) {
        const cand = prev[v - n * d]! + n;
        if (cand < m) m = cand;
      }
      next[v] = m;
    }
    best.push(next);
  });
  return { step, units, usable, bounds, best };
}

export function planDispense(amount: Tiyn, cassettes: readonly CassetteUnit[], limits: PlanLimits = {}): PlanResult {
  if (!Number.isSafeInteger(amount) || amount <= 0) return { ok: false, reason: 'invalidAmount' };
  const maxNotes = limits.maxNotes ?? Infinity;
  const t = solve(cassettes, amount, limits);
  if (!t) return { ok: false, reason: 'insufficient' };
  const nearest = (): { lower?: Tiyn; higher?: Tiyn } => {
    const all = dispensableAmounts(cassettes, amount + 20 * t.step, limits);
    const lower = [...all].reverse().find((a) => a < amount);
    const higher = all.find((a) => a > amount);
    return { ...(lower !== undefined ? { lower } : {}), ...(higher !== undefined ? { higher } : {}) };
  };
  if (amount % t.step !== 0) return { ok: false, reason: 'notMultiple', ...nearest() };
  const v0 = amount / t.step;
  const last = t.best[t.usable.length]!;
  const notes = last[v0]!;
  if (!Number.isFinite(notes)) return { ok: false, reason: 'insufficient', ...nearest() };
  if (notes > maxNotes) return { ok: false, reason: 'tooManyNotes', ...nearest() };
  const plan: DispensePlanItem[] = [];
  let v = v0;
  for (let k = t.usable.length - 1; k >= 0; k--) {
    const c = t.usable[k]!;
    const d = c.denomination / t.step;
    const target = t.best[k + 1]![v]!;
    let chosen = -1;
    for (let n = 0; n <= t.bounds[k]! && n * d <= v; n++) {
      if (t.best[k]![v - n * d]! + n === target) {
        chosen = n;
        break;
      }
    }
    if (chosen < 0) throw new Error('dispense planner table is inconsistent');
    if (chosen > 0) plan.push({ cassette: c.index, count: chosen });
    v -= chosen * d;
  }
  plan.sort((a, b) => a.cassette - b.cassette);
  return { ok: true, plan, notes, amount };
}

/** Every amount up to `max` the cassettes can pay now (within the limits), ascending. */
export function dispensableAmounts(cassettes: readonly CassetteUnit[], max: Tiyn, limits: PlanLimits = {}): Tiyn[] {
  const t = solve(cassettes, max, limits);
  if (!t) return [];
  const maxNotes = limits.maxNotes ?? Infinity;
  const last = t.best[t.usable.length]!;
  const out: Tiyn[] = [];
  for (let v = 1; v <= t.units; v++) if (Number.isFinite(last[v]!) && last[v]! <= maxNotes) out.push(v * t.step);
  return out;
}

export const isDispensable = (amount: Tiyn, cassettes: readonly CassetteUnit[], limits: PlanLimits = {}): boolean =>
  planDispense(amount, cassettes, limits).ok;
