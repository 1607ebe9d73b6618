/**
 * The cash-in scenarios the acceptor's protocol must not change, run against the whole terminal
 * (bank simulator, device simulators, kiosk core as real processes) once per protocol: the core
 * and the simulated acceptor both speak CCNET, then both ID003 (`devices.cashAcceptor.protocol`).
 * Three notes in with one of them handed back by the session: the bank's ledger shows one credit.
 * A power cut with a note in the stacker is covered per protocol at the reconciliation level
 * (tests/integration/recovery/id003-power-up.test.ts, crash-in-flight.test.ts for CCNET) and, with
 * the core running, in acceptor-power-cut.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http, signIn, useTestStack, visit } from './bridge-client.js';

interface Account {
  balance: number;
  entries: Array<{ amount: number; messageKey: string | null }>;
}
interface AcceptorView {
  state: string;
  cashBox: Record<string, number>;
}

describe.each(['ccnet', 'id003'] as const)('cash-in with a %s acceptor', (protocol) => {
  const stack = useTestStack(`acceptor-${protocol}`, {
    token: `acceptor-${protocol}-token-0123456789abcdef`,
    env: { KIOSK_DEVICES_CASH_ACCEPTOR_PROTOCOL: protocol },
  });

  const acceptor = async (): Promise<AcceptorView & { protocol: string }> => {
    const devices = await http<Array<{ kind: string; protocol: string; state: AcceptorView }>>('GET', `${stack.devicesUrl}/devices`);
    const a = devices.find((d) => d.kind === 'cashAcceptor');
    if (!a) throw new Error('no cash acceptor in the simulators');
    return { ...a.state, protocol: a.protocol };
  };
  const insert = (tenge: number) => http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: tenge });

  /** a customer of our own whose account takes at most `maxTopUp` tiyn, signed in and in cash-in */
  async function customerInCashIn(ui: Parameters<Parameters<typeof visit>[1]>[0], n: number): Promise<string> {
    const phone = `+7707555${protocol === 'ccnet' ? 1 : 2}0${n}0`;
    const accountId = `a-proto-${protocol}-${n}`;
    await http('POST', `${stack.bankUrl}/admin/customers`, {
      id: `c-proto-${protocol}-${n}`, name: 'Protocol Test', phone, birthDate: '1990-06-15', hasApp: true,
      products: [{ id: accountId, kind: 'current', balance: 0, maxTopUp: 700_000 }],
    });
    await signIn(ui, stack.bankUrl, { method: 'phone', typed: phone.replace('+7', '8'), otpTo: phone });
    await ui.waitFor('cash-in on the menu', (s) => s.operations.includes('cashIn'));
    ui.send('chooseOperation', { operation: 'cashIn' });
    await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting');
    return accountId;
  }

  it('three notes in, one above the ceiling handed back: credited once, the returned note never', async () => {
    expect((await acceptor()).protocol).toBe(protocol);
    await visit(stack, async (ui) => {
      const accountId = await customerInCashIn(ui, 1);
      const boxBefore = (await acceptor()).cashBox;
      let total = 0;
      for (const tenge of [1000, 2000, 10000, 2000]) {
        await eventually('acceptor idling', async () => ((await acceptor()).state === 'idling' ? true : undefined));
        await insert(tenge);
        if (tenge === 10000) {
          await ui.waitFor('10 000 handed back', (s) => s.cashIn?.notes.some((x) => x.status === 'returned' && x.denomination === 1_000_000) === true && s.cashIn.acceptor === 'accepting');
          continue;
        }
        total += tenge * 100;
        await ui.waitFor(`total ${total}`, (s) => s.cashIn?.total === total && s.cashIn.acceptor === 'accepting');
      }
      ui.send('finishCashIn'); // the cash-in screen's figures were the consent (5.5)
      const receipt = await ui.screen('outcome');
      expect(receipt.receipt?.number).toBeTruthy();
      const after = await eventually('the credit at the bank', async () => {
        const a = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/${accountId}`);
        return a.balance > 0 ? a : undefined;
      });
      expect(after.balance).toBe(500_000);
      expect(after.entries.filter((e) => e.amount > 0)).toHaveLength(1);
      const box = (await acceptor()).cashBox;
      expect(Object.fromEntries(Object.entries(box).map(([d, c]) => [d, c - (boxBefore[d] ?? 0)]).filter(([, c]) => c !== 0))).toEqual({ 1000: 1, 2000: 2 });
      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('operations');
      ui.send('finish');
      await ui.screen('attract', 20_000);
    });
  });
});
