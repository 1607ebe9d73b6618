/**
 * Settles a cash-in stack intent that no session owns any more, from the acceptor's own word, while
 * the core runs (money invariant 1). The session gives up on a note after `noteSettleMs`; if the
 * device later says what became of it (its stacked / returned event, or its state when its link
 * comes back), that word is recorded at once with the same rule start-up reconciliation uses
 * (`settleAcceptorIntent`), and a cash-in the session already left is finished: stacked notes are
 * credited once (the payment message queued with the journal entry), a returned note never is.
 * Where the device cannot say, nothing is decided: the intent stays open for start-up
 * reconciliation and the technician.
 */
import type { Tiyn } from '../../domain/money.js';
import { sleep } from '../../domain/async.js';
import type { CashAcceptor } from '../../drivers/cash-acceptor/cash-acceptor.js';
import { acceptorWitness, inEscrow, settleAcceptorIntent, type AcceptorWitness } from '../recovery/acceptor-intent.js';
import type { Decision } from '../recovery/reconcile.js';
import type { CashInRecord, MoneyStore } from '../store/money-store.js';
import type { SessionNoteView } from './session-note-view.js';

export type SettlerStore = Pick<MoneyStore, 'openCashIns' | 'cashIn' | 'resolveStackIntent' | 'endCashIn'>;

export interface IntentSettlerOptions {
  store: SettlerStore;
  acceptor: CashAcceptor;
  session: SessionNoteView;
  /** how long the acceptor may take to hand back a note found in escrow (default 10 s) */
  returnTimeoutMs?: number;
  /**
   * Commission on a cash-in the settler finishes. Default: none, as at start-up: the customer
   * never confirmed one for this cash.
   */
  cashInCommission?: (cashIn: CashInRecord) => Tiyn;
  /** a payment message was queued: wake the sync worker */
  onQueued?: () => void;
  /** every decision, for the log */
  onDecision?: (decision: Decision) => void;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isOpen = (c: CashInRecord | undefined): c is CashInRecord => c !== undefined && (c.status === 'active' || c.status === 'unknown');
const openIntents = (c: CashInRecord): Tiyn[] => c.notes.filter((n) => n.state === 'intent').map((n) => n.denomination);

export class IntentSettler {
  readonly #o: IntentSettlerOptions;
  readonly #returnTimeoutMs: number;
  #queue: Promise<void> = Promise.resolve();
  #running = false;
  /** cash-ins whose intents wait for the session to let go (or for escrow to be free) to be read from the device's state */
  readonly #recheck = new Set<string>();
  /** cash-ins whose intents are settled and that the session left open: ended once it lets go */
  readonly #toEnd = new Set<string>();
  /** the device's "handed back" word from its latest reconnect, not yet claimed by an intent */
  #handedBack: { denomination?: Tiyn } | undefined;
  /** `returned` events our own RETURN of an escrowed note will cause: not a word on another note */
  #ownReturns = 0;
  #linkTimer: NodeJS.Immediate | undefined;

  readonly #onStacked = ({ denomination }: { denomination: Tiyn }): void => this.#onWord('stacked', denomination);
  readonly #onReturned = ({ denomination }: { denomination: Tiyn }): void => {
    if (this.#ownReturns > 0) {
      this.#ownReturns--;
      return;
    }
    this.#onWord('returned', denomination);
  };
  readonly #onOnline = (): void => {
    // the driver finishes reading the device's state right after it reports online
    if (this.#linkTimer) clearImmediate(this.#linkTimer);
    this.#linkTimer = setImmediate(() => {
      this.#linkTimer = undefined;
      this.#enqueue(() => this.#onLinkBack());
    });
  };

  constructor(options: IntentSettlerOptions) {
    this.#o = options;
    this.#returnTimeoutMs = options.returnTimeoutMs ?? 10_000;
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    const a = this.#o.acceptor;
    a.on('stacked', this.#onStacked);
    a.on('returned', this.#onReturned);
    a.on('online', this.#onOnline);
    return this;
  }

  /** stops listening and waits for a settlement in progress */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const a = this.#o.acceptor;
    a.off('stacked', this.#onStacked);
    a.off('returned', this.#onReturned);
    a.off('online', this.#onOnline);
    if (this.#linkTimer) clearImmediate(this.#linkTimer);
    await this.#queue;
  }

  /** the session changed state: notes and cash-ins it let go of may now be settled */
  sessionChanged(): void {
    if (this.#recheck.size === 0 && this.#toEnd.size === 0) return;
    this.#enqueue(() => this.#review());
  }

  /** resolves when every settlement queued so far is done */
  idle(): Promise<void> {
    return this.#queue;
  }

  #enqueue(work: () => Promise<void> | void): void {
    if (!this.#running) return;
    this.#queue = this.#queue.then(async () => {
      if (!this.#running) return;
      await work();
    });
  }

  #decide(decision: Decision): void {
    this.#o.onDecision?.(decision);
  }

  // ---- the device's live word: 81 / 82 ----

  #onWord(outcome: 'stacked' | 'returned', denomination: Tiyn): void {
    // read now, not when the queue gets there: a session waiting for a note takes this word itself
    if (this.#o.session.awaitsDeviceWord()) return;
    const cashIn = this.#o.store
      .openCashIns()
      .find((c) => this.#o.session.holder(c.cashInId) !== 'settling' && openIntents(c).includes(denomination));
    if (!cashIn) return;
    const id = cashIn.cashInId;
    this.#enqueue(async () => {
      if (!openIntents(this.#o.store.cashIn(id) ?? cashIn).includes(denomination)) return;
      await this.#settle(id, denomination, { kind: outcome });
      this.#finish(id);
    });
  }

  // ---- the device's state when its link comes back ----

  async #onLinkBack(): Promise<void> {
    const settled = this.#o.acceptor.status().noteSettledAtOpen;
    this.#handedBack = settled?.outcome === 'returned' ? { ...(settled.denomination !== undefined ? { denomination: settled.denomination } : {}) } : undefined;
    // one note in escrow answers for at most one intent in this pass
    const pass = this.#newPass();
    for (const cashIn of this.#o.store.openCashIns()) {
      if (openIntents(cashIn).length === 0) continue;
      if (this.#o.session.holder(cashIn.cashInId) === 'settling') {
        // the session still waits for this note; if it gives up, the device's state decides
        this.#recheck.add(cashIn.cashInId);
        continue;
      }
      await this.#settleFromState(cashIn.cashInId, pass);
    }
  }

  async #review(): Promise<void> {
    for (const id of [...this.#recheck]) {
      if (this.#o.session.holder(id) === 'settling') continue;
      this.#recheck.delete(id);
      await this.#settleFromState(id, this.#newPass());
    }
    for (const id of [...this.#toEnd]) this.#finish(id);
  }

  /** every open intent of the cash-in, from the acceptor's present state (start-up's rule) */
  #newPass(): { escrow: 'claim' | 'spent' | 'busy' } {
    return { escrow: this.#o.session.inCashIn() ? 'busy' : 'claim' };
  }

  async #settleFromState(id: string, pass: { escrow: 'claim' | 'spent' | 'busy' }): Promise<void> {
    const cashIn = this.#o.store.cashIn(id);
    if (!isOpen(cashIn)) return;
    // only a cash-in whose note this settles is finished here; the session ends its own
    let settledAny = false;
    for (const denomination of openIntents(cashIn)) {
      const witness = acceptorWitness(this.#o.acceptor.status(), denomination, { escrow: pass.escrow, handedBack: this.#handedBack });
      if (witness.kind === 'silent') return; // the next reconnect asks again
      if (witness.kind === 'undecided') {
        // asked again each time the session moves on; said once
        if (!this.#recheck.has(id)) this.#decide({ kind: 'leftForTechnician', subject: 'cashIn', id, reason: witness.reason });
        this.#recheck.add(id);
        return;
      }
      if (witness.kind === 'returned') this.#handedBack = undefined;
      const r = await this.#settle(id, denomination, witness);
      if (!r) return;
      settledAny = true;
      if (r === 'escrowReturned') pass.escrow = 'spent';
    }
    if (settledAny) this.#finish(id);
  }

  async #settle(id: string, denomination: Tiyn, witness: AcceptorWitness): Promise<'settled' | 'escrowReturned' | undefined> {
    try {
      const r = await settleAcceptorIntent(this.#o.store, id, denomination, witness, () => this.#returnEscrow());
      if (!r.settled) {
        this.#decide({ kind: 'leftForTechnician', subject: 'cashIn', id, reason: r.reason });
        return undefined;
      }
      if (r.escrowReturned) this.#decide({ kind: 'escrowReturned', denomination, cashInId: id });
      this.#decide({ kind: 'intentResolved', cashInId: id, denomination, outcome: r.outcome });
      return r.escrowReturned ? 'escrowReturned' : 'settled';
    } catch (err) {
      this.#decide({ kind: 'leftForTechnician', subject: 'cashIn', id, reason: errorText(err) });
      return undefined;
    }
  }

  async #returnEscrow(): Promise<boolean> {
    const a = this.#o.acceptor;
    this.#ownReturns++;
    try {
      await a.return();
    } catch {
      this.#ownReturns = Math.max(0, this.#ownReturns - 1);
      return false;
    }
    const until = Date.now() + this.#returnTimeoutMs;
    while (inEscrow(a.status())) {
      if (Date.now() >= until) return false;
      await sleep(25);
    }
    return true;
  }

  /** ends a cash-in whose intents are all settled once no session holds it */
  #finish(id: string): void {
    const cashIn = this.#o.store.cashIn(id);
    if (!isOpen(cashIn) || openIntents(cashIn).length > 0) {
      this.#toEnd.delete(id);
      return;
    }
    if (this.#o.session.holder(id) !== 'none') {
      // the session may still end it itself, with this note counted
      this.#toEnd.add(id);
      return;
    }
    this.#toEnd.delete(id);
    try {
      const ended = this.#o.store.endCashIn(id, { commission: this.#o.cashInCommission?.(cashIn) ?? 0 });
      if (ended.messageKey) this.#o.onQueued?.();
      this.#decide({
        kind: 'cashInEnded', cashInId: id, status: ended.status, total: ended.total, amount: ended.amount,
        ...(ended.receiptNumber ? { receiptNumber: ended.receiptNumber } : {}),
        ...(ended.messageKey ? { messageKey: ended.messageKey } : {}),
      });
    } catch (err) {
      this.#decide({ kind: 'leftForTechnician', subject: 'cashIn', id, reason: errorText(err) });
    }
  }
}
