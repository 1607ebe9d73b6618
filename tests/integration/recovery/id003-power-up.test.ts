/**
 * Start-up reconciliation with an ID003 acceptor over real ptys (emulator, real driver built from
 * the config, real SQLite store): the rules of kiosk/recovery/README.md for ID003's power-up
 * states. 42 (bill in the stacker): RESET stores it, the intent is settled stacked and credited
 * once. 41 (bill in the acceptor): RESET hands it back; a note the driver saw in escrow before the
 * power cut is matched by value and never credited, one it cannot name is left for the technician.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileAtStartup, type ReconcileReport } from '../../../kiosk/recovery/reconcile.js';
import type { DeviceSet } from '../../../kiosk/devices/create-devices.js';
import type { NoteRef } from '../../../kiosk/store/money-store.js';
import { Id003BillAcceptor } from '../../../drivers/cash-acceptor/id003-driver.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { checkCounters, unitCounts } from '../../../kiosk/store/counters.js';
import { verifyJournal } from '../../../kiosk/store/journal.js';
import { makeRig, until, type Rig } from './rig.js';

const T1000 = 100_000;
const T2000 = 200_000;
const T5000 = 500_000;
const account = { kind: 'account' as const, customerId: 'c-1', productId: 'p-1', label: 'Aigerim S.' };

describe('ID003 power-up states in start-up reconciliation', () => {
  let rig: Rig<'id003'> | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  const cashBox = (): Record<string, number> => (rig?.acceptorEmu.state().cashBox ?? {}) as Record<string, number>;

  async function acceptingCore(r: Rig<'id003'>): Promise<DeviceSet> {
    const set = r.devices();
    expect(set.cashAcceptor).toBeInstanceOf(Id003BillAcceptor);
    await set.openAll();
    await until('acceptor online', () => set.cashAcceptor.status().link === 'online');
    await set.cashAcceptor.enable(set.cashAcceptor.status().billTable);
    return set;
  }

  async function insertWithIntent(r: Rig<'id003'>, set: DeviceSet, cashInId: string, tenge: number): Promise<NoteRef> {
    await until('acceptor idling', () => r.acceptorEmu.state().state === 'idling');
    expect((await r.post('/cash-acceptor/insert', { denomination: tenge })).status).toBe(200);
    await until(`${tenge} in escrow`, () => set.cashAcceptor.status().state === 'escrow');
    return r.store.money.recordStackIntent(cashInId, tenge * 100);
  }

  async function firstNoteStacked(r: Rig<'id003'>, set: DeviceSet, cashInId: string): Promise<void> {
    const note = await insertWithIntent(r, set, cashInId, 1000);
    await set.cashAcceptor.stack();
    await until('first note stacked', () => cashBox()['1000'] === 1);
    r.store.money.recordStacked(cashInId, note);
  }

  async function restart(r: Rig<'id003'>): Promise<{ set: DeviceSet; report: ReconcileReport }> {
    const set = r.devices();
    const opened = await set.openAll();
    expect(opened.cashAcceptor).toEqual({ ok: true });
    const report = await reconcileAtStartup({ store: r.store.money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 10_000 });
    return { set, report };
  }

  it('a note found in escrow at start-up (no power lost) is handed back and never credited', async () => {
    rig = await makeRig({ protocol: 'id003' });
    const before = await acceptingCore(rig);
    const { cashInId } = rig.store.money.beginCashIn({ sessionId: 's-1', target: account });
    await insertWithIntent(rig, before, cashInId, 2000);
    await before.closeAll();
    expect(rig.acceptorEmu.state().escrow).toBe(2000);

    const { report } = await restart(rig);

    expect(report.acceptor).toMatchObject({ online: true, escrow: T2000, escrowFoundAtOpen: true });
    expect(report.decisions).toEqual([
      { kind: 'escrowReturned', denomination: T2000, cashInId },
      { kind: 'intentResolved', cashInId, denomination: T2000, outcome: 'returned' },
      { kind: 'cashInEnded', cashInId, status: 'rollback', total: 0, amount: 0 },
    ]);
    await until('note handed back', () => rig?.acceptorEmu.state().escrow === null);
    expect(cashBox()).toEqual({});
    expect(listOutbox(rig.store.db)).toEqual([]);
  });

  it('power cut with a bill in the stacker (42): RESET stores it; the intent is settled stacked and credited once', async () => {
    rig = await makeRig({ protocol: 'id003' });
    const before = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-2', target: account });
    await firstNoteStacked(rig, before, cashInId);
    rig.acceptorEmu.setFault('slowStack', { ms: 30_000 });
    await insertWithIntent(rig, before, cashInId, 5000);
    await before.cashAcceptor.stack();
    await until('stacking', () => rig?.acceptorEmu.state().state === 'stacking');
    await before.closeAll(); // the terminal loses power: core and acceptor
    rig.acceptorEmu.setFault('powerCycle');
    rig.acceptorEmu.clearFaults();
    expect(rig.acceptorEmu.state().billInPathAtPowerUp).toBe('stacker');

    const { report } = await restart(rig);

    expect(report.acceptor).toMatchObject({ online: true, billInPathAtPowerUp: 'stacker', noteSettledAtOpen: { outcome: 'stacked' } });
    expect(report.decisions[0]).toEqual({ kind: 'intentResolved', cashInId, denomination: T5000, outcome: 'stacked' });
    expect(report.decisions.find((d) => d.kind === 'cashInEnded')).toMatchObject({ cashInId, status: 'ok', total: T1000 + T5000, amount: T1000 + T5000 });
    expect(report.settled).toBe(true);
    expect(listOutbox(rig.store.db).map((m) => [m.kind, m.amount])).toEqual([['cashInCredit', T1000 + T5000]]);
    expect(cashBox()).toEqual({ 1000: 1, 5000: 1 });
    expect(unitCounts(rig.store.db, 'cashBox').map((c) => [c.denomination, c.count])).toEqual([[T1000, 1], [T5000, 1]]);
    expect(checkCounters(rig.store.db)).toEqual([]);
    expect(verifyJournal(rig.store.db).ok).toBe(true);
  });

  it('power cut of the acceptor alone with a bill in escrow (41): the driver names the note, handed back, never credited', async () => {
    rig = await makeRig({ protocol: 'id003' });
    const set = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-3', target: account });
    await firstNoteStacked(rig, set, cashInId);
    await insertWithIntent(rig, set, cashInId, 5000);
    let online = 0;
    set.cashAcceptor.on('online', () => online++);
    rig.acceptorEmu.setFault('powerCycle'); // the core keeps running; the acceptor powers up with 41
    await until('acceptor back online', () => online === 1);
    expect(set.cashAcceptor.status()).toMatchObject({ billInPathAtPowerUp: 'validator', noteSettledAtOpen: { outcome: 'returned', denomination: T5000 } });

    const report = await reconcileAtStartup({ store: money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 10_000 });

    expect(report.decisions[0]).toEqual({ kind: 'intentResolved', cashInId, denomination: T5000, outcome: 'returned' });
    expect(report.decisions.find((d) => d.kind === 'cashInEnded')).toMatchObject({ cashInId, status: 'ok', total: T1000 });
    expect(listOutbox(rig.store.db).map((m) => m.amount)).toEqual([T1000]);
    expect(cashBox()).toEqual({ 1000: 1 });
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('power cut of the whole terminal with a bill in the acceptor (41): a note nobody can name is left for the technician', async () => {
    rig = await makeRig({ protocol: 'id003' });
    const before = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-4', target: account });
    await firstNoteStacked(rig, before, cashInId);
    await insertWithIntent(rig, before, cashInId, 5000);
    await before.closeAll();
    rig.acceptorEmu.setFault('powerCycle');

    const { report } = await restart(rig);

    expect(report.acceptor).toMatchObject({ online: true, billInPathAtPowerUp: 'validator', noteSettledAtOpen: { outcome: 'returned' } });
    expect(report.decisions).toEqual([{ kind: 'leftForTechnician', subject: 'cashIn', id: cashInId, reason: expect.stringMatching(/unknown value at power-up/) }]);
    expect(report.settled).toBe(false);
    expect(listOutbox(rig.store.db)).toEqual([]);
    expect(cashBox()).toEqual({ 1000: 1 });
  });
});
