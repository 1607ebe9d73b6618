import type { Db } from './ledger-db.js';
import type { SmsOutbox } from './sms-outbox.js';

/** What every part of the simulated bank works with. `now` is injectable so tests can move time. */
export interface BankContext {
  db: Db;
  now: () => number;
  outbox: SmsOutbox;
  /** key shared with terminals for PAN tokens */
  tokenKey: string;
}

export interface Refusal {
  ok: false;
  reason: string;
  params?: Record<string, string | number>;
}

export const refuse = (reason: string, params?: Record<string, string | number>): Refusal =>
  params === undefined ? { ok: false, reason } : { ok: false, reason, params };
