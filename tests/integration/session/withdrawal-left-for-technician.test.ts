/**
 * A withdrawal the core dies dispensing, settled by a technician, over real processes (bank
 * simulator, device simulators, kiosk core) on a stock LCDM dispenser (no presenter: the notes
 * counted out land in the exit slot, where nothing senses them). The dispenser carries out the
 * DISPENSE but its reply is lost (`lostReply`), so the core is waiting with the withdrawal on
 * record as `dispensing` when it is SIGKILLed; the customer takes the notes while it is down.
 * Started again, the core cannot know what left the cassettes: the hold stays, nothing is debited
 * and the withdrawal is left to a person. The technician finds it in service mode and decides
 * "received" with a comment: the bank debits it once (also over a second restart), the cassette
 * counters drop by what the device gave out, and a slip is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, visit, type BridgeClient } from './bridge-client.js';
import { startCrashRig, type CrashRig } from './crash-rig.js';
import { toWithdrawalConfirm } from './journeys.js';

const TOKEN = 'left-for-technician-token-0123456789';
const PHONE = '+77079990402';
const ACCOUNT = 'a-left-for-technician-cur';
const BALANCE = 10_000_000;
const AMOUNT = 1_500_000;
const COMMENT = 'Cassettes short by exactly this amount; the customer confirms taking the cash';

/** the rig's own wait for a core's health endpoint; the session is up shortly after */
const START_MS = 60_000;
/** the core's configured inactivity timeout keeps a screen at most this long */
const SCREEN_MS = 20_000;
/** the bank is up: the sync worker (1 s idle poll) delivers a queued message in its next round */
const DELIVERY_MS = 20_000;

interface Cassette { denomination: number; count: number }
interface StockDispenser { cassettes: Cassette[]; exitSlot?: { notes: number; amount: number }; taken: number }
interface OpenItem { withdrawalId: string; state: string; known: string; notesCounted: number; amount: number }
interface OpenView { action: string; withdrawals: OpenItem[]; decision?: { withdrawalId: string; decision: string; amount: number; receiptNumber: string; slip: { printed: boolean } }; refusal?: { code: string } }

let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig('left-for-technician', TOKEN, { dispenserPresenter: false });
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

const atKiosk = async <T>(body: (ui: BridgeClient) => Promise<T>): Promise<T> => visit({ kioskUrl: rig.coreUrl ?? (await rig.startCore()), token: TOKEN }, body);
const afterRestart = async <T>(body: (ui: BridgeClient) => Promise<T>): Promise<T> => visit({ kioskUrl: await rig.startCore(), token: TOKEN }, body);

async function dispenser(): Promise<StockDispenser> {
  const devices = await http<Array<{ kind: string; state: StockDispenser }>>('GET', `${rig.stack.devicesUrl}/devices`);
  const d = devices.find((x) => x.kind === 'dispenser');
  if (!d) throw new Error('no dispenser emulator');
  return d.state;
}

const withdrawalRow = (): { id: string; state: string } | undefined =>
  rig.readCoreDb((db) => db.prepare('SELECT id, state FROM withdrawals ORDER BY rowid DESC').get() as { id: string; state: string } | undefined);

/** the core's cassette counters, denominations in tiyn; a counter no note ever moved has no row yet */
const cassetteCounters = (): Array<Cassette & { unit: string }> =>
  rig.readCoreDb((db) => db.prepare("SELECT unit, denomination, count FROM counters WHERE unit LIKE 'cassette:%' ORDER BY unit").all() as Array<Cassette & { unit: string }>);

const journalOf = (type: string): Array<Record<string, unknown>> =>
  rig.readCoreDb((db) => (db.prepare('SELECT payload FROM journal WHERE type = ? ORDER BY seq').all(type) as Array<{ payload: string }>).map((r) => JSON.parse(r.payload) as Record<string, unknown>));

/** the bank's debits of the account by message (a fee is a second entry under the same key) */
async function debitsOf(): Promise<Map<string | null, number>> {
  const out = new Map<string | null, number>();
  for (const e of (await rig.account(ACCOUNT)).entries) if (e.amount < 0) out.set(e.messageKey, (out.get(e.messageKey) ?? 0) - e.amount);
  return out;
}

/** what the cassettes hold, in tiyn; the emulator counts its denominations in tenge */
const total = (cassettes: readonly Cassette[], unit: 'tenge' | 'tiyn'): number => cassettes.reduce((s, c) => s + c.denomination * c.count, 0) * (unit === 'tenge' ? 100 : 1);

/** opens service mode with the configuration's default technician code, runs `body`, closes it again */
async function asTechnician(ui: BridgeClient, body: () => Promise<void>): Promise<void> {
  await http('POST', `${rig.stack.devicesUrl}/service-switch`, { open: true });
  try {
    await ui.screen('serviceLogin', SCREEN_MS);
    ui.send('serviceLogin', { code: '123456' });
    await ui.screen('serviceMenu');
    await body();
  } finally {
    await http('POST', `${rig.stack.devicesUrl}/service-switch`, { open: false });
  }
  await ui.screen('attract', SCREEN_MS);
}

const openView = (ui: BridgeClient, what: string, done: (v: OpenView) => boolean): Promise<OpenView> =>
  ui.waitFor(what, (s) => {
    const v = s.service?.view as OpenView | undefined;
    return v?.action === 'openWithdrawals' && done(v);
  }).then((s) => s.service?.view as OpenView);

describe('a withdrawal the core died dispensing', () => {
  it('is left to the technician, who settles it as received: debited once, counters follow the device, a slip printed', async () => {
    await http('POST', `${rig.stack.bankUrl}/admin/customers`, {
      id: 'c-left-for-technician', name: 'Left Open', phone: PHONE, birthDate: '1990-06-15', hasApp: true,
      products: [{ id: ACCOUNT, kind: 'current', balance: BALANCE }],
    });
    const deviceBefore = await dispenser();

    const { withdrawalId, fee } = await atKiosk(async (ui) => {
      await rig.signInByPhone(ui, PHONE, PHONE.replace('+7', '8'));
      const confirm = await toWithdrawalConfirm(ui, AMOUNT);
      // the notes go out, the reply never comes back: the core waits on a `dispensing` withdrawal
      await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'dispenser', fault: 'lostReply' });
      ui.send('confirm');
      const id = await eventually('notes at the exit, the withdrawal dispensing', async () => {
        const w = withdrawalRow();
        const exit = (await dispenser()).exitSlot;
        return w?.state === 'dispensing' && exit !== undefined && exit.notes > 0 ? w.id : undefined;
      }, SCREEN_MS, 40);
      return { withdrawalId: id, fee: confirm.quote?.commission ?? 0 };
    });
    await rig.killCore();
    await http('DELETE', `${rig.stack.devicesUrl}/faults`);
    // the customer takes the cash while the core is down
    await http('POST', `${rig.stack.devicesUrl}/dispenser/take`);
    const deviceAfter = await dispenser();
    expect(total(deviceBefore.cassettes, 'tenge') - total(deviceAfter.cassettes, 'tenge')).toBe(AMOUNT);
    const countersBefore = cassetteCounters();

    await afterRestart(async (ui) => {
      await ui.screen('attract', START_MS);
      // nothing witnessed what left the cassettes: held, not debited, left open
      expect(withdrawalRow()).toEqual({ id: withdrawalId, state: 'dispensing' });
      const held = await rig.account(ACCOUNT);
      expect(held).toMatchObject({ balance: BALANCE, held: AMOUNT + fee });
      expect((await debitsOf()).size).toBe(0);

      await asTechnician(ui, async () => {
        ui.send('serviceAction', { action: 'openWithdrawals', params: { locale: 'en' } });
        const listed = await openView(ui, 'open withdrawals listed', (v) => v.decision === undefined && v.refusal === undefined);
        expect(listed.withdrawals).toEqual([expect.objectContaining({ withdrawalId, state: 'dispensing', known: 'notCounted', notesCounted: 0, amount: AMOUNT })]);

        ui.send('serviceAction', { action: 'openWithdrawals', params: { locale: 'en', withdrawalId, decision: 'received' } });
        expect((await openView(ui, 'a decision without a comment refused', (v) => v.refusal !== undefined)).refusal).toEqual({ code: 'commentRequired' });

        ui.send('serviceAction', { action: 'openWithdrawals', params: { locale: 'en', withdrawalId, decision: 'received', comment: COMMENT } });
        const settled = await openView(ui, 'the decision taken', (v) => v.decision !== undefined);
        expect(settled.decision).toMatchObject({ withdrawalId, decision: 'received', amount: AMOUNT, slip: { printed: true } });
        expect(settled.withdrawals).toEqual([]);
        const paper = await http<Array<{ lines: string[] }>>('GET', `${rig.stack.devicesUrl}/printer/receipts`);
        const slip = paper.at(-1)?.lines.join('\n') ?? '';
        expect(slip).toContain('WITHDRAWAL SETTLED BY TECHNICIAN');
        // the printer breaks a line longer than its 48 columns: the id is looked for across the breaks
        expect(slip.replace(/\n/g, '')).toContain(withdrawalId);
      });

      // the bank debits the held amount once; the counters drop by what the device gave out
      const after = await eventually('the debit delivered', async () => {
        const a = await rig.account(ACCOUNT);
        return a.held === 0 && a.balance < BALANCE ? a : undefined;
      }, DELIVERY_MS);
      expect(after.balance).toBe(BALANCE - AMOUNT - fee);
      expect([...(await debitsOf()).values()]).toEqual([AMOUNT + fee]);
      expect(total(countersBefore, 'tiyn') - total(cassetteCounters(), 'tiyn')).toBe(AMOUNT);
      // cassette by cassette, the notes the counters took out are the notes the device gave out
      const counted = (rows: ReturnType<typeof cassetteCounters>, i: number): number => rows.find((r) => r.unit === `cassette:${i}`)?.count ?? 0;
      const countersAfter = cassetteCounters();
      expect(deviceBefore.cassettes.map((_, i) => counted(countersBefore, i) - counted(countersAfter, i)))
        .toEqual(deviceBefore.cassettes.map((c, i) => c.count - (deviceAfter.cassettes[i]?.count ?? 0)));
      expect(journalOf('withdrawalSettledByTechnician')).toEqual([expect.objectContaining({ withdrawalId, decision: 'received', comment: COMMENT, amount: AMOUNT })]);
    });

    // killed and started again: nothing is debited a second time, nothing is open
    await rig.killCore();
    await afterRestart(async (ui) => {
      await ui.screen('attract', START_MS);
      expect(withdrawalRow()).toEqual({ id: withdrawalId, state: 'complete' });
      expect([...(await debitsOf()).values()]).toEqual([AMOUNT + fee]);
      expect((await rig.account(ACCOUNT)).balance).toBe(BALANCE - AMOUNT - fee);
    });
  }, 240_000);
});
