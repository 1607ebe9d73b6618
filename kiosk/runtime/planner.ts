/**
 * Withdrawal note plans from the cassettes: counts from the store's counters (equal to the
 * journal), usability from the dispenser's own status. A cassette never replenished through
 * service mode has no journaled count; it is then planned with the device's nominal load and the
 * dispenser's shortfall answer is the final word (the withdrawal is then reversed).
 */
import { planDispense, type CassetteUnit } from '../cash/cash-units.js';
import { cassetteUnit, unitCounts } from '../store/counters.js';
import type { Db } from '../store/db.js';
import type { CashDispenser } from '../../drivers/dispenser/cash-dispenser.js';
import type { PlanSource } from './store-adapter.js';

const NOMINAL_LOAD = 100;

export function cassettePlanner(db: Db, dispenser: CashDispenser, denominations: readonly number[]): PlanSource {
  const units = (): CassetteUnit[] => {
    const status = dispenser.status();
    return denominations.map((denomination, index) => {
      const counted = unitCounts(db, cassetteUnit(index)).find((r) => r.denomination === denomination)?.count;
      const state = status.cassettes.find((c) => c.index === index)?.state;
      return {
        index,
        denomination,
        // without a journaled load the counter holds only what was dispensed (zero or below):
        // plan with the nominal load less that, the dispenser's shortfall staying the final word
        count: counted === undefined ? NOMINAL_LOAD : counted < 0 ? Math.max(0, NOMINAL_LOAD + counted) : counted,
        lowThreshold: 10,
        emptyThreshold: 0,
        usable: state !== 'missing' && state !== 'empty',
      };
    });
  };
  return {
    plan(amount) {
      const r = planDispense(amount, units());
      return r.ok ? r.plan : undefined;
    },
    denominationOf: (cassette) => denominations[cassette],
  };
}
