/**
 * The technician's out-of-service toggle. The state is an audit row (`outOfService`, journaled), the
 * latest one wins, so it outlasts a restart and the trail says who closed the terminal and when.
 * The session machine is told through `terminal.outOfService`: a customer already in a session
 * finishes, the idle terminal then shows the out-of-service screen.
 */
import type { Db } from '../store/db.js';

export interface OutOfServiceState {
  on: boolean;
  /** who set it and when (absent: never toggled on this terminal) */
  by?: string;
  at?: string;
}

export function outOfServiceState(db: Db): OutOfServiceState {
  // the toggle's own row carries `on`; the action's generic audit row (same name, `params` and `ok`) comes after it and must not count
  const row = db.prepare("SELECT at, who, details FROM audit WHERE action = 'outOfService' AND json_type(details, '$.on') IN ('true', 'false') ORDER BY id DESC LIMIT 1").get() as { at: string; who: string; details: string } | undefined;
  if (!row) return { on: false };
  const on = (JSON.parse(row.details) as { on?: unknown }).on === true;
  return { on, by: row.who, at: row.at };
}

/** reads the requested state from the screen's params: `on` 1 or 0; anything else is no request */
export function requestedState(params: Record<string, string | number> | undefined): boolean | undefined {
  const v = params?.on;
  if (v === 1 || v === '1') return true;
  if (v === 0 || v === '0') return false;
  return undefined;
}
