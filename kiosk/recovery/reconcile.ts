/**
 * Start-up reconciliation (money invariant 3): before any customer session, what the devices hold
 * is compared with what the store says was in flight, and every open cash-in and withdrawal is
 * finished, reversed, or left for the technician. The devices are the witnesses: a note still in
 * escrow was never stacked, an empty escrow after a stack intent means the note went to the box,
 * notes still behind the presenter's shutter were never taken, and a dispenser without a presenter
 * paid out whatever its DISPENSE reply counted at the exit. Nothing is guessed: where a device
 * cannot answer, or what it says does not fit the record, the case stays open for service mode.
 * Every decision is journaled by the store call that makes it, and returned as a report.
 */
import type { Tiyn } from '../../domain/money.js';
import type { CashAcceptor, CashAcceptorStatus } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenser } from '../../drivers/dispenser/cash-dispenser.js';
import { acceptorWitness, inEscrow, settleAcceptorIntent } from './acceptor-intent.js';
import type { AccountPaymentStore, CashInRecord, MoneyStore, WithdrawalRecord } from '../store/money-store.js';
import { sleep } from '../../domain/async.js';

export type ReconcileStore = Pick<
  MoneyStore,
  'openCashIns' | 'openWithdrawals' | 'markCashInUnknown' | 'resolveStackIntent' | 'endCashIn' | 'recordRetracted' | 'reverseWithdrawal' | 'recordTaken'
  | 'recordPresented'
> &
  Partial<Pick<AccountPaymentStore, 'openAccountPayments' | 'reverseAccountPayment'>>;

export interface ReconcileOptions {
  store: ReconcileStore;
  acceptor: CashAcceptor;
  dispenser: CashDispenser;
  /** how long each device may take to come online before its cases are left open */
  deviceTimeoutMs?: number;
  /** how long the acceptor may take to hand back an escrowed note */
  returnTimeoutMs?: number;
  /**
   * Commission on a cash-in that recovery finishes. Default: none, since the customer never saw
   * the confirmation screen after the crash; all the cash is credited.
   */
  cashInCommission?: (cashIn: CashInRecord) => Tiyn;
}

export type Decision =
  | { kind: 'escrowReturned'; denomination?: Tiyn; cashInId?: string }
  | { kind: 'intentResolved'; cashInId: string; denomination: Tiyn; outcome: 'stacked' | 'returned' }
  | { kind: 'cashInEnded'; cashInId: string; status: 'ok' | 'rollback'; total: Tiyn; amount: Tiyn; receiptNumber?: string; messageKey?: string }
  | { kind: 'withdrawalRetracted'; withdrawalId: string; notes: number }
  | { kind: 'withdrawalReversed'; withdrawalId: string; reason: string; receiptNumber: string; messageKey: string }
  | { kind: 'withdrawalTaken'; withdrawalId: string; receiptNumber: string; messageKey: string }
  /** a service payment from an account found open: its hold (or its unanswered authorisation) released */
  | { kind: 'accountPaymentReversed'; paymentId: string; was: 'authorising' | 'authorised'; receiptNumber: string; messageKey: string }
  /** left for the technician: shows in service mode as open / undelivered */
  | { kind: 'leftForTechnician'; subject: 'cashIn' | 'withdrawal' | 'escrow' | 'presenter' | 'accountPayment'; id?: string; reason: string };

export interface ReconcileReport {
  acceptor: {
    online: boolean; escrow?: Tiyn; escrowFoundAtOpen?: boolean; billInPathAtPowerUp?: 'validator' | 'stacker';
    noteSettledAtOpen?: CashAcceptorStatus['noteSettledAtOpen'];
  };
  dispenser: { online: boolean; notesInPresenter?: number; hasPresenter: boolean };
  decisions: Decision[];
  /** true when nothing was left open */
  settled: boolean;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() >= until) return false;
    await sleep(25);
  }
  return true;
}

export async function reconcileAtStartup(options: ReconcileOptions): Promise<ReconcileReport> {
  const { store, acceptor, dispenser } = options;
  const deviceTimeoutMs = options.deviceTimeoutMs ?? 15_000;
  const returnTimeoutMs = options.returnTimeoutMs ?? 10_000;
  const commissionOf = options.cashInCommission ?? (() => 0);
  const decisions: Decision[] = [];
  const left = (subject: Extract<Decision, { kind: 'leftForTechnician' }>['subject'], reason: string, id?: string): void => {
    decisions.push({ kind: 'leftForTechnician', subject, reason, ...(id ? { id } : {}) });
  };

  const [acceptorOnline, dispenserOnline] = await Promise.all([
    waitFor(() => acceptor.status().link === 'online', deviceTimeoutMs),
    waitFor(() => dispenser.status().link === 'online', deviceTimeoutMs),
  ]);

  // ---- the acceptor and open cash-ins ----
  const first = acceptor.status();
  const acceptorReport: ReconcileReport['acceptor'] = {
    online: acceptorOnline,
    ...(inEscrow(first) && first.escrow !== undefined ? { escrow: first.escrow } : {}),
    ...(first.escrowFoundAtOpen ? { escrowFoundAtOpen: true } : {}),
    ...(first.billInPathAtPowerUp ? { billInPathAtPowerUp: first.billInPathAtPowerUp } : {}),
    ...(first.noteSettledAtOpen ? { noteSettledAtOpen: first.noteSettledAtOpen } : {}),
  };
  let escrowPending = acceptorOnline && inEscrow(first);
  // the device's own word on a note that left escrow while no host listened (its escrow timeout
  // hands a note back by itself): claimed by at most one intent of that value
  let handedBackAtOpen = acceptorOnline && first.noteSettledAtOpen?.outcome === 'returned' ? first.noteSettledAtOpen : undefined;

  /** hands the escrowed note back and waits until the device says it left escrow */
  const returnEscrow = async (): Promise<boolean> => {
    try {
      await acceptor.return();
    } catch (err) {
      left('escrow', `the acceptor refused to return the note in escrow: ${errorText(err)}`);
      return false;
    }
    const gone = await waitFor(() => !inEscrow(acceptor.status()), returnTimeoutMs);
    if (!gone) left('escrow', `the note in escrow was not returned within ${returnTimeoutMs} ms`);
    return gone;
  };

  for (const cashIn of store.openCashIns()) {
    const id = cashIn.cashInId;
    try {
      const intents = cashIn.notes.filter((n) => n.state === 'intent');
      if (cashIn.status === 'active') store.markCashInUnknown(id);
      if (intents.length > 0 && !acceptorOnline) {
        left('cashIn', 'the acceptor did not come online: its stack intent cannot be settled', id);
        continue;
      }
      let unsettled = false;
      for (const intent of intents) {
        const witness = acceptorWitness(acceptor.status(), intent.denomination, {
          escrow: escrowPending ? 'claim' : 'spent',
          handedBack: handedBackAtOpen,
        });
        const r = await settleAcceptorIntent(store, id, intent.denomination, witness, returnEscrow);
        if (!r.settled) {
          unsettled = true;
          left('cashIn', r.reason, id);
          break;
        }
        if (r.escrowReturned) {
          escrowPending = false;
          decisions.push({ kind: 'escrowReturned', denomination: intent.denomination, cashInId: id });
        }
        // the device's "handed back" names one note: claimed by at most one intent
        if (witness.kind === 'returned') handedBackAtOpen = undefined;
        decisions.push({ kind: 'intentResolved', cashInId: id, denomination: intent.denomination, outcome: r.outcome });
      }
      if (unsettled) continue;
      // cash that entered the box is never lost: ending the cash-in queues its payment message
      const ended = store.endCashIn(id, { commission: commissionOf(store.openCashIns().find((c) => c.cashInId === id) ?? cashIn) });
      decisions.push({
        kind: 'cashInEnded', cashInId: id, status: ended.status, total: ended.total, amount: ended.amount,
        ...(ended.receiptNumber ? { receiptNumber: ended.receiptNumber } : {}),
        ...(ended.messageKey ? { messageKey: ended.messageKey } : {}),
      });
    } catch (err) {
      left('cashIn', errorText(err), id);
    }
  }

  // a note waiting in escrow that no intent claims was never stacked: it goes back, never credited
  if (escrowPending && inEscrow(acceptor.status())) {
    const denomination = acceptor.status().escrow;
    if (await returnEscrow()) decisions.push({ kind: 'escrowReturned', ...(denomination !== undefined ? { denomination } : {}) });
  }

  // ---- the dispenser and open withdrawals ----
  const hasPresenter = dispenser.status().hasPresenter;
  let notesInPresenter: number | undefined;
  if (dispenserOnline && hasPresenter) {
    try {
      notesInPresenter = (await dispenser.refreshStatus()).notesInPresenter;
    } catch (err) {
      left('presenter', `the dispenser did not report its presenter: ${errorText(err)}`);
    }
  }
  const dispenserReport: ReconcileReport['dispenser'] = {
    online: dispenserOnline,
    hasPresenter,
    ...(notesInPresenter !== undefined ? { notesInPresenter } : {}),
  };

  const reverse = (w: WithdrawalRecord, reason: string): void => {
    const r = store.reverseWithdrawal(w.withdrawalId, reason);
    decisions.push({ kind: 'withdrawalReversed', withdrawalId: w.withdrawalId, reason, receiptNumber: r.receiptNumber, messageKey: r.messageKey });
  };

  const open = store.openWithdrawals();
  // notes behind the shutter can only be the latest dispense's: no DISPENSE goes out while the
  // presenter holds notes, so an older withdrawal left open (one whose dispense was in flight at an
  // earlier restart) must not claim them and strand every later one for the technician
  const presenterOwner = [...open].reverse().find((w) => w.state === 'dispensing' || (w.state === 'dispensed' && w.notesAt === 'presenter'))?.withdrawalId;
  for (const w of open) {
    const id = w.withdrawalId;
    try {
      if (w.state === 'authorised') {
        // the dispensing step is committed before DISPENSE goes out: nothing left the cassettes
        reverse(w, 'not dispensed before restart');
        continue;
      }
      if (w.state === 'dispensing') {
        // notes behind the shutter may be this dispense's; uncounted, they stay there untouched
        left('withdrawal', 'the dispense was in progress at the restart; its outcome is unknown', id);
        continue;
      }
      if (w.state !== 'dispensed') continue;
      if (!hasPresenter && w.notesAt === 'presenter') {
        // no shutter, no retract: the notes the DISPENSE reply counted at the exit left the machine
        // when it answered, whatever the device says now (it need not even be online)
        if (w.presentState !== 'presented') store.recordPresented(id, 'presented');
        const r = store.recordTaken(id);
        decisions.push({ kind: 'withdrawalTaken', withdrawalId: id, receiptNumber: r.receiptNumber, messageKey: r.messageKey });
        continue;
      }
      if (w.notesAt !== 'presenter') {
        // nothing counted out, or already retracted: the hold is released
        reverse(w, w.notesAt === 'none' ? 'nothing dispensed' : 'notes retracted before restart');
        continue;
      }
      const expected = (w.dispensed ?? []).reduce((s, d) => s + d.dispensed, 0);
      if (!dispenserOnline || notesInPresenter === undefined) {
        left('withdrawal', 'the dispenser did not report its presenter', id);
        continue;
      }
      if (notesInPresenter > 0 && id === presenterOwner) {
        const { retracted } = await dispenser.retract();
        if (retracted !== expected) {
          left('withdrawal', `retracted ${retracted} notes where ${expected} were dispensed`, id);
          continue;
        }
        store.recordRetracted(id);
        decisions.push({ kind: 'withdrawalRetracted', withdrawalId: id, notes: retracted });
        reverse(w, 'not taken before restart; retracted');
        continue;
      }
      if (w.presentState === 'presented') {
        // the device opened the shutter on these notes and its presenter is now empty: taken
        const r = store.recordTaken(id);
        decisions.push({ kind: 'withdrawalTaken', withdrawalId: id, receiptNumber: r.receiptNumber, messageKey: r.messageKey });
        continue;
      }
      const where = notesInPresenter > 0 ? 'the notes in the presenter are a later withdrawal\'s' : 'the presenter is empty';
      left('withdrawal', `${where} but these notes were ${w.presentState === 'unknown' ? 'perhaps' : 'never'} presented`, id);
    } catch (err) {
      left('withdrawal', errorText(err), id);
    }
  }
  // the latest dispense's withdrawal, whatever became of it above, is the only owner notes there can have
  if (notesInPresenter !== undefined && notesInPresenter > 0 && presenterOwner === undefined) {
    left('presenter', `${notesInPresenter} notes in the presenter belong to no open withdrawal`);
  }

  // ---- service payments from an account ----
  // No device witnesses these: the completion (receipt + debit message) is one transaction, so an
  // open one was never completed and the customer never got a receipt. Its hold is released; an
  // authorisation whose answer never arrived is voided by its key (the bank releases whatever it held).
  for (const p of store.openAccountPayments?.() ?? []) {
    try {
      if (!store.reverseAccountPayment) throw new Error('the store cannot reverse payments from an account');
      const was = p.state === 'authorising' ? 'authorising' : 'authorised';
      const r = store.reverseAccountPayment(p.paymentId, was === 'authorising' ? 'no answer before restart' : 'not completed before restart');
      decisions.push({ kind: 'accountPaymentReversed', paymentId: p.paymentId, was, receiptNumber: r.receiptNumber, messageKey: r.messageKey });
    } catch (err) {
      left('accountPayment', errorText(err), p.paymentId);
    }
  }

  return {
    acceptor: acceptorReport,
    dispenser: dispenserReport,
    decisions,
    settled: !decisions.some((d) => d.kind === 'leftForTechnician'),
  };
}
