/**
 * Runtime pieces over a real SQLite store (temp files): start-up reconciliation, the store
 * adapter the session writes through, service mode's audit, and where the session's device health comes from.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { reconcileAtStartup } from '../../../kiosk/recovery/reconcile.js';
import { StoreAdapter } from '../../../kiosk/runtime/store-adapter.js';
import { startSession } from '../../../kiosk/session/start-session.js';
import type { SessionContext } from '../../../kiosk/session/types.js';
import { serviceMode } from '../../../kiosk/service-mode/service-mode.js';
import type { KioskDevices } from '../../../kiosk/runtime/devices.js';
import { FakeAcceptor, FakeBank, FakeDispenser, fakeWorld, greedyPlanner } from './fakes.js';
import { ManualClock } from './world.js';
import { watchBank } from '../../../kiosk/runtime/bank-health.js';
import { BankUnavailableError } from '../../../kiosk/bank/bank-api.js';

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

const planSource = { plan: greedyPlanner, denominationOf: (c: number) => [500_000, 100_000][c] };
const target = { kind: 'account' as const, customerId: 'c-aigerim', productId: 'a-aigerim-cur', label: 'Current *0101' };

describe('note identity in the store', () => {
  it('the row a stack intent returns is the row settled, not the oldest of its denomination', () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const { cashInId } = adapter.beginCashIn({ sessionId: 's-n', target, offline: false });
    const first = adapter.recordStackIntent(cashInId, 100_000);
    const second = adapter.recordStackIntent(cashInId, 100_000);
    expect(second.noteId).not.toBe(first.noteId);
    adapter.recordStacked(cashInId, { noteId: second.noteId });
    expect(s.money.cashIn(cashInId)?.notes.map((n) => [n.noteId, n.state])).toEqual([
      [first.noteId, 'intent'],
      [second.noteId, 'stacked'],
    ]);
    // a settled row, or another cash-in's, is refused rather than moved again
    expect(() => adapter.recordReturned(cashInId, { noteId: second.noteId }, 'device')).toThrow(/already stacked/);
    const other = adapter.beginCashIn({ sessionId: 's-o', target, offline: false });
    expect(() => adapter.recordStacked(other.cashInId, { noteId: first.noteId })).toThrow(/not a note of/);
    adapter.recordReturned(cashInId, { noteId: first.noteId }, 'device');
    expect(s.money.cashIn(cashInId)?.stackedTotal).toBe(100_000);
  });
});

describe('start-up reconciliation of what the session wrote', () => {
  const reconcile = (s: KioskStore, acceptor: FakeAcceptor, dispenser: FakeDispenser) =>
    reconcileAtStartup({ store: s.money, acceptor, dispenser, deviceTimeoutMs: 200, returnTimeoutMs: 500 });

  it('a note still in escrow under an intent was never stacked: handed back, the rest paid', async () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const log: string[] = [];
    const acceptor = new FakeAcceptor(log);
    const { cashInId } = adapter.beginCashIn({ sessionId: 's-1', target, offline: false });
    const first = adapter.recordStackIntent(cashInId, 100_000);
    adapter.recordStacked(cashInId, { noteId: first.noteId });
    adapter.recordStackIntent(cashInId, 200_000); // then the power went
    await acceptor.enable([200_000]);
    acceptor.insert(200_000);
    await reconcile(s, acceptor, new FakeDispenser(log));
    expect(log).toContain('acceptor.return:200000');
    expect(s.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: 100_000 });
  });

  it('an intent whose note left the escrow went to the box: paid', async () => {
    const s = store();
    const adapter = new StoreAdapter(s.money, planSource);
    const { cashInId } = adapter.beginCashIn({ sessionId: 's-2', target, offline: false });
    adapter.recordStackIntent(cashInId, 500_000);
    await reconcile(s, new FakeAcceptor([]), new FakeDispenser([]));
    expect(s.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: 500_000 });
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
    await reconcile(s, new FakeAcceptor([]), dispenser);
    expect(log).toContain('dispenser.retract');
    expect(s.money.withdrawal(withdrawalId)?.state).toBe('reversed');
  });
});

describe('service mode', () => {
  it('audits every login attempt and action', async () => {
    const s = store();
    const log: string[] = [];
    const cabinet = { status: () => ({ serviceSwitchOpen: true }) };
    const devices = { cashAcceptor: new FakeAcceptor(log), dispenser: new FakeDispenser(log), cabinet, cassetteDenominations: [500_000, 1_000_000] } as unknown as KioskDevices;
    const port = serviceMode({ technicianCode: '246810', store: s.money, db: s.db, devices, testPrint: async () => ({ ok: true }) });
    expect(await port.login('000000')).toEqual({ ok: false, reason: 'wrongPin' });
    const ok = await port.login('246810');
    expect(ok.ok).toBe(true);
    const view = await port.perform('technician', 'verifyJournal');
    expect(view).toMatchObject({ action: 'verifyJournal', ok: true });
    expect(await port.perform('technician', 'replenish', { cassette: 0, count: -1 })).toMatchObject({ action: 'replenish', refusal: { code: 'badCount' } });
    await expect(port.perform('technician', 'noSuchAction')).rejects.toThrow(/unknown service action/);
    const audit = listAudit(s.db).map((a) => `${a.who}:${a.action}`);
    expect(audit).toEqual(expect.arrayContaining(['unknown:serviceLogin', 'technician:serviceLogin', 'technician:verifyJournal', 'technician:replenish', 'technician:noSuchAction']));
    expect(listAudit(s.db).filter((a) => a.action === 'replenish').map((a) => a.details.ok)).toEqual([false]);
  });
});

describe('device health', () => {
  it('the session gets health from the supervisor rules the start screen uses: a device going away and coming back', async () => {
    const world = fakeWorld();
    const session = startSession(world.ports);
    const devices = () => (session.actor.getSnapshot().context as SessionContext).devices;
    try {
      expect(devices()).toMatchObject({ cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok' });
      world.acceptor.link = 'offline';
      world.acceptor['emit']('offline', { reason: 'unplugged' });
      expect(devices().cashAcceptor).toBe('offline');
      world.acceptor.link = 'online';
      world.acceptor['emit']('online', {});
      expect(devices().cashAcceptor).toBe('ok');
    } finally {
      session.close();
    }
  });
});

describe('bank reachability', () => {
  it('follows the session own calls: unreachable is offline, any answer (a refusal too) is online, probed while offline', async () => {
    const bank = new FakeBank([], new ManualClock());
    const changes: boolean[] = [];
    const watched = watchBank(bank, (online) => changes.push(online), { probeMs: 20 });
    bank.offline = true;
    await expect(watched.bank.requestOtp('s', 'c')).rejects.toThrow(BankUnavailableError);
    expect(changes).toEqual([false]);
    bank.offline = false;
    await new Promise((r) => setTimeout(r, 80));
    expect(changes).toEqual([false, true]); // the probe found it back
    const refused = await watched.bank.verifyOtp('s', 'c', '000000');
    expect(refused.ok).toBe(false);
    expect(changes).toEqual([false, true]);
    watched.stop();
  });
});
