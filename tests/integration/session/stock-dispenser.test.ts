/**
 * A withdrawal on a terminal whose dispenser is a stock LCDM-1000/2000 (no presenter, shutter or
 * retract), real processes only: the emulated module NAKs any command outside the LCDM set, the
 * notes counted at its exit are the customer's the moment DISPENSE answers, so the debit goes out
 * before anyone touches the notes, and the take-cash screen says they are out.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http, signIn, useTestStack, visit } from './bridge-client.js';
import { toWithdrawalConfirm } from './journeys.js';

interface Account {
  balance: number;
}

interface DispenserState {
  exitSlot?: { notes: number; amount: number };
  presenter?: unknown;
  refusedCommands: number[];
  retractBin: number;
  taken: number;
}

const stack = useTestStack('stock-dispenser', { token: 'stock-dispenser-token-0123456789', env: { KIOSK_DEVICES_DISPENSER_PRESENTER: 'false' } });

async function dispenser(): Promise<DispenserState> {
  const devices = await http<Array<{ kind: string; protocol: string; state: DispenserState }>>('GET', `${stack.devicesUrl}/devices`);
  const d = devices.find((x) => x.kind === 'dispenser');
  if (!d) throw new Error('no dispenser emulator');
  expect(d.protocol).toBe('lcdm-2000');
  return d.state;
}

describe('withdrawal against a stock LCDM dispenser', () => {
  it('pays out, debits once at the exit count, and shows the notes as the customer\'s', async () => {
    const before = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-aigerim-cur`);
    await visit(stack, async (ui) => {
      await signIn(ui, stack.bankUrl, { method: 'phone', typed: '87011234567', otpTo: '+77011234567' });
      const confirm = await toWithdrawalConfirm(ui, 1_500_000);
      const fee = confirm.quote?.commission ?? -1;
      ui.send('confirm');
      const atExit = await ui.screen('takeCash', 30_000);
      // recorded taken when DISPENSE answered: the screen is the notice, no sensor is waited for
      expect(atExit.withdrawal).toMatchObject({ stage: 'taken', atExit: true });
      const after = await eventually('the debit', async () => {
        const a = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-aigerim-cur`);
        return a.balance < before.balance ? a : undefined;
      });
      expect(before.balance - after.balance).toBe(1_500_000 + fee);
      const state = await dispenser();
      expect(state.presenter).toBeUndefined();
      expect(state).toMatchObject({ exitSlot: { notes: 2, amount: 15_000 }, refusedCommands: [], retractBin: 0 });
      ui.send('confirm');
      await ui.screen('outcome');
      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('operations');
      ui.send('finish');
      await ui.screen('attract', 20_000);
      // the customer picks the notes up whenever; nothing in the kiosk changes
      await http('POST', `${stack.devicesUrl}/dispenser/take`);
      expect(await dispenser()).toMatchObject({ exitSlot: { notes: 0 }, taken: 2, refusedCommands: [] });
      const later = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-aigerim-cur`);
      expect(later.balance).toBe(after.balance);
    });
  }, 120_000);
});
