import { afterEach, describe, expect, it } from 'vitest';
import { reconcileAtStartup, type ReconcileReport } from '../../../kiosk/recovery/reconcile.js';
import type { DeviceSet } from '../../../kiosk/devices/create-devices.js';
import type { NoteRef } from '../../../kiosk/store/money-store.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { readJournal, verifyJournal } from '../../../kiosk/store/journal.js';
import { checkCounters, unitCounts } from '../../../kiosk/store/counters.js';
import { makeRig, until, type Rig } from './rig.js';

const T1000 = 100_000;
const T2000 = 200_000;
const T5000 = 500_000;
const T10000 = 1_000_000;
const account = { kind: 'account' as const, customerId: 'c-1', productId: 'p-1', label: 'Aigerim S.' };

describe('start-up reconciliation against the emulated acceptor and dispenser', () => {
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  /** the core that is about to crash: the acceptor accepting */
  async function acceptingCore(r: Rig): Promise<DeviceSet> {
    const set = r.devices();
    await set.cashAcceptor.open();
    await until('acceptor online', () => set.cashAcceptor.status().link === 'online');
    await set.cashAcceptor.enable([T1000, T2000, T5000]);
    return set;
  }

  async function insert(r: Rig, set: DeviceSet, tenge: number): Promise<void> {
    await until('validator idling', () => r.acceptorEmu.state().state === 'idling');
    const res = await r.post('/cash-acceptor/insert', { denomination: tenge });
    expect(res.status).toBe(200);
    await until(`${tenge} in escrow`, () => set.cashAcceptor.status().state === 'escrow');
  }

  async function restart(r: Rig): Promise<{ set: DeviceSet; report: ReconcileReport }> {
    const set = r.devices();
    const opened = await set.openAll();
    expect(opened.cashAcceptor).toEqual({ ok: true });
    expect(opened.dispenser).toEqual({ ok: true });
    const report = await reconcileAtStartup({ store: r.store.money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 10_000 });
    return { set, report };
  }

  /** a note into escrow, and its stack intent committed */
  async function insertWithIntent(r: Rig, set: DeviceSet, cashInId: string, tenge: number): Promise<NoteRef> {
    await insert(r, set, tenge);
    return r.store.money.recordStackIntent(cashInId, tenge * 100);
  }

  /** one 1 000 note through the normal path: intent, STACK, stacked in the box, recorded */
  async function firstNoteStacked(r: Rig, set: DeviceSet, cashInId: string): Promise<void> {
    const note = await insertWithIntent(r, set, cashInId, 1000);
    await set.cashAcceptor.stack();
    await until('first note stacked', () => cashBox(r)['1000'] === 1);
    r.store.money.recordStacked(cashInId, note);
  }

  /** the dispenser emulator and the store loaded alike (cassette i holds `cassettes[i]`), the dispenser open */
  async function loadedDispenser(r: Rig, cassettes: Array<{ tenge: number; count: number }>): Promise<DeviceSet> {
    r.dispenserEmu.load(cassettes.map(({ tenge, count }) => ({ denomination: tenge, count })));
    r.store.money.recordReplenishment('tech-1', cassettes.map(({ tenge, count }, cassette) => ({ cassette, denomination: tenge * 100, count })));
    const set = r.devices();
    await set.dispenser.open();
    await until('dispenser online', () => set.dispenser.status().link === 'online');
    return set;
  }

  /** exactly one message queued for the bank: the credit of `amount` */
  function expectOneCredit(r: Rig, amount: number): void {
    const outbox = listOutbox(r.store.db);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'cashInCredit', amount });
  }

  const cashBox = (r: Rig | undefined): Record<string, number> => (r?.acceptorEmu.state().cashBox ?? {}) as Record<string, number>;
  const journalTypes = (r: Rig): string[] => readJournal(r.store.db).map((e) => e.type);

  it('returns a note found in escrow at start-up and never credits it', async () => {
    rig = await makeRig();
    const before = await acceptingCore(rig);
    const { cashInId } = rig.store.money.beginCashIn({ sessionId: 's-1', target: account });
    await insertWithIntent(rig, before, cashInId, 2000);
    await before.closeAll(); // the core dies before STACK goes on the wire
    expect(rig.acceptorEmu.state().escrow).toBe(2000);

    const { report } = await restart(rig);

    expect(report.acceptor).toMatchObject({ online: true, escrow: T2000, escrowFoundAtOpen: true });
    expect(report.decisions).toEqual([
      { kind: 'escrowReturned', denomination: T2000, cashInId },
      { kind: 'intentResolved', cashInId, denomination: T2000, outcome: 'returned' },
      { kind: 'cashInEnded', cashInId, status: 'rollback', total: 0, amount: 0 },
    ]);
    expect(report.settled).toBe(true);
    await until('note handed back', () => rig?.acceptorEmu.state().escrow === null);
    expect(rig.acceptorEmu.state().cashBox).toEqual({});
    expect(rig.store.money.cashIn(cashInId)?.status).toBe('rollback');
    expect(rig.store.money.cashIn(cashInId)?.notes).toMatchObject([{ denomination: T2000, state: 'returned', reason: 'reconciled' }]);
    expect(listOutbox(rig.store.db)).toEqual([]);
    expect(rig.store.money.offlineExposure()).toBe(0);
    expect(journalTypes(rig)).toEqual(expect.arrayContaining(['stackIntent', 'cashInUnknown', 'intentResolved', 'cashInRollback']));
    expect(verifyJournal(rig.store.db).ok).toBe(true);
  });

  it('credits a note the device stacked after the intent, exactly once, with the notes stacked before', async () => {
    rig = await makeRig();
    const before = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-2', target: account });
    await firstNoteStacked(rig, before, cashInId);
    // the second: intent committed, STACK sent, the device stacks it, the core dies before recording it
    await insertWithIntent(rig, before, cashInId, 5000);
    await before.cashAcceptor.stack();
    await until('second note stacked', () => cashBox(rig)['5000'] === 1);
    await before.closeAll();

    const { report } = await restart(rig);

    expect(report.acceptor.escrow).toBeUndefined();
    const ended = report.decisions.find((d) => d.kind === 'cashInEnded');
    expect(report.decisions[0]).toEqual({ kind: 'intentResolved', cashInId, denomination: T5000, outcome: 'stacked' });
    expect(ended).toMatchObject({ cashInId, status: 'ok', total: T1000 + T5000, amount: T1000 + T5000 });
    expect(report.settled).toBe(true);
    expectOneCredit(rig, T1000 + T5000);
    expect(money.cashIn(cashInId)?.status).toBe('ok');
    expect(unitCounts(rig.store.db, 'cashBox').map((c) => [c.denomination, c.count])).toEqual([
      [T1000, 1],
      [T5000, 1],
    ]);
    expect(checkCounters(rig.store.db)).toEqual([]);

    // a second restart finds nothing open and queues nothing more
    const again = await reconcileAtStartup({ store: money, acceptor: before.cashAcceptor, dispenser: before.dispenser, deviceTimeoutMs: 50 });
    expect(again.decisions.filter((d) => d.kind !== 'leftForTechnician')).toEqual([]);
    expect(listOutbox(rig.store.db)).toHaveLength(1);
  });

  it('an intent whose note the validator handed back by itself while the core was down is never credited', async () => {
    rig = await makeRig({ escrowTimeoutMs: 2_500 });
    const before = await acceptingCore(rig);
    const money = rig.store.money;
    const { cashInId } = money.beginCashIn({ sessionId: 's-7', target: account });
    await firstNoteStacked(rig, before, cashInId);
    // the second: intent committed, the core dies before STACK goes out; nobody holds the note
    await insertWithIntent(rig, before, cashInId, 5000);
    await before.closeAll();
    const emu = rig.acceptorEmu;
    await until('the validator hands the note back on its escrow timeout', () => emu.state().state === 'returned', 5_000);

    const { report } = await restart(rig);

    expect(report.decisions[0]).toEqual({ kind: 'intentResolved', cashInId, denomination: T5000, outcome: 'returned' });
    expect(report.acceptor.noteSettledAtOpen).toMatchObject({ outcome: 'returned', denomination: T5000 });
    expect(report.decisions.find((d) => d.kind === 'cashInEnded')).toMatchObject({ cashInId, status: 'ok', total: T1000, amount: T1000 });
    expectOneCredit(rig, T1000);
    expect(cashBox(rig)).toEqual({ 1000: 1 });
    expect(unitCounts(rig.store.db, 'cashBox').map((c) => [c.denomination, c.count])).toEqual([[T1000, 1]]);
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('retracts notes left in the presenter and reverses the withdrawal', async () => {
    rig = await makeRig();
    const money = rig.store.money;
    const before = await loadedDispenser(rig, [{ tenge: 5000, count: 50 }, { tenge: 10000, count: 40 }]);
    const plan = [{ cassette: 0, count: 2, denomination: T5000 }, { cassette: 1, count: 1, denomination: T10000 }];
    const { withdrawalId } = money.recordWithdrawalAuthorised({
      sessionId: 's-3', customerId: 'c-1', productId: 'p-1', amount: 2 * T5000 + T10000, commission: 0, holdId: 'hold-3', plan,
    });
    money.recordDispensing(withdrawalId);
    const result = await before.dispenser.dispense(plan.map(({ cassette, count }) => ({ cassette, count })));
    expect(result.ok).toBe(true);
    money.recordDispensed(withdrawalId, result.perCassette);
    expect(await before.dispenser.present()).toBe('presented');
    money.recordPresented(withdrawalId, 'presented');
    await before.closeAll(); // the core dies while the customer has not taken the notes
    expect(rig.dispenserEmu.state()).toMatchObject({ presenter: { notes: 3, shutterOpen: true } });

    const { report } = await restart(rig);

    expect(report.dispenser).toEqual({ online: true, hasPresenter: true, notesInPresenter: 3 });
    expect(report.decisions).toMatchObject([
      { kind: 'withdrawalRetracted', withdrawalId, notes: 3 },
      { kind: 'withdrawalReversed', withdrawalId, reason: 'not taken before restart; retracted' },
    ]);
    expect(report.settled).toBe(true);
    expect(rig.dispenserEmu.state()).toMatchObject({ retractBin: 3, presenter: { notes: 0 }, taken: 0 });
    expect(money.withdrawal(withdrawalId)).toMatchObject({ state: 'reversed', notesAt: 'retract' });
    const outbox = listOutbox(rig.store.db).filter((m) => m.kind.startsWith('withdrawal'));
    expect(outbox.map((m) => m.kind)).toEqual(['withdrawalReverse']);
    expect(unitCounts(rig.store.db, 'retract').reduce((s, c) => s + c.count, 0)).toBe(3);
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('notes in the presenter are the latest withdrawal\'s: retracted and reversed although an older one is still left to the technician', async () => {
    rig = await makeRig();
    const money = rig.store.money;
    const before = await loadedDispenser(rig, [{ tenge: 5000, count: 50 }, { tenge: 10000, count: 40 }]);
    // an earlier restart left this one: its dispense was in flight, its outcome unknown
    const { withdrawalId: stale } = money.recordWithdrawalAuthorised({
      sessionId: 's-6', customerId: 'c-1', productId: 'p-1', amount: T5000, commission: 0, holdId: 'hold-6', plan: [{ cassette: 0, count: 1, denomination: T5000 }],
    });
    money.recordDispensing(stale);
    const plan = [{ cassette: 1, count: 1, denomination: T10000 }];
    const { withdrawalId: latest } = money.recordWithdrawalAuthorised({
      sessionId: 's-7', customerId: 'c-2', productId: 'p-2', amount: T10000, commission: 0, holdId: 'hold-7', plan,
    });
    money.recordDispensing(latest);
    const result = await before.dispenser.dispense(plan.map(({ cassette, count }) => ({ cassette, count })));
    expect(result.ok).toBe(true);
    money.recordDispensed(latest, result.perCassette);
    await before.closeAll(); // the core dies with the note behind the closed shutter
    expect(rig.dispenserEmu.state()).toMatchObject({ presenter: { notes: 1 } });

    const { report } = await restart(rig);

    expect(report.decisions).toMatchObject([
      { kind: 'leftForTechnician', subject: 'withdrawal', id: stale },
      { kind: 'withdrawalRetracted', withdrawalId: latest, notes: 1 },
      { kind: 'withdrawalReversed', withdrawalId: latest, reason: 'not taken before restart; retracted' },
    ]);
    expect(money.withdrawal(latest)).toMatchObject({ state: 'reversed', notesAt: 'retract' });
    expect(money.withdrawal(stale)).toMatchObject({ state: 'dispensing' });
    expect(rig.dispenserEmu.state()).toMatchObject({ retractBin: 1, presenter: { notes: 0 } });
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('reverses a withdrawal never dispensed and leaves one whose dispense was in flight to the technician', async () => {
    rig = await makeRig();
    const money = rig.store.money;
    money.recordReplenishment('tech-1', [{ cassette: 0, denomination: T5000, count: 50 }]);
    const plan = [{ cassette: 0, count: 1, denomination: T5000 }];
    const input = { customerId: 'c-1', productId: 'p-1', amount: T5000, commission: 0, plan };
    const { withdrawalId: authorised } = money.recordWithdrawalAuthorised({ ...input, sessionId: 's-4', holdId: 'hold-4' });
    const { withdrawalId: inFlight } = money.recordWithdrawalAuthorised({ ...input, sessionId: 's-5', holdId: 'hold-5' });
    money.recordDispensing(inFlight);

    const { report } = await restart(rig);

    expect(report.decisions).toMatchObject([
      { kind: 'withdrawalReversed', withdrawalId: authorised, reason: 'not dispensed before restart' },
      { kind: 'leftForTechnician', subject: 'withdrawal', id: inFlight },
    ]);
    expect(report.settled).toBe(false);
    expect(money.withdrawal(authorised)?.state).toBe('reversed');
    expect(money.withdrawal(inFlight)).toMatchObject({ state: 'dispensing', presentState: 'unknown' });
    expect(listOutbox(rig.store.db).filter((m) => m.kind.startsWith('withdrawal')).map((m) => m.body)).toHaveLength(1);
  });
  it('presented notes the customer took while the core was down are debited, not reversed', async () => {
    rig = await makeRig();
    const money = rig.store.money;
    const before = await loadedDispenser(rig, [{ tenge: 5000, count: 10 }, { tenge: 10000, count: 10 }]);
    const plan = [{ cassette: 0, count: 1, denomination: T5000 }];
    const { withdrawalId } = money.recordWithdrawalAuthorised({
      sessionId: 's-6', customerId: 'c-1', productId: 'p-1', amount: T5000, commission: 15_000, holdId: 'hold-6', plan,
    });
    money.recordDispensing(withdrawalId);
    money.recordDispensed(withdrawalId, (await before.dispenser.dispense([{ cassette: 0, count: 1 }])).perCassette);
    money.recordPresented(withdrawalId, await before.dispenser.present());
    await before.closeAll();
    expect((await rig.post('/dispenser/take', {})).status).toBe(200);

    const { report } = await restart(rig);

    expect(report.dispenser.notesInPresenter).toBe(0);
    expect(report.decisions).toMatchObject([{ kind: 'withdrawalTaken', withdrawalId }]);
    expect(money.withdrawal(withdrawalId)).toMatchObject({ state: 'complete', notesAt: 'customer' });
    const messages = listOutbox(rig.store.db).filter((m) => m.kind.startsWith('withdrawal'));
    expect(messages.map((m) => m.kind)).toEqual(['withdrawalComplete']);
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('a stock dispenser (no presenter): exit-counted notes are debited, nothing dispensed is reversed, one in flight is left', async () => {
    rig = await makeRig({ dispenserPresenter: false });
    const money = rig.store.money;
    const before = await loadedDispenser(rig, [{ tenge: 5000, count: 10 }, { tenge: 10000, count: 10 }]);
    expect(before.dispenser.status().hasPresenter).toBe(false);
    const input = { customerId: 'c-1', productId: 'p-1', commission: 15_000 };
    const plan = [{ cassette: 0, count: 2, denomination: T5000 }];
    // dispensed, and the core died before recording anything more
    const { withdrawalId: paid } = money.recordWithdrawalAuthorised({ ...input, sessionId: 's-8', amount: 2 * T5000, holdId: 'hold-8', plan });
    money.recordDispensing(paid);
    money.recordDispensed(paid, (await before.dispenser.dispense([{ cassette: 0, count: 2 }])).perCassette);
    // dispensed and presented (the session's step for a stock dispenser), not yet recorded taken
    const { withdrawalId: presented } = money.recordWithdrawalAuthorised({ ...input, sessionId: 's-9', amount: T10000, holdId: 'hold-9', plan: [{ cassette: 1, count: 1, denomination: T10000 }] });
    money.recordDispensing(presented);
    money.recordDispensed(presented, (await before.dispenser.dispense([{ cassette: 1, count: 1 }])).perCassette);
    expect(await before.dispenser.present()).toBe('presented');
    money.recordPresented(presented, 'presented');
    const { withdrawalId: authorised } = money.recordWithdrawalAuthorised({ ...input, sessionId: 's-10', amount: T5000, holdId: 'hold-10', plan: [{ cassette: 0, count: 1, denomination: T5000 }] });
    const { withdrawalId: inFlight } = money.recordWithdrawalAuthorised({ ...input, sessionId: 's-11', amount: T5000, holdId: 'hold-11', plan: [{ cassette: 0, count: 1, denomination: T5000 }] });
    money.recordDispensing(inFlight);
    await before.closeAll();

    const { set, report } = await restart(rig);

    expect(report.dispenser).toEqual({ online: true, hasPresenter: false });
    expect(report.decisions).toMatchObject([
      { kind: 'withdrawalTaken', withdrawalId: paid },
      { kind: 'withdrawalTaken', withdrawalId: presented },
      { kind: 'withdrawalReversed', withdrawalId: authorised, reason: 'not dispensed before restart' },
      { kind: 'leftForTechnician', subject: 'withdrawal', id: inFlight },
    ]);
    expect(money.withdrawal(paid)).toMatchObject({ state: 'complete', notesAt: 'customer' });
    expect(money.withdrawal(presented)).toMatchObject({ state: 'complete', notesAt: 'customer' });
    const messages = listOutbox(rig.store.db).filter((m) => m.kind.startsWith('withdrawal'));
    expect(messages.map((m) => [m.kind, (m.body as { amount: number }).amount])).toEqual([
      ['withdrawalComplete', 2 * T5000], ['withdrawalComplete', T10000], ['withdrawalReverse', undefined],
    ]);
    // the stock module was never asked a presenter command, and no retract exists for it
    expect(rig.dispenserEmu.refusedCommands).toEqual([]);
    expect(rig.dispenserEmu.state()).toMatchObject({ exitSlot: { notes: 3 }, retractBin: 0 });
    await expect(set.dispenser.retract()).rejects.toThrow(/no presenter/);
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('with the acceptor unplugged at start-up, a stack intent stays open for the technician', async () => {
    rig = await makeRig();
    const before = await acceptingCore(rig);
    const { cashInId } = rig.store.money.beginCashIn({ sessionId: 's-7', target: account });
    await insertWithIntent(rig, before, cashInId, 1000);
    await before.closeAll();
    await rig.acceptorEmu.stop();

    const set = rig.devices();
    await set.openAll();
    const report = await reconcileAtStartup({ store: rig.store.money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 1_500 });

    expect(report.acceptor.online).toBe(false);
    expect(report.decisions).toMatchObject([{ kind: 'leftForTechnician', subject: 'cashIn', id: cashInId }]);
    expect(report.settled).toBe(false);
    expect(rig.store.money.cashIn(cashInId)).toMatchObject({ status: 'unknown', notes: [{ denomination: T1000, state: 'intent' }] });
    expect(listOutbox(rig.store.db)).toEqual([]);
  });
});
