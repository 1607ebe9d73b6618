/**
 * Terminal status for the bank's operations centre: devices and their faults, cash levels, paper,
 * the queue and the journal anchor, as one `terminalStatus` outbox message. Sent on change and on a
 * heartbeat, coalesced so a flapping device cannot flood the queue:
 *
 * - at most ONE status message is pending in the outbox at any time: while one waits, a newer
 *   status is only remembered, and queued (the latest wins) once the waiting one has gone;
 * - changes are looked at no more often than `minIntervalMs` (the last change in a burst is sent).
 *
 * So a burst of N flaps over T ms queues at most min(N, 1 + T / minIntervalMs) status messages,
 * and never more than one is waiting; with the bank unreachable, exactly one. Status travels in the
 * fleet lane (kiosk/store/outbox.ts), behind every money message.
 */
import type { Db } from '../store/db.js';
import { appendJournal, journalHead } from '../store/journal.js';
import { enqueueMessage, outboxStats } from '../store/outbox.js';
import { CASH_BOX, cassetteUnit, unitCounts } from '../store/counters.js';
import { TerminalStatusBody } from '../bank/messages.js';
import type { z } from 'zod';
import type { DeviceHealth } from '../devices/health.js';
import { lastAnchor } from './journal-anchor.js';
import { lastLockout } from '../service-mode/service-access.js';
import { outOfServiceState } from '../service-mode/out-of-service.js';

export type TerminalStatus = z.infer<typeof TerminalStatusBody>;

/** what the status is read from; narrow so a test can hand in plain objects */
export interface StatusSources {
  db: Db;
  version: string;
  health(): Record<string, DeviceHealth>;
  reasons(): Partial<Record<string, string>>;
  dispenser(): { cassettes: Array<{ index: number; denomination: number; state: 'ok' | 'low' | 'empty' | 'missing' }> };
  acceptor(): { state: string };
  printer(): { link: string; paper: 'ok' | 'nearEnd' | 'out' };
  /** configured cassette denominations (tiyn), for before the dispenser's first status */
  cassetteDenominations: readonly number[];
  cassetteCapacity: number;
  cashBoxCapacity: number;
  now(): number;
}

const notes = (db: Db, unit: string): number => unitCounts(db, unit).reduce((n, r) => n + r.count, 0);

export function collectStatus(s: StatusSources): TerminalStatus {
  const health = s.health();
  const reasons = s.reasons();
  const devices = Object.entries(health).map(([device, h]) => {
    const fault = h === 'ok' || h === 'absent' ? undefined : reasons[device];
    return { device, health: h, ...(fault ? { fault: fault.slice(0, 120) } : {}) };
  });
  const reported = s.dispenser().cassettes;
  const cassettes = (reported.length > 0 ? reported : s.cassetteDenominations.map((denomination, index) => ({ index, denomination, state: 'unknown' as const })))
    .map((c) => ({ index: c.index, denomination: c.denomination, notes: Math.max(0, notes(s.db, cassetteUnit(c.index))), capacity: s.cassetteCapacity, state: c.state }));
  const boxNotes = Math.max(0, notes(s.db, CASH_BOX));
  const printer = s.printer();
  const stats = outboxStats(s.db);
  const now = s.now();
  const anchor = lastAnchor(s.db);
  const lockout = lastLockout(s.db);
  const closed = outOfServiceState(s.db);
  return TerminalStatusBody.parse({
    at: new Date(now).toISOString(),
    version: s.version,
    devices,
    cassettes,
    cashBox: { notes: boxNotes, capacity: s.cashBoxCapacity, full: s.acceptor().state === 'cassetteFull' || boxNotes >= s.cashBoxCapacity },
    paper: printer.link === 'online' ? printer.paper : 'unknown',
    queue: {
      depth: stats.pending,
      oldestAgeSeconds: stats.oldestPendingCreatedAt === null ? 0 : Math.max(0, Math.floor((now - stats.oldestPendingCreatedAt) / 1000)),
      deadLetters: stats.deadLetter,
    },
    journal: { headSeq: journalHead(s.db).seq, anchoredSeq: anchor?.seq ?? 0, ...(anchor ? { anchoredAt: new Date(anchor.at).toISOString() } : {}) },
    ...(lockout ? { serviceLockout: { at: lockout.at.toISOString(), until: lockout.until.toISOString(), active: lockout.until.getTime() > now } } : {}),
    ...(closed.by && closed.at ? { outOfService: { on: closed.on, by: closed.by.slice(0, 32), at: closed.at } } : {}),
  });
}

export function pendingStatusCount(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'terminalStatus' AND state = 'pending'").get() as { n: number }).n;
}

/**
 * Queues the status unless one is already waiting (then returns undefined: the caller keeps it as
 * the latest and tries again once the waiting one is gone). The message points at the journal's
 * head as of the report; an empty journal first gets its opening entry.
 */
export function queueStatus(db: Db, terminalId: string, status: TerminalStatus, nowMs: number): string | undefined {
  return db.transaction(() => {
    if (pendingStatusCount(db) > 0) return undefined;
    let head = journalHead(db).seq;
    if (head === 0) head = appendJournal(db, 'journalOpened', { terminalId, version: status.version }, new Date(nowMs)).seq;
    return enqueueMessage(db, { terminalId, kind: 'terminalStatus', body: status, journalSeq: head, nowMs }).key;
  }).immediate();
}

export interface StatusReporterOptions {
  terminalId: string;
  sources: StatusSources;
  heartbeatMs: number;
  minIntervalMs: number;
  onQueued?: (key: string) => void;
  onError?: (err: unknown) => void;
}

/** The on-change and heartbeat schedule, with the coalescing described above. */
export class StatusReporter {
  readonly #o: StatusReporterOptions;
  #heartbeat: NodeJS.Timeout | undefined;
  #throttle: NodeJS.Timeout | undefined;
  #lastFlush = 0;
  /** a newer status exists than the one waiting in the outbox */
  #dirty = false;
  #stopped = false;

  constructor(options: StatusReporterOptions) {
    this.#o = options;
  }

  start(): this {
    this.#stopped = false;
    this.#heartbeat ??= setInterval(() => this.flush(), this.#o.heartbeatMs);
    this.#heartbeat.unref();
    this.flush();
    return this;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#throttle) clearTimeout(this.#throttle);
    this.#heartbeat = this.#throttle = undefined;
  }

  /** something the status shows changed: report it, at most once per minIntervalMs */
  changed(): void {
    if (this.#stopped || this.#throttle) return;
    const wait = this.#lastFlush + this.#o.minIntervalMs - Date.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.#throttle = setTimeout(() => {
      this.#throttle = undefined;
      this.flush();
    }, wait);
    this.#throttle.unref();
  }

  /** the outbox moved (a status was delivered or refused): a remembered newer status may go now */
  outboxMoved(): void {
    if (this.#dirty) this.changed();
  }

  /** reads the status now and queues it unless one is waiting; returns the key queued */
  flush(): string | undefined {
    if (this.#stopped) return undefined;
    this.#lastFlush = Date.now();
    try {
      const db = this.#o.sources.db;
      if (!db.open) return undefined;
      const key = queueStatus(db, this.#o.terminalId, collectStatus(this.#o.sources), this.#o.sources.now());
      this.#dirty = key === undefined;
      if (key !== undefined) this.#o.onQueued?.(key);
      return key;
    } catch (err) {
      this.#dirty = true;
      this.#o.onError?.(err);
      return undefined;
    }
  }
}
