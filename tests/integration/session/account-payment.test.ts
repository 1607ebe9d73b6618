/**
 * Paying a service from an account over real processes (bank simulator, device simulators, kiosk
 * core on ephemeral ports): phone + OTP, the mobile operator paid 2 000 tenge from the current
 * account. The bank's ledger must show the account lowered by amount + commission exactly once, the
 * provider's side the amount, and the printed receipt the number, service, reference, amount,
 * commission and total. An insufficient-funds refusal must change nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import { eventually, http, signIn, useTestStack, visit, type BridgeClient } from './bridge-client.js';
import { approvalRequest, toPaymentSource } from './journeys.js';

const stack = useTestStack('account-payment', { token: 'account-payment-token-0123456789abcdef' });

interface Account {
  balance: number;
  held: number;
  entries: Array<{ amount: number; description: string; messageKey: string | null }>;
}
interface Applied { key: string; kind: string; status: string }

const account = (id: string) => http<Account>('GET', `${stack.bankUrl}/admin/accounts/${id}`);
const applied = async (): Promise<Applied[]> => (await http<{ messages: Applied[] }>('GET', `${stack.bankUrl}/admin/messages`)).messages;

/** attract -> phone + OTP (in English) -> pay Kcell 701 123 45 67 -> the "how to pay" screen */
async function payKcellByPhone(ui: BridgeClient, phone: string, typed: string): Promise<Snapshot> {
  await signIn(ui, stack.bankUrl, { method: 'phone', typed, otpTo: phone, locale: 'en' });
  return toPaymentSource(ui);
}

describe('service payment from an account against the simulators', () => {
  it('phone + OTP, Kcell 2 000 tenge from the current account: debited amount + commission once, receipt printed', async () => {
    await visit(stack, async (ui) => {
      const before = await account('a-aigerim-cur');
      const printedBefore = (await http<unknown[]>('GET', `${stack.devicesUrl}/printer/receipts`)).length;

      const source = await payKcellByPhone(ui, '+77011234567', '87011234567');
      expect(source.paymentSources?.cash).toBe(true);
      // current account and wallet may pay; never a loan; labels masked as the bank gives them
      expect(source.paymentSources?.products.map((p) => p.id)).toEqual(['a-aigerim-cur', 'a-aigerim-wal']);
      ui.send('selectPaymentSource', { source: 'product', productId: 'a-aigerim-cur' });
      const amount = await ui.screen('amountEntry');
      expect(amount.payment).toMatchObject({ min: 10_000, max: 5_000_000 });
      ui.send('selectAmount', { amount: 200_000 });
      const confirm = await ui.screen('confirm');
      // 1 % of 2 000 tenge is 20, below the 50 tenge minimum: the commission is added on top (5.6)
      expect(confirm.quote).toEqual({ operation: 'payService', amount: 200_000, commission: 5_000, total: 205_000 });
      expect((await account('a-aigerim-cur')).held).toBe(0); // nothing held before consent
      ui.send('confirm');
      const choice = await ui.screen('outcome');
      const receiptNumber = choice.receipt?.number ?? '';
      expect(receiptNumber).not.toBe('');
      ui.send('chooseReceipt', { choice: 'print' });
      await ui.waitFor('take your receipt', (s) => s.screen === 'printing' && s.receipt?.status === 'printed');
      ui.send('finish');
      await ui.screen('operations');

      const printed = await http<Array<{ text?: string; lines?: string[] }>>('GET', `${stack.devicesUrl}/printer/receipts`);
      expect(printed.length).toBe(printedBefore + 1);
      const paper = JSON.stringify(printed.at(-1));
      // the account paid from, as the customer saw it (a primary document names the payer)
      for (const expected of [receiptNumber, 'Kcell / activ', '7011234567', '2,000.00 KZT', '50.00 KZT', '2,050.00 KZT', 'Paid from', 'Current account *0101']) {
        expect(paper, `the receipt shows ${expected}: ${paper}`).toContain(expected);
      }

      const after = await eventually('the debit at the bank', async () => {
        const a = await account('a-aigerim-cur');
        return a.balance < before.balance ? a : undefined;
      });
      expect(before.balance - after.balance).toBe(205_000);
      expect(after.held).toBe(0);
      // exactly once: amount and fee, both under one outbox message key
      const fresh = after.entries.slice(0, after.entries.length - before.entries.length);
      expect(fresh.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-200_000, -5_000]);
      expect(new Set(fresh.map((e) => e.messageKey)).size).toBe(1);
      const payments = await http<{ payments: Array<{ amount: number; reference: string; messageKey: string }> }>('GET', `${stack.bankUrl}/admin/service-payments?serviceId=kcell`);
      expect(payments.payments.filter((p) => p.messageKey === fresh[0]?.messageKey)).toEqual([expect.objectContaining({ amount: 200_000, reference: '7011234567' })]);
      expect((await applied()).filter((m) => m.kind === 'servicePayment' && m.key === fresh[0]?.messageKey)).toHaveLength(1);

      ui.send('finish');
      await ui.screen('attract', 20_000);
      for (const s of ui.snapshots) expect(JSON.stringify(s)).not.toContain('+77011234567');
    });
  });

  it('insufficient funds for amount + commission is refused with its reason and changes nothing', async () => {
    await visit(stack, async (ui) => {
      // Sergey (shares the phone with Olga) has 15 000 tenge: all of it leaves nothing for the fee
      await signIn(ui, stack.bankUrl, { method: 'iin', iin: '010203500078', otpTo: '+77017654321' });
      await ui.waitFor('menu', (s) => s.screen === 'operations');
      const before = await account('a-sergey-cur');
      // the terminal's status reports and journal segments come and go on their own schedule
      const moneyKeys = async (): Promise<number> => (await applied()).filter((m) => m.kind !== 'terminalStatus' && m.kind !== 'journalUpload').length;
      const keysBefore = await moneyKeys();
      await toPaymentSource(ui);
      ui.send('selectPaymentSource', { source: 'product', productId: 'a-sergey-cur' });
      await ui.screen('amountEntry');
      ui.send('selectAmount', { amount: before.balance });
      const confirm = await ui.screen('confirm');
      expect(confirm.quote?.total).toBe(before.balance + 15_000);
      ui.send('confirm');
      const refusal = await ui.screen('refusal');
      expect(refusal.error?.code).toBe('insufficientFunds');
      ui.send('back');
      await ui.screen('operations');
      ui.send('finish');
      await ui.screen('attract', 20_000);

      const after = await account('a-sergey-cur');
      expect(after).toMatchObject({ balance: before.balance, held: 0 });
      expect(after.entries).toHaveLength(before.entries.length);
      expect(await moneyKeys()).toBe(keysBefore);
    });
  });

  it("a trusted person's approval (8.15-1) lets the payment through; the debit waits for it", async () => {
    await visit(stack, async (ui) => {
      const before = await account('a-dauren-cur');
      await payKcellByPhone(ui, '+77021112233', '87021112233');
      ui.send('selectPaymentSource', { source: 'product', productId: 'a-dauren-cur' });
      await ui.screen('amountEntry');
      ui.send('selectAmount', { amount: 100_000 });
      await ui.screen('confirm');
      ui.send('confirm');
      const waiting = await ui.screen('approvalWait');
      expect(waiting.approval?.deadline).toBeGreaterThan(Date.now());
      expect(waiting.quote).toEqual({ operation: 'payService', amount: 100_000, commission: 5_000, total: 105_000 });
      // the trusted person gets the request by SMS and approves it in the app
      const request = await approvalRequest(stack.bankUrl, '+77059998877');
      expect((await account('a-dauren-cur')).held).toBe(105_000);
      await http('POST', `${stack.bankUrl}/admin/approvals/${request}`, { approve: true });
      await ui.screen('outcome', 20_000);
      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('operations');
      const after = await eventually('the debit at the bank', async () => {
        const a = await account('a-dauren-cur');
        return a.balance < before.balance ? a : undefined;
      });
      expect(before.balance - after.balance).toBe(105_000);
      expect(after.held).toBe(0);
      ui.send('finish');
      await ui.screen('attract', 20_000);
    });
  });
});
