/**
 * The core is killed (SIGKILL) while a service payment from an account waits for the customer's
 * trusted person: the bank holds amount + commission, the store has the payment `authorised`, no
 * receipt was given. Started again on the same data directory, start-up reconciliation reverses it
 * and the sync worker releases the hold; the trusted person approving afterwards moves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeClient, eventually, http } from './bridge-client.js';
import { startCrashRig, type CrashRig } from './crash-rig.js';
import { approvalRequest, toPaymentSource } from './journeys.js';

const TOKEN = 'account-payment-crash-token-0123456789';

let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig('account-payment-crash', TOKEN);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

/** the kiosk's own record of its payments from an account, read from its SQLite file */
const payments = (): Array<{ state: string; hold_id: string | null; end_reason: string | null }> =>
  rig.readCoreDb((db) => db.prepare('SELECT state, hold_id, end_reason FROM account_payments ORDER BY started_at').all() as Array<{ state: string; hold_id: string | null; end_reason: string | null }>);

describe('a payment from an account when the core dies', () => {
  it('killed while waiting for the trusted person: reversed at start-up, the hold released, a late approval moves nothing', async () => {
    let ui = await BridgeClient.connect(await rig.startCore(), TOKEN);
    const before = await rig.account('a-dauren-cur');
    let approvalId = '';
    try {
      await rig.signInByPhone(ui, '+77021112233', '87021112233');
      await toPaymentSource(ui);
      ui.send('selectPaymentSource', { source: 'product', productId: 'a-dauren-cur' });
      await ui.screen('amountEntry');
      ui.send('selectAmount', { amount: 100_000 });
      await ui.screen('confirm');
      ui.send('confirm');
      await ui.screen('approvalWait');
      approvalId = await approvalRequest(rig.stack.bankUrl, '+77059998877');
      expect((await rig.account('a-dauren-cur')).held).toBe(105_000);
      expect(payments().map((p) => p.state)).toEqual(['authorised']);
    } finally {
      ui.close();
    }
    await rig.killCore();

    ui = await BridgeClient.connect(await rig.startCore(), TOKEN);
    try {
      await ui.screen('attract', 30_000);
      expect(payments()).toEqual([expect.objectContaining({ state: 'reversed', end_reason: 'not completed before restart' })]);
      const released = await eventually('the hold released at the bank', async () => {
        const a = await rig.account('a-dauren-cur');
        return a.held === 0 ? a : undefined;
      }, 20_000);
      expect(released.balance).toBe(before.balance);
      // the trusted person answers late: nothing is held any more, nothing is debited
      await http('POST', `${rig.stack.bankUrl}/admin/approvals/${approvalId}`, { approve: true });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await rig.account('a-dauren-cur')).toMatchObject({ balance: before.balance, held: 0 });
      expect((await rig.account('a-dauren-cur')).entries).toHaveLength(before.entries.length);
    } finally {
      ui.close();
    }
  });
});
