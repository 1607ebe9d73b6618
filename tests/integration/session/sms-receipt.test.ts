/**
 * Receipt by SMS over real processes (bank simulator, device simulators, kiosk core): a walk-up
 * cash payment, the receipt asked for by SMS while the bank is unreachable, then delivered through
 * a lost acknowledgement. The bank's SMS gateway must hold the receipt text exactly once.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dbPath } from '../../../kiosk/store/db.js';
import { eventually, http, useTestStack, visit } from './bridge-client.js';

const PHONE = '+77475556677';

const stack = useTestStack('sms-receipt', { token: 'sms-receipt-token-0123456789abcdef' });

interface Sms { phone: string; channel: string; text: string }
interface Applied { key: string; kind: string; status: string }

const smsTo = async (phone: string): Promise<Sms[]> =>
  (await http<{ messages: Sms[] }>('GET', `${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`)).messages;
const applied = async (): Promise<Applied[]> => (await http<{ messages: Applied[] }>('GET', `${stack.bankUrl}/admin/messages`)).messages;

/** the kiosk's own outbox row for the SMS receipt, read from its SQLite file */
function kioskSmsRow(): { state: string; attempts: number } | undefined {
  const db = new Database(dbPath(stack.dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT state, attempts FROM outbox WHERE kind = 'receiptSms'").get() as { state: string; attempts: number } | undefined;
  } finally {
    db.close();
  }
}

describe('receipt by SMS against the simulators', () => {
  it('walk-up cash payment, SMS receipt asked for while the bank is down: the text arrives once, despite a lost answer', async () => {
    await visit(stack, async (ui) => {
      await ui.begin();
      ui.send('payWithoutIdentification');
      await ui.screen('serviceCatalogue');
      ui.send('selectService', { serviceId: 'kcell' });
      await ui.screen('serviceReference');
      ui.send('submitReference', { reference: '7011234567' });
      await ui.waitFor('acceptor accepting', (s) => s.screen === 'cashIn' && s.cashIn?.acceptor === 'accepting');
      await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: 2000 });
      await ui.waitFor('total', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
      ui.send('finishCashIn');
      await ui.screen('confirm');
      ui.send('confirm');
      const choice = await ui.screen('outcome');
      const receiptNumber = choice.receipt?.number ?? '';
      expect(receiptNumber).not.toBe('');
      expect(choice.receipt?.options).toContain('sms');
      await eventually('the payment at the bank', async () => ((await applied()).some((m) => m.kind === 'servicePayment') ? true : undefined));

      await http('POST', `${stack.bankUrl}/admin/faults`, { mode: 'down' });
      ui.send('chooseReceipt', { choice: 'sms' });
      await ui.screen('receiptPhone');
      ui.send('submitReceiptPhone', { phone: '87475556677' });
      const sent = await ui.waitFor('SMS receipt given', (s) => s.receipt?.status === 'sent');
      expect(sent.receipt?.smsTo).toBe('+7747*****77');
      expect(JSON.stringify(sent)).not.toContain('5556677');
      await ui.screen('attract', 20_000);
      expect(await smsTo(PHONE)).toHaveLength(0); // the bank has not heard of it yet

      // the bank applies the message but its answer is lost: the terminal must send the same key again
      await http('POST', `${stack.bankUrl}/admin/faults`, { mode: 'ackLoss' });
      await eventually('the SMS at the gateway', async () => ((await smsTo(PHONE)).length > 0 ? true : undefined), 30_000);
      await http('DELETE', `${stack.bankUrl}/admin/faults`);
      const row = await eventually('the kiosk to see the SMS delivered', async () => {
        const r = kioskSmsRow();
        return r?.state === 'delivered' ? r : undefined;
      }, 45_000);
      expect(row.attempts).toBeGreaterThanOrEqual(2);

      const messages = await smsTo(PHONE);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ phone: PHONE, channel: 'sms' });
      expect(messages[0]?.text).toContain(receiptNumber);
      expect(messages[0]?.text).toContain('1 950'); // the amount paid after the 50 tenge fee
      expect((await applied()).filter((m) => m.kind === 'receiptSms')).toEqual([expect.objectContaining({ status: 'applied' })]);
    });
  }, 120_000);
});
