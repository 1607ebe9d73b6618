/**
 * The money path's invariants, checked after every cycle once the core is back and its outbox is
 * empty. Device figures are compared as changes from a baseline taken with the journal's: the
 * acceptor keeps its cash box across simulator restarts (its state file), the dispenser emulator
 * does not (its cassettes, bins and "taken" list start afresh with the process, as a module swapped
 * by a technician would), so the dispenser's baseline is taken again after every simulator restart.
 */
import type Database from 'better-sqlite3';
import { checkCounters, RETRACT_BIN, REJECT_BIN, unitCounts } from '../../../kiosk/store/counters.js';
import { verifyJournal } from '../../../kiosk/store/journal.js';
import { boxTiyn, type ChaosRig } from './rig.js';

/** the accounts each visit opened, with the balance the bank was told to start them at */
export interface Accounts {
  cashIn: string[];
  withdrawal: Map<string, number>;
  payment: Map<string, number>;
}

interface DispenserFigures { taken: number; retract: number; reject: number }

interface Baseline {
  box: number;
  stacked: number;
  device: DispenserFigures;
  journal: DispenserFigures;
}

export interface Totals {
  /** notes stacked and their value, from the journal */
  notes: number;
  cashInTiyn: number;
  /** withdrawals the customer took, and their value (what was dispensed) */
  withdrawals: number;
  withdrawnTiyn: number;
  withdrawalsReversed: number;
  /** withdrawals killed mid-DISPENSE: left for the technician by design (kiosk/recovery/README.md) */
  withdrawalsLeft: number;
  payments: number;
  paymentsReversed: number;
}

const sum = (db: Database.Database, sql: string, ...args: unknown[]): number => (db.prepare(sql).get(...args) as { t: number | null }).t ?? 0;
const unitTotal = (db: Database.Database, unit: string): number => unitCounts(db, unit).reduce((t, r) => t + r.count, 0);

/** the journal's side of the dispenser: value taken by customers, notes in the retract and reject bins */
function journalDispenser(db: Database.Database): DispenserFigures {
  return {
    taken: sum(db, "SELECT SUM(dispensed_amount) AS t FROM withdrawals WHERE state = 'complete'"),
    retract: unitTotal(db, RETRACT_BIN),
    reject: unitTotal(db, REJECT_BIN),
  };
}

export class MoneyCheck {
  #base!: Baseline;

  constructor(private readonly rig: ChaosRig, readonly accounts: Accounts) {}

  async baseline(): Promise<void> {
    const box = boxTiyn((await this.rig.acceptor()).cashBox);
    const stacked = this.rig.readDb((db) => sum(db, "SELECT SUM(denomination) AS t FROM cash_in_notes WHERE state = 'stacked'"));
    this.#base = { box, stacked, device: await this.#deviceDispenser(), journal: this.rig.readDb(journalDispenser) };
  }

  /** after a device simulator restart: the dispenser emulator starts with full cassettes and empty bins */
  async rebaseDispenser(): Promise<void> {
    this.#base = { ...this.#base, device: await this.#deviceDispenser(), journal: this.rig.readDb(journalDispenser) };
  }

  async #deviceDispenser(): Promise<DispenserFigures> {
    const d = await this.rig.dispenser();
    // a stock module's exit slot has no sensor: what lies there is the customer's
    const inSlot = (d.exitSlot?.amount ?? 0) * 100;
    return { taken: (d.takenAmount ?? 0) * 100 + inSlot, retract: d.retractBin, reject: d.rejectBin };
  }

  /** every invariant, as a list of what does not hold (empty: all hold) */
  async check(): Promise<{ problems: string[]; totals: Totals }> {
    const out: string[] = [];
    const base = this.#base;
    const acceptor = await this.rig.acceptor();
    const dispenser = await this.rig.dispenser();
    const device = await this.#deviceDispenser();
    const db = this.rig.readDb((d) => ({
      stacked: sum(d, "SELECT SUM(denomination) AS t FROM cash_in_notes WHERE state = 'stacked'"),
      notes: sum(d, "SELECT COUNT(*) AS t FROM cash_in_notes WHERE state = 'stacked'"),
      settledNotes: sum(d, "SELECT SUM(n.denomination) AS t FROM cash_in_notes n JOIN cash_ins c ON c.id = n.cash_in_id WHERE n.state = 'stacked' AND c.status = 'ok'"),
      credits: d.prepare("SELECT body FROM outbox WHERE kind = 'cashInCredit' AND state = 'delivered'").all() as Array<{ body: string }>,
      debits: d.prepare("SELECT body FROM outbox WHERE kind = 'withdrawalComplete' AND state = 'delivered'").all() as Array<{ body: string }>,
      withdrawals: d.prepare("SELECT product_id AS product, state, dispensed_amount AS dispensed, commission FROM withdrawals").all() as Array<{ product: string; state: string; dispensed: number; commission: number }>,
      payments: d.prepare('SELECT product_id AS product, state, amount, commission FROM account_payments').all() as Array<{ product: string; state: string; amount: number; commission: number }>,
      openCashIns: sum(d, "SELECT COUNT(*) AS t FROM cash_ins WHERE status = 'active'"),
      intents: sum(d, "SELECT COUNT(*) AS t FROM cash_in_notes WHERE state = 'intent'"),
      openWithdrawals: d.prepare("SELECT id, state, present_state AS presentState, notes_at AS notesAt FROM withdrawals WHERE state NOT IN ('complete', 'reversed', 'dispensing')").all(),
      openPayments: d.prepare("SELECT id, state FROM account_payments WHERE state IN ('authorising', 'authorised')").all(),
      pending: sum(d, "SELECT COUNT(*) AS t FROM outbox WHERE state = 'pending'"),
      dead: d.prepare("SELECT kind, dead_reason AS reason FROM outbox WHERE state = 'deadLetter'").all() as Array<{ kind: string; reason: string | null }>,
      dispenser: journalDispenser(d),
      journal: verifyJournal(d),
      counters: checkCounters(d),
    }));

    // cash-in: the acceptor's box = the journal's stacked notes = settled cash-ins = credits = bank balances
    const box = boxTiyn(acceptor.cashBox) - base.box;
    const stacked = db.stacked - base.stacked;
    if (box !== stacked) out.push(`the cash box gained ${box} tiyn, the journal's stacked notes ${stacked}`);
    if (db.settledNotes !== db.stacked) out.push(`${db.stacked - db.settledNotes} tiyn of stacked notes belong to no settled cash-in`);
    const bodies = db.credits.map((c) => JSON.parse(c.body) as { amount: number; commission: number });
    const queued = bodies.reduce((t, b) => t + b.amount + b.commission, 0);
    if (queued !== db.settledNotes) out.push(`credits delivered for ${queued} tiyn (amount + commission), settled notes ${db.settledNotes}`);
    const credited = bodies.reduce((t, b) => t + b.amount, 0);
    let balances = 0;
    for (const id of this.accounts.cashIn) balances += (await this.rig.account(id)).balance;
    if (balances !== credited) out.push(`cash-in accounts hold ${balances} tiyn at the bank, credits delivered ${credited}`);

    // withdrawals: notes taken = the journal's completed withdrawals = debits delivered = the bank's debits
    const taken = device.taken - base.device.taken;
    const journalTaken = db.dispenser.taken - base.journal.taken;
    if (taken !== journalTaken) out.push(`customers took ${taken} tiyn from the dispenser, the journal's completed withdrawals ${journalTaken}`);
    const debitBodies = db.debits.map((c) => JSON.parse(c.body) as { amount: number; commission: number });
    const debited = debitBodies.reduce((t, b) => t + b.amount + b.commission, 0);
    const completed = db.withdrawals.filter((w) => w.state === 'complete').reduce((t, w) => t + w.dispensed, 0);
    const delivered = debitBodies.reduce((t, b) => t + b.amount, 0);
    if (delivered !== completed) out.push(`withdrawal debits delivered for ${delivered} tiyn, the journal's completed withdrawals ${completed}`);
    // a withdrawal whose DISPENSE outcome nobody knows is the technician's (start-up reconciliation
    // never guesses): its hold stays and its notes may wait in the presenter; nothing else may
    const left = db.withdrawals.filter((w) => w.state === 'dispensing');
    const leftAccounts = new Set(left.map((w) => w.product));
    let withdrawn = 0;
    for (const [id, initial] of this.accounts.withdrawal) {
      const a = await this.rig.account(id);
      withdrawn += initial - a.balance;
      if (a.held !== 0 && !leftAccounts.has(id)) out.push(`account ${id} still has ${a.held} tiyn held after its withdrawal`);
    }
    if (withdrawn !== debited) out.push(`withdrawal accounts lost ${withdrawn} tiyn at the bank, debits delivered ${debited} (amount + commission)`);
    const retract = dispenser.retractBin - base.device.retract;
    const journalRetract = db.dispenser.retract - base.journal.retract;
    if (retract !== journalRetract) out.push(`the retract bin gained ${retract} notes, the journal ${journalRetract}`);
    const reject = dispenser.rejectBin - base.device.reject;
    const journalReject = db.dispenser.reject - base.journal.reject;
    if (reject !== journalReject) out.push(`the reject bin gained ${reject} notes, the journal ${journalReject}`);
    if ((dispenser.presenter?.notes ?? 0) !== 0 && left.length === 0) out.push(`${dispenser.presenter?.notes} notes left in the presenter`);

    // payments from an account: the bank's debits = the journal's completed payments
    const paid = db.payments.filter((p) => p.state === 'complete').reduce((t, p) => t + p.amount + p.commission, 0);
    let lost = 0;
    for (const [id, initial] of this.accounts.payment) {
      const a = await this.rig.account(id);
      lost += initial - a.balance;
      if (a.held !== 0) out.push(`account ${id} still has ${a.held} tiyn held after its payment`);
    }
    if (lost !== paid) out.push(`payment accounts lost ${lost} tiyn at the bank, the journal's completed payments ${paid} (amount + commission)`);

    // nothing open that should be settled
    if (db.openCashIns > 0) out.push(`${db.openCashIns} cash-ins left open`);
    if (db.intents > 0) out.push(`${db.intents} stack intents left unsettled`);
    if (db.openWithdrawals.length > 0) out.push(`withdrawals left open: ${JSON.stringify(db.openWithdrawals)}`);
    if (db.openPayments.length > 0) out.push(`payments from an account left open: ${JSON.stringify(db.openPayments)}`);
    if (db.pending > 0) out.push(`${db.pending} outbox messages still pending`);
    if (db.dead.length > 0) out.push(`messages dead-lettered: ${JSON.stringify(db.dead).slice(0, 300)}`);
    if (!db.journal.ok) out.push(`the journal chain does not verify: ${JSON.stringify(db.journal).slice(0, 200)}`);
    if (db.counters.length > 0) out.push(`counters differ from the journal: ${JSON.stringify(db.counters).slice(0, 200)}`);

    const done = db.withdrawals.filter((w) => w.state === 'complete');
    return {
      problems: out,
      totals: {
        notes: db.notes,
        cashInTiyn: db.stacked,
        withdrawals: done.length,
        withdrawnTiyn: done.reduce((t, w) => t + w.dispensed, 0),
        withdrawalsReversed: db.withdrawals.filter((w) => w.state === 'reversed').length,
        withdrawalsLeft: left.length,
        payments: db.payments.filter((p) => p.state === 'complete').length,
        paymentsReversed: db.payments.filter((p) => p.state === 'reversed').length,
      },
    };
  }
}
