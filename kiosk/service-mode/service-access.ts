/**
 * Who may enter service mode and what each may do. Entry takes both factors: the cabinet's service
 * switch (a key on the inside of the door) and a personal id + PIN checked against the slow hash.
 * Repeated wrong PINs lock entry for a configured time; the lock is an audit row (journaled), so it
 * outlasts a restart, and `onLockout` tells the bank through the terminal status.
 *
 * The role check lives here, in the core: a screen that showed a button by mistake still gets
 * `notPermitted`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.js';
import { DEFAULT_SCRYPT, hashPin, verifyPin, type ServiceRole, type ServiceUser } from './service-users.js';

export interface ServicePerson {
  id: string;
  roles: readonly ServiceRole[];
  name?: string;
}

/** every known action and the roles that may run it; an action not listed is unknown */
export const ACTION_ROLES: Readonly<Record<string, readonly ServiceRole[]>> = {
  diagnostics: ['technician'],
  testPrint: ['technician'],
  resetDevice: ['technician'],
  deadLetters: ['technician'],
  resolveDeadLetter: ['technician'],
  verifyJournal: ['technician'],
  printDeadLetter: ['technician'],
  // settling a withdrawal reconciliation left open moves money: the technician's word, never a collector's
  openWithdrawals: ['technician'],
  testAcceptor: ['technician'],
  testDispense: ['technician'],
  testCardRead: ['technician'],
  testPalm: ['technician'],
  testPresenter: ['technician'],
  outOfService: ['technician'],
  configuration: ['technician'],
  exportLogs: ['technician'],
  cashUnits: ['technician', 'collector'],
  lookupReceipt: ['technician', 'collector'],
  printReceiptCopy: ['collector'],
  // listing is for both; a reprint from the list also needs printReceiptCopy's role (checked in service-mode.ts)
  lostReceipts: ['technician', 'collector'],
  collect: ['collector'],
  replenish: ['collector'],
  exit: ['technician', 'collector'],
};

export const mayPerform = (person: ServicePerson, action: string): boolean => (ACTION_ROLES[action] ?? []).some((r) => person.roles.includes(r));

export const permittedActions = (person: ServicePerson): string[] => Object.keys(ACTION_ROLES).filter((a) => mayPerform(person, a));

/** the id the shared development code logs in as (kept for development set-ups and older tests) */
export const SHARED_CODE_PERSON = 'technician';

export type LoginOutcome =
  | { ok: true; person: ServicePerson }
  | { ok: false; reason: 'switchClosed' | 'wrongPin' | 'locked'; lockedUntil?: Date; failures: number };

export interface ServiceAccessOptions {
  db: Db;
  /** the crew as known now (provisioned file and the bank's list) */
  users: () => readonly ServiceUser[];
  /** the development fallback (`service.technicianCode`); undefined with a production bank */
  sharedCode?: string;
  lockout: { attempts: number; minutes: number };
  /** the cabinet's service switch as the board last reported it */
  switchOpen: () => boolean;
  now: () => Date;
  audit: (who: string, action: string, details: Record<string, unknown>) => void;
  onLockout?: (until: Date) => void;
}

const sameCode = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** the last lock written to the audit trail, so a restart does not lift it */
export function lastLockout(db: Db): { until: Date; at: Date } | undefined {
  const row = db.prepare("SELECT at, details FROM audit WHERE action = 'serviceLockout' ORDER BY id DESC LIMIT 1").get() as { at: string; details: string } | undefined;
  if (!row) return undefined;
  const until = (JSON.parse(row.details) as { until?: unknown }).until;
  return typeof until === 'string' ? { until: new Date(until), at: new Date(row.at) } : undefined;
}

export class ServiceAccess {
  readonly #o: ServiceAccessOptions;
  #failures = 0;
  /** a hash to spend the same time on when the id is unknown, so timing does not tell ids apart */
  #decoy: Promise<Awaited<ReturnType<typeof hashPin>>> | undefined;

  constructor(options: ServiceAccessOptions) {
    this.#o = options;
  }

  lockedUntil(): Date | undefined {
    const lock = lastLockout(this.#o.db);
    return lock && lock.until > this.#o.now() ? lock.until : undefined;
  }

  async login(pin: string, userId?: string): Promise<LoginOutcome> {
    const o = this.#o;
    const who = userId ?? SHARED_CODE_PERSON;
    const locked = this.lockedUntil();
    if (locked) {
      o.audit(who, 'serviceLogin', { ok: false, reason: 'locked', until: locked.toISOString() });
      return { ok: false, reason: 'locked', lockedUntil: locked, failures: this.#failures };
    }
    // the PIN is not even checked without the switch: a PIN alone never opens service mode
    if (!o.switchOpen()) {
      o.audit(who, 'serviceLogin', { ok: false, reason: 'switchClosed' });
      return { ok: false, reason: 'switchClosed', failures: this.#failures };
    }
    const person = await this.#check(pin, userId);
    if (person) {
      this.#failures = 0;
      o.audit(person.id, 'serviceLogin', { ok: true, roles: [...person.roles] });
      return { ok: true, person };
    }
    this.#failures++;
    o.audit(userId === undefined ? 'unknown' : who, 'serviceLogin', { ok: false, reason: 'wrongPin', failures: this.#failures });
    if (this.#failures < o.lockout.attempts) return { ok: false, reason: 'wrongPin', failures: this.#failures };
    const until = new Date(o.now().getTime() + o.lockout.minutes * 60_000);
    o.audit(userId === undefined ? 'unknown' : who, 'serviceLockout', { until: until.toISOString(), failures: this.#failures, minutes: o.lockout.minutes });
    this.#failures = 0;
    o.onLockout?.(until);
    return { ok: false, reason: 'locked', lockedUntil: until, failures: o.lockout.attempts };
  }

  async #check(pin: string, userId: string | undefined): Promise<ServicePerson | undefined> {
    if (userId === undefined) {
      const code = this.#o.sharedCode;
      return code !== undefined && sameCode(pin, code) ? { id: SHARED_CODE_PERSON, roles: ['technician', 'collector'] } : undefined;
    }
    const user = this.#o.users().find((u) => u.id === userId);
    if (!user) {
      this.#decoy ??= hashPin('0000', DEFAULT_SCRYPT);
      await verifyPin(pin, await this.#decoy);
      return undefined;
    }
    if (!(await verifyPin(pin, user.pin).catch(() => false))) return undefined;
    return { id: user.id, roles: [user.role], ...(user.name ? { name: user.name } : {}) };
  }
}
