/**
 * CCNET 11 (power up with a bill in the validator's head) over real ptys (emulator, real driver built
 * from the config, real SQLite store). RESET hands such a note back without an 82 (ccnet.md §6), so an
 * empty escrow afterwards is not "the STACK went through": a note the driver saw in escrow before the
 * acceptor lost power is matched by value and never credited; one nobody can name (the whole terminal
 * lost power) leaves the cash-in for the technician, as for ID003's 41.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileAtStartup } from '../../../kiosk/recovery/reconcile.js';
import type { DeviceSet } from '../../../kiosk/devices/create-devices.js';
import type { NoteRef } from '../../../kiosk/store/money-store.js';
import { CcnetBillValidator } from '../../../drivers/cash-acceptor/ccnet-driver.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { makeRig, until, type Rig } from './rig.js';

const T1000 = 100_000;
const T5000 = 500_000;
const account = { kind: 'account' as const, customerId: 'c-1', productId: 'p-1', label: 'Aigerim S.' };

describe('CCNET power-up with a bill in the validator (11)', () => {
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  const cashBox = (): Record<string, number> => (rig?.acceptorEmu.state().cashBox ?? {}) as Record<string, number>;

  async function acceptingCore(r: Rig): Promise<DeviceSet> {
    const set = r.devices();
    expect(set.cashAcceptor).toBeInstanceOf(CcnetBillValidator);
    await set.openAll();
    await until('acceptor online', () => set.cashAcceptor.status().link === 'online');
    await set.cashAcceptor.enable(set.cashAcceptor.status().billTable);
    return set;
  }

  async function insertWithIntent(r: Rig, set: DeviceSet, cashInId: string, tenge: number): Promise<NoteRef> {
    await until('acceptor idling', () => r.acceptorEmu.state().state === 'idling');
    expect((await r.post('/cash-acceptor/insert', { denomination: tenge })).status).toBe(200);
    await until(`${tenge} in escrow`, () => set.cashAcceptor.status().state === 'escrow');
    return r.store.money.recordStackIntent(cashInId, tenge * 100);
  }

  async function firstNoteStacked(r: Rig, set: DeviceSet, cashInId: string): Promise<void> {
    const note = await insertWithIntent(r, set, cashInId, 1000);
    await set.cashAcceptor.stack();
    await until('first note stacked', () => cashBox()['1000'] === 1);
    await until('the driver idle', () => set.cashAcceptor.status().state === 'idling');
    r.store.money.recordStacked(cashInId, note);
  }

  it('the acceptor alone loses power with a note in escrow: the driver names it, handed back, never credited', async () => {
    rig = await makeRig();
    const set = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-1', target: account });
    await firstNoteStacked(rig, set, cashInId);
    await insertWithIntent(rig, set, cashInId, 5000);
    let online = 0;
    set.cashAcceptor.on('online', () => online++);
    rig.acceptorEmu.setFault('powerCycle'); // the core keeps running; the validator powers up with 11
    await until('acceptor back online', () => online === 1);
    expect(set.cashAcceptor.status()).toMatchObject({ billInPathAtPowerUp: 'validator', noteSettledAtOpen: { outcome: 'returned', denomination: T5000 } });
    expect(set.cashAcceptor.status().escrow).toBeUndefined();

    const report = await reconcileAtStartup({ store: money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 10_000 });

    expect(report.decisions[0]).toEqual({ kind: 'intentResolved', cashInId, denomination: T5000, outcome: 'returned' });
    expect(report.decisions.find((d) => d.kind === 'cashInEnded')).toMatchObject({ cashInId, status: 'ok', total: T1000 });
    expect(listOutbox(rig.store.db).map((m) => m.amount)).toEqual([T1000]);
    expect(cashBox()).toEqual({ 1000: 1 });
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('the acceptor loses power mid-stack and the ACK of its RESET is lost: the note stored from the stacker is still reported by value, once', async () => {
    rig = await makeRig();
    const set = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-3', target: account });
    await insertWithIntent(rig, set, cashInId, 5000);
    rig.acceptorEmu.setFault('slowStack', { ms: 10_000 });
    await set.cashAcceptor.stack();
    await until('the stacker moving the note', () => rig?.acceptorEmu.state().state === 'stacking');
    const words: Array<{ name: string; denomination: number }> = [];
    set.cashAcceptor.on('stacked', ({ denomination }) => words.push({ name: 'stacked', denomination }));
    set.cashAcceptor.on('returned', ({ denomination }) => words.push({ name: 'returned', denomination }));
    let online = 0;
    set.cashAcceptor.on('online', () => online++);
    // the host re-sends the RESET it heard no answer to; the second RESET ends the 81 before a POLL reads it
    rig.acceptorEmu.setFault('loseReply', { command: 0x30, count: 1 });
    rig.acceptorEmu.setFault('powerCycle'); // the core keeps running; the validator powers up with 12
    await until('acceptor back online', () => online === 1, 15_000);

    expect(set.cashAcceptor.status()).toMatchObject({ billInPathAtPowerUp: 'stacker', noteSettledAtOpen: { outcome: 'stacked', denomination: T5000 } });
    expect(words).toEqual([{ name: 'stacked', denomination: T5000 }]);
    expect(cashBox()).toEqual({ 5000: 1 });
  });

  it('the whole terminal loses power with a note in the head: a note nobody can name is left for the technician, not counted as stacked', async () => {
    rig = await makeRig();
    const before = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-2', target: account });
    await firstNoteStacked(rig, before, cashInId);
    await insertWithIntent(rig, before, cashInId, 5000);
    await before.closeAll();
    rig.acceptorEmu.setFault('powerCycle');
    expect(rig.acceptorEmu.state().billInPathAtPowerUp).toBe('validator');

    const set = rig.devices();
    expect(await set.openAll()).toMatchObject({ cashAcceptor: { ok: true } });
    const report = await reconcileAtStartup({ store: money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 10_000 });

    expect(report.acceptor).toMatchObject({ online: true, billInPathAtPowerUp: 'validator', noteSettledAtOpen: { outcome: 'returned' } });
    expect(report.decisions).toEqual([{ kind: 'leftForTechnician', subject: 'cashIn', id: cashInId, reason: expect.stringMatching(/unknown value at power-up/) }]);
    expect(report.settled).toBe(false);
    expect(listOutbox(rig.store.db)).toEqual([]);
    expect(cashBox()).toEqual({ 1000: 1 });
  });
});
