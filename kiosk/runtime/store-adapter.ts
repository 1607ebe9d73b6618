/**
 * The session's store port over the SQLite MoneyStore. Notes pass through untouched: the id a
 * stack intent returns is the store's row id. The withdrawal record carries its note plan from
 * the start, so the plan is made at authorisation.
 */
import type { AccountPaymentStore, MoneyStore, NoteRef, WithdrawalPlanItem } from '../store/money-store.js';
import type { CashInTarget, OpenCashIn, OpenWithdrawal, PinChangeRecord, SessionStore } from '../session/ports.js';
import type { DispensePlanItem } from '../../drivers/dispenser/cash-dispenser.js';

export interface PlanSource {
  plan(amount: number): DispensePlanItem[] | undefined;
  denominationOf(cassette: number): number | undefined;
}

export class StoreAdapter implements SessionStore {
  constructor(
    private readonly store: MoneyStore & AccountPaymentStore,
    private readonly planner: PlanSource,
    /** called after each operation that put a message in the outbox */
    private readonly onQueued: () => void = () => undefined,
  ) {}

  beginCashIn(input: { sessionId: string; target: CashInTarget; offline: boolean }) {
    const t = input.target;
    const target =
      t.kind === 'service'
        ? { kind: 'service' as const, serviceId: t.serviceId, reference: t.reference, label: t.label.slice(0, 80), ...(t.customerId ? { customerId: t.customerId } : {}) }
        : { kind: t.kind, customerId: t.customerId, productId: t.productId, label: t.label.slice(0, 80) };
    return this.store.beginCashIn({ sessionId: input.sessionId, target });
  }

  recordStackIntent(cashInId: string, denomination: number) {
    return this.store.recordStackIntent(cashInId, denomination);
  }

  recordStacked(cashInId: string, note: NoteRef) {
    this.store.recordStacked(cashInId, note);
  }

  recordReturned(cashInId: string, note: NoteRef, reason: string) {
    this.store.recordReturned(cashInId, note, reason);
  }

  endCashIn(cashInId: string, input: { commission: number }) {
    const r = this.store.endCashIn(cashInId, input);
    if (!r.receiptNumber) throw new Error(`cash-in ${cashInId} closed without a receipt (${r.status})`);
    this.onQueued();
    return { receiptNumber: r.receiptNumber };
  }

  openCashIns(): OpenCashIn[] {
    return this.store.openCashIns().map((c) => ({
      cashInId: c.cashInId,
      sessionId: c.sessionId,
      status: c.status === 'unknown' ? 'unknown' : 'active',
      stacked: c.notes.filter((n) => n.state === 'stacked').map((n) => n.denomination),
      pendingIntents: c.notes.filter((n) => n.state === 'intent').map((n) => ({ noteId: n.noteId, denomination: n.denomination })),
    }));
  }

  recordWithdrawalAuthorised(input: { sessionId: string; holdId: string; customerId: string; productId: string; amount: number; commission: number }) {
    const picks = this.planner.plan(input.amount);
    if (!picks) throw new Error(`the cassettes cannot make ${input.amount} tiyn`);
    const plan: WithdrawalPlanItem[] = picks.map((p) => {
      const denomination = this.planner.denominationOf(p.cassette);
      if (!denomination) throw new Error(`cassette ${p.cassette} has no known denomination`);
      return { cassette: p.cassette, count: p.count, denomination };
    });
    return this.store.recordWithdrawalAuthorised({ ...input, plan });
  }

  recordDispensing(withdrawalId: string) {
    this.store.recordDispensing(withdrawalId);
  }

  recordDispensed(withdrawalId: string, result: { perCassette: Array<{ cassette: number; dispensed: number; rejected: number }> }) {
    this.store.recordDispensed(withdrawalId, result.perCassette.map((c) => ({ cassette: c.cassette, dispensed: c.dispensed, rejected: c.rejected })));
  }

  recordPresented(withdrawalId: string, state: 'presented' | 'notPresented' | 'unknown') {
    this.store.recordPresented(withdrawalId, state);
  }

  recordTaken(withdrawalId: string) {
    const r = this.store.recordTaken(withdrawalId);
    this.onQueued();
    return { receiptNumber: r.receiptNumber };
  }

  recordRetracted(withdrawalId: string) {
    this.store.recordRetracted(withdrawalId);
  }

  reverseWithdrawal(withdrawalId: string, reason: string) {
    const r = this.store.reverseWithdrawal(withdrawalId, reason);
    this.onQueued();
    return { receiptNumber: r.receiptNumber };
  }

  openWithdrawals(): OpenWithdrawal[] {
    return this.store.openWithdrawals().map((w) => ({
      withdrawalId: w.withdrawalId,
      holdId: w.holdId,
      amount: w.amount,
      stage: w.presentState === 'unknown' && w.state === 'dispensed' ? 'unknown' : w.state === 'dispensed' && w.presentState === 'presented' ? 'presented' : w.state === 'complete' || w.state === 'reversed' ? 'unknown' : w.state,
    }));
  }

  beginAccountPayment(input: Parameters<AccountPaymentStore['beginAccountPayment']>[0]) {
    return this.store.beginAccountPayment(input);
  }

  recordAccountPaymentAuthorised(paymentId: string, input: { holdId: string; commission: number }) {
    this.store.recordAccountPaymentAuthorised(paymentId, input);
  }

  recordAccountPaymentRefused(paymentId: string, reason: string) {
    this.store.recordAccountPaymentRefused(paymentId, reason);
  }

  completeAccountPayment(paymentId: string) {
    const r = this.store.completeAccountPayment(paymentId);
    this.onQueued();
    return { receiptNumber: r.receiptNumber };
  }

  reverseAccountPayment(paymentId: string, reason: string) {
    const r = this.store.reverseAccountPayment(paymentId, reason);
    this.onQueued();
    return { receiptNumber: r.receiptNumber };
  }

  offlineQueuedTotal() {
    return this.store.offlineExposure();
  }

  recordPinChange(input: PinChangeRecord) {
    if (!this.store.recordPinChange) throw new Error('this store cannot journal a PIN change');
    return this.store.recordPinChange(input);
  }
}
