/**
 * Notes of an earlier withdrawal still behind the presenter's shutter when the next customer asks
 * for cash, over real processes (bank simulator, device simulators, kiosk core). The earlier
 * withdrawal breaks off mid-DISPENSE (`partial`: a pickup error after half the notes): it is
 * reversed, and the notes that did come out stay in the presenter, closed, for the technician.
 * The next customer's withdrawal must then be refused before the bank holds anything and before
 * the dispenser moves: a dispense would present the earlier notes together with this customer's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, visit, type BridgeClient } from './bridge-client.js';
import { startCrashRig, type CrashRig } from './crash-rig.js';

const TOKEN = 'presenter-held-token-0123456789abc';
const EARLIER = { id: 'c-presenter-a', phone: '+77079990501', account: 'a-presenter-a-cur' };
const NEXT = { id: 'c-presenter-b', phone: '+77079990502', account: 'a-presenter-b-cur' };
/** 20 000 tenge: two 10 000 notes from the lower cassette (index 1) of the default 5 000 / 10 000 load */
const AMOUNT = 2_000_000;
const LOWER = 1;
/** the dispense, its failure and the reversal at the bank: well inside the driver's own 60 s reply wait */
const STEP_MS = 30_000;

interface DispenserState {
  cassettes: Array<{ denomination: number; count: number }>;
  presenter: { notes: number; amount: number; shutterOpen: boolean; opening: boolean };
  rejectBin: number;
  retractBin: number;
  taken: number;
}

let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig('presenter-held', TOKEN);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

async function dispenser(): Promise<DispenserState> {
  const devices = await http<Array<{ kind: string; state: DispenserState }>>('GET', `${rig.stack.devicesUrl}/devices`);
  const d = devices.find((x) => x.kind === 'dispenser');
  if (!d) throw new Error('no dispenser emulator');
  return d.state;
}

const newCustomer = (c: typeof EARLIER): Promise<unknown> =>
  http('POST', `${rig.stack.bankUrl}/admin/customers`, {
    id: c.id, name: 'Presenter Test', phone: c.phone, birthDate: '1990-06-15', hasApp: true,
    products: [{ id: c.account, kind: 'current', balance: 10_000_000 }],
  });

/** signed in, withdrawal chosen and the amount asked for (the caller waits for what the session answers) */
async function askForCash(ui: BridgeClient, c: typeof EARLIER): Promise<void> {
  await rig.signInByPhone(ui, c.phone, c.phone.replace('+7', '8'));
  await ui.waitFor('withdraw on the menu', (s) => s.operations.includes('withdraw'));
  ui.send('chooseOperation', { operation: 'withdraw' });
  await ui.screen('amountEntry');
  ui.send('selectAmount', { amount: AMOUNT });
}

const withdrawalRows = (): Array<{ customer_id: string; state: string }> =>
  rig.readCoreDb((db) => db.prepare('SELECT customer_id, state FROM withdrawals ORDER BY rowid').all() as Array<{ customer_id: string; state: string }>);

describe("the presenter still holds an earlier withdrawal's notes", () => {
  it('the next withdrawal is refused as a device failure: no hold at the bank, no DISPENSE, the earlier notes untouched', async () => {
    await newCustomer(EARLIER);
    await newCustomer(NEXT);
    const untouched = await dispenser();

    await visit({ kioskUrl: await rig.startCore(), token: TOKEN }, async (ui) => {
      // the earlier withdrawal: one of its two notes comes out, then the pickup fails
      await askForCash(ui, EARLIER);
      await ui.screen('confirm', STEP_MS);
      await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'dispenser', fault: 'partial', params: { cassette: LOWER } });
      ui.send('confirm');
      const failed = await ui.waitFor('the earlier withdrawal refused', (s) => s.screen === 'refusal' && s.error !== undefined, STEP_MS);
      expect(failed.error?.code).toBe('deviceFailure');
      await http('DELETE', `${rig.stack.devicesUrl}/faults`);
      ui.send('finish');
      await ui.screen('attract', STEP_MS);
      await eventually('the earlier hold released', async () => ((await rig.account(EARLIER.account)).held === 0 ? true : undefined), STEP_MS);
      expect(withdrawalRows()).toEqual([{ customer_id: EARLIER.id, state: 'reversed' }]);

      // the premise: its note is still behind the closed shutter, and the kiosk still offers cash
      const held = await dispenser();
      expect(held.presenter).toMatchObject({ notes: 1, amount: 10_000, shutterOpen: false });
      expect(held.retractBin).toBe(untouched.retractBin);

      const before = await rig.account(NEXT.account);
      await askForCash(ui, NEXT);
      const answer = await ui.waitFor('the amount screen again, or the quote', (s) => s.screen === 'confirm' || (s.screen === 'amountEntry' && s.error !== undefined), STEP_MS);
      expect(answer.screen).toBe('amountEntry');
      expect(answer.error?.code).toBe('deviceFailure');

      // nothing asked of the bank, nothing on record, nothing moved
      expect(await rig.account(NEXT.account)).toMatchObject({ balance: before.balance, held: 0 });
      expect(withdrawalRows()).toHaveLength(1);
      const after = await dispenser();
      expect(after.cassettes).toEqual(held.cassettes);
      expect(after.presenter).toEqual(held.presenter);
      expect(after.taken).toBe(held.taken);
    });
  }, 180_000);
});
