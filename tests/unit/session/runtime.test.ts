/**
 * Runtime pieces over a real SQLite store (temp files): start-up reconciliation, the store
 * adapter the session writes through, service mode's audit, and device health debouncing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { recoverAtStartup } from '../../../kiosk/runtime/recovery.js';
import { StoreAdapter } from '../../../kiosk/runtime/store-adapter.js';
import { connectDevices } from '../../../kiosk/session/device-events.js';
import type { SessionEvent } from '../../../kiosk/session/types.js';
import { serviceMode } from '../../../kiosk/service-mode/service-mode.js';
import type { KioskDevices } from '../../../kiosk/runtime/devices.js';
import { FakeAcceptor, FakeDispenser, greedyPlanner } from './fakes.js';

let opened: Array<{ store: KioskStore; dir: string }> = [];
afterEach(() => {
  for (const o of opened) {
    o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
  opened = [];
});

function store(): KioskStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-session-rt-'));
  const s = openKioskStore({ dataDir: dir, terminalId: 'T-0001' });
  opened.push({ store: s, dir });
  return s;
}

const quietLog = { info: () => undefined, warn: () => undefined };
const planSource = { plan: greedyPlanner, denominationOf: (c: number) => [500_000, 100_000][c] };
const target = { kind: 'account' as const, customerId: 'c-aigerim', productId: 'a-aigerim-cur', label: 'Current *0101' };

describe('start-up reconciliation', () => {
  it('a note in escrow under a durable intent is stacked, and the cash-in closed into a payment', async () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const log: string[] = [];
    const acceptor = new FakeAcceptor(log);
    const { cashInId } = adapter.beginCashIn({ sessionId: 's-1', target, offline: false });
    const first = adapter.recordStackIntent(cashInId, 100_000);
    adapter.recordStacked(cashInId, first.noteId);
    adapter.recordStackIntent(cashInId, 200_000); // then the power went
    await acceptor.enable([200_000]);
    acceptor.insert(200_000);

    const report = await recoverAtStartup({ store: s.money, acceptor, log: quietLog, deviceWaitMs: 100 });
    expect(report).toMatchObject({ notesStacked: 1, cashInsClosed: [cashInId], cashInsUnknown: [] });
    expect(log).toContain('acceptor.stack:200000');
    expect(s.money.cashIn(cashInId)?.status).toBe('ok');
    expect(s.money.cashIn(cashInId)?.stackedTotal).toBe(300_000);
  });

  it('an intent with no note in escrow is left unknown for the technician, never guessed', async () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const acceptor = new FakeAcceptor([]);
    const { cashInId } = adapter.beginCashIn({ sessionId: 's-2', target, offline: false });
    adapter.recordStackIntent(cashInId, 500_000);
    const report = await recoverAtStartup({ store: s.money, acceptor, log: quietLog, deviceWaitMs: 100 });
    expect(report.cashInsUnknown).toEqual([cashInId]);
    expect(s.money.cashIn(cashInId)?.status).toBe('unknown');
  });

  it('a note in escrow with no intent is handed back; an authorised withdrawal never dispensed is reversed', async () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const log: string[] = [];
    const acceptor = new FakeAcceptor(log);
    await acceptor.enable([100_000]);
    acceptor.insert(100_000);
    const { withdrawalId } = adapter.recordWithdrawalAuthorised({ sessionId: 's-3', holdId: 'h-1', customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 1_200_000, commission: 6_000 });
    const report = await recoverAtStartup({ store: s.money, acceptor, dispenser: new FakeDispenser(log), log: quietLog, deviceWaitMs: 100 });
    expect(report.notesReturned).toBe(1);
    expect(log).toContain('acceptor.return:100000');
    expect(report.withdrawalsReversed).toEqual([withdrawalId]);
    expect(s.money.withdrawal(withdrawalId)?.state).toBe('reversed');
  });

  it('notes left in the presenter are retracted and the withdrawal reversed', async () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const log: string[] = [];
    const dispenser = new FakeDispenser(log);
    const { withdrawalId } = adapter.recordWithdrawalAuthorised({ sessionId: 's-4', holdId: 'h-2', customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 600_000, commission: 3_000 });
    adapter.recordDispensing(withdrawalId);
    const result = await dispenser.dispense(greedyPlanner(600_000) ?? []);
    adapter.recordDispensed(withdrawalId, result);
    adapter.recordPresented(withdrawalId, 'presented');
    const report = await recoverAtStartup({ store: s.money, dispenser, log: quietLog, deviceWaitMs: 100 });
    expect(report.withdrawalsReversed).toEqual([withdrawalId]);
    expect(log).toContain('dispenser.retract');
    expect(s.money.withdrawal(withdrawalId)?.state).toBe('reversed');
  });
});

describe('service mode', () => {
  it('audits every login attempt and action', async () => {
    const s = store();
    const log: string[] = [];
    const devices = { cashAcceptor: new FakeAcceptor(log), dispenser: new FakeDispenser(log), cassetteDenominations: [500_000, 1_000_000] } as unknown as KioskDevices;
    const port = serviceMode({ technicianCode: '246810', store: s.money, db: s.db, devices, testPrint: async () => ({ ok: true }) });
    expect(await port.login('000000')).toEqual({ ok: false });
    const ok = await port.login('246810');
    expect(ok.ok).toBe(true);
    const view = await port.perform('technician', 'verifyJournal');
    expect(view).toMatchObject({ action: 'verifyJournal', ok: true });
    await expect(port.perform('technician', 'replenish', { cassette: 0, count: -1 })).rejects.toThrow(/positive count/);
    const audit = listAudit(s.db).map((a) => `${a.who}:${a.action}`);
    expect(audit).toEqual(expect.arrayContaining(['unknown:serviceLogin', 'technician:serviceLogin', 'technician:verifyJournal', 'technician:replenish']));
  });
});

describe('device health', () => {
  it('reports a device coming back at once, and one going away only if it stays away', async () => {
    const log: string[] = [];
    const acceptor = new FakeAcceptor(log);
    const events: SessionEvent[] = [];
    const off = connectDevices({ cashAcceptor: acceptor }, (e) => events.push(e), { flapMs: 60 });
    expect(events.at(-1)).toMatchObject({ type: 'device.health', devices: { cashAcceptor: 'ok' } });
    acceptor.link = 'offline';
    acceptor['emit']('offline', { reason: 'missed poll' });
    acceptor.link = 'online';
    acceptor['emit']('online', {});
    await new Promise((r) => setTimeout(r, 120));
    expect(events.filter((e) => e.type === 'device.health')).toHaveLength(1); // the blip never reached the menu
    acceptor.link = 'offline';
    acceptor['emit']('offline', { reason: 'unplugged' });
    await new Promise((r) => setTimeout(r, 120));
    expect(events.at(-1)).toEqual({ type: 'device.health', devices: { cashAcceptor: 'offline' } });
    off();
  });
});
