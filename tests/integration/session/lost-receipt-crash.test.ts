/**
 * A receipt the core dies printing, over real processes (bank simulator, device simulators, kiosk
 * core). The printer is slow (`slowPrint`: every chunk it is sent is taken late), so the print
 * takes seconds; the test watches the core's SQLite file (read-only) for the print recorded as
 * started, SIGKILLs the core inside that window, and starts it again on the same data directory.
 * Then: the receipt is journaled lost, sent by SMS to the phone the customer identified with and
 * delivered to the bank's SMS gateway once (also over a second restart), and service mode lists
 * it and reprints it as a marked copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, visit, type BridgeClient } from './bridge-client.js';
import { startCrashRig, type CrashRig } from './crash-rig.js';

const TOKEN = 'lost-receipt-token-0123456789abcdef';
const PHONE = '+77079990301';
const ACCOUNT = 'a-lost-receipt-cur';

/**
 * The printer takes each chunk this long after it arrived: below the driver's 1 s status timeout
 * (so the print itself would succeed), and with four status requests per chunk a receipt takes
 * several seconds, the window the kill lands in.
 */
const SLOW_PRINT_MS = 400;
/** the bank is up: the sync worker (1 s idle poll) delivers a queued message in its next round */
const DELIVERY_MS = 20_000;
/** the rig's own wait for a core's health endpoint; the session is up shortly after */
const START_MS = 60_000;
/** the core's configured inactivity timeout keeps the outcome screen at most this long */
const SCREEN_MS = 20_000;

interface Sms { phone: string; channel: string; text: string }

let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig('lost-receipt', TOKEN);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

/** what the bank's SMS gateway sent the phone with this receipt in it (the sign-in OTP went there too) */
const receiptSmsTo = async (phone: string, receiptNumber: string): Promise<Sms[]> =>
  (await http<{ messages: Sms[] }>('GET', `${rig.stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`)).messages.filter((m) => m.text.includes(receiptNumber));

const atKiosk = async <T>(body: (ui: BridgeClient) => Promise<T>): Promise<T> => visit({ kioskUrl: rig.coreUrl ?? (await rig.startCore()), token: TOKEN }, body);
const afterRestart = async <T>(body: (ui: BridgeClient) => Promise<T>): Promise<T> => visit({ kioskUrl: await rig.startCore(), token: TOKEN }, body);

const printRow = (receiptNumber: string): { state: string } | undefined =>
  rig.readCoreDb((db) => db.prepare('SELECT state FROM receipt_prints WHERE receipt_number = ? ORDER BY id DESC').get(receiptNumber) as { state: string } | undefined);

const journalOf = (type: string): Array<Record<string, unknown>> =>
  rig.readCoreDb((db) => (db.prepare('SELECT payload FROM journal WHERE type = ? ORDER BY seq').all(type) as Array<{ payload: string }>).map((r) => JSON.parse(r.payload) as Record<string, unknown>));

const receiptSmsRows = (): Array<{ key: string; state: string; receipt_number: string }> =>
  rig.readCoreDb((db) => db.prepare("SELECT key, state, receipt_number FROM outbox WHERE kind = 'receiptSms'").all() as Array<{ key: string; state: string; receipt_number: string }>);

describe('a receipt lost to a crash mid-print', () => {
  it('is journaled lost, sent by SMS once to the identified phone, and listed and reprinted in service mode', async () => {
    await http('POST', `${rig.stack.bankUrl}/admin/customers`, {
      id: 'c-lost-receipt', name: 'Lost Receipt', phone: PHONE, birthDate: '1990-06-15', hasApp: false,
      products: [{ id: ACCOUNT, kind: 'current', balance: 0 }],
    });

    const receiptNumber = await atKiosk(async (ui) => {
      await rig.signInByPhone(ui, PHONE, PHONE.replace('+7', '8'));
      await ui.waitFor('cash-in on the menu', (s) => s.operations.includes('cashIn'));
      ui.send('chooseOperation', { operation: 'cashIn' });
      await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting');
      await http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination: 2000 });
      await ui.waitFor('2 000 stacked', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
      ui.send('finishCashIn');
      const outcome = await ui.screen('outcome', SCREEN_MS);
      const number = outcome.receipt?.number ?? '';
      expect(number).not.toBe('');
      expect(outcome.receipt?.options).toContain('print');

      await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'printer', fault: 'slowPrint', params: { ms: SLOW_PRINT_MS } });
      ui.send('chooseReceipt', { choice: 'print' });
      // the window: the print is on record as started and the printer is still taking the job
      await eventually('the print recorded as started', async () => (printRow(number)?.state === 'printing' ? true : undefined), SCREEN_MS, 40);
      return number;
    });
    await rig.killCore();
    // the killed core never heard the print end
    expect(printRow(receiptNumber)?.state).toBe('printing');
    expect(journalOf('receiptLost')).toEqual([]);
    await http('DELETE', `${rig.stack.devicesUrl}/faults`);

    await afterRestart(async (ui) => {
      // start-up settles the print before the session shows the attract screen
      await ui.screen('attract', START_MS);
      expect(printRow(receiptNumber)?.state).toBe('lost');
      expect(journalOf('receiptLost')).toEqual([expect.objectContaining({ ofReceipt: receiptNumber, operation: 'cashIn', sms: true })]);
      expect(journalOf('receiptSms')).toEqual([expect.objectContaining({ ofReceipt: receiptNumber, phone: '+7 707 *** ** 01' })]);

      const delivered = await eventually('the SMS receipt delivered to the bank', async () => {
        const rows = receiptSmsRows();
        return rows.length === 1 && rows[0]?.state === 'delivered' ? rows : undefined;
      }, DELIVERY_MS);
      expect(delivered[0]?.receipt_number).toBe(receiptNumber);
      const messages = await receiptSmsTo(PHONE, receiptNumber);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ phone: PHONE, channel: 'sms' });
      expect(messages[0]?.text).toContain('2 000');
    });

    // killed again and started again: nothing is sent a second time
    await rig.killCore();
    await afterRestart(async (ui) => {
      await ui.screen('attract', START_MS);
      expect(journalOf('receiptLost')).toHaveLength(1);
      expect(receiptSmsRows()).toHaveLength(1);
      expect(await receiptSmsTo(PHONE, receiptNumber)).toHaveLength(1);

      // service mode: the receipt is listed with its SMS, and a copy reprinted from the list settles it
      await http('POST', `${rig.stack.devicesUrl}/service-switch`, { open: true });
      try {
        await ui.screen('serviceLogin', SCREEN_MS);
        ui.send('serviceLogin', { code: '123456' }); // the configuration's default technician code: both roles
        await ui.screen('serviceMenu');
        ui.send('serviceAction', { action: 'lostReceipts', params: { locale: 'en' } });
        const listed = await ui.waitFor('lost receipts listed', (s) => (s.service?.view as { action?: string } | undefined)?.action === 'lostReceipts');
        expect(listed.service?.view).toMatchObject({
          action: 'lostReceipts', mayReprint: true,
          receipts: [{ receiptNumber, operation: 'cashIn', state: 'lost', sms: 'delivered' }],
        });

        ui.send('serviceAction', { action: 'lostReceipts', params: { locale: 'en', receiptNumber } });
        const reprinted = await ui.waitFor('the copy printed', (s) => (s.service?.view as { reprint?: unknown } | undefined)?.reprint !== undefined);
        expect(reprinted.service?.view).toMatchObject({ reprint: { receiptNumber, printed: true }, receipts: [] });
        const paper = await http<Array<{ lines: string[] }>>('GET', `${rig.stack.devicesUrl}/printer/receipts`);
        const copy = paper.at(-1)?.lines.join('\n') ?? '';
        expect(copy).toContain('COPY (DUPLICATE)');
        expect(copy).toContain(receiptNumber);
        expect(journalOf('receiptCopy')).toEqual([expect.objectContaining({ ofReceipt: receiptNumber, printed: true })]);
      } finally {
        await http('POST', `${rig.stack.devicesUrl}/service-switch`, { open: false });
      }
      await ui.screen('attract', SCREEN_MS);
    });
  }, 240_000);
});
