/**
 * The bill acceptor loses power while it moves a customer's note to the cash box, and the core
 * keeps running: the device simulator is SIGKILLed mid-stack (its ptys go with it) and started again
 * on the same run folder. The acceptor comes back with its cash box as it was and the note in its
 * stacker (CCNET 12, ID003 42); the RESET stores it, and the driver's word on it settles the open
 * stack intent while the customer is still in the cash-in, and the acceptor takes the customer's next
 * note. The customer finishes: the notes counted,
 * the bank credited once, a receipt offered; the journal, the store's counters, the bank's ledger and
 * the acceptor's cash box agree. Bank simulator, device simulators and core are real processes;
 * the simulator is this test's own child, killed by its pid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { BridgeClient, http } from './bridge-client.js';
import { startCrashRig, type CrashRig } from './crash-rig.js';

interface AcceptorState { state: string; cashBox: Record<string, number>; billInPathAtPowerUp: string | null }

async function watch<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** What the cash box gained since `before`, by denomination, zero changes left out. */
function boxGain(box: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(box).map(([d, n]) => [d, n - (before[d] ?? 0)]).filter(([, n]) => n !== 0));
}

describe.each(['ccnet', 'id003'] as const)('a %s acceptor power-cycled mid-stack while the core runs', (protocol) => {
  const token = `power-cut-${protocol}-token-0123456789abcdef`;
  let rig: CrashRig;

  beforeAll(async () => {
    // a real validator is back from a power cut in a second or two; a simulator started again as a
    // process on a loaded test machine takes several, so the session waits for the note's word longer
    rig = await startCrashRig(`power-cut-${protocol}`, token, { acceptorProtocol: protocol, env: { KIOSK_TIMEOUTS_NOTE_SETTLE_MS: '40000' } });
  }, 90_000);

  afterAll(async () => {
    await rig?.stop();
  });

  async function acceptorState(): Promise<AcceptorState> {
    const devices = await http<Array<{ kind: string; protocol: string; state: AcceptorState }>>('GET', `${rig.stack.devicesUrl}/devices`);
    const d = devices.find((x) => x.kind === 'cashAcceptor');
    if (!d) throw new Error('no cash acceptor emulator');
    expect(d.protocol).toBe(protocol);
    return d.state;
  }

  it('the note in the stacker is credited once, without a core restart, and the customer gets a receipt', async () => {
    const phone = protocol === 'ccnet' ? '+77079990601' : '+77079990602';
    const accountId = `a-power-cut-${protocol}`;
    await http('POST', `${rig.stack.bankUrl}/admin/customers`, {
      id: `c-power-cut-${protocol}`, name: 'Power Cut', phone, birthDate: '1990-06-15', hasApp: true,
      products: [{ id: accountId, kind: 'current', balance: 0 }],
    });
    const before = await rig.account(accountId);
    const boxBefore = (await acceptorState()).cashBox;
    const ui = await BridgeClient.connect(await rig.startCore(), token);
    try {
      await rig.signInByPhone(ui, phone, phone.replace('+7', '8'));
      await ui.waitFor('cash-in on the menu', (s) => s.operations.includes('cashIn'));
      ui.send('chooseOperation', { operation: 'cashIn' });
      await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting');
      await http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination: 2000 });
      await ui.waitFor('2 000 stacked', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
      await watch('the acceptor idle again', async () => ((await acceptorState()).state === 'idling' ? true : undefined), 10_000);

      // the stacker is slow (long enough for a loaded machine to kill it mid-way); while it moves
      // the 5 000 note, the whole simulator dies
      await http('POST', `${rig.stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'slowStack', params: { ms: 20_000 } });
      await http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination: 5000 });
      const cashInId = await watch('stack intent committed while the device stacks', async () => {
        const intent = rig.readCoreDb((db) => db.prepare("SELECT cash_in_id AS id FROM cash_in_notes WHERE state = 'intent' AND denomination = 500000").get() as { id: string } | undefined);
        if (!intent) return undefined;
        return (await acceptorState()).state === 'stacking' ? intent.id : undefined;
      }, 15_000);
      await rig.killDevices();
      // what the dead acceptor left: its box, and the note in the stacker (bill type 4 = 5 000)
      const left = JSON.parse(readFileSync(join(rig.dataDir, 'run', 'cash-acceptor.state.json'), 'utf8')) as unknown;
      expect(left).toEqual({ cashBox: expect.any(Object), noteInPath: { where: 'stacker', billType: 4 } });
      await rig.startDevices();

      // power is back: the note left in the stacker is stored by the RESET and the session counts it
      const counted = await ui.waitFor('the 5 000 counted in the session', (s) => s.cashIn?.total === 700_000 && s.cashIn.acceptor === 'accepting', 60_000);
      expect(counted.cashIn?.notes.filter((n) => n.status === 'stacked').map((n) => n.denomination)).toEqual([200_000, 500_000]);
      const device = await acceptorState();
      expect(device.billInPathAtPowerUp).toBeNull();
      // the box survived the power cut and holds both notes, the 5 000 once
      expect(boxGain(device.cashBox, boxBefore)).toEqual({ 2000: 1, 5000: 1 });

      // the cash-in goes on: the validator came back with every type inhibited (power-up clears
      // the masks), so the driver enables the types the session had before the customer's next note
      await watch('the acceptor taking notes again', async () => ((await acceptorState()).state === 'idling' ? true : undefined), 30_000);
      await http('POST', `${rig.stack.devicesUrl}/cash-acceptor/insert`, { denomination: 1000 });
      await ui.waitFor('1 000 stacked after the power cut', (s) => s.cashIn?.total === 800_000 && s.cashIn.acceptor === 'accepting', 30_000);

      // "finish and credit" is the consent when the bank's commission is the one already shown; otherwise confirm asks
      ui.send('finishCashIn');
      const next = await ui.waitFor('confirm or outcome', (s) => s.screen === 'confirm' || s.screen === 'outcome', 20_000);
      if (next.screen === 'confirm') ui.send('confirm');
      const receipt = await ui.screen('outcome', 20_000);
      expect(receipt.outcome).toMatchObject({ operation: 'cashIn', amount: 800_000 });
      expect(receipt.receipt?.number).toBeTruthy();

      const after = await watch('the credit at the bank', async () => {
        const a = await rig.account(accountId);
        return a.balance !== before.balance ? a : undefined;
      }, 20_000);
      const fresh = after.entries.slice(before.entries.length);
      expect(fresh).toHaveLength(1);
      expect(fresh[0]?.amount).toBe(800_000);
      const notes = rig.readCoreDb((db) => db.prepare('SELECT denomination, state FROM cash_in_notes WHERE cash_in_id = ? ORDER BY id').all(cashInId));
      expect(notes).toEqual([
        { denomination: 200_000, state: 'stacked' },
        { denomination: 500_000, state: 'stacked' },
        { denomination: 100_000, state: 'stacked' },
      ]);
      const ended = rig.readCoreDb((db) => db.prepare('SELECT status, receipt_number AS receipt FROM cash_ins WHERE id = ?').get(cashInId)) as { status: string; receipt: string };
      expect(ended).toEqual({ status: 'ok', receipt: receipt.receipt?.number });
      expect(fresh[0]?.description).toContain(ended.receipt);
      // the store's counters agree with its journal
      expect(rig.readCoreDb(checkCounters)).toEqual([]);

      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('operations', 20_000);
      ui.send('finish');
      await ui.screen('attract', 20_000);
      // credited once: nothing more arrives
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await rig.account(accountId)).balance - before.balance).toBe(800_000);
    } finally {
      ui.close();
    }
  }, 150_000);
});
