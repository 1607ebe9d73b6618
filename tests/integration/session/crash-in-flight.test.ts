/**
 * The core is SIGKILLed while a device is still moving money, and started again on the same data
 * directory. The window is opened from the device side only, as a slow real device opens it: the
 * stacker takes seconds to move a note into the box (`slowStack`), the presenter's shutter motor
 * starts seconds late (`slowPresent`). The test watches the core's SQLite file (read-only) and the
 * emulators' state from outside, kills the core inside the window, lets the device finish on its
 * own, restarts the core and reads the outcome from the bank's ledger, the emulators and the journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database as Db } from 'better-sqlite3';
import { checkCounters, readCounters } from '../../../kiosk/store/counters.js';
import { eventually, http, visit, type BridgeClient } from './bridge-client.js';
import { startCrashRig, type Account, type CrashRig } from './crash-rig.js';

const TOKEN = 'crash-in-flight-token-0123456789ab';

interface AcceptorState { state: string; cashBox: Record<string, number>; escrow: number | null }
interface DispenserState {
  cassettes: Array<{ denomination: number; count: number }>;
  rejectBin: number;
  retractBin: number;
  presenter: { notes: number; amount: number; shutterOpen: boolean; opening: boolean };
  taken: number;
}

let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig('crash-in-flight', TOKEN);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

async function deviceState<T>(kind: 'cashAcceptor' | 'dispenser'): Promise<T> {
  const devices = await http<Array<{ kind: string; state: T }>>('GET', `${rig.stack.devicesUrl}/devices`);
  const d = devices.find((x) => x.kind === kind);
  if (!d) throw new Error(`no ${kind} emulator`);
  return d.state;
}

const acceptor = (): Promise<AcceptorState> => deviceState<AcceptorState>('cashAcceptor');

/** polls fast enough to land inside a window of a few seconds */
const watch = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => eventually(what, probe, timeoutMs, 40);

const acceptorIn = (state: string, what: string, timeoutMs: number): Promise<true> =>
  watch(what, async () => ((await acceptor()).state === state ? true : undefined), timeoutMs);

const insertNote = (denomination: number): Promise<unknown> => http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination });

/** the kiosk as the customer finds it: the running core, or one started now */
const atKiosk = async <T>(body: (ui: BridgeClient) => Promise<T>): Promise<T> => visit({ kioskUrl: rig.coreUrl ?? (await rig.startCore()), token: TOKEN }, body);

/** the core started again on the same data directory, as a supervisor does, and back on the attract screen */
const afterRestart = async (body: (ui: BridgeClient) => Promise<void>): Promise<void> => visit({ kioskUrl: await rig.startCore(), token: TOKEN }, body);

/** signed in by phone, cash-in chosen, a 2 000 tenge note stacked and the acceptor taking the next */
async function firstNoteStacked(ui: BridgeClient, phone: string): Promise<void> {
  await rig.signInByPhone(ui, phone, phone.replace('+7', '8'));
  await ui.waitFor('cash-in on the menu', (s) => s.operations.includes('cashIn'));
  ui.send('chooseOperation', { operation: 'cashIn' });
  await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting');
  await insertNote(2000);
  await ui.waitFor('2 000 stacked', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
}

/** the cash-in whose 5 000 tenge note has its stack intent committed while the acceptor is in `state` */
const stackIntentWhileAcceptor = (state: string, what: string): Promise<string> =>
  watch(what, async () => {
    const intent = rig.readCoreDb((db) => db.prepare("SELECT cash_in_id AS id FROM cash_in_notes WHERE state = 'intent' AND denomination = 500000").get() as { id: string } | undefined);
    if (!intent) return undefined;
    return (await acceptor()).state === state ? intent.id : undefined;
  }, 15_000);

async function newCustomer(id: string, phone: string, product: Record<string, unknown>): Promise<void> {
  await http('POST', `${rig.stack.bankUrl}/admin/customers`, {
    id, name: 'Crash Test', phone, birthDate: '1990-06-15', hasApp: true, products: [product],
  });
}

const freshEntries = (before: Account, after: Account): Account['entries'] => after.entries.slice(before.entries.length);

const creditAtBank = (accountId: string, before: Account): Promise<Account> =>
  watch('the credit at the bank', async () => {
    const a = await rig.account(accountId);
    return a.balance !== before.balance ? a : undefined;
  }, 20_000);

/**
 * `deviceDone`: the device finishes while the core is down; `deviceBusy`: the core is back (as a
 * supervisor restarts it at once) while the device is still moving the money.
 */
type Restart = 'deviceDone' | 'deviceBusy';
const cashBoxDelta = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([d, n]) => [d, n - (before[d] ?? 0)]).filter(([, n]) => n !== 0));

async function cashInKilledWhileStacking(n: number, restart: Restart): Promise<void> {
  const phone = `+7707999010${n}`;
  const accountId = `a-crash-b${n}-cur`;
  // a small top-up ceiling, so a note above it is handed back by the session itself
  await newCustomer(`c-crash-b${n}`, phone, { id: accountId, kind: 'current', balance: 0, maxTopUp: 700_000 });
  const before = await rig.account(accountId);
  const boxBefore = (await acceptor()).cashBox;
  const cashInId = await atKiosk(async (ui) => {
    await firstNoteStacked(ui, phone);
    await insertNote(10000);
    await ui.waitFor('10 000 handed back', (s) => s.cashIn?.notes.some((x) => x.status === 'returned' && x.denomination === 1_000_000) === true && s.cashIn.acceptor === 'accepting');
    await acceptorIn('idling', 'the returned note taken out', 10_000);

    await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'slowStack', params: { ms: restart === 'deviceBusy' ? 8_000 : 4_000 } });
    await insertNote(5000);
    // the window: the intent is committed and the device is moving the note to the box
    return stackIntentWhileAcceptor('stacking', 'stack intent committed while the device stacks');
  });
  await rig.killCore();
  // still unsettled in the journal: the killed core never heard the note land
  expect(rig.readCoreDb((db) => db.prepare("SELECT COUNT(*) AS n FROM cash_in_notes WHERE cash_in_id = ? AND state = 'intent'").get(cashInId))).toEqual({ n: 1 });

  if (restart === 'deviceDone') {
    // the device finishes on its own while the core is dead
    const stacked = await watch('the emulator to stack the note', async () => {
      const st = await acceptor();
      return st.state !== 'stacking' ? st : undefined;
    }, 10_000);
    expect(cashBoxDelta(stacked.cashBox, boxBefore)).toEqual({ 2000: 1, 5000: 1 });
  } else {
    expect((await acceptor()).state).toBe('stacking');
  }
  await http('DELETE', `${rig.stack.devicesUrl}/faults`);

  await afterRestart(async (ui) => {
    const after = await creditAtBank(accountId, before);
    // 2 000 + 5 000 tenge, once; nothing for the 10 000 handed back
    expect(after.balance - before.balance).toBe(700_000);
    const fresh = freshEntries(before, after);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.amount).toBe(700_000);

    const journal = rig.readCoreDb((db) => ({
      cashIn: db.prepare('SELECT status, receipt_number AS receipt, message_key AS messageKey FROM cash_ins WHERE id = ?').get(cashInId) as { status: string; receipt: string | null; messageKey: string | null },
      notes: db.prepare('SELECT denomination, state FROM cash_in_notes WHERE cash_in_id = ? ORDER BY id').all(cashInId),
    }));
    // the note above the ceiling went back from escrow without a stack intent: not in the cash-in
    expect(journal.notes).toEqual([
      { denomination: 200_000, state: 'stacked' },
      { denomination: 500_000, state: 'stacked' },
    ]);
    expect(journal.cashIn.status).toBe('ok');
    expect(journal.cashIn.messageKey).toBe(fresh[0]?.messageKey);
    // what the customer sees of it: the ledger line and the app's push carry the journal's receipt number
    const receipt = journal.cashIn.receipt ?? 'no receipt number';
    expect(fresh[0]?.description).toContain(receipt);
    const { messages } = await http<{ messages: unknown[] }>('GET', `${rig.stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
    expect(JSON.stringify(messages.at(-1))).toContain(receipt);

    // the core's cash-box counter is the emulator's, and both equal the journal
    const emulatorBox = (await acceptor()).cashBox;
    expect(cashBoxDelta(emulatorBox, boxBefore)).toEqual({ 2000: 1, 5000: 1 });
    const box = rig.readCoreDb((db) => readCounters(db).filter((r) => r.unit === 'cashBox' && r.count !== 0));
    expect(Object.fromEntries(box.map((r) => [String(r.denomination / 100), r.count]))).toEqual(emulatorBox);
    expect(rig.readCoreDb(checkCounters)).toEqual([]);

    // settled once: a further sync round adds nothing
    await new Promise((r) => setTimeout(r, 1_500));
    expect(freshEntries(before, await rig.account(accountId))).toHaveLength(1);
    expect(ui.last?.screen).toBe('attract');
  });
}

async function withdrawalKilledBeforePresent(n: number, restart: Restart): Promise<void> {
  const phone = `+7707999020${n}`;
  const accountId = `a-crash-c${n}-cur`;
  await newCustomer(`c-crash-c${n}`, phone, { id: accountId, kind: 'current', balance: 10_000_000 });
  const before = await rig.account(accountId);
  const dispenserBefore = await deviceState<DispenserState>('dispenser');
  const { withdrawalId, counted } = await atKiosk(async (ui) => {
    await rig.signInByPhone(ui, phone, phone.replace('+7', '8'));
    await ui.waitFor('withdraw on the menu', (s) => s.operations.includes('withdraw'));
    ui.send('chooseOperation', { operation: 'withdraw' });
    await ui.screen('amountEntry');
    ui.send('selectAmount', { amount: 2_000_000 });
    await ui.screen('confirm');
    await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'dispenser', fault: 'slowPresent', params: { ms: restart === 'deviceBusy' ? 8_000 : 4_000 } });
    ui.send('confirm');
    // the window: the dispense is committed, PRESENT is on the wire, the notes wait behind the closed shutter
    const inWindow = await watch('dispense recorded, notes counted, shutter closed', async () => {
      const w = rig.readCoreDb((db) => db.prepare("SELECT id FROM withdrawals WHERE state = 'dispensed' AND notes_at = 'presenter' AND present_state = 'notPresented'").get() as { id: string } | undefined);
      if (!w) return undefined;
      const st = await deviceState<DispenserState>('dispenser');
      return st.presenter.notes > 0 && st.presenter.opening && !st.presenter.shutterOpen ? { withdrawalId: w.id, counted: st } : undefined;
    }, 30_000);
    expect((await rig.account(accountId)).held).toBeGreaterThan(0);
    return inWindow;
  });
  await rig.killCore();

  if (restart === 'deviceDone') {
    // the device finishes its command while the core is dead; nobody takes the notes
    await watch('the emulator to finish the present', async () => ((await deviceState<DispenserState>('dispenser')).presenter.shutterOpen ? true : undefined), 10_000);
  } else {
    expect((await deviceState<DispenserState>('dispenser')).presenter).toMatchObject({ opening: true, shutterOpen: false });
  }
  await http('DELETE', `${rig.stack.devicesUrl}/faults`);

  await afterRestart(async (ui) => {
    const dispenser = await watch('the notes retracted', async () => {
      const st = await deviceState<DispenserState>('dispenser');
      return st.retractBin > dispenserBefore.retractBin ? st : undefined;
    }, 20_000);
    expect(dispenser.retractBin - dispenserBefore.retractBin).toBe(counted.presenter.notes);
    expect(dispenser.presenter).toMatchObject({ notes: 0, shutterOpen: false });
    expect(dispenser.taken).toBe(dispenserBefore.taken);

    const after = await watch('the hold released at the bank', async () => {
      const a = await rig.account(accountId);
      return a.held === 0 ? a : undefined;
    }, 20_000);
    expect(after.balance).toBe(before.balance);
    expect(freshEntries(before, after)).toEqual([]);

    const journal = rig.readCoreDb((db: Db) => ({
      withdrawal: db.prepare('SELECT state, notes_at AS notesAt, present_state AS presentState FROM withdrawals WHERE id = ?').get(withdrawalId),
      outbox: db.prepare("SELECT kind FROM outbox WHERE kind LIKE 'withdrawal%' AND session_id = (SELECT session_id FROM withdrawals WHERE id = ?) ORDER BY seq").all(withdrawalId),
      counters: readCounters(db),
      mismatches: checkCounters(db),
    }));
    expect(journal.withdrawal).toEqual({ state: 'reversed', notesAt: 'retract', presentState: 'notPresented' });
    expect(journal.outbox).toEqual([{ kind: 'withdrawalReverse' }]);
    // invariant 4: cassette, presenter and retract counters equal the journal and the device
    expect(journal.mismatches).toEqual([]);
    const count = (unit: string): number => journal.counters.filter((r) => r.unit === unit).reduce((s, r) => s + r.count, 0);
    expect(count('presenter')).toBe(0);
    expect(count('retract')).toBe(dispenser.retractBin);
    const cassetteDrop = dispenserBefore.cassettes.reduce((s, c) => s + c.count, 0) - dispenser.cassettes.reduce((s, c) => s + c.count, 0);
    expect(cassetteDrop).toBe(counted.presenter.notes);
    expect(ui.last?.screen).toBe('attract');
  });
}

async function cashInStackLost(): Promise<void> {
  const phone = '+77079990301';
  const accountId = 'a-crash-a3-cur';
  await newCustomer('c-crash-a3', phone, { id: accountId, kind: 'current', balance: 0 });
  const before = await rig.account(accountId);
  const boxBefore = (await acceptor()).cashBox;
  const cashInId = await atKiosk(async (ui) => {
    await firstNoteStacked(ui, phone);
    await acceptorIn('idling', 'the validator idle again', 10_000);

    // the next STACK is lost on the line: the intent is committed, the note stays in escrow
    await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'dropStack' });
    await insertNote(5000);
    return stackIntentWhileAcceptor('escrow', 'stack intent committed, the note in escrow');
  });
  await rig.killCore();
  expect((await acceptor()).state).toBe('escrow');
  // nobody holds the note now: the validator's escrow timeout hands it back to the customer
  await acceptorIn('returned', 'the validator to hand the note back', 20_000);
  await http('DELETE', `${rig.stack.devicesUrl}/faults`);

  await afterRestart(async () => {
    const after = await creditAtBank(accountId, before);
    // the 2 000 once; the 5 000 went back to the customer and is never credited
    expect(after.balance - before.balance).toBe(200_000);
    expect(freshEntries(before, after)).toHaveLength(1);
    const notes = rig.readCoreDb((db) => db.prepare('SELECT denomination, state FROM cash_in_notes WHERE cash_in_id = ? ORDER BY id').all(cashInId));
    expect(notes).toEqual([
      { denomination: 200_000, state: 'stacked' },
      { denomination: 500_000, state: 'returned' },
    ]);
    expect(cashBoxDelta((await acceptor()).cashBox, boxBefore)).toEqual({ 2000: 1 });
    expect(rig.readCoreDb(checkCounters)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await rig.account(accountId)).balance - before.balance).toBe(200_000);
  });
}

/** no crash: the session itself must settle a note whose STACK the validator never hears */
async function cashInStackLostCoreRunning(): Promise<void> {
  const phone = '+77079990401';
  const accountId = 'a-crash-e-cur';
  await newCustomer('c-crash-e', phone, { id: accountId, kind: 'current', balance: 0 });
  const before = await rig.account(accountId);
  const boxBefore = (await acceptor()).cashBox;
  await atKiosk(async (ui) => {
    await firstNoteStacked(ui, phone);
    await acceptorIn('idling', 'the validator idle again', 10_000);

    await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'dropStack' });
    await insertNote(5000);
    // STACK is asked again, then the note handed back before the validator's own timeout
    const back = await ui.waitFor('the 5 000 handed back', (s) => s.cashIn?.notes.some((n) => n.denomination === 500_000 && n.status === 'returned') === true && s.cashIn.acceptor === 'accepting', 9_000);
    expect(back.cashIn?.total).toBe(200_000);
    await http('DELETE', `${rig.stack.devicesUrl}/faults`);

    ui.send('finishCashIn');
    const receipt = await ui.screen('outcome');
    ui.send('chooseReceipt', { choice: 'none' });
    await ui.screen('operations');
    ui.send('finish');
    await ui.screen('attract', 20_000);

    const after = await creditAtBank(accountId, before);
    expect(after.balance - before.balance).toBe(200_000);
    const fresh = freshEntries(before, after);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.description).toContain(receipt.receipt?.number ?? 'no receipt number');
    const open = rig.readCoreDb((db) => db.prepare("SELECT COUNT(*) AS n FROM cash_in_notes WHERE state = 'intent'").get());
    expect(open).toEqual({ n: 0 });
    expect(cashBoxDelta((await acceptor()).cashBox, boxBefore)).toEqual({ 2000: 1 });
    expect(rig.readCoreDb(checkCounters)).toEqual([]);
  });
}

describe('core killed while a device is still moving money', () => {
  it('(b) STACK on the wire, stacked not yet recorded, the note lands while the core is down: credited once with every earlier note, the returned note never', async () => {
    await cashInKilledWhileStacking(1, 'deviceDone');
  }, 60_000);

  it('(c) notes counted, dispense recorded, not yet presented, the shutter opens while the core is down: retracted, hold released, nothing debited', async () => {
    await withdrawalKilledBeforePresent(1, 'deviceDone');
  }, 60_000);

  it('(b) as above, the core back while the stacker still moves the note', async () => {
    await cashInKilledWhileStacking(2, 'deviceBusy');
  }, 60_000);

  it('(c) as above, the core back while the shutter motor has not started', async () => {
    await withdrawalKilledBeforePresent(2, 'deviceBusy');
  }, 60_000);

  it('(a) with the intent committed: STACK lost on the line, the validator hands the note back by itself while the core is down: never credited', async () => {
    await cashInStackLost();
  }, 60_000);
});

describe('a STACK lost on the line with the core running', () => {
  it('asked again, then the note handed back: never credited, the earlier note credited once with the receipt shown', async () => {
    await cashInStackLostCoreRunning();
  }, 60_000);
});
