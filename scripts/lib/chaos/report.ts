/** The run's result: what the table shows and what the JSON file holds. */
import { KILL_NAMES } from './points.js';

export interface ChaosResult {
  seed: number;
  cycles: number;
  rotate: boolean;
  dispenser: 'presenter' | 'stock';
  visits: Record<string, number>;
  killsHit: Record<string, number>;
  killsMissed: Record<string, number>;
  bankRestarts: number;
  deviceRestarts: number;
  notes: number;
  tenge: number;
  withdrawals: number;
  withdrawnTenge: number;
  withdrawalsReversed: number;
  /** killed mid-DISPENSE: left for the technician by design, the hold kept */
  withdrawalsLeft: number;
  payments: number;
  paymentsReversed: number;
  /** visits whose window never opened, and why (e.g. a refused withdrawal) */
  remarks: string[];
  discrepancies: string[];
  durationMs: number;
}

export function emptyResult(seed: number, rotate: boolean, dispenser: 'presenter' | 'stock'): ChaosResult {
  return {
    seed, cycles: 0, rotate, dispenser, visits: {}, killsHit: {}, killsMissed: {}, bankRestarts: 0, deviceRestarts: 0,
    notes: 0, tenge: 0, withdrawals: 0, withdrawnTenge: 0, withdrawalsReversed: 0, withdrawalsLeft: 0, payments: 0, paymentsReversed: 0,
    remarks: [], discrepancies: [], durationMs: 0,
  };
}

export const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const list = (counts: Record<string, number>): string => Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ') || '-';

export function table(r: ChaosResult): string {
  const never = KILL_NAMES.filter((p) => !(p in r.killsHit));
  const rows: Array<[string, string]> = [
    ['seed', `${r.seed}${r.rotate ? ' (points in rotation)' : ''}`],
    ['dispenser', r.dispenser],
    ['cycles', String(r.cycles)],
    ['visits', list(r.visits)],
    ['kill points hit', list(r.killsHit)],
    ['kill points missed', list(Object.fromEntries(Object.entries(r.killsMissed).filter(([k]) => k !== 'none')))],
    ['distinct kill points hit', `${Object.keys(r.killsHit).length} of ${KILL_NAMES.length}${never.length ? ` (never: ${never.join(', ')})` : ''}`],
    ['bank restarts', String(r.bankRestarts)],
    ['device simulator restarts', String(r.deviceRestarts)],
    ['notes stacked', String(r.notes)],
    ['tenge in', r.tenge.toLocaleString('en-US')],
    ['withdrawals taken', `${r.withdrawals} (${r.withdrawnTenge.toLocaleString('en-US')} tenge), ${r.withdrawalsReversed} reversed, ${r.withdrawalsLeft} left for the technician`],
    ['payments from an account', `${r.payments}, ${r.paymentsReversed} reversed`],
    ['discrepancies', String(r.discrepancies.length)],
    ['duration', `${Math.round(r.durationMs / 1000)} s`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}
