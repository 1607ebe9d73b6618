/**
 * Withdrawals start-up reconciliation left for the technician, settled in service mode over a
 * real SQLite store: listed (only those left open and held by no session), then decided with a
 * comment. "Received" debits once (one `withdrawalComplete`, the notes leave the counters they
 * were on), "not dispensed" releases the hold (`withdrawalReverse`); each decision is journaled,
 * audited under the person and printed on a slip; counters always agree with the journal.
 * Anything else is refused with nothing changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceModeView } from '../../../kiosk/bridge/schema.js';
import { serviceMode } from '../../../kiosk/service-mode/service-mode.js';
import { hashPin, type ServiceUser } from '../../../kiosk/service-mode/service-users.js';
import type { KioskDevices } from '../../../kiosk/runtime/devices.js';
import type { PrinterStatus } from '../../../drivers/printer/receipt-printer.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { checkCounters, readCounters } from '../../../kiosk/store/counters.js';
import { iterateJournal } from '../../../kiosk/store/journal.js';
import { pendingHead } from '../../../kiosk/store/outbox.js';
import { FakeAcceptor, FakeDispenser, FakePrinter } from '../session/fakes.js';
import { tempStore, type TempStore } from '../store/temp-store.js';

const FAST = { N: 1024, r: 8, p: 1, keyLength: 32 } as const;
const FIVE = 500_000;
const ONE = 100_000;
let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** a printer that keeps what it was sent and can be broken */
class SlipPrinter extends FakePrinter {
  jobs: Uint8Array[] = [];
  paperOut = false;
  override status(): PrinterStatus {
    return { ...super.status(), paper: this.paperOut ? 'out' : 'ok' };
  }
  override async print(job?: Uint8Array) {
    if (job) this.jobs.push(job);
    return { ok: true as const };
  }
}

interface Item { withdrawalId: string; state: string; known: string; notesCounted: number; amount: number; label?: string }
type View = { action: string; withdrawals: Item[]; counters: Array<{ unit: string; denomination: number; count: number }>; refusal?: { code: string }; decision?: Record<string, unknown> };

async function rig() {
  const s: TempStore = tempStore('KZ-ALA-0042');
  cleanup.push(() => s.dispose());
  const users: ServiceUser[] = [
    { id: 'A17', role: 'technician', pin: await hashPin('482913', FAST) },
    { id: 'K05', role: 'collector', pin: await hashPin('775120', FAST) },
  ];
  const printer = new SlipPrinter();
  const devices = {
    cashAcceptor: new FakeAcceptor([]), dispenser: new FakeDispenser([]), printer, cassetteDenominations: [FIVE, ONE],
    cabinet: { status: () => ({ serviceSwitchOpen: true }) },
  } as unknown as KioskDevices;
  const held = new Set<string>();
  let woken = 0;
  const port = serviceMode({
    users: () => users, store: s.money, db: s.db, devices, testPrint: async () => ({ ok: true }),
    site: { bankName: 'Bank', terminalId: 'KZ-ALA-0042', address: '' }, now: () => new Date(s.clock.ms), onOutbox: () => woken++,
    withdrawalHeldBySession: (id) => held.has(id),
  });
  s.money.recordReplenishment('K05', [{ cassette: 0, denomination: FIVE, count: 100 }, { cassette: 1, denomination: ONE, count: 100 }]);
  let n = 0;
  /** a withdrawal of `fives` x 5 000 and `ones` x 1 000 tenge, taken as far as `upTo` */
  const withdrawal = (upTo: 'authorised' | 'dispensing' | 'dispensed' | 'unknown' | 'taken', fives: number, ones: number): string => {
    n++;
    s.clock.ms += 60_000; // listed oldest first
    const plan = [...(fives ? [{ cassette: 0, count: fives, denomination: FIVE }] : []), ...(ones ? [{ cassette: 1, count: ones, denomination: ONE }] : [])];
    const { withdrawalId } = s.money.recordWithdrawalAuthorised({
      sessionId: `s-${n}`, customerId: 'c-1', productId: 'p-1', amount: fives * FIVE + ones * ONE, commission: 0, holdId: `hold-${n}`, plan, label: 'Current *0101',
    });
    if (upTo === 'authorised') return withdrawalId;
    s.money.recordDispensing(withdrawalId);
    if (upTo === 'dispensing') return withdrawalId;
    s.money.recordDispensed(withdrawalId, plan.map((p) => ({ cassette: p.cassette, dispensed: p.count, rejected: 0 })));
    if (upTo === 'dispensed') return withdrawalId;
    s.money.recordPresented(withdrawalId, upTo === 'unknown' ? 'unknown' : 'presented');
    if (upTo === 'taken') s.money.recordTaken(withdrawalId);
    return withdrawalId;
  };
  const count = (unit: string, denomination: number): number => readCounters(s.db).find((c) => c.unit === unit && c.denomination === denomination)?.count ?? 0;
  const messages = (kind: string) => pendingHead(s.db, 500).filter((m) => m.kind === kind);
  return { s, port, printer, held, withdrawal, count, messages, woken: () => woken };
}

describe('withdrawals left for the technician', () => {
  it('are listed, then debited once on "received" or released on "not dispensed", journaled, audited, with a slip; counters agree with the journal', async () => {
    const { s, port, printer, held, withdrawal, count, messages, woken } = await rig();
    const inFlight = withdrawal('dispensing', 2, 0); // the DISPENSE never answered: counted nowhere
    const perhaps = withdrawal('unknown', 0, 3); // counted into the presenter, perhaps presented
    const never = withdrawal('dispensed', 1, 0); // counted into the presenter, never presented
    const taken = withdrawal('taken', 1, 0);
    const authorised = withdrawal('authorised', 1, 0);
    const live = withdrawal('dispensing', 0, 1);
    held.add(live);
    await port.login('482913', 'A17');

    const listed = (await port.perform('A17', 'openWithdrawals')) as View;
    expect(ServiceModeView.safeParse(listed).success).toBe(true);
    expect(listed.withdrawals.map((w) => [w.withdrawalId, w.state, w.known, w.notesCounted, w.amount, w.label])).toEqual([
      [inFlight, 'dispensing', 'notCounted', 0, 2 * FIVE, 'Current *0101'],
      [perhaps, 'dispensed', 'perhapsPresented', 3, 3 * ONE, 'Current *0101'],
      [never, 'dispensed', 'neverPresented', 1, FIVE, 'Current *0101'],
    ]);
    expect(listed.counters).toEqual(expect.arrayContaining([{ unit: 'cassette:0', denomination: FIVE, count: 100 - 1 - 1 }, { unit: 'presenter', denomination: ONE, count: 3 }]));

    // refused, nothing changed: no comment, no decision, a state not left to a person, a live session's
    // (the refusals' own audit rows are journaled: money entries are what must not change)
    const state = () => ({ outbox: pendingHead(s.db, 500).length, counters: readCounters(s.db), journal: [...iterateJournal(s.db)].filter((e) => e.type !== 'audit').length, open: s.money.openWithdrawals() });
    const before = state();
    const refused = async (params: Record<string, string>) => ((await port.perform('A17', 'openWithdrawals', params)) as View).refusal?.code;
    expect(await refused({ withdrawalId: inFlight, decision: 'received' })).toBe('commentRequired');
    expect(await refused({ withdrawalId: inFlight, decision: 'received', comment: ' ok ' })).toBe('commentRequired');
    expect(await refused({ withdrawalId: inFlight, decision: 'maybe', comment: 'the customer says so' })).toBe('badDecision');
    expect(await refused({ withdrawalId: 'wd-none', decision: 'received', comment: 'the customer says so' })).toBe('unknownWithdrawal');
    expect(await refused({ withdrawalId: taken, decision: 'notDispensed', comment: 'the customer says so' })).toBe('alreadySettled');
    expect(await refused({ withdrawalId: authorised, decision: 'received', comment: 'the customer says so' })).toBe('notLeftForTechnician');
    expect(await refused({ withdrawalId: live, decision: 'received', comment: 'the customer says so' })).toBe('heldBySession');
    // the comment goes to the journal, the bank and a slip: a card number in it is refused, not an error
    expect(await refused({ withdrawalId: inFlight, decision: 'received', comment: 'card 4400 4300 0000 0015 was retained' })).toBe('commentHoldsCardNumber');
    expect(state()).toEqual(before);
    expect(printer.jobs).toHaveLength(0);

    // "received" on a dispense counted nowhere: the whole plan leaves cassette 0 for the customer
    const comment = 'Cassette 0 is two notes short on count; CCTV shows the customer taking cash';
    const done = (await port.perform('A17', 'openWithdrawals', { withdrawalId: inFlight, decision: 'received', comment, locale: 'kk' })) as View;
    expect(ServiceModeView.safeParse(done).success).toBe(true);
    expect(done.decision).toMatchObject({ withdrawalId: inFlight, decision: 'received', amount: 2 * FIVE, slip: { printed: true } });
    expect(done.withdrawals.map((w) => w.withdrawalId)).toEqual([perhaps, never]);
    expect(count('cassette:0', FIVE)).toBe(100 - 1 - 1 - 2);
    const completes = messages('withdrawalComplete').filter((m) => m.sessionId === 's-1');
    expect(completes.map((m) => m.body)).toEqual([expect.objectContaining({ holdId: 'hold-1', amount: 2 * FIVE, commission: 0, receiptNumber: done.decision?.receiptNumber })]);
    const takenEntry = [...iterateJournal(s.db)].find((e) => e.type === 'withdrawalTaken' && e.payload.withdrawalId === inFlight);
    expect(takenEntry?.payload).toMatchObject({ technician: 'A17', counterDeltas: [{ unit: 'cassette:0', denomination: FIVE, delta: -2 }] });
    expect(s.money.withdrawal(inFlight)).toMatchObject({ state: 'complete', notesAt: 'customer', dispensedAmount: 2 * FIVE });
    expect(s.money.receipt(String(done.decision?.receiptNumber))).toMatchObject({ operation: 'withdrawal', amount: 2 * FIVE });
    expect(checkCounters(s.db)).toEqual([]);

    // twice: settled, nothing more goes to the bank
    expect(await refused({ withdrawalId: inFlight, decision: 'received', comment })).toBe('alreadySettled');
    expect(await refused({ withdrawalId: inFlight, decision: 'notDispensed', comment })).toBe('alreadySettled');
    expect(messages('withdrawalComplete').filter((m) => m.sessionId === 's-1')).toHaveLength(1);
    expect(messages('withdrawalReverse').filter((m) => m.sessionId === 's-1')).toHaveLength(0);

    // "not dispensed": the hold is released, the presenter's notes go to the reject bin (purged by reset)
    const released = (await port.perform('A17', 'openWithdrawals', { withdrawalId: perhaps, decision: 'notDispensed', comment: 'Notes found in the transport, purged' })) as View;
    expect(released.decision).toMatchObject({ withdrawalId: perhaps, decision: 'notDispensed', amount: 0, slip: { printed: true } });
    expect(messages('withdrawalReverse').filter((m) => m.sessionId === 's-2').map((m) => m.body)).toEqual([expect.objectContaining({ holdId: 'hold-2' })]);
    expect(messages('withdrawalComplete').filter((m) => m.sessionId === 's-2')).toHaveLength(0);
    expect(s.money.withdrawal(perhaps)).toMatchObject({ state: 'reversed', notesAt: 'reject' });
    expect([count('presenter', ONE), count('reject', ONE)]).toEqual([0, 3]);
    expect(checkCounters(s.db)).toEqual([]);

    // "received" on notes counted into the presenter, with the printer out of paper: decided, no slip
    printer.paperOut = true;
    const last = (await port.perform('A17', 'openWithdrawals', { withdrawalId: never, decision: 'received', comment: 'customer confirmed at the branch' })) as View;
    expect(last.decision).toMatchObject({ decision: 'received', amount: FIVE, slip: { printed: false, failure: 'printerUnavailable' } });
    expect(count('presenter', FIVE)).toBe(0);
    expect(messages('withdrawalComplete').filter((m) => m.sessionId === 's-3').map((m) => (m.body as { amount: number }).amount)).toEqual([FIVE]);
    expect(checkCounters(s.db)).toEqual([]);
    expect(last.withdrawals).toEqual([]);
    expect(printer.jobs).toHaveLength(2);
    expect(woken()).toBe(3);

    // each decision: a journal entry with its comment, and an audit row under the person
    const decisions = [...iterateJournal(s.db)].filter((e) => e.type === 'withdrawalSettledByTechnician').map((e) => e.payload);
    expect(decisions).toEqual([
      expect.objectContaining({ withdrawalId: inFlight, decision: 'received', comment, who: 'A17', amount: 2 * FIVE }),
      expect.objectContaining({ withdrawalId: perhaps, decision: 'notDispensed', comment: 'Notes found in the transport, purged', who: 'A17' }),
      expect.objectContaining({ withdrawalId: never, decision: 'received', who: 'A17', amount: FIVE }),
    ]);
    const audit = listAudit(s.db).reverse();
    expect(audit.filter((a) => a.action === 'withdrawalSettled').map((a) => [a.who, a.details.withdrawalId])).toEqual([['A17', inFlight], ['A17', perhaps], ['A17', never]]);
    // the service action's own rows: the refusals as not done, the decisions as done
    const actions = audit.filter((a) => a.action === 'openWithdrawals' && a.details.params && (a.details.params as Record<string, unknown>).withdrawalId);
    expect(actions.map((a) => a.details.ok)).toEqual([false, false, false, false, false, false, false, false, true, false, false, true, true]);
    // the refused attempt is audited with the card number masked (first 6, last 4)
    expect(actions.map((a) => (a.details.params as Record<string, unknown>).comment)).toContain('card 440043******0015 was retained');
    expect(JSON.stringify(listAudit(s.db))).not.toMatch(/4400 ?4300 ?0000 ?0015/);
    // a live session's withdrawal is still open, and still the session's
    expect(s.money.withdrawal(live)?.state).toBe('dispensing');
  });
});
