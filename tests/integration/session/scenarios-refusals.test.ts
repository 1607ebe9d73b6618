/**
 * Session scenarios where the customer does not get what they came for, or walks away, over real
 * processes (bank simulator, device simulators on ptys and sockets, the kiosk core) driven through
 * the bridge. Every outcome is checked where it really lives: the bank's ledger and OTP register
 * (admin API), the devices (control API) and the core's own SQLite journal, not only the screens.
 *
 * The core runs with the shortest timeouts its configuration allows, so a walk-away and notes left
 * in the presenter play out in seconds; every other step here answers well within them. A bank that
 * turns slow once the notes are in the box is waited for only `timeouts.cashInBankWaitMs`.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dbPath } from '../../../kiosk/store/db.js';
import { countersFromJournal, type CounterRow } from '../../../kiosk/store/counters.js';
import { journalEntryByReceipt } from '../../../kiosk/store/journal.js';
import { defaultTimeouts } from '../../../kiosk/session/ports.js';
import { eventually, http, latestOtp, signIn, useTestStack, visit } from './bridge-client.js';
import { cashInTo, toWithdrawalConfirm } from './journeys.js';

/** the timeouts this core runs with (the config schema's minimums); every wait on them is built from them */
const INACTIVITY_MS = 5_000;
const MORE_TIME_MS = 3_000;
const CASH_TAKE_MS = 5_000;
/** once notes are in the box, the longest the core waits for the bank; the slow bank below takes far longer */
const BANK_WAIT_MS = 2_000;
const BANK_DELAY_MS = 60_000;
/** the goodbye screen's stay, not configurable */
const GOODBYE_MS = defaultTimeouts.goodbyeMs;
/** one ordinary step on top of a timeout: a device or bank answer and the snapshot, on a loaded machine */
const STEP_MS = 10_000;

const stack = useTestStack('scenarios-refusals', {
  token: 'refusals-token-0123456789abcdef',
  env: {
    KIOSK_TIMEOUTS_INACTIVITY_MS: String(INACTIVITY_MS),
    KIOSK_TIMEOUTS_MORE_TIME_MS: String(MORE_TIME_MS),
    KIOSK_TIMEOUTS_CASH_TAKE_MS: String(CASH_TAKE_MS),
    KIOSK_TIMEOUTS_CASH_IN_BANK_WAIT_MS: String(BANK_WAIT_MS),
  },
});

interface Account {
  balance: number;
  held: number;
  entries: Array<{ description: string; amount: number; messageKey: string | null }>;
  holds: Array<{ id: string; amount: number; commission: number; status: string; debited: number | null }>;
}
const PENDING = /Pending|В обработке|Өңделуде/;
interface Otp { sessionId: string; customerId: string; attempts: number; state: string }
interface DispenserState {
  cassettes: Array<{ denomination: number; count: number }>;
  retractBin: number;
  presenter: { notes: number; amount: number; shutterOpen: boolean; opening: boolean };
  taken: number;
}

const account = (id: string): Promise<Account> => http<Account>('GET', `${stack.bankUrl}/admin/accounts/${id}`);
const otps = async (customer: string): Promise<Otp[]> =>
  (await http<{ otps: Otp[] }>('GET', `${stack.bankUrl}/admin/otps?customer=${encodeURIComponent(customer)}`)).otps;
const smsCount = async (phone: string): Promise<number> =>
  (await http<{ messages: unknown[] }>('GET', `${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`)).messages.length;
const device = async <T,>(kind: string): Promise<T> => {
  const found = (await http<Array<{ kind: string; state: T }>>('GET', `${stack.devicesUrl}/devices`)).find((d) => d.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} among the simulated devices`);
  return found.state;
};

/** the core's SQLite file, read-only, while the core keeps running */
function withKioskDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath(stack.dataDir), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** a six-digit code that is surely not the one sent */
const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('refusals and walk-aways against the simulators', () => {
  // The ledger keeps an IIN unique (it names one person and encodes the birth date), so several
  // customers match only on a shared phone: Olga and Sergey Ivanov share +77017654321 in the seed.
  it('several customers on one phone: a wrong birth date signs nobody in, the right one signs in Sergey with his products only', async () => {
    await visit(stack, async (ui) => {
      const typePhone = async (): Promise<void> => {
        ui.send('chooseIdentification', { method: 'phone' });
        await ui.screen('phoneEntry');
        ui.send('submitPhone', { phone: '87017654321' });
      };
      await ui.begin();
      await typePhone();
      const asked = await ui.screen('disambiguate');
      expect(asked.disambiguateBy).toEqual(['birthDate', 'personalCode']);
      expect(asked.customer).toBeUndefined(); // no name before the match is narrowed to one person

      ui.send('submitBirthDate', { birthDate: '1990-01-01' });
      const refused = await ui.waitFor('no one with that birth date', (s) => s.screen === 'refusal' && s.error !== undefined);
      expect(refused.error?.code).toBe('notIdentified');
      expect(refused.customer).toBeUndefined();

      // trying again in the same session asks for the birth date afresh
      ui.send('back');
      await ui.screen('start');
      await typePhone();
      await ui.screen('disambiguate');
      ui.send('submitBirthDate', { birthDate: '2001-02-03' });
      const otp = await ui.screen('otpEntry');
      expect(otp.customer?.maskedName).toBe('Sergey I.');
      expect(otp.input).toMatchObject({ kind: 'otp', sentTo: '+7701***4321' });
      ui.send('submitOtp', { code: await latestOtp(stack.bankUrl, '+77017654321') });
      const menu = await ui.waitFor('Sergey\'s products', (s) => s.screen === 'operations' && s.products !== undefined);
      expect(menu.customer?.maskedName).toBe('Sergey I.');
      expect(menu.products?.map((p) => p.id)).toEqual(['a-sergey-cur']);

      // the bank agrees: one code, issued to Sergey and used; none ever issued to Olga
      expect((await otps('c-sergey')).map((o) => [o.attempts, o.state])).toEqual([[0, 'used']]);
      expect(await otps('c-olga')).toEqual([]);

      ui.send('finish');
      await ui.screen('attract', GOODBYE_MS + STEP_MS);
      for (const s of ui.snapshots) expect(JSON.stringify(s)).not.toMatch(/7654321|2001-02-03|Ivanov\b/);
    });
  }, 60_000);

  it('three wrong codes: locked with the reason on screen, nothing possible in that session, and the next session signs in', async () => {
    const PHONE = '+77475556677';
    const before = await account('a-marat-cur');
    await visit(stack, async (ui) => {
      await ui.begin();
      ui.send('chooseIdentification', { method: 'phone' });
      await ui.screen('phoneEntry');
      ui.send('submitPhone', { phone: '87475556677' });
      await ui.screen('otpEntry');
      const wrong = wrongCode(await latestOtp(stack.bankUrl, PHONE));
      for (const left of [2, 1]) {
        ui.send('submitOtp', { code: wrong });
        const again = await ui.waitFor(`${left} attempts left`, (s) => s.screen === 'otpEntry' && s.input?.attemptsLeft === left);
        expect(again.error?.code).toBe('otpWrong');
      }
      ui.send('submitOtp', { code: wrong });
      const locked = await ui.waitFor('locked', (s) => s.screen === 'refusal' && s.error !== undefined);
      expect(locked.error?.code).toBe('otpLocked');

      const [lock] = await otps('c-marat');
      expect(await otps('c-marat')).toEqual([expect.objectContaining({ attempts: 3, state: 'locked' })]);
      const sent = await smsCount(PHONE);

      // no operation from the refusal screen, and no new code in this session either
      ui.send('chooseOperation', { operation: 'withdraw' });
      ui.send('back');
      await ui.screen('start');
      ui.send('chooseIdentification', { method: 'phone' });
      await ui.screen('phoneEntry');
      ui.send('submitPhone', { phone: '87475556677' });
      const stillLocked = await ui.waitFor('the bank refusing a new code', (s) => s.screen === 'refusal' && s.error !== undefined);
      expect(stillLocked.error?.code).toBe('otpLocked');
      expect(await smsCount(PHONE)).toBe(sent);
      ui.send('finish');
      await ui.screen('attract', GOODBYE_MS + STEP_MS);
      expect(ui.snapshots.filter((s) => s.screen === 'operations' || s.screen === 'amountEntry' || s.screen === 'productSelect')).toEqual([]);

      // the bank still holds that session's code locked; a new session gets a new code and signs in
      expect(await otps('c-marat')).toEqual([expect.objectContaining({ sessionId: lock?.sessionId, attempts: 3, state: 'locked' })]);
      await signIn(ui, stack.bankUrl, { method: 'phone', typed: '87475556677', otpTo: PHONE });
      const menu = await ui.waitFor('signed in', (s) => s.screen === 'operations' && s.products !== undefined);
      expect(menu.products?.map((p) => p.id)).toContain('a-marat-cur');
      expect(await smsCount(PHONE)).toBe(sent + 1);
      const register = await otps('c-marat');
      expect(register).toHaveLength(2);
      expect(register.find((o) => o.sessionId !== lock?.sessionId)).toMatchObject({ attempts: 0, state: 'used' });

      ui.send('finish');
      await ui.screen('attract', GOODBYE_MS + STEP_MS);
    });
    const after = await account('a-marat-cur');
    expect(after.balance).toBe(before.balance);
    expect(after.entries).toEqual(before.entries);
    expect(after.holds).toEqual(before.holds);
  }, 60_000);

  it('walk-away during cash-in: the unanswered prompt times the session out and the stacked notes are paid in once, with a receipt number', async () => {
    const before = await account('a-aigerim-cur');
    const boxBefore = (await device<{ cashBox: Record<string, number> }>('cashAcceptor')).cashBox;
    await visit(stack, async (ui) => {
      await signIn(ui, stack.bankUrl, { method: 'phone', typed: '87011234567', otpTo: '+77011234567' });
      await cashInTo(ui, 'a-aigerim-cur');
      let expected = 0;
      for (const tenge of [2000, 5000]) {
        await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: tenge });
        expected += tenge * 100;
        await ui.waitFor(`total ${expected}`, (s) => s.cashIn?.total === expected && s.cashIn.acceptor === 'accepting');
      }
      const sentBefore = ui.snapshots.length;

      // from here on the customer touches nothing
      const prompt = await ui.waitFor('"more time?" on the cash-in screen', (s) => s.screen === 'cashIn' && s.moreTimeUntil !== undefined, INACTIVITY_MS + STEP_MS);
      expect(prompt.cashIn?.total).toBe(expected);
      const receipt = await ui.waitFor('the receipt number after the walk-away', (s) => s.screen === 'outcome' && s.receipt?.number !== undefined, MORE_TIME_MS + STEP_MS);
      const number = receipt.receipt?.number ?? '';
      const confirm = ui.snapshots.slice(sentBefore).find((s) => s.screen === 'confirm');
      expect(confirm?.quote).toMatchObject({ operation: 'cashIn', amount: expected, commission: 0, total: expected });
      const ended = await ui.waitFor('the session ended by the timeout', (s) => s.screen === 'goodbye', INACTIVITY_MS + MORE_TIME_MS + STEP_MS);
      expect(ended.error?.code).toBe('timeout');
      await ui.screen('attract', GOODBYE_MS + STEP_MS);

      const after = await eventually('the credit at the bank', async () => {
        const a = await account('a-aigerim-cur');
        return a.balance > before.balance ? a : undefined;
      });
      expect(after.balance - before.balance).toBe(expected);
      const fresh = after.entries.slice(before.entries.length);
      expect(fresh).toHaveLength(1);
      expect(fresh[0]).toMatchObject({ amount: expected });
      expect(fresh[0]?.description).toContain(number);
      const applied = (await http<{ messages: Array<{ key: string; kind: string; status: string }> }>('GET', `${stack.bankUrl}/admin/messages`)).messages;
      expect(applied.filter((m) => m.key === fresh[0]?.messageKey)).toEqual([expect.objectContaining({ kind: 'cashInCredit', status: 'applied' })]);

      // the core's journal holds the receipt; the acceptor's box holds exactly the two notes
      const entry = withKioskDb((db) => journalEntryByReceipt(db, number));
      expect(entry?.payload).toMatchObject({ receiptNumber: number });
      const box = (await device<{ cashBox: Record<string, number> }>('cashAcceptor')).cashBox;
      expect((box['2000'] ?? 0) - (boxBefore['2000'] ?? 0)).toBe(1);
      expect((box['5000'] ?? 0) - (boxBefore['5000'] ?? 0)).toBe(1);
      // a second look later finds no second credit
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await account('a-aigerim-cur')).entries).toHaveLength(before.entries.length + 1);
    });
  }, 120_000);

  it('notes not taken: retracted into the bin, the hold reversed, nothing debited, counters equal to the journal', async () => {
    const before = await account('a-aigerim-cur');
    const dispenserBefore = await device<DispenserState>('dispenser');
    const countersBefore = withKioskDb((db) => countersFromJournal(db));
    await visit(stack, async (ui) => {
      await signIn(ui, stack.bankUrl, { method: 'phone', typed: '87011234567', otpTo: '+77011234567' });
      const confirm = await toWithdrawalConfirm(ui, 2_000_000);
      expect(confirm.quote).toMatchObject({ operation: 'withdraw', amount: 2_000_000 });
      ui.send('confirm');
      const presented = await ui.screen('takeCash', 30_000);
      const presentedAt = Date.now();
      expect(presented.withdrawal?.stage).toBe('presented');
      const atShutter = await device<DispenserState>('dispenser');
      expect(atShutter.presenter).toMatchObject({ amount: 20_000, shutterOpen: true });
      const notes = atShutter.presenter.notes;
      const held = await account('a-aigerim-cur');
      expect(held.held - before.held).toBe(2_000_000 + (confirm.quote?.commission ?? -1));

      // the customer never takes the notes
      const refused = await ui.waitFor('cash not taken', (s) => s.screen === 'refusal' && s.error !== undefined, CASH_TAKE_MS + STEP_MS);
      expect(refused.error?.code).toBe('cashNotTaken');
      // retracted on the configured take timeout, not before (1 s for the snapshot's own trip)
      expect(Date.now() - presentedAt).toBeGreaterThanOrEqual(CASH_TAKE_MS - 1_000);
      expect(refused.withdrawal?.stage).toBe('retracted');
      const retracted = await device<DispenserState>('dispenser');
      expect(retracted.presenter).toEqual({ notes: 0, amount: 0, shutterOpen: false, opening: false });
      expect(retracted.retractBin - dispenserBefore.retractBin).toBe(notes);
      expect(retracted.taken).toBe(dispenserBefore.taken);
      const outOfCassettes = dispenserBefore.cassettes.reduce((sum, c, i) => sum + (c.count - (retracted.cassettes[i]?.count ?? 0)) * c.denomination, 0);
      expect(outOfCassettes).toBe(20_000);

      ui.send('finish');
      await ui.screen('attract', GOODBYE_MS + STEP_MS);

      // the bank released the hold and debited nothing
      const after = await eventually('the hold reversed at the bank', async () => {
        const a = await account('a-aigerim-cur');
        return a.held === before.held ? a : undefined;
      });
      expect(after.balance).toBe(before.balance);
      expect(after.entries).toEqual(before.entries);
      const fresh = after.holds.slice(before.holds.length);
      expect(fresh).toEqual([expect.objectContaining({ amount: 2_000_000, status: 'reversed' })]);

      // the technician's cash units view equals the counters the journal adds up to
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
      try {
        await ui.screen('serviceLogin', STEP_MS);
        ui.send('serviceLogin', { code: '123456' });
        await ui.screen('serviceMenu');
        ui.send('serviceAction', { action: 'cashUnits' });
        const view = await ui.waitFor('cash units', (s) => Array.isArray((s.service?.view as { counters?: unknown } | undefined)?.counters));
        const counters = (view.service?.view as { counters: CounterRow[] }).counters;
        expect(counters).toEqual(withKioskDb((db) => countersFromJournal(db)));
        // and they moved as the device did: out of the cassettes, into the retract bin
        const moved = (unit: (u: string) => boolean): Record<number, number> => {
          const out: Record<number, number> = {};
          for (const c of counters.filter((r) => unit(r.unit))) out[c.denomination] = (out[c.denomination] ?? 0) + c.count;
          for (const c of countersBefore.filter((r) => unit(r.unit))) out[c.denomination] = (out[c.denomination] ?? 0) - c.count;
          return Object.fromEntries(Object.entries(out).filter(([, n]) => n !== 0));
        };
        const fromDevice: Record<number, number> = {};
        dispenserBefore.cassettes.forEach((c, i) => {
          const n = c.count - (retracted.cassettes[i]?.count ?? c.count);
          if (n !== 0) fromDevice[c.denomination * 100] = (fromDevice[c.denomination * 100] ?? 0) + n;
        });
        expect(moved((u) => u === 'retract')).toEqual(fromDevice);
        expect(moved((u) => u.startsWith('cassette:'))).toEqual(Object.fromEntries(Object.entries(fromDevice).map(([d, n]) => [d, -n])));
      } finally {
        await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
      }
      await ui.screen('attract', GOODBYE_MS + STEP_MS);
    });
  }, 120_000);

  it('notes in the box, bank slower than the bound: outcome and a pending receipt within the bound, the credit queued and applied once later', async () => {
    const before = await account('a-aigerim-cur');
    const printedBefore = (await http<unknown[]>('GET', `${stack.devicesUrl}/printer/receipts`)).length;
    try {
      await visit(stack, async (ui) => {
        await signIn(ui, stack.bankUrl, { method: 'phone', typed: '87011234567', otpTo: '+77011234567' });
        await cashInTo(ui, 'a-aigerim-cur');
        await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: 5000 });
        await ui.waitFor('5 000 in the box', (s) => s.cashIn?.total === 500_000 && s.cashIn.acceptor === 'accepting');

        // from here every terminal call to the bank takes a minute
        await http('POST', `${stack.bankUrl}/admin/faults`, { mode: 'slow', delayMs: BANK_DELAY_MS, rate: 1 });
        const finished = Date.now();
        ui.send('finishCashIn');
        const confirm = await ui.screen('confirm', BANK_WAIT_MS + STEP_MS);
        const waited = Date.now() - finished;
        expect(waited).toBeGreaterThanOrEqual(BANK_WAIT_MS - 500);
        expect(waited).toBeLessThan(BANK_WAIT_MS + STEP_MS);
        expect(confirm.quote).toEqual({ operation: 'cashIn', amount: 500_000, commission: 0, total: 500_000 });

        ui.send('confirm');
        // the outcome screen comes before the receipt question; a choice made there is taken as made on the question
        const outcome = await ui.screen('outcome', STEP_MS);
        expect(outcome.outcome).toMatchObject({ operation: 'cashIn', amount: 500_000 });
        const receiptNumber = outcome.receipt?.number ?? '';
        expect(receiptNumber).not.toBe('');
        ui.send('chooseReceipt', { choice: 'print' });
        await ui.waitFor('the receipt printed', (s) => s.receipt?.status === 'printed', STEP_MS);
        const printed = await http<Array<{ text?: string; lines?: string[] }>>('GET', `${stack.devicesUrl}/printer/receipts`);
        expect(printed.length).toBe(printedBefore + 1);
        const paper = JSON.stringify(printed.at(-1));
        expect(paper).toContain(receiptNumber);
        expect(paper, `the receipt says pending: ${paper}`).toMatch(PENDING);
        // nothing reached the bank while it was slow
        expect((await account('a-aigerim-cur')).balance).toBe(before.balance);
        ui.send('finish');
      });
    } finally {
      await http('DELETE', `${stack.bankUrl}/admin/faults`);
    }

    // the bank answers again: the queued credit is applied, once
    const after = await eventually('the credit at the bank', async () => {
      const a = await account('a-aigerim-cur');
      return a.balance > before.balance ? a : undefined;
    }, 60_000);
    expect(after.balance - before.balance).toBe(500_000);
    expect(after.entries.slice(before.entries.length)).toEqual([expect.objectContaining({ amount: 500_000 })]);
  }, 180_000);
});
