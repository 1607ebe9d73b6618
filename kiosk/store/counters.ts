/**
 * Cash counters per unit and denomination. Units: `cashBox` (accepted notes), `cassette:N`
 * (dispenser cassette at 0-based position N), `reject` (notes diverted while dispensing) and
 * `retract` (notes taken back from the presenter). Every change is carried as `counterDeltas` in
 * the journal entry written in the same transaction, so the counters can always be recomputed
 * from the journal (invariant 4).
 */
import type { Db } from './db.js';
import { iterateJournal } from './journal.js';

export interface CounterDelta {
  unit: string;
  denomination: number;
  delta: number;
}

export interface CounterRow {
  unit: string;
  denomination: number;
  count: number;
}

export const CASH_BOX = 'cashBox';
export const REJECT_BIN = 'reject';
export const RETRACT_BIN = 'retract';
export const cassetteUnit = (index: number): string => `cassette:${index}`;

export function applyCounterDeltas(db: Db, deltas: readonly CounterDelta[]): void {
  if (!db.inTransaction) throw new Error('counter changes must run inside the transaction of their journal entry');
  const upsert = db.prepare(
    'INSERT INTO counters (unit, denomination, count) VALUES (?, ?, ?) ON CONFLICT(unit, denomination) DO UPDATE SET count = count + excluded.count',
  );
  for (const d of deltas) {
    if (!Number.isSafeInteger(d.delta) || !Number.isSafeInteger(d.denomination) || d.denomination <= 0) {
      throw new RangeError(`bad counter change ${JSON.stringify(d)}`);
    }
    upsert.run(d.unit, d.denomination, d.delta);
  }
}

export function readCounters(db: Db): CounterRow[] {
  return db.prepare('SELECT unit, denomination, count FROM counters ORDER BY unit, denomination').all() as CounterRow[];
}

export function unitCounts(db: Db, unit: string): CounterRow[] {
  return db.prepare('SELECT unit, denomination, count FROM counters WHERE unit = ? ORDER BY denomination').all(unit) as CounterRow[];
}

export function countersFromJournal(db: Db): CounterRow[] {
  const sums = new Map<string, CounterRow>();
  for (const entry of iterateJournal(db)) {
    const deltas = entry.payload.counterDeltas;
    if (!Array.isArray(deltas)) continue;
    for (const d of deltas as CounterDelta[]) {
      const id = `${d.unit}\u0000${d.denomination}`;
      const row = sums.get(id) ?? { unit: d.unit, denomination: d.denomination, count: 0 };
      row.count += d.delta;
      sums.set(id, row);
    }
  }
  return [...sums.values()].sort((a, b) => (a.unit === b.unit ? a.denomination - b.denomination : a.unit < b.unit ? -1 : 1));
}

export interface CounterMismatch {
  unit: string;
  denomination: number;
  counter: number;
  journal: number;
}

/** recomputes every counter from the journal; an empty list means they agree */
export function checkCounters(db: Db): CounterMismatch[] {
  const fromJournal = new Map(countersFromJournal(db).map((r) => [`${r.unit}\u0000${r.denomination}`, r.count]));
  const stored = new Map(readCounters(db).map((r) => [`${r.unit}\u0000${r.denomination}`, r.count]));
  const mismatches: CounterMismatch[] = [];
  for (const id of new Set([...fromJournal.keys(), ...stored.keys()])) {
    const journal = fromJournal.get(id) ?? 0;
    const counter = stored.get(id) ?? 0;
    if (journal !== counter) {
      const [unit = '', denomination = '0'] = id.split('\u0000');
      mismatches.push({ unit, denomination: Number(denomination), counter, journal });
    }
  }
  return mismatches;
}
