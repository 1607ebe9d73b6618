/**
 * No restart: the validator goes silent while it moves a note to the box, longer than the session
 * waits for it (`noteSettleMs`), so the session closes the cash-in with the note's stack intent
 * open. When the link comes back the device's own word settles the intent while the same core
 * keeps running, and the bank's ledger shows the whole cash credited once. The core, bank and
 * device simulators are real processes; the window is opened from the device side only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { BridgeClient, http } from './bridge-client.js';
import { startCrashRig, type Account, type CrashRig } from './crash-rig.js';

const TOKEN = 'settle-live-token-0123456789abcdef';

interface AcceptorState { state: string; cashBox: Record<string, number>; escrow: number | null }

let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig('settle-live', TOKEN);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

async function acceptorState(): Promise<AcceptorState> {
  const devices = await http<Array<{ kind: string; state: AcceptorState }>>('GET', `${rig.stack.devicesUrl}/devices`);
  const d = devices.find((x) => x.kind === 'cashAcceptor');
  if (!d) throw new Error('no cash acceptor emulator');
  return d.state;
}

async function watch<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function seedCustomer(id: string, phone: string, accountId: string): Promise<void> {
  await http('POST', `${rig.stack.bankUrl}/admin/customers`, {
    id, name: 'Settle Live', phone, birthDate: '1990-06-15', hasApp: true,
    products: [{ id: accountId, kind: 'current', balance: 0 }],
  });
}

/** Signs in, opens the cash-in and stacks one 2 000 note, leaving the validator idle and accepting. */
async function cashInFirstNote(ui: BridgeClient, phone: string): Promise<void> {
  await rig.signInByPhone(ui, phone, phone.replace('+7', '8'));
  await ui.waitFor('cash-in on the menu', (s) => s.operations.includes('cashIn'));
  ui.send('chooseOperation', { operation: 'cashIn' });
  await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting');
  await http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination: 2000 });
  await ui.waitFor('2 000 stacked', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
  await watch('the validator idle again', async () => ((await acceptorState()).state === 'idling' ? true : undefined), 10_000);
}

/**
 * Inserts a 5 000 note, waits until its stack intent is committed while the validator is in
 * `deviceState`, then silences the validator. Returns the cash-in's id.
 */
async function insertThenSilence(what: string, deviceState: string): Promise<string> {
  await http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination: 5000 });
  const cashInId = await watch(what, async () => {
    const intent = rig.readCoreDb((db) => db.prepare("SELECT cash_in_id AS id FROM cash_in_notes WHERE state = 'intent' AND denomination = 500000").get() as { id: string } | undefined);
    if (!intent) return undefined;
    return (await acceptorState()).state === deviceState ? intent.id : undefined;
  }, 15_000);
  await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'noResponse' });
  return cashInId;
}

/** The session closes the cash-in and the customer leaves; the 5 000 note's intent stays open. */
async function leaveWithIntentOpen(ui: BridgeClient, cashInId: string): Promise<void> {
  await ui.screen('confirm', 20_000);
  ui.send('confirm');
  await ui.waitFor('the session done with the cash-in', (s) => s.screen !== 'confirm' && s.screen !== 'pleaseWait', 15_000);
  // the customer leaves; the cash-in is no session's any more
  ui.send('finish');
  await ui.screen('attract', 20_000);
  expect(rig.readCoreDb((db) => db.prepare("SELECT state FROM cash_in_notes WHERE cash_in_id = ? AND denomination = 500000").get(cashInId))).toEqual({ state: 'intent' });
}

async function creditAfter(accountId: string, before: Account): Promise<Account> {
  return watch('the credit at the bank', async () => {
    const a = await rig.account(accountId);
    return a.balance !== before.balance ? a : undefined;
  }, 20_000);
}

/** What the cash box gained since `before`, by denomination, zero changes left out. */
function boxGain(box: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(box).map(([d, n]) => [d, n - (before[d] ?? 0)]).filter(([, n]) => n !== 0));
}

describe('a note the session gave up on, settled from the validator while the core runs', () => {
  it('the validator stacks the note while its link is down: after the link is back the whole cash is credited once, no restart', async () => {
    const phone = '+77079990501';
    const accountId = 'a-settle-live-cur';
    await seedCustomer('c-settle-live', phone, accountId);
    const before = await rig.account(accountId);
    const boxBefore = (await acceptorState()).cashBox;
    const ui = await BridgeClient.connect(await rig.startCore(), TOKEN);
    try {
      await cashInFirstNote(ui, phone);

      // the stacker is slow and, while it moves the note, the validator stops answering
      await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'slowStack', params: { ms: 1_500 } });
      const cashInId = await insertThenSilence('stack intent committed while the device stacks', 'stacking');

      // noteSettleMs runs out: the session closes the cash-in; the note's fate is still open
      await leaveWithIntentOpen(ui, cashInId);
      const device = await acceptorState();
      expect(device.state).not.toBe('stacking');
      expect(boxGain(device.cashBox, boxBefore)).toEqual({ 2000: 1, 5000: 1 });
      expect((await rig.account(accountId)).balance).toBe(before.balance);

      // the link comes back: the validator's own word settles the note, the same core credits it
      await http('DELETE', `${rig.stack.devicesUrl}/faults`);
      const after = await creditAfter(accountId, before);
      expect(after.balance - before.balance).toBe(700_000);
      const fresh = after.entries.slice(before.entries.length);
      expect(fresh).toHaveLength(1);
      expect(fresh[0]?.amount).toBe(700_000);
      const notes = rig.readCoreDb((db) => db.prepare('SELECT denomination, state FROM cash_in_notes WHERE cash_in_id = ? ORDER BY id').all(cashInId));
      expect(notes).toEqual([
        { denomination: 200_000, state: 'stacked' },
        { denomination: 500_000, state: 'stacked' },
      ]);
      const ended = rig.readCoreDb((db) => db.prepare('SELECT status, receipt_number AS receipt FROM cash_ins WHERE id = ?').get(cashInId)) as { status: string; receipt: string };
      expect(ended.status).toBe('ok');
      expect(fresh[0]?.description).toContain(ended.receipt);
      expect(rig.readCoreDb(checkCounters)).toEqual([]);
      // credited once: nothing more arrives
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await rig.account(accountId)).balance - before.balance).toBe(700_000);
    } finally {
      ui.close();
    }
  }, 60_000);

  it('the validator hands the note back while its link is down: after the link is back it is never credited, no restart', async () => {
    const phone = '+77079990502';
    const accountId = 'a-settle-live-back';
    await seedCustomer('c-settle-live-back', phone, accountId);
    const before = await rig.account(accountId);
    const boxBefore = (await acceptorState()).cashBox;
    const ui = await BridgeClient.connect(rig.coreUrl ?? (await rig.startCore()), TOKEN);
    try {
      await cashInFirstNote(ui, phone);

      // the STACK is lost on the line and then the validator stops answering: the note waits in
      // escrow until the validator's own escrow timeout hands it back, with nobody listening
      await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'dropStack' });
      const cashInId = await insertThenSilence('stack intent committed, the note in escrow', 'escrow');

      await leaveWithIntentOpen(ui, cashInId);
      await watch('the validator to hand the note back', async () => ((await acceptorState()).state === 'returned' ? true : undefined), 15_000);

      await http('DELETE', `${rig.stack.devicesUrl}/faults`);
      const after = await creditAfter(accountId, before);
      // the 2 000 once; the 5 000 went back to the customer
      expect(after.balance - before.balance).toBe(200_000);
      expect(after.entries.slice(before.entries.length)).toHaveLength(1);
      const notes = rig.readCoreDb((db) => db.prepare('SELECT denomination, state FROM cash_in_notes WHERE cash_in_id = ? ORDER BY id').all(cashInId));
      expect(notes).toEqual([
        { denomination: 200_000, state: 'stacked' },
        { denomination: 500_000, state: 'returned' },
      ]);
      const box = (await acceptorState()).cashBox;
      expect(boxGain(box, boxBefore)).toEqual({ 2000: 1 });
      expect(rig.readCoreDb(checkCounters)).toEqual([]);
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await rig.account(accountId)).balance - before.balance).toBe(200_000);
    } finally {
      ui.close();
    }
  }, 60_000);
});
