/**
 * The runtime's intent settler over a real SQLite store: a stack intent the session gave up on is
 * settled from the acceptor's own word as soon as the device gives it, with start-up
 * reconciliation's rule; a returned note is never credited, a stacked one is credited once, and
 * where the device cannot say (or the session still waits for the note) nothing is decided.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../../domain/typed-emitter.js';
import type { CashAcceptor, CashAcceptorEvents, CashAcceptorStatus } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import type { Decision } from '../../../kiosk/recovery/reconcile.js';
import { IntentSettler } from '../../../kiosk/runtime/intent-settler.js';
import type { NoteHolder, SessionNoteView } from '../../../kiosk/runtime/session-note-view.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { tempStore, type TempStore } from '../store/temp-store.js';

const T1000 = 100_000;
const T5000 = 500_000;

/** a validator whose status and events the test sets, as the CCNET driver would report them */
class ScriptedAcceptor extends TypedEmitter<CashAcceptorEvents> implements CashAcceptor {
  st: CashAcceptorStatus = { link: 'online', state: 'disabled', billTable: [T1000, T5000] };
  returns = 0;
  async open() {}
  async close() {}
  status(): CashAcceptorStatus {
    return { ...this.st };
  }
  async enable() {}
  async disable() {}
  async stack() {}
  async hold() {}
  async return() {
    this.returns++;
    const denomination = this.st.escrow ?? 0;
    setTimeout(() => {
      this.st = { link: 'online', state: 'disabled', billTable: this.st.billTable };
      this.emit('returned', { denomination });
    }, 20);
  }
  /** the device's own report, as the driver emits it */
  says<K extends keyof CashAcceptorEvents & string>(event: K, payload: CashAcceptorEvents[K]): void {
    this.emit(event, payload);
  }
  /** the link drops, then comes back with the device in `st` */
  reconnect(st: Omit<CashAcceptorStatus, 'link' | 'billTable'>): void {
    this.st = { ...st, link: 'online', billTable: [T1000, T5000] };
    this.emit('online', {});
  }
}

/** the live session as the settler sees it */
class SessionStub implements SessionNoteView {
  held: { cashInId: string; holder: NoteHolder } | undefined;
  holder(cashInId: string): NoteHolder {
    return this.held?.cashInId === cashInId ? this.held.holder : 'none';
  }
  inCashIn() {
    return this.held !== undefined;
  }
  awaitsDeviceWord() {
    return this.held?.holder === 'settling';
  }
}

const target = { kind: 'account' as const, customerId: 'c-1', productId: 'p-1', label: 'Current *0101' };

let rig: { store: TempStore; settler: IntentSettler } | undefined;

afterEach(async () => {
  await rig?.settler.stop();
  rig?.store.dispose();
  rig = undefined;
});

function setUp(options: { earlier?: number[]; intent?: number } = {}) {
  const store = tempStore();
  const acceptor = new ScriptedAcceptor();
  const session = new SessionStub();
  const decisions: Decision[] = [];
  let queued = 0;
  const settler = new IntentSettler({
    store: store.money, acceptor, session, returnTimeoutMs: 500,
    onDecision: (d) => decisions.push(d), onQueued: () => queued++,
  }).start();
  rig = { store, settler };
  const { cashInId } = store.money.beginCashIn({ sessionId: 's-1', target });
  for (const d of options.earlier ?? [T1000]) {
    store.money.recordStacked(cashInId, store.money.recordStackIntent(cashInId, d));
  }
  // the STACK went out; the session waited noteSettleMs for 81 / 82 and gave up on the note
  const openNote = store.money.recordStackIntent(cashInId, options.intent ?? T5000);
  /** the link comes back with the device in `st`, and the settler has done with what it heard */
  const reconnected = async (st: Parameters<ScriptedAcceptor['reconnect']>[0]): Promise<void> => {
    acceptor.reconnect(st);
    await new Promise((r) => setImmediate(r));
    await settler.idle();
  };
  /** the live session now holds `held`, and the settler has done with the change */
  const sessionNow = async (held: SessionStub['held']): Promise<void> => {
    session.held = held;
    settler.sessionChanged();
    await settler.idle();
  };
  return { store, acceptor, session, settler, cashInId, openNote, decisions, queued: () => queued, reconnected, sessionNow };
}

const credits = (store: TempStore) => listOutbox(store.db).map((m) => ({ kind: m.kind, amount: m.amount }));
const notes = (store: TempStore, cashInId: string) => store.money.cashIn(cashInId)?.notes.map((n) => `${n.denomination}:${n.state}`);
/** nothing decided: the 5 000 note as `last` says, the cash-in still open, nothing to the bank */
function expectLeftOpen(store: TempStore, cashInId: string, decisions: Decision[], last: 'intent' | 'stacked'): void {
  expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:${last}`]);
  expect(store.money.cashIn(cashInId)?.status).toBe('active');
  expect(credits(store)).toEqual([]);
  expect(decisions).toEqual([]);
}

describe('a stack intent no session owns, settled from the acceptor while the core runs', () => {
  it('the device stacks the note after the session closed: credited once with the earlier notes', async () => {
    const { store, acceptor, settler, cashInId, decisions, queued } = setUp();
    acceptor.says('stacked', { denomination: T5000 });
    await settler.idle();
    // the same report again (or a stray one) finds no open intent: nothing more is credited
    acceptor.says('stacked', { denomination: T5000 });
    await settler.idle();

    const cashIn = store.money.cashIn(cashInId);
    expect(cashIn).toMatchObject({ status: 'ok', stackedTotal: T1000 + T5000 });
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:stacked`]);
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 + T5000 }]);
    expect(queued()).toBe(1);
    const ended = decisions.find((d) => d.kind === 'cashInEnded');
    expect(ended).toMatchObject({ status: 'ok', total: T1000 + T5000, amount: T1000 + T5000 });
    // the receipt the technician reprints carries the note
    const receipt = store.money.receipt(ended?.kind === 'cashInEnded' ? (ended.receiptNumber ?? '') : '');
    expect(receipt).toMatchObject({ operation: 'cashIn', total: T1000 + T5000, notes: [{ denomination: T1000, count: 1 }, { denomination: T5000, count: 1 }] });
    // the cash box counts the note once
    const box = store.db.prepare("SELECT count FROM counters WHERE unit = 'cashBox' AND denomination = ?").get(T5000) as { count: number } | undefined;
    expect(box?.count).toBe(1);
  });

  it('the device hands the note back after the session closed: never credited, the intent resolved returned', async () => {
    const { store, acceptor, settler, cashInId, decisions } = setUp();
    acceptor.says('returned', { denomination: T5000 });
    await settler.idle();
    expect(decisions).toContainEqual({ kind: 'intentResolved', cashInId, denomination: T5000, outcome: 'returned' });
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:returned`]);
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: T1000 });
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 }]);
  });

  it('a cash-in whose only note came back ends as a rollback: nothing goes to the bank', async () => {
    const { store, acceptor, settler, cashInId } = setUp({ earlier: [] });
    acceptor.says('returned', { denomination: T5000 });
    await settler.idle();
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'rollback', stackedTotal: 0 });
    expect(credits(store)).toEqual([]);
  });

  it('the link comes back and the device says it handed the note back (82 at open): resolved returned', async () => {
    const { store, acceptor, cashInId, reconnected } = setUp();
    acceptor.st = { ...acceptor.st, link: 'offline' };
    await reconnected({ state: 'disabled', noteSettledAtOpen: { outcome: 'returned', billType: 4, denomination: T5000 } });
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:returned`]);
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 }]);
  });

  it('the link comes back with the note still in escrow: handed back, never credited', async () => {
    const { store, acceptor, cashInId, decisions, reconnected } = setUp();
    await reconnected({ state: 'holding', escrow: T5000, escrowFoundAtOpen: true });
    expect(acceptor.returns).toBe(1);
    expect(decisions).toContainEqual({ kind: 'escrowReturned', denomination: T5000, cashInId });
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:returned`]);
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 }]);
  });

  it('the link comes back with escrow empty and no word on the note: the STACK went through, credited once', async () => {
    const { store, cashInId, reconnected } = setUp();
    await reconnected({ state: 'disabled' });
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: T1000 + T5000 });
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 + T5000 }]);
  });

  it('the link still down: nothing is guessed, the intent and the cash-in stay open', async () => {
    const { store, acceptor, session, settler, cashInId, decisions, sessionNow } = setUp();
    acceptor.st = { ...acceptor.st, link: 'offline', state: 'unknown' };
    // the session still waits when the link flaps up, then the link drops again and the session gives up
    session.held = { cashInId, holder: 'settling' };
    acceptor.says('online', {});
    acceptor.st = { ...acceptor.st, link: 'offline' };
    await new Promise((r) => setImmediate(r));
    await settler.idle();
    await sessionNow(undefined);
    expectLeftOpen(store, cashInId, decisions, 'intent');
  });

  it('an intent the live session still owns is left to the session: never settled twice', async () => {
    const { store, acceptor, session, settler, cashInId, openNote, decisions, sessionNow } = setUp();
    session.held = { cashInId, holder: 'settling' };
    acceptor.says('stacked', { denomination: T5000 });
    await settler.idle();
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:intent`]);
    // the session records the 81 itself, goes on accepting, and lets go of nothing it left open
    store.money.recordStacked(cashInId, openNote);
    await sessionNow({ cashInId, holder: 'open' });
    expectLeftOpen(store, cashInId, decisions, 'stacked');
  });

  it('the link comes back while the session still waits; when it gives up, the device\'s word from the reconnect decides', async () => {
    const { store, session, cashInId, reconnected, sessionNow } = setUp();
    session.held = { cashInId, holder: 'settling' };
    await reconnected({ state: 'disabled', noteSettledAtOpen: { outcome: 'returned', billType: 4, denomination: T5000 } });
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:intent`]);
    // noteSettleMs runs out: the session closes the cash-in screen, then leaves the cash-in
    await sessionNow({ cashInId, holder: 'open' });
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:returned`]);
    expect(store.money.cashIn(cashInId)?.status).toBe('active');
    await sessionNow(undefined);
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: T1000 });
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 }]);
  });

  it('a note the session settles itself after a reconnect leaves its cash-in to the session', async () => {
    const { store, session, cashInId, openNote, decisions, reconnected, sessionNow } = setUp();
    session.held = { cashInId, holder: 'settling' };
    await reconnected({ state: 'disabled' });
    // the driver's 81 after its RESET reaches the session, which records it
    store.money.recordStacked(cashInId, openNote);
    await sessionNow(undefined);
    expectLeftOpen(store, cashInId, decisions, 'stacked');
  });

  it('a session still holding the cash-in ends it itself, with the late note counted', async () => {
    const { store, acceptor, session, settler, cashInId, sessionNow } = setUp();
    session.held = { cashInId, holder: 'open' };
    acceptor.says('stacked', { denomination: T5000 });
    await settler.idle();
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'active', stackedTotal: T1000 + T5000 });
    store.money.endCashIn(cashInId, { commission: 0 });
    await sessionNow(undefined);
    expect(credits(store)).toEqual([{ kind: 'cashInCredit', amount: T1000 + T5000 }]);
  });

  it('the escrowed note the settler hands back is not taken for another open intent', async () => {
    const { store, acceptor, settler, cashInId, reconnected } = setUp();
    store.clock.ms += 60_000;
    const other = store.money.beginCashIn({ sessionId: 's-2', target }).cashInId;
    store.money.recordStackIntent(other, T5000);
    await reconnected({ state: 'holding', escrow: T5000, escrowFoundAtOpen: true });
    await new Promise((r) => setTimeout(r, 50));
    await settler.idle();
    // one note in escrow, two intents of its value: the older gets it back, the newer had its STACK go through
    expect(notes(store, cashInId)).toEqual([`${T1000}:stacked`, `${T5000}:returned`]);
    expect(notes(store, other)).toEqual([`${T5000}:stacked`]);
    expect(acceptor.returns).toBe(1);
  });
});
