/**
 * Where the harness kills something, and which visit each point needs. A point is "hit" when the
 * kill landed inside its window; a visit that ended before the window opened counts as "missed".
 */
import type { Rng } from './rng.js';

export type Visit = 'cashIn' | 'withdrawal' | 'payment';

export const KILL_POINTS = {
  none: { visits: ['cashIn', 'withdrawal', 'payment'], what: 'no kill: the visit runs to its end' },
  escrow: { visits: ['cashIn'], what: 'core SIGKILLed with a note held in escrow, not yet decided' },
  stack: { visits: ['cashIn'], what: 'core SIGKILLed with the stack intent committed and the stacker moving the note (slowStack)' },
  record: { visits: ['cashIn'], what: 'core SIGKILLed right after a note is recorded as stacked, the cash-in still open' },
  confirm: { visits: ['cashIn'], what: 'core SIGKILLed within 400 ms of "finish and credit"' },
  sync: { visits: ['cashIn'], what: 'core SIGKILLed with the credit queued while the bank is down' },
  bank: { visits: ['cashIn'], what: 'bank simulator SIGKILLed as the customer finishes; started again after the visit' },
  print: { visits: ['cashIn', 'payment'], what: 'core SIGKILLed while the receipt prints (slowPrint)' },
  authorise: { visits: ['withdrawal'], what: 'core SIGKILLed while the withdrawal hold is asked of a slow bank (2 s)' },
  dispense: { visits: ['withdrawal'], what: 'core SIGKILLed with DISPENSE done, notes counted behind the closed shutter (slowPresent)' },
  present: { visits: ['withdrawal'], what: 'core SIGKILLed with the notes presented; the customer takes them or not while it is down' },
  payment: { visits: ['payment'], what: 'core SIGKILLed within 400 ms of the consent to pay a service from an account' },
  devices: { visits: ['cashIn'], what: 'device simulators SIGKILLed mid-stack and started again, the core running' },
  powerCut: { visits: ['cashIn'], what: 'core and device simulators SIGKILLed together mid-stack, then both started again' },
  random: { visits: ['cashIn', 'withdrawal', 'payment'], what: 'core SIGKILLed at a random moment of any visit' },
} as const satisfies Record<string, { visits: readonly Visit[]; what: string }>;

export type KillPoint = keyof typeof KILL_POINTS;
export const POINT_NAMES = Object.keys(KILL_POINTS) as KillPoint[];
/** the points that kill something: what "hit" and "missed" count */
export const KILL_NAMES = POINT_NAMES.filter((p) => p !== 'none');

/**
 * `rotate`: the named points in order, so a short run hits each one; otherwise each cycle draws
 * one (every point as likely, `none` included).
 */
export function choosePoint(cycle: number, rotate: boolean, r: Rng): KillPoint {
  if (rotate) return KILL_NAMES[(cycle - 1) % KILL_NAMES.length] as KillPoint;
  return r.pick(POINT_NAMES);
}

export function chooseVisit(point: KillPoint, r: Rng): Visit {
  const visits: readonly Visit[] = KILL_POINTS[point].visits;
  if (visits.length === 1) return visits[0] as Visit;
  // cash-in is the busiest path: half of the visits where the point leaves the choice open
  if (visits.includes('cashIn') && r.next() < 0.5) return 'cashIn';
  return r.pick(visits.filter((v) => v !== 'cashIn').length > 0 ? visits.filter((v) => v !== 'cashIn') : visits);
}
