/**
 * Whole-terminal scenarios over the bridge, real processes only: the bank simulator, the device
 * simulators (ptys and HID sockets) and the kiosk core, each spawned on ephemeral ports with a
 * temporary data directory. The customer acts through the bridge and the simulators' control API;
 * the bank's ledger and the printer's paper say what really happened.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http, signIn, useTestStack, visit } from './bridge-client.js';
import { cashInTo, toWithdrawalConfirm } from './journeys.js';

interface Account {
  balance: number;
  entries: Array<{ amount: number; messageKey: string | null }>;
}

const stack = useTestStack('scenarios', { token: 'scenario-token-0123456789abcdef' });

describe('session scenarios against the simulators', () => {
  it('phone + OTP + cash-in of three notes: the account is credited once and the receipt printed', async () => {
    await visit(stack, async (ui) => {
      const before = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-aigerim-cur`);
      const printedBefore = (await http<unknown[]>('GET', `${stack.devicesUrl}/printer/receipts`)).length;

      await signIn(ui, stack.bankUrl, { method: 'phone', typed: '87011234567', otpTo: '+77011234567' });
      await cashInTo(ui, 'a-aigerim-cur');

      let expected = 0;
      for (const tenge of [1000, 2000, 5000]) {
        await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: tenge });
        expected += tenge * 100;
        await ui.waitFor(`total ${expected}`, (s) => s.cashIn?.total === expected && s.cashIn.acceptor === 'accepting');
      }
      // "finish and credit" showed total, commission and credited amount: it is the consent (5.5)
      ui.send('finishCashIn');
      const receipt = await ui.screen('outcome');
      expect(receipt.outcome).toMatchObject({ operation: 'cashIn', amount: expected, commission: 0, target: { kind: 'current' } });
      expect(ui.snapshots.some((s) => s.screen === 'confirm')).toBe(false);
      expect(receipt.receipt?.number).toBeTruthy();
      ui.send('chooseReceipt', { choice: 'print' });
      await ui.waitFor('take your receipt', (s) => s.screen === 'printing' && s.receipt?.status === 'printed');
      ui.send('finish');
      await ui.screen('operations');

      const printed = await http<unknown[]>('GET', `${stack.devicesUrl}/printer/receipts`);
      expect(printed.length).toBe(printedBefore + 1);
      expect(JSON.stringify(printed.at(-1))).toContain(receipt.receipt?.number ?? 'missing');

      const after = await eventually('the credit at the bank', async () => {
        const a = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-aigerim-cur`);
        return a.balance > before.balance ? a : undefined;
      });
      expect(after.balance - before.balance).toBe(expected);
      // exactly once: one new ledger entry, keyed by one outbox message
      const fresh = after.entries.slice(before.entries.length);
      expect(fresh).toHaveLength(1);
      expect(fresh[0]?.amount).toBe(expected);

      ui.send('finish');
      await ui.screen('attract', 20_000);
      for (const s of ui.snapshots) expect(JSON.stringify(s)).not.toContain('+77011234567');
    });
  });

  it('service payment in cash without identification: fee shown before consent, receipt numbered', async () => {
    await visit(stack, async (ui) => {
      await ui.begin();
      ui.send('payWithoutIdentification');
      const catalogue = await ui.screen('serviceCatalogue');
      expect(catalogue.services?.map((s) => s.id)).toContain('kcell');
      ui.send('selectService', { serviceId: 'kcell' });
      await ui.screen('serviceReference');
      ui.send('submitReference', { reference: '7011234567' });
      await ui.waitFor('acceptor accepting', (s) => s.screen === 'cashIn' && s.cashIn?.acceptor === 'accepting');
      await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: 2000 });
      await ui.waitFor('total', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
      ui.send('finishCashIn');
      const confirm = await ui.screen('confirm');
      // the fee (1 %, at least 50 tenge) comes out of the cash: total inserted = amount + commission
      expect(confirm.quote).toMatchObject({ operation: 'payService', amount: 200_000 - 5_000, commission: 5_000, total: 200_000 });
      ui.send('confirm');
      const r = await ui.screen('outcome');
      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('attract', 20_000);
      expect(r.receipt?.number).toBeTruthy();
    });
  });

  it('palm identification: a matching palm signs in; withdrawn consent offers the other methods (8.15)', async () => {
    await visit(stack, async (ui) => {
      await ui.begin();
      ui.send('chooseIdentification', { method: 'palm' });
      await ui.screen('palmScan');
      await http('POST', `${stack.devicesUrl}/palm/present`, { subject: 'palm-nocons' });
      const refused = await ui.waitFor('consent withdrawn', (s) => s.screen === 'identifyMethod' && s.error?.code === 'consentWithdrawn', 30_000);
      expect(refused.identificationMethods).not.toContain('palm');
      ui.send('cancel');
      await ui.screen('attract', 20_000);

      await ui.begin();
      ui.send('chooseIdentification', { method: 'palm' });
      await ui.screen('palmScan');
      await http('POST', `${stack.devicesUrl}/palm/present`, { subject: 'palm-aigerim' });
      const otp = await ui.screen('otpEntry', 30_000);
      expect(otp.customer?.maskedName).toBeTruthy();
      ui.send('cancel');
      await ui.screen('attract', 20_000);
    });
  });

  it('QR login: the payload on screen, confirmed in the bank app, the session signs in', async () => {
    await visit(stack, async (ui) => {
      await ui.begin();
      ui.send('chooseIdentification', { method: 'qr' });
      const shown = await ui.waitFor('QR payload', (s) => s.screen === 'qrLogin' && s.qr !== undefined);
      const token = new URL(shown.qr?.payload ?? '').searchParams.get('token');
      expect(token).toBeTruthy();
      await http('POST', `${stack.bankUrl}/admin/qr/${encodeURIComponent(token ?? '')}/confirm`, { customer: 'c-dauren' });
      const otp = await ui.screen('otpEntry', 20_000);
      expect(otp.customer?.maskedName).toBeTruthy();
      ui.send('cancel');
      await ui.screen('attract', 20_000);
    });
  });

  it('service mode through the cabinet switch: login, journal check, cash units, switch closed', async () => {
    await visit(stack, async (ui) => {
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
      await ui.screen('serviceLogin', 20_000);
      ui.send('serviceLogin', { code: '000000' });
      await ui.waitFor('wrong code refused', (s) => s.screen === 'serviceLogin' && s.error?.code === 'notIdentified');
      ui.send('serviceLogin', { code: '123456' }); // the configuration's default technician code
      await ui.screen('serviceMenu');
      ui.send('serviceAction', { action: 'verifyJournal' });
      // the view, not the login answer (its list of permitted actions names verifyJournal too)
      const verified = await ui.waitFor('journal verified', (s) => JSON.stringify(s.service?.view ?? {}).includes('verifyJournal'));
      expect(verified.service).toMatchObject({ loggedIn: true, view: { action: 'verifyJournal', ok: true } });
      ui.send('serviceAction', { action: 'cashUnits' });
      await ui.waitFor('cash units', (s) => JSON.stringify(s.service?.view ?? {}).includes('counters'));
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
      await ui.screen('attract', 20_000);
    });
  });

  it('bank down: a walk-up payment is still taken within the offline cap, and the terminal sees the bank come back', async () => {
    try {
      await visit(stack, async (ui) => {
        await ui.begin();
        ui.send('payWithoutIdentification');
        await ui.screen('serviceCatalogue'); // the catalogue is fetched (and kept) while the bank answers
        ui.send('selectService', { serviceId: 'alseco' });
        await ui.screen('serviceReference');
        await http('POST', `${stack.bankUrl}/admin/faults`, { mode: 'down' });
        ui.send('submitReference', { reference: '1234567890' });
        const cash = await ui.waitFor('offline cash-in', (s) => s.screen === 'cashIn' && s.cashIn?.acceptor === 'accepting');
        expect(cash.cashIn?.offline).toBe(true);
        expect(cash.devices.bank).toBe('offline');
        expect(cash.cashIn?.max).toBeLessThanOrEqual(5_000_000); // the per-payment offline cap (default 50 000 tenge)
        await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: 1000 });
        await ui.waitFor('stacked', (s) => s.cashIn?.total === 100_000 && s.cashIn.acceptor === 'accepting');
        ui.send('finishCashIn');
        // a service's commission is never on the cash-in screen: the confirm screen is the consent (5.5)
        await ui.screen('confirm');
        ui.send('confirm');
        const receipt = await ui.screen('outcome');
        expect(receipt.receipt?.number).toBeTruthy();
        ui.send('chooseReceipt', { choice: 'none' });
        await ui.screen('attract', 20_000);
        await http('DELETE', `${stack.bankUrl}/admin/faults`);
        await ui.waitFor('bank back online', (s) => s.devices.bank === 'online', 45_000);
      });
    } finally {
      await http('DELETE', `${stack.bankUrl}/admin/faults`).catch(() => undefined);
    }
  }, 120_000);

  it('withdrawal waiting for the trusted person (8.15-1): approved in the app, then dispensed and debited once', async () => {
    const before = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-dauren-cur`);
    await visit(stack, async (ui) => {
      await signIn(ui, stack.bankUrl, { method: 'iin', iin: '900101300017', otpTo: '+77021112233' });
      const confirm = await toWithdrawalConfirm(ui, 1_000_000);
      const fee = confirm.quote?.commission ?? -1;
      ui.send('confirm');
      const waiting = await ui.screen('approvalWait', 20_000);
      expect(waiting.approval?.deadline).toBeGreaterThan(Date.now());
      const { messages } = await http<{ messages: unknown[] }>('GET', `${stack.bankUrl}/admin/sms?phone=${encodeURIComponent('+77059998877')}`);
      const approvalId = /request (ap-[A-Za-z0-9_-]+)/.exec(JSON.stringify(messages.at(-1) ?? {}))?.[1];
      expect(approvalId).toBeTruthy();
      await http('POST', `${stack.bankUrl}/admin/approvals/${approvalId}`, { approve: true });
      await ui.screen('takeCash', 30_000);
      await http('POST', `${stack.devicesUrl}/dispenser/take`);
      await ui.screen('outcome');
      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('operations');
      ui.send('finish');
      await ui.screen('attract', 20_000);
      const after = await eventually('the debit', async () => {
        const a = await http<Account>('GET', `${stack.bankUrl}/admin/accounts/a-dauren-cur`);
        return a.balance < before.balance ? a : undefined;
      });
      expect(before.balance - after.balance).toBe(1_000_000 + fee);
    });
  }, 120_000);
});
