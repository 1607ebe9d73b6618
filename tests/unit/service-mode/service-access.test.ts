/**
 * Service crews: PINs kept only as scrypt hashes, both factors (service switch and personal PIN)
 * to enter, each role's actions refused to the other in the core, the audit trail naming the
 * person, and the time-based lock-out that outlasts a restart and shows in the terminal status.
 * Real SQLite store (temp file); the clock is injected.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceModeView } from '../../../kiosk/bridge/schema.js';
import { serviceMode } from '../../../kiosk/service-mode/service-mode.js';
import { ServiceDirectory } from '../../../kiosk/service-mode/service-directory.js';
import { DEV_SERVICE_USERS, hashPin, readServiceUsersFile, verifyPin, type ServiceUser } from '../../../kiosk/service-mode/service-users.js';
import { lastLockout } from '../../../kiosk/service-mode/service-access.js';
import type { KioskDevices } from '../../../kiosk/runtime/devices.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { iterateJournal } from '../../../kiosk/store/journal.js';
import { collectStatus } from '../../../kiosk/fleet/terminal-status.js';
import { FakeAcceptor, FakeDispenser } from '../session/fakes.js';
import { tempStore, type TempStore } from '../store/temp-store.js';

const FAST = { N: 1024, r: 8, p: 1, keyLength: 32 } as const;

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.dispose();
  stores = [];
});

async function crew(): Promise<ServiceUser[]> {
  return [
    { id: 'A17', role: 'technician', name: 'Arman', pin: await hashPin('482913', FAST) },
    { id: 'K05', role: 'collector', pin: await hashPin('775120', FAST) },
  ];
}

function rig(users: ServiceUser[], s = tempStore('KZ-ALA-0042')) {
  if (!stores.includes(s)) stores.push(s);
  const log: string[] = [];
  const cabinet = { switchOpen: true, status() { return { serviceSwitchOpen: this.switchOpen }; } };
  const devices = {
    cashAcceptor: new FakeAcceptor(log), dispenser: new FakeDispenser(log), cabinet, cassetteDenominations: [200_000, 2_000_000],
    printer: { status: () => ({ link: 'online', online: true, coverOpen: false, paper: 'ok', error: false }) },
    cardReader: { status: () => ({ link: 'online' }) },
    palm: { status: () => ({ link: 'online' }) },
  } as unknown as KioskDevices;
  const locks: Date[] = [];
  const port = serviceMode({
    users: () => users,
    lockout: { attempts: 3, minutes: 10 },
    onLockout: (until) => locks.push(until),
    store: s.money,
    db: s.db,
    devices,
    testPrint: async () => ({ ok: true }),
    now: () => new Date(s.clock.ms),
  });
  return { s, port, cabinet, locks };
}

describe('PIN hashes', () => {
  it('keeps salt, parameters and hash; the right PIN verifies, another does not; the development crew matches its documented PINs', async () => {
    const h = await hashPin('482913', FAST);
    expect(h).toMatchObject({ alg: 'scrypt', N: 1024, r: 8, p: 1, keyLength: 32 });
    expect(JSON.stringify(h)).not.toContain('482913');
    expect(await verifyPin('482913', h)).toBe(true);
    expect(await verifyPin('482914', h)).toBe(false);
    // same PIN, new salt: a different hash
    expect((await hashPin('482913', FAST)).hash).not.toBe(h.hash);
    const [t, c] = DEV_SERVICE_USERS;
    expect(await verifyPin('1357', t!.pin)).toBe(true);
    expect(await verifyPin('2468', c!.pin)).toBe(true);
    await expect(hashPin('12ab')).rejects.toThrow(/4-8 digits/);
  });

  it('a users file is checked by schema: a plain PIN, a duplicate id or an unknown role is refused with the entry named', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'service-users-'));
    const file = path.join(dir, 'users.json');
    const [a] = await crew();
    writeFileSync(file, JSON.stringify({ users: [{ ...a, pin: '482913' }] }));
    expect(() => readServiceUsersFile(file)).toThrow(/users\.0\.pin/);
    writeFileSync(file, JSON.stringify({ users: [a, a] }));
    expect(() => readServiceUsersFile(file)).toThrow(/appears twice/);
    writeFileSync(file, JSON.stringify({ users: [{ ...a, role: 'admin' }] }));
    expect(() => readServiceUsersFile(file)).toThrow(/users\.0\.role/);
    writeFileSync(file, JSON.stringify({ users: [a] }));
    expect(readServiceUsersFile(file)).toEqual([a]);
    expect(() => readServiceUsersFile(path.join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });

  it('the CLI makes an entry from a PIN on stdin that verifies, and adds it to a users file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'service-user-cli-'));
    const file = path.join(dir, 'users.json');
    const run = (args: string[], pin: string): string =>
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/service-user.ts', ...args], { input: `${pin}\n`, encoding: 'utf8' });
    const entry = JSON.parse(run(['add', '--id', 'T009', '--role', 'collector'], '9081')) as ServiceUser;
    expect(entry).toMatchObject({ id: 'T009', role: 'collector', pin: { alg: 'scrypt' } });
    expect(await verifyPin('9081', entry.pin)).toBe(true);
    // an existing file keeps its other entries
    writeFileSync(file, JSON.stringify({ users: [entry] }));
    run(['add', '--id', 'T010', '--role', 'technician', '--file', file], '55667788');
    const users = readServiceUsersFile(file);
    expect(users.map((u) => u.id)).toEqual(['T009', 'T010']);
    expect(await verifyPin('55667788', users[1]!.pin)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toMatch(/55667788|9081/);
  }, 60_000);
});

describe('entry and roles', () => {
  it('needs the service switch and the person\'s own PIN; the audit names who tried', async () => {
    const { port, cabinet, s } = rig(await crew());
    cabinet.switchOpen = false;
    expect(await port.login('482913', 'A17')).toEqual({ ok: false, reason: 'switchClosed' });
    cabinet.switchOpen = true;
    expect(await port.login('775120', 'A17')).toEqual({ ok: false, reason: 'wrongPin' });
    // no shared code configured: a code without an id opens nothing
    expect(await port.login('482913')).toEqual({ ok: false, reason: 'wrongPin' });
    const ok = await port.login('482913', 'A17');
    expect(ok).toMatchObject({ ok: true, technician: 'A17', view: { action: 'login', person: { id: 'A17', roles: ['technician'], name: 'Arman' } } });
    expect(ServiceModeView.safeParse(ok.ok ? ok.view : undefined).success).toBe(true);
    expect(listAudit(s.db).reverse().map((a) => `${a.who}:${a.action}:${String(a.details.reason ?? a.details.ok)}`)).toEqual([
      'A17:serviceLogin:switchClosed', 'A17:serviceLogin:wrongPin', 'unknown:serviceLogin:wrongPin', 'A17:serviceLogin:true',
    ]);
  });

  it('a technician cannot collect or replenish and a collector cannot run diagnostics or read the queue: refused in the core, audited under the person', async () => {
    const { port, s } = rig(await crew());
    await port.login('482913', 'A17');
    expect(await port.perform('A17', 'diagnostics')).toMatchObject({ action: 'diagnostics', cashAcceptor: expect.anything() });
    for (const action of ['collect', 'replenish', 'printReceiptCopy']) {
      const view = await port.perform('A17', action, { confirm: 1 });
      expect(view).toEqual({ action, denied: true, refusal: { code: 'notPermitted', roles: ['technician'] } });
      expect(ServiceModeView.safeParse(view).success).toBe(true);
    }
    // a technician sees lost receipts but reprints none: a reprint is a receipt copy (the collector's)
    expect(await port.perform('A17', 'lostReceipts')).toMatchObject({ action: 'lostReceipts', mayReprint: false, receipts: [] });
    expect(await port.perform('A17', 'lostReceipts', { receiptNumber: '1' })).toMatchObject({ refusal: { code: 'notPermitted' } });
    // someone else's id is not the logged-in person
    expect(await port.perform('K05', 'collect')).toMatchObject({ denied: true });
    await port.perform('A17', 'exit');
    // after exit the same id does nothing more
    expect(await port.perform('A17', 'diagnostics')).toMatchObject({ denied: true });

    const login = await port.login('775120', 'K05');
    expect(login).toMatchObject({ ok: true, view: { permitted: ['cashUnits', 'lookupReceipt', 'printReceiptCopy', 'lostReceipts', 'collect', 'replenish', 'exit'] } });
    expect(await port.perform('K05', 'collect')).toMatchObject({ action: 'collect', stage: 'count' });
    for (const action of ['diagnostics', 'deadLetters', 'verifyJournal', 'resetDevice', 'testPrint']) expect(await port.perform('K05', action)).toMatchObject({ denied: true });
    // settling a withdrawal left for the technician moves money: a collector neither lists nor decides one
    expect(await port.perform('K05', 'openWithdrawals')).toMatchObject({ denied: true });
    expect(await port.perform('K05', 'openWithdrawals', { withdrawalId: 'wd-1', decision: 'received', comment: 'customer has the notes' })).toMatchObject({ denied: true });
    const rows = listAudit(s.db).reverse().filter((a) => a.action !== 'serviceLogin');
    expect(rows.every((a) => a.who === 'A17' || a.who === 'K05')).toBe(true);
    expect(rows.filter((a) => a.details.ok === false).map((a) => `${a.who}:${a.action}`)).toEqual([
      'A17:collect', 'A17:replenish', 'A17:printReceiptCopy', 'A17:lostReceipts', 'K05:collect', 'A17:diagnostics',
      'K05:diagnostics', 'K05:deadLetters', 'K05:verifyJournal', 'K05:resetDevice', 'K05:testPrint', 'K05:openWithdrawals', 'K05:openWithdrawals',
    ]);
  });
});

describe('lock-out', () => {
  it('the third wrong PIN locks entry for the configured minutes, even for the right PIN; journaled, reported, and kept over a restart', async () => {
    const users = await crew();
    const first = rig(users);
    const { port, s, locks } = first;
    expect(await port.login('000000', 'A17')).toMatchObject({ ok: false, reason: 'wrongPin' });
    expect(await port.login('111111', 'K05')).toMatchObject({ ok: false, reason: 'wrongPin' });
    const third = await port.login('222222', 'NOBODY');
    const until = new Date(s.clock.ms + 10 * 60_000).toISOString();
    expect(third).toEqual({ ok: false, reason: 'locked', lockedUntil: until });
    expect(locks.map((d) => d.toISOString())).toEqual([until]);
    expect(await port.login('482913', 'A17')).toEqual({ ok: false, reason: 'locked', lockedUntil: until });
    const journaled = [...iterateJournal(s.db)].filter((e) => e.type === 'audit' && (e.payload as { action: string }).action === 'serviceLockout');
    expect(journaled).toHaveLength(1);
    expect(journaled[0]?.payload).toMatchObject({ who: 'NOBODY', details: { until, failures: 3, minutes: 10 } });

    // the terminal status carries the lock to the bank
    const sources = {
      db: s.db, version: '1.0.0', health: () => ({}), reasons: () => ({}), dispenser: () => ({ cassettes: [] }), acceptor: () => ({ state: 'idle' }),
      printer: () => ({ link: 'online', paper: 'ok' as const }), cassetteDenominations: [], cassetteCapacity: 2000, cashBoxCapacity: 1500, now: () => s.clock.ms,
    };
    expect(collectStatus(sources).serviceLockout).toEqual({ at: new Date(s.clock.ms).toISOString(), until, active: true });

    // a restart does not lift it
    const again = rig(users, s.reopen());
    stores.push(again.s);
    expect(await again.port.login('482913', 'A17')).toMatchObject({ ok: false, reason: 'locked' });
    again.s.clock.ms += 10 * 60_000 + 1;
    expect(lastLockout(again.s.db)?.until.toISOString()).toBe(until);
    expect(await again.port.login('482913', 'A17')).toMatchObject({ ok: true, technician: 'A17' });
    expect(collectStatus({ ...sources, db: again.s.db, now: () => again.s.clock.ms }).serviceLockout?.active).toBe(false);
  });
});

describe('the crew\'s sources', () => {
  it('takes the file first, then the bank\'s list; keeps the last list when the bank is away', async () => {
    const [a, k] = await crew();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'service-dir-'));
    const file = path.join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ users: [a] }));
    let bank: () => Promise<ServiceUser[]> = async () => [{ ...a!, role: 'collector' }, k!];
    const warnings: string[] = [];
    const directory = new ServiceDirectory({ file, fromBank: () => bank(), bankWaitMs: 2_000, warn: (m) => warnings.push(m) });
    expect(directory.users().map((u) => u.id)).toEqual(['A17']);
    await directory.refresh();
    expect(directory.users().map((u) => `${u.id}:${u.role}`)).toEqual(['A17:technician', 'K05:collector']);
    bank = async () => Promise.reject(new Error('bank offline'));
    writeFileSync(file, '{ not json');
    await directory.refresh();
    expect(directory.users().map((u) => u.id)).toEqual(['A17', 'K05']);
    expect(warnings).toHaveLength(2);
  });
});
