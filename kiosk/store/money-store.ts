/**
 * MoneyStore: the durable record of every movement of money the session machine makes. Each
 * operation is one SQLite transaction that writes the state row, the journal entry, the counter
 * changes and (where the bank must hear of it) the outbox message together, so a crash leaves
 * either all of them or none.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from './db.js';
import type { OutboxKind } from '../bank/bank-api.js';
import { appendJournal, journalEntryByReceipt, type JournalEntry } from './journal.js';
import { enqueueMessage, outboxByKey, pendingCreditSum, undeliveredMessages, type OutboxState } from './outbox.js';
import { applyCounterDeltas, CASH_BOX, cassetteUnit, REJECT_BIN, RETRACT_BIN, unitCounts, type CounterDelta } from './counters.js';
import { nextReceiptNumber } from './sequences.js';
import { recordAuditIn } from './audit.js';
import type { Tiyn } from '../../domain/money.js';

export type { Tiyn } from '../../domain/money.js';

export class StoreStateError extends Error {
  override readonly name = 'StoreStateError';
}

/** notes counted out of the cassettes but not yet taken, retracted or purged */
export const PRESENTER = 'presenter';

const Id = z.string().min(1).max(64);
const Money = z.number().int().nonnegative();
const Denomination = z.number().int().positive();

export const CashInTarget = z
  .object({
    kind: z.enum(['account', 'wallet', 'loan', 'service']),
    customerId: Id.optional(),
    productId: Id.optional(),
    serviceId: Id.optional(),
    reference: z.string().min(1).max(40).optional(),
    receiptPhone: z.string().regex(/^\+?[0-9]{10,15}$/).optional(),
    /** already masked, for the receipt (e.g. "Aigerim S., KZ** **** 1234") */
    label: z.string().max(80).optional(),
  })
  .refine((t) => (t.kind === 'service' ? !!t.serviceId && !!t.reference : !!t.customerId && !!t.productId), {
    message: 'a service payment needs serviceId and reference; a credit needs customerId and productId',
  });
export type CashInTarget = z.infer<typeof CashInTarget>;

export type CashInStatus = 'active' | 'ok' | 'rollback' | 'retract' | 'unknown';
export type NoteState = 'intent' | 'stacked' | 'returned';

export interface CashInNote {
  /** the note's row: what a stack intent returns and what settles it */
  noteId: number;
  denomination: Tiyn;
  state: NoteState;
  reason?: string;
  at: string;
}

/**
 * Which note a stacked / returned record is about: the stack intent's own row, as
 * `recordStackIntent` returned it (what the session holds). A note is recorded only through its
 * intent, so there is no guessing by denomination.
 */
export interface NoteRef {
  readonly noteId: number;
}

export interface CashInRecord {
  cashInId: string;
  sessionId: string;
  target: CashInTarget;
  status: CashInStatus;
  startedAt: string;
  notes: CashInNote[];
  stackedTotal: Tiyn;
}

export interface EndCashInResult {
  status: 'ok' | 'rollback';
  /** credited to the beneficiary: the cash accepted less the commission */
  amount: Tiyn;
  commission: Tiyn;
  /** the cash accepted (sum of stacked notes) */
  total: Tiyn;
  receiptNumber?: string;
  messageKey?: string;
}

export const WithdrawalPlanItem = z.object({ cassette: z.number().int().nonnegative(), count: z.number().int().positive(), denomination: Denomination });
export type WithdrawalPlanItem = z.infer<typeof WithdrawalPlanItem>;

const WithdrawalInput = z.object({
  sessionId: Id,
  customerId: Id,
  productId: Id,
  amount: Money,
  commission: Money,
  holdId: Id,
  plan: z.array(WithdrawalPlanItem).min(1),
  label: z.string().max(80).optional(),
});
export type WithdrawalInput = z.infer<typeof WithdrawalInput>;

export interface DispensedItem {
  cassette: number;
  dispensed: number;
  rejected: number;
}

export type PresentState = 'presented' | 'notPresented' | 'unknown';
export type WithdrawalState = 'authorised' | 'dispensing' | 'dispensed' | 'complete' | 'reversed';
/** where the withdrawal's counted-out notes are */
export type NotesAt = 'none' | 'presenter' | 'customer' | 'retract' | 'reject';

/**
 * A withdrawal only a person can settle once no session holds it: its dispense was in flight (what
 * left the cassettes is unknown), or its notes were counted into the presenter and never, or
 * perhaps, presented. Service mode lists these; the technician's completion accepts only these.
 */
export const leftForTechnician = (w: Pick<WithdrawalRecord, 'state' | 'notesAt' | 'presentState'>): boolean =>
  w.state === 'dispensing' || (w.state === 'dispensed' && w.notesAt === 'presenter' && w.presentState !== 'presented');

export interface WithdrawalRecord extends WithdrawalInput {
  withdrawalId: string;
  state: WithdrawalState;
  presentState: PresentState;
  notesAt: NotesAt;
  dispensed: DispensedItem[] | null;
  dispensedAmount: Tiyn;
  authorisedAt: string;
  receiptNumber: string | null;
  messageKey: string | null;
}

export type ReceiptOperation = 'cashIn' | 'servicePayment' | 'servicePaymentReverse' | 'withdrawal' | 'withdrawalReverse' | 'collection' | 'replenishment' | 'pinChange';

export interface ReceiptData {
  receiptNumber: string;
  at: string;
  journalSeq: number;
  operation: ReceiptOperation;
  status: string;
  amount: Tiyn;
  commission: Tiyn;
  total: Tiyn;
  notes?: Array<{ denomination: Tiyn; count: number }>;
  customer?: { customerId: string; productId: string; label?: string };
  service?: { serviceId: string; reference: string; receiptPhone?: string; name?: string };
  /** non-financial operations on the inserted card (PIN change): the card, masked */
  card?: { masked: string };
  sessionId?: string;
  technician?: string;
  /** collection / replenishment: the cash units the slip lists (counter, counted, removed) */
  units?: CashUnitSlipLine[];
  /** the bank's side, for disputes: is the message still queued, delivered, or dead-lettered */
  delivery?: { key: string; state: OutboxState; reason?: string };
}

const AccountPaymentInput = z.object({
  sessionId: Id,
  customerId: Id,
  productId: Id,
  label: z.string().max(80).optional(),
  serviceId: Id,
  serviceName: z.string().max(80).optional(),
  reference: z.string().min(1).max(40),
  amount: Money.positive(),
  commission: Money,
  authorisationKey: z.string().min(8).max(80),
});
export type AccountPaymentInput = z.infer<typeof AccountPaymentInput>;
export type AccountPaymentState = 'authorising' | 'authorised' | 'refused' | 'complete' | 'reversed';

export interface AccountPaymentRecord extends AccountPaymentInput {
  paymentId: string;
  state: AccountPaymentState;
  holdId: string | null;
  startedAt: string;
  receiptNumber: string | null;
  messageKey: string | null;
}

/**
 * Service payments from the customer's product (see README: "Payments from an account"). The
 * record is written before the bank is asked, so a lost answer still leaves something to reverse.
 */
export interface AccountPaymentStore {
  beginAccountPayment(input: AccountPaymentInput): { paymentId: string };
  recordAccountPaymentAuthorised(paymentId: string, input: { holdId: string; commission: Tiyn }): void;
  /** the bank said no: nothing is held, nothing goes to the bank */
  recordAccountPaymentRefused(paymentId: string, reason: string): void;
  /** journal entry with the receipt number and the debit message, in one transaction */
  completeAccountPayment(paymentId: string): { receiptNumber: string; messageKey: string };
  /** releases the hold (or voids the authorisation key when the hold was never learnt) */
  reverseAccountPayment(paymentId: string, reason: string): { receiptNumber: string; messageKey: string };
  openAccountPayments(): AccountPaymentRecord[];
  accountPayment(paymentId: string): AccountPaymentRecord | undefined;
}

interface AccountPaymentRow {
  id: string; session_id: string; customer_id: string; product_id: string; label: string | null; service_id: string; service_name: string | null;
  reference: string; amount: number; commission: number; authorisation_key: string; hold_id: string | null; state: AccountPaymentState;
  started_at: string; receipt_number: string | null; message_key: string | null;
}

/** one cash unit on a collection or replenishment slip */
export interface CashUnitSlipLine {
  unit: string;
  denomination: Tiyn;
  /** what the counter said (collection: removed from the unit; replenishment: loaded) */
  count: number;
  /** collection: notes the technician counted, when given */
  counted?: number;
  /** replenishment: notes the technician took out of the cassette, when given */
  removed?: number;
}

/** a counter and a count that disagree; recorded as found, never silently "fixed" */
export interface CashDiscrepancy {
  unit: string;
  denomination: Tiyn;
  counter: number;
  counted: number;
  /** counted - counter */
  difference: number;
}

export interface CashUnitCount {
  unit: string;
  denomination: Tiyn;
  count: number;
}

export interface MoneyStore {
  beginCashIn(input: { sessionId: string; target: CashInTarget }): { cashInId: string };
  /** committed before STACK goes on the wire (invariant 1); the id names this note's row from then on */
  recordStackIntent(cashInId: string, denomination: Tiyn): { noteId: number };
  /** the device stacked the note: the intent's own row, or (by denomination) the device's word alone */
  recordStacked(cashInId: string, note: NoteRef): void;
  recordReturned(cashInId: string, note: NoteRef, reason: string): void;
  endCashIn(cashInId: string, input: { commission: Tiyn }): EndCashInResult;
  openCashIns(): CashInRecord[];
  cashIn(cashInId: string): CashInRecord | undefined;
  markCashInUnknown(cashInId: string): void;
  resolveStackIntent(cashInId: string, denomination: Tiyn, outcome: 'stacked' | 'returned'): void;

  recordWithdrawalAuthorised(input: WithdrawalInput): { withdrawalId: string };
  recordDispensing(withdrawalId: string): void;
  recordDispensed(withdrawalId: string, perCassette: readonly DispensedItem[]): { dispensedAmount: Tiyn };
  recordPresented(withdrawalId: string, state: PresentState): void;
  recordRetracted(withdrawalId: string): void;
  /** `commission` overrides the authorised one when a partial dispense earns a smaller fee */
  recordTaken(withdrawalId: string, options?: { commission?: Tiyn }): { receiptNumber: string; messageKey: string };
  reverseWithdrawal(withdrawalId: string, reason: string, options?: { technician?: string }): { receiptNumber: string; messageKey: string };
  /**
   * A technician says the customer received the notes of a withdrawal start-up reconciliation left
   * open (`dispensing`, or `dispensed` and never/perhaps presented): the debit goes out once.
   */
  completeWithdrawalByTechnician(withdrawalId: string, technician: string): { receiptNumber: string; messageKey: string; amount: Tiyn };
  openWithdrawals(): WithdrawalRecord[];
  withdrawal(withdrawalId: string): WithdrawalRecord | undefined;

  receipt(receiptNumber: string): ReceiptData | undefined;
  /** credits accepted but not yet confirmed by the bank (offline caps) */
  offlineExposure(): Tiyn;
  /**
   * Non-financial: journals how a PIN change started here ended (audit trail, bank rules 8.27).
   * Only a completed change gets a receipt number. No money moves and nothing goes to the bank,
   * which holds the change itself; the PIN never reaches the kiosk.
   */
  recordPinChange?(input: PinChangeJournalInput): { receiptNumber?: string };
}

export interface PinChangeJournalInput {
  sessionId: string;
  customerId: string;
  /** first 6 and last 4 digits only */
  maskedPan: string;
  pinChangeId: string;
  channel: 'push' | 'sms';
  outcome: 'done' | 'failed' | 'expired' | 'cancelled';
}

const PinChangeJournalInput = z.object({
  sessionId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64),
  maskedPan: z.string().regex(/^\d{6}\*{3,9}\d{4}$/, 'card must be masked: first 6, last 4'),
  pinChangeId: z.string().min(1).max(64),
  channel: z.enum(['push', 'sms']),
  outcome: z.enum(['done', 'failed', 'expired', 'cancelled']),
}).strict();

/** electronic receipts (bank rules ch.2 item 5): queued for the bank's SMS gateway */
export interface ReceiptSmsStore {
  /**
   * Journals "receipt sent by SMS" (masked phone only) and queues the text for the bank in the
   * same transaction. `phone` is E.164; `text` is the plain-text rendering of the journal's receipt.
   */
  recordReceiptSms(input: { receiptNumber: string; phone: string; text: string; sessionId?: string }): { messageKey: string };
  /**
   * Journals "receipt pushed to the bank's app" and queues the text for the bank in the same
   * transaction; the bank finds the app by `customerId` (the id identification returned).
   */
  recordReceiptPush(input: { receiptNumber: string; customerId: string; text: string; sessionId?: string }): { messageKey: string };
}

/** technician operations on the cash units; journaled, audited and reported to the bank */
export interface CashUnitStore {
  /**
   * Empties cash box and bins. `counted` (optional) is what the technician counted per unit and
   * denomination; every difference from the counters is journaled as a discrepancy.
   */
  recordCollection(who: string, options?: { counted?: ReadonlyArray<CashUnitCount> }): { receiptNumber: string; messageKey: string; removed: CashUnitCount[]; discrepancies?: CashDiscrepancy[] };
  /** `removed` (optional, an exchange): notes counted out of the cassette; a difference from its counter is a discrepancy */
  recordReplenishment(
    who: string, cassettes: ReadonlyArray<{ cassette: number; denomination: Tiyn; count: number; removed?: number }>,
  ): { receiptNumber: string; messageKey: string; discrepancies?: CashDiscrepancy[] };
  /** a reprint of a receipt (service mode): journaled and audited whether or not it printed */
  recordReceiptCopy?(who: string, receiptNumber: string, outcome: { printed: boolean; failure?: string }): void;
  /** the receipt number a technician typed: the full number, or its digits (date + sequence, or the sequence alone) */
  findReceiptNumber?(typed: string): string | undefined;
  recordAudit(who: string, action: string, details: Record<string, unknown>): void;
  /** messages still queued or dead-lettered, each with its receipt number (invariant 1) */
  undelivered(): Array<{ key: string; kind: OutboxKind; state: OutboxState; receiptNumber: string | null; amount: Tiyn; attempts: number; reason: string | null; createdAt: number }>;
}

export interface SqliteMoneyStoreOptions {
  db: Db;
  terminalId: string;
  now?: () => Date;
  newId?: () => string;
}

interface CashInRow {
  id: string;
  session_id: string;
  target: string;
  status: CashInStatus;
  started_at: string;
  commission: number | null;
  receipt_number: string | null;
  message_key: string | null;
}

interface WithdrawalRow {
  id: string;
  session_id: string;
  customer_id: string;
  product_id: string;
  amount: number;
  commission: number;
  hold_id: string;
  plan: string;
  label: string | null;
  state: WithdrawalState;
  present_state: PresentState;
  notes_at: NotesAt;
  dispensed: string | null;
  dispensed_amount: number;
  authorised_at: string;
  receipt_number: string | null;
  message_key: string | null;
}

const CountedUnit = z.object({ unit: z.enum([CASH_BOX, REJECT_BIN, RETRACT_BIN]), denomination: Denomination, count: z.number().int().nonnegative() });

/** every unit/denomination where the technician's count and the counter disagree */
function collectionDiscrepancies(units: ReadonlyArray<CashUnitCount>, counted: ReadonlyArray<CashUnitCount>): CashDiscrepancy[] {
  const key = (u: { unit: string; denomination: number }): string => `${u.unit}\u0000${u.denomination}`;
  const counter = new Map(units.map((u) => [key(u), u] as const));
  const found = new Map(counted.map((u) => [key(u), u] as const));
  const out: CashDiscrepancy[] = [];
  for (const id of new Set([...counter.keys(), ...found.keys()])) {
    const c = counter.get(id);
    const f = found.get(id);
    const base = c ?? f;
    if (!base) continue;
    // a unit the technician did not count is taken as the counter says
    const countedN = f ? f.count : (c?.count ?? 0);
    const counterN = c?.count ?? 0;
    if (countedN !== counterN) out.push({ unit: base.unit, denomination: base.denomination, counter: counterN, counted: countedN, difference: countedN - counterN });
  }
  return out.sort((a, b) => (a.unit === b.unit ? a.denomination - b.denomination : a.unit < b.unit ? -1 : 1));
}

function noteCounts(denominations: readonly number[]): Array<{ denomination: number; count: number }> {
  const map = new Map<number, number>();
  for (const d of denominations) map.set(d, (map.get(d) ?? 0) + 1);
  return [...map.entries()].sort(([a], [b]) => a - b).map(([denomination, count]) => ({ denomination, count }));
}

/** the journal's form of a receipt phone: `+7 701 *** ** 67` (operator code and last two digits) */
export function maskReceiptPhone(e164: string): string {
  const kz = /^\+7([0-9]{3})[0-9]{5}([0-9]{2})$/.exec(e164);
  if (kz) return `+7 ${kz[1] ?? ''} *** ** ${kz[2] ?? ''}`;
  return e164.length <= 6 ? '*'.repeat(e164.length) : `${e164.slice(0, 3)} *** ${e164.slice(-2)}`;
}

const ReceiptSmsInput = z.object({
  receiptNumber: z.string().min(1).max(40),
  phone: z.string().regex(/^\+[1-9][0-9]{7,14}$/, 'phone must be E.164'),
  text: z.string().min(1).max(2000),
  sessionId: Id.optional(),
});

const ReceiptPushInput = z.object({
  receiptNumber: z.string().min(1).max(40),
  customerId: z.string().min(1).max(64),
  text: z.string().min(1).max(2000),
  sessionId: Id.optional(),
});

function maskPhone(phone: string): string {
  return phone.length <= 6 ? phone : `${phone.slice(0, phone.length - 7)}***${phone.slice(-4)}`;
}

export class SqliteMoneyStore implements MoneyStore, CashUnitStore, ReceiptSmsStore, AccountPaymentStore {
  private readonly db: Db;
  private readonly terminalId: string;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(options: SqliteMoneyStoreOptions) {
    if (!/^[A-Za-z0-9-]{1,20}$/.test(options.terminalId)) throw new Error(`terminal id "${options.terminalId}" must be 1-20 letters, digits or dashes`);
    this.db = options.db;
    this.terminalId = options.terminalId;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => randomUUID());
  }

  private tx<T>(fn: (at: Date) => T): T {
    // IMMEDIATE takes the write lock up front, so a second connection (the sync worker in another
    // process) waits on busy_timeout instead of failing a lock upgrade half-way.
    return this.db.transaction(() => fn(this.now())).immediate();
  }

  private journal(type: string, payload: Record<string, unknown>, at: Date): JournalEntry {
    return appendJournal(this.db, type, payload, at);
  }

  private enqueue(kind: OutboxKind, body: Record<string, unknown>, entry: JournalEntry, at: Date, extra: { sessionId?: string; receiptNumber: string; credit?: number }): string {
    const message = enqueueMessage(this.db, {
      terminalId: this.terminalId, kind, body, journalSeq: entry.seq, nowMs: at.getTime(),
      sessionId: extra.sessionId, receiptNumber: extra.receiptNumber, creditAmount: extra.credit,
    });
    return message.key;
  }

  // ---- cash-in ----------------------------------------------------------------------------

  beginCashIn(input: { sessionId: string; target: CashInTarget }): { cashInId: string } {
    const sessionId = Id.parse(input.sessionId);
    const target = CashInTarget.parse(input.target);
    return this.tx((at) => {
      const cashInId = `ci-${this.newId()}`;
      this.db.prepare("INSERT INTO cash_ins (id, session_id, target, status, started_at) VALUES (?, ?, ?, 'active', ?)").run(
        cashInId, sessionId, JSON.stringify(target), at.toISOString(),
      );
      this.journal('cashInStart', { cashInId, sessionId, target: this.publicTarget(target) }, at);
      return { cashInId };
    });
  }

  private publicTarget(target: CashInTarget): Record<string, unknown> {
    return { ...target, receiptPhone: target.receiptPhone ? maskPhone(target.receiptPhone) : undefined };
  }

  private cashInRow(cashInId: string): CashInRow {
    const row = this.db.prepare('SELECT * FROM cash_ins WHERE id = ?').get(cashInId) as CashInRow | undefined;
    if (!row) throw new StoreStateError(`no cash-in ${cashInId}`);
    return row;
  }

  private requireOpen(row: CashInRow, action: string): void {
    if (row.status !== 'active' && row.status !== 'unknown') throw new StoreStateError(`cannot ${action}: cash-in ${row.id} is ${row.status}`);
  }

  recordStackIntent(cashInId: string, denomination: Tiyn): { noteId: number } {
    Denomination.parse(denomination);
    return this.tx((at) => {
      const row = this.cashInRow(cashInId);
      if (row.status !== 'active') throw new StoreStateError(`cannot stack into cash-in ${cashInId}: it is ${row.status}`);
      const inserted = this.db.prepare("INSERT INTO cash_in_notes (cash_in_id, denomination, state, at) VALUES (?, ?, 'intent', ?)").run(cashInId, denomination, at.toISOString());
      const noteId = Number(inserted.lastInsertRowid);
      this.journal('stackIntent', { cashInId, denomination, noteId }, at);
      return { noteId };
    });
  }

  /** the open intent a note reference names, with its denomination; a row id must be this cash-in's open intent */
  private noteOf(cashInId: string, note: NoteRef): { id: number; denomination: Tiyn } {
    const row = this.db.prepare('SELECT cash_in_id AS cashInId, denomination, state FROM cash_in_notes WHERE id = ?').get(note.noteId) as
      | { cashInId: string; denomination: number; state: NoteState }
      | undefined;
    if (row?.cashInId !== cashInId) throw new StoreStateError(`note ${note.noteId} is not a note of cash-in ${cashInId}`);
    if (row.state !== 'intent') throw new StoreStateError(`note ${note.noteId} of cash-in ${cashInId} is already ${row.state}`);
    return { id: note.noteId, denomination: row.denomination };
  }

  /** oldest unresolved intent of that denomination, if any */
  private intentId(cashInId: string, denomination: number): number | undefined {
    const row = this.db
      .prepare("SELECT id FROM cash_in_notes WHERE cash_in_id = ? AND denomination = ? AND state = 'intent' ORDER BY id LIMIT 1")
      .get(cashInId, denomination) as { id: number } | undefined;
    return row?.id;
  }

  private stack(cashInId: string, note: { id: number; denomination: number }, at: Date, type: string, extra: Record<string, unknown>): void {
    const { id, denomination } = note;
    this.db.prepare("UPDATE cash_in_notes SET state = 'stacked', at = ? WHERE id = ?").run(at.toISOString(), id);
    const counterDeltas: CounterDelta[] = [{ unit: CASH_BOX, denomination, delta: 1 }];
    applyCounterDeltas(this.db, counterDeltas);
    this.journal(type, { cashInId, denomination, counterDeltas, ...extra }, at);
  }

  private returnNote(cashInId: string, note: { id: number; denomination: number }, reason: string, at: Date, type: string): void {
    const { id, denomination } = note;
    this.db.prepare("UPDATE cash_in_notes SET state = 'returned', reason = ?, at = ? WHERE id = ?").run(reason, at.toISOString(), id);
    this.journal(type, { cashInId, denomination, reason }, at);
  }

  recordStacked(cashInId: string, note: NoteRef): void {
    this.tx((at) => {
      this.requireOpen(this.cashInRow(cashInId), 'record a stacked note');
      this.stack(cashInId, this.noteOf(cashInId, note), at, 'noteStacked', {});
    });
  }

  recordReturned(cashInId: string, note: NoteRef, reason: string): void {
    this.tx((at) => {
      this.requireOpen(this.cashInRow(cashInId), 'record a returned note');
      this.returnNote(cashInId, this.noteOf(cashInId, note), reason.slice(0, 80), at, 'noteReturned');
    });
  }

  resolveStackIntent(cashInId: string, denomination: Tiyn, outcome: 'stacked' | 'returned'): void {
    Denomination.parse(denomination);
    this.tx((at) => {
      this.requireOpen(this.cashInRow(cashInId), 'reconcile a note');
      const id = this.intentId(cashInId, denomination);
      if (id === undefined) throw new StoreStateError(`cash-in ${cashInId} has no open intent for ${denomination}`);
      if (outcome === 'stacked') this.stack(cashInId, { id, denomination }, at, 'intentResolved', { outcome });
      else this.returnNote(cashInId, { id, denomination }, 'reconciled', at, 'intentResolved');
    });
  }

  markCashInUnknown(cashInId: string): void {
    this.tx((at) => {
      const row = this.cashInRow(cashInId);
      this.requireOpen(row, 'mark unknown');
      this.db.prepare("UPDATE cash_ins SET status = 'unknown' WHERE id = ?").run(cashInId);
      this.journal('cashInUnknown', { cashInId, previous: row.status }, at);
    });
  }

  endCashIn(cashInId: string, input: { commission: Tiyn }): EndCashInResult {
    const commission = Money.parse(input.commission);
    return this.tx((at) => {
      const row = this.cashInRow(cashInId);
      this.requireOpen(row, 'end');
      const notes = this.notes(cashInId);
      const open = notes.filter((n) => n.state === 'intent');
      if (open.length > 0) throw new StoreStateError(`cash-in ${cashInId} has ${open.length} unresolved stack intent(s); reconcile them first`);
      const stacked = notes.filter((n) => n.state === 'stacked').map((n) => n.denomination);
      const cash = stacked.reduce((s, d) => s + d, 0);
      if (cash === 0) {
        this.db.prepare("UPDATE cash_ins SET status = 'rollback', ended_at = ? WHERE id = ?").run(at.toISOString(), cashInId);
        this.journal('cashInRollback', { cashInId, sessionId: row.session_id, returned: notes.length }, at);
        return { status: 'rollback', amount: 0, commission: 0, total: 0 };
      }
      if (commission > cash) throw new StoreStateError(`commission ${commission} exceeds the cash accepted (${cash})`);
      // the notes in the box are the total: the commission comes out of them, the rest is credited
      const amount = cash - commission;
      const target = CashInTarget.parse(JSON.parse(row.target));
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const counted = noteCounts(stacked);
      const base = { receiptNumber, sessionId: row.session_id, at: at.toISOString() };
      const isService = target.kind === 'service';
      const kind: OutboxKind = isService ? 'servicePayment' : 'cashInCredit';
      const body = isService
        ? { ...base, serviceId: target.serviceId, reference: target.reference, amount, commission, notes: counted, receiptPhone: target.receiptPhone }
        : { ...base, customerId: target.customerId, productId: target.productId, amount, commission, notes: counted };
      const receipt = {
        operation: isService ? 'servicePayment' : 'cashIn', status: 'ok', amount, commission, total: cash, notes: counted,
        ...(isService
          ? { service: { serviceId: target.serviceId, reference: target.reference, receiptPhone: target.receiptPhone ? maskPhone(target.receiptPhone) : undefined } }
          : { customer: { customerId: target.customerId, productId: target.productId, label: target.label } }),
        sessionId: row.session_id,
      };
      const entry = this.journal('cashInEnd', { cashInId, receiptNumber, receipt }, at);
      const messageKey = this.enqueue(kind, body, entry, at, { sessionId: row.session_id, receiptNumber, credit: cash });
      this.db.prepare("UPDATE cash_ins SET status = 'ok', ended_at = ?, commission = ?, receipt_number = ?, message_key = ? WHERE id = ?").run(
        at.toISOString(), commission, receiptNumber, messageKey, cashInId,
      );
      return { status: 'ok', amount, commission, total: cash, receiptNumber, messageKey };
    });
  }

  private notes(cashInId: string): CashInNote[] {
    const rows = this.db.prepare('SELECT id, denomination, state, reason, at FROM cash_in_notes WHERE cash_in_id = ? ORDER BY id').all(cashInId) as Array<{
      id: number; denomination: number; state: NoteState; reason: string | null; at: string;
    }>;
    return rows.map((r) => ({ noteId: r.id, denomination: r.denomination, state: r.state, at: r.at, ...(r.reason ? { reason: r.reason } : {}) }));
  }

  private toCashIn(row: CashInRow): CashInRecord {
    const notes = this.notes(row.id);
    return {
      cashInId: row.id, sessionId: row.session_id, target: CashInTarget.parse(JSON.parse(row.target)), status: row.status,
      startedAt: row.started_at, notes, stackedTotal: notes.filter((n) => n.state === 'stacked').reduce((s, n) => s + n.denomination, 0),
    };
  }

  openCashIns(): CashInRecord[] {
    const rows = this.db.prepare("SELECT * FROM cash_ins WHERE status IN ('active', 'unknown') ORDER BY started_at, id").all() as CashInRow[];
    return rows.map((r) => this.toCashIn(r));
  }

  cashIn(cashInId: string): CashInRecord | undefined {
    const row = this.db.prepare('SELECT * FROM cash_ins WHERE id = ?').get(cashInId) as CashInRow | undefined;
    return row ? this.toCashIn(row) : undefined;
  }

  // ---- withdrawal -------------------------------------------------------------------------

  recordWithdrawalAuthorised(input: WithdrawalInput): { withdrawalId: string } {
    const w = WithdrawalInput.parse(input);
    const planned = w.plan.reduce((s, p) => s + p.count * p.denomination, 0);
    if (planned !== w.amount) throw new StoreStateError(`dispense plan adds up to ${planned}, not the authorised ${w.amount}`);
    return this.tx((at) => {
      const withdrawalId = `wd-${this.newId()}`;
      this.db
        .prepare(
          `INSERT INTO withdrawals (id, session_id, customer_id, product_id, amount, commission, hold_id, plan, label, state, present_state, notes_at, authorised_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'authorised', 'notPresented', 'none', ?)`,
        )
        .run(withdrawalId, w.sessionId, w.customerId, w.productId, w.amount, w.commission, w.holdId, JSON.stringify(w.plan), w.label ?? null, at.toISOString());
      this.journal('withdrawalAuthorised', { withdrawalId, sessionId: w.sessionId, customerId: w.customerId, productId: w.productId, amount: w.amount, commission: w.commission, holdId: w.holdId, plan: w.plan }, at);
      return { withdrawalId };
    });
  }

  private withdrawalRow(id: string): WithdrawalRow {
    const row = this.db.prepare('SELECT * FROM withdrawals WHERE id = ?').get(id) as WithdrawalRow | undefined;
    if (!row) throw new StoreStateError(`no withdrawal ${id}`);
    return row;
  }

  private toWithdrawal(row: WithdrawalRow): WithdrawalRecord {
    return {
      withdrawalId: row.id, sessionId: row.session_id, customerId: row.customer_id, productId: row.product_id, amount: row.amount,
      commission: row.commission, holdId: row.hold_id, plan: JSON.parse(row.plan) as WithdrawalPlanItem[], ...(row.label ? { label: row.label } : {}),
      state: row.state, presentState: row.present_state, notesAt: row.notes_at,
      dispensed: row.dispensed ? (JSON.parse(row.dispensed) as DispensedItem[]) : null, dispensedAmount: row.dispensed_amount,
      authorisedAt: row.authorised_at, receiptNumber: row.receipt_number, messageKey: row.message_key,
    };
  }

  /** the dispensed notes as counter changes moving them out of `from` into `to` (`to` null: out of the machine) */
  private presenterMoves(row: WithdrawalRow, from: string, to: string | null): CounterDelta[] {
    const plan = JSON.parse(row.plan) as WithdrawalPlanItem[];
    const dispensed = row.dispensed ? (JSON.parse(row.dispensed) as DispensedItem[]) : [];
    const deltas: CounterDelta[] = [];
    for (const d of dispensed) {
      const denomination = plan.find((p) => p.cassette === d.cassette)?.denomination;
      if (denomination === undefined || d.dispensed === 0) continue;
      deltas.push({ unit: from, denomination, delta: -d.dispensed });
      if (to) deltas.push({ unit: to, denomination, delta: d.dispensed });
    }
    return deltas;
  }

  recordDispensing(withdrawalId: string): void {
    this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (row.state !== 'authorised') throw new StoreStateError(`cannot dispense withdrawal ${withdrawalId}: it is ${row.state}`);
      this.db.prepare("UPDATE withdrawals SET state = 'dispensing', present_state = 'unknown' WHERE id = ?").run(withdrawalId);
      this.journal('withdrawalDispensing', { withdrawalId }, at);
    });
  }

  recordDispensed(withdrawalId: string, perCassette: readonly DispensedItem[]): { dispensedAmount: Tiyn } {
    return this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (row.state !== 'dispensing') throw new StoreStateError(`withdrawal ${withdrawalId} is ${row.state}, not dispensing`);
      const plan = JSON.parse(row.plan) as WithdrawalPlanItem[];
      const counterDeltas: CounterDelta[] = [];
      let dispensedAmount = 0;
      const items: DispensedItem[] = perCassette.map((c) => ({ cassette: c.cassette, dispensed: c.dispensed, rejected: c.rejected }));
      for (const c of items) {
        const item = plan.find((p) => p.cassette === c.cassette);
        if (!item) throw new StoreStateError(`cassette ${c.cassette} is not in the plan of withdrawal ${withdrawalId}`);
        if (!Number.isSafeInteger(c.dispensed) || !Number.isSafeInteger(c.rejected) || c.dispensed < 0 || c.rejected < 0) throw new RangeError('bad dispense counts');
        if (c.dispensed > item.count) throw new StoreStateError(`cassette ${c.cassette} reports ${c.dispensed} notes dispensed, more than the ${item.count} planned`);
        if (c.dispensed + c.rejected > 0) counterDeltas.push({ unit: cassetteUnit(c.cassette), denomination: item.denomination, delta: -(c.dispensed + c.rejected) });
        if (c.rejected > 0) counterDeltas.push({ unit: REJECT_BIN, denomination: item.denomination, delta: c.rejected });
        if (c.dispensed > 0) counterDeltas.push({ unit: PRESENTER, denomination: item.denomination, delta: c.dispensed });
        dispensedAmount += c.dispensed * item.denomination;
      }
      applyCounterDeltas(this.db, counterDeltas);
      this.db
        .prepare("UPDATE withdrawals SET state = 'dispensed', present_state = 'notPresented', notes_at = ?, dispensed = ?, dispensed_amount = ? WHERE id = ?")
        .run(dispensedAmount > 0 ? 'presenter' : 'none', JSON.stringify(items), dispensedAmount, withdrawalId);
      this.journal('withdrawalDispensed', { withdrawalId, perCassette: items, dispensedAmount, counterDeltas }, at);
      return { dispensedAmount };
    });
  }

  recordPresented(withdrawalId: string, state: PresentState): void {
    this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (row.state !== 'dispensed') throw new StoreStateError(`withdrawal ${withdrawalId} is ${row.state}; only dispensed notes can be presented`);
      this.db.prepare('UPDATE withdrawals SET present_state = ? WHERE id = ?').run(state, withdrawalId);
      this.journal('withdrawalPresented', { withdrawalId, presentState: state }, at);
    });
  }

  recordRetracted(withdrawalId: string): void {
    this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (row.state !== 'dispensed' || row.notes_at !== 'presenter') throw new StoreStateError(`withdrawal ${withdrawalId} has no notes in the presenter to retract`);
      const counterDeltas = this.presenterMoves(row, PRESENTER, RETRACT_BIN);
      applyCounterDeltas(this.db, counterDeltas);
      this.db.prepare("UPDATE withdrawals SET present_state = 'notPresented', notes_at = 'retract' WHERE id = ?").run(withdrawalId);
      this.journal('withdrawalRetracted', { withdrawalId, counterDeltas }, at);
    });
  }

  recordTaken(withdrawalId: string, options: { commission?: Tiyn } = {}): { receiptNumber: string; messageKey: string } {
    const override = options.commission === undefined ? undefined : Money.parse(options.commission);
    return this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (row.state !== 'dispensed' || row.notes_at !== 'presenter') throw new StoreStateError(`withdrawal ${withdrawalId} has no presented notes to take (${row.state}, ${row.notes_at})`);
      if (row.present_state === 'notPresented') throw new StoreStateError(`withdrawal ${withdrawalId} was never presented`);
      if (override !== undefined && override > row.commission) throw new StoreStateError(`commission ${override} exceeds the authorised ${row.commission}`);
      const { receiptNumber, messageKey } = this.withdrawalTaken(row, this.presenterMoves(row, PRESENTER, null), row.dispensed_amount, override ?? row.commission, at);
      return { receiptNumber, messageKey };
    });
  }

  completeWithdrawalByTechnician(withdrawalId: string, technician: string): { receiptNumber: string; messageKey: string; amount: Tiyn } {
    return this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (!leftForTechnician({ state: row.state, notesAt: row.notes_at, presentState: row.present_state })) {
        throw new StoreStateError(`withdrawal ${withdrawalId} (${row.state}, ${row.notes_at}, ${row.present_state}) is not one left for the technician`);
      }
      let counterDeltas: CounterDelta[];
      let amount: number;
      if (row.state === 'dispensing') {
        // the DISPENSE reply never came, so no counter moved: the technician's word is that the
        // whole plan left the cassettes and reached the customer. It leaves each cassette's counter
        // straight for outside the machine (never through the presenter, where nothing was
        // counted); a different real count shows as a discrepancy at the next collection
        const plan = JSON.parse(row.plan) as WithdrawalPlanItem[];
        counterDeltas = plan.map((p) => ({ unit: cassetteUnit(p.cassette), denomination: p.denomination, delta: -p.count }));
        amount = row.amount;
        const items: DispensedItem[] = plan.map((p) => ({ cassette: p.cassette, dispensed: p.count, rejected: 0 }));
        this.db.prepare('UPDATE withdrawals SET dispensed = ?, dispensed_amount = ? WHERE id = ?').run(JSON.stringify(items), amount, withdrawalId);
      } else {
        // counted into the presenter when DISPENSE answered: they leave it for the customer
        counterDeltas = this.presenterMoves(row, PRESENTER, null);
        amount = row.dispensed_amount;
      }
      return { ...this.withdrawalTaken(row, counterDeltas, amount, row.commission, at, technician), amount };
    });
  }

  /** the notes are the customer's: counters, receipt, journal entry and the debit message in one go */
  private withdrawalTaken(row: WithdrawalRow, counterDeltas: CounterDelta[], amount: number, commission: number, at: Date, technician?: string): { receiptNumber: string; messageKey: string } {
    applyCounterDeltas(this.db, counterDeltas);
    const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
    const withdrawalId = row.id;
    const receipt = {
      operation: 'withdrawal', status: amount === row.amount ? 'ok' : 'partial', amount, commission, total: amount + commission,
      customer: { customerId: row.customer_id, productId: row.product_id, label: row.label ?? undefined }, sessionId: row.session_id,
      ...(technician ? { technician } : {}),
    };
    const entry = this.journal('withdrawalTaken', { withdrawalId, receiptNumber, receipt, counterDeltas, ...(technician ? { technician } : {}) }, at);
    if (technician) recordAuditIn(this.db, technician, 'withdrawalComplete', { withdrawalId, amount, receiptNumber }, at, entry);
    const body = { receiptNumber, sessionId: row.session_id, at: at.toISOString(), holdId: row.hold_id, amount, commission };
    const messageKey = this.enqueue('withdrawalComplete', body, entry, at, { sessionId: row.session_id, receiptNumber });
    this.db
      .prepare("UPDATE withdrawals SET state = 'complete', present_state = 'presented', notes_at = 'customer', ended_at = ?, receipt_number = ?, message_key = ? WHERE id = ?")
      .run(at.toISOString(), receiptNumber, messageKey, withdrawalId);
    return { receiptNumber, messageKey };
  }

  reverseWithdrawal(withdrawalId: string, reason: string, options: { technician?: string } = {}): { receiptNumber: string; messageKey: string } {
    return this.tx((at) => {
      const row = this.withdrawalRow(withdrawalId);
      if (row.state === 'complete' || row.state === 'reversed') throw new StoreStateError(`withdrawal ${withdrawalId} is already ${row.state}`);
      if (row.present_state === 'presented' && row.notes_at === 'presenter') {
        throw new StoreStateError(`withdrawal ${withdrawalId} was presented; retract the notes before reversing`);
      }
      if (row.present_state === 'unknown' && !options.technician) {
        throw new StoreStateError(`withdrawal ${withdrawalId} has an unknown present state; a technician must decide`);
      }
      // notes still in the transport are purged to the reject bin by the dispenser's reset
      const counterDeltas = row.notes_at === 'presenter' ? this.presenterMoves(row, PRESENTER, REJECT_BIN) : [];
      applyCounterDeltas(this.db, counterDeltas);
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const why = reason.slice(0, 80);
      const receipt = {
        operation: 'withdrawalReverse', status: 'reversed', amount: 0, commission: 0, total: 0,
        customer: { customerId: row.customer_id, productId: row.product_id, label: row.label ?? undefined }, sessionId: row.session_id,
        technician: options.technician,
      };
      const entry = this.journal('withdrawalReversed', { withdrawalId, receiptNumber, reason: why, receipt, counterDeltas, technician: options.technician }, at);
      if (options.technician) recordAuditIn(this.db, options.technician, 'withdrawalReverse', { withdrawalId, reason: why, receiptNumber }, at, entry);
      const body = { receiptNumber, sessionId: row.session_id, at: at.toISOString(), holdId: row.hold_id, reason: why };
      const messageKey = this.enqueue('withdrawalReverse', body, entry, at, { sessionId: row.session_id, receiptNumber });
      this.db
        .prepare("UPDATE withdrawals SET state = 'reversed', notes_at = CASE notes_at WHEN 'presenter' THEN 'reject' ELSE notes_at END, ended_at = ?, receipt_number = ?, message_key = ?, reverse_reason = ? WHERE id = ?")
        .run(at.toISOString(), receiptNumber, messageKey, why, withdrawalId);
      return { receiptNumber, messageKey };
    });
  }

  openWithdrawals(): WithdrawalRecord[] {
    const rows = this.db.prepare("SELECT * FROM withdrawals WHERE state NOT IN ('complete', 'reversed') ORDER BY authorised_at, id").all() as WithdrawalRow[];
    return rows.map((r) => this.toWithdrawal(r));
  }

  withdrawal(withdrawalId: string): WithdrawalRecord | undefined {
    const row = this.db.prepare('SELECT * FROM withdrawals WHERE id = ?').get(withdrawalId) as WithdrawalRow | undefined;
    return row ? this.toWithdrawal(row) : undefined;
  }

  // ---- service payment from an account ------------------------------------------------------

  beginAccountPayment(input: AccountPaymentInput): { paymentId: string } {
    const p = AccountPaymentInput.parse(input);
    return this.tx((at) => {
      const paymentId = `ap-${this.newId()}`;
      this.db
        .prepare(
          `INSERT INTO account_payments (id, session_id, customer_id, product_id, label, service_id, service_name, reference, amount, commission, authorisation_key, state, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'authorising', ?)`,
        )
        .run(paymentId, p.sessionId, p.customerId, p.productId, p.label ?? null, p.serviceId, p.serviceName ?? null, p.reference, p.amount, p.commission, p.authorisationKey, at.toISOString());
      this.journal('accountPaymentAuthorising', { paymentId, ...p }, at);
      return { paymentId };
    });
  }

  private accountPaymentRow(id: string): AccountPaymentRow {
    const row = this.db.prepare('SELECT * FROM account_payments WHERE id = ?').get(id) as AccountPaymentRow | undefined;
    if (!row) throw new StoreStateError(`no account payment ${id}`);
    return row;
  }

  recordAccountPaymentAuthorised(paymentId: string, input: { holdId: string; commission: Tiyn }): void {
    const holdId = Id.parse(input.holdId);
    const commission = Money.parse(input.commission);
    this.tx((at) => {
      const row = this.accountPaymentRow(paymentId);
      if (row.state !== 'authorising') throw new StoreStateError(`account payment ${paymentId} is ${row.state}, not authorising`);
      // the customer consented to the commission shown; a different one is never charged
      if (commission !== row.commission) throw new StoreStateError(`the bank held commission ${commission}, the customer agreed to ${row.commission}`);
      this.db.prepare("UPDATE account_payments SET state = 'authorised', hold_id = ? WHERE id = ?").run(holdId, paymentId);
      this.journal('accountPaymentAuthorised', { paymentId, holdId }, at);
    });
  }

  recordAccountPaymentRefused(paymentId: string, reason: string): void {
    this.tx((at) => {
      const row = this.accountPaymentRow(paymentId);
      if (row.state !== 'authorising') throw new StoreStateError(`account payment ${paymentId} is ${row.state}, not authorising`);
      const why = reason.slice(0, 80);
      this.db.prepare("UPDATE account_payments SET state = 'refused', ended_at = ?, end_reason = ? WHERE id = ?").run(at.toISOString(), why, paymentId);
      this.journal('accountPaymentRefused', { paymentId, reason: why }, at);
    });
  }

  completeAccountPayment(paymentId: string): { receiptNumber: string; messageKey: string } {
    return this.tx((at) => {
      const row = this.accountPaymentRow(paymentId);
      if (row.state !== 'authorised' || !row.hold_id) throw new StoreStateError(`account payment ${paymentId} is ${row.state}; only an authorised one completes`);
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const receipt = {
        operation: 'servicePayment', status: 'ok', amount: row.amount, commission: row.commission, total: row.amount + row.commission,
        service: { serviceId: row.service_id, reference: row.reference, ...(row.service_name ? { name: row.service_name } : {}) },
        customer: { customerId: row.customer_id, productId: row.product_id, ...(row.label ? { label: row.label } : {}) },
        sessionId: row.session_id,
      };
      const entry = this.journal('accountPaymentComplete', { paymentId, receiptNumber, holdId: row.hold_id, receipt }, at);
      const body = {
        receiptNumber, sessionId: row.session_id, at: at.toISOString(), serviceId: row.service_id, reference: row.reference,
        amount: row.amount, commission: row.commission, source: { customerId: row.customer_id, productId: row.product_id }, holdId: row.hold_id,
      };
      const messageKey = this.enqueue('servicePayment', body, entry, at, { sessionId: row.session_id, receiptNumber });
      this.db.prepare("UPDATE account_payments SET state = 'complete', ended_at = ?, receipt_number = ?, message_key = ? WHERE id = ?")
        .run(at.toISOString(), receiptNumber, messageKey, paymentId);
      return { receiptNumber, messageKey };
    });
  }

  reverseAccountPayment(paymentId: string, reason: string): { receiptNumber: string; messageKey: string } {
    return this.tx((at) => {
      const row = this.accountPaymentRow(paymentId);
      if (row.state !== 'authorising' && row.state !== 'authorised') throw new StoreStateError(`account payment ${paymentId} is already ${row.state}`);
      const why = reason.slice(0, 80);
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const receipt = {
        operation: 'servicePaymentReverse', status: 'reversed', amount: 0, commission: 0, total: 0,
        service: { serviceId: row.service_id, reference: row.reference, ...(row.service_name ? { name: row.service_name } : {}) },
        customer: { customerId: row.customer_id, productId: row.product_id, ...(row.label ? { label: row.label } : {}) },
        sessionId: row.session_id,
      };
      const entry = this.journal('accountPaymentReversed', { paymentId, receiptNumber, reason: why, holdId: row.hold_id, receipt }, at);
      const body = {
        receiptNumber, sessionId: row.session_id, at: at.toISOString(), authorisationKey: row.authorisation_key, reason: why,
        ...(row.hold_id ? { holdId: row.hold_id } : {}),
      };
      const messageKey = this.enqueue('servicePaymentReverse', body, entry, at, { sessionId: row.session_id, receiptNumber });
      this.db.prepare("UPDATE account_payments SET state = 'reversed', ended_at = ?, receipt_number = ?, message_key = ?, end_reason = ? WHERE id = ?")
        .run(at.toISOString(), receiptNumber, messageKey, why, paymentId);
      return { receiptNumber, messageKey };
    });
  }

  private toAccountPayment(r: AccountPaymentRow): AccountPaymentRecord {
    return {
      paymentId: r.id, sessionId: r.session_id, customerId: r.customer_id, productId: r.product_id, ...(r.label ? { label: r.label } : {}),
      serviceId: r.service_id, ...(r.service_name ? { serviceName: r.service_name } : {}), reference: r.reference, amount: r.amount,
      commission: r.commission, authorisationKey: r.authorisation_key, holdId: r.hold_id, state: r.state, startedAt: r.started_at,
      receiptNumber: r.receipt_number, messageKey: r.message_key,
    };
  }

  openAccountPayments(): AccountPaymentRecord[] {
    const rows = this.db.prepare("SELECT * FROM account_payments WHERE state IN ('authorising', 'authorised') ORDER BY started_at, id").all() as AccountPaymentRow[];
    return rows.map((r) => this.toAccountPayment(r));
  }

  accountPayment(paymentId: string): AccountPaymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM account_payments WHERE id = ?').get(paymentId) as AccountPaymentRow | undefined;
    return row ? this.toAccountPayment(row) : undefined;
  }

  // ---- receipts, exposure -----------------------------------------------------------------

  receipt(receiptNumber: string): ReceiptData | undefined {
    const entry = journalEntryByReceipt(this.db, receiptNumber);
    if (!entry) return undefined;
    const receipt = entry.payload.receipt as Omit<ReceiptData, 'receiptNumber' | 'at' | 'journalSeq' | 'delivery'> | undefined;
    if (!receipt) return undefined;
    const message = this.db.prepare('SELECT key FROM outbox WHERE journal_seq = ?').get(entry.seq) as { key: string } | undefined;
    const record = message ? outboxByKey(this.db, message.key) : undefined;
    return {
      ...receipt, receiptNumber, at: entry.at, journalSeq: entry.seq,
      ...(record ? { delivery: { key: record.key, state: record.state, ...(record.deadReason ? { reason: record.deadReason } : {}) } } : {}),
    };
  }

  recordPinChange(input: PinChangeJournalInput): { receiptNumber?: string } {
    const c = PinChangeJournalInput.parse(input);
    return this.tx((at) => {
      const base = { sessionId: c.sessionId, customerId: c.customerId, card: c.maskedPan, pinChangeId: c.pinChangeId, channel: c.channel, outcome: c.outcome };
      if (c.outcome !== 'done') {
        this.journal('pinChange', base, at);
        return {};
      }
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const receipt = {
        operation: 'pinChange', status: 'completed', amount: 0, commission: 0, total: 0, card: { masked: c.maskedPan }, sessionId: c.sessionId,
      };
      this.journal('pinChange', { ...base, receiptNumber, receipt }, at);
      return { receiptNumber };
    });
  }

  recordReceiptSms(input: { receiptNumber: string; phone: string; text: string; sessionId?: string }): { messageKey: string } {
    const { receiptNumber, phone, text, sessionId } = ReceiptSmsInput.parse(input);
    return this.tx((at) => {
      const source = journalEntryByReceipt(this.db, receiptNumber);
      if (!source) throw new StoreStateError(`no receipt ${receiptNumber} to send by SMS`);
      const session = sessionId ?? (typeof source.payload.receipt === 'object' && source.payload.receipt !== null
        ? (source.payload.receipt as { sessionId?: unknown }).sessionId : undefined);
      const bodySession = typeof session === 'string' && session.length > 0 ? session : `receipt-${receiptNumber}`;
      // the receipt number goes under its own name: the journal indexes `receiptNumber` as unique
      const entry = this.journal('receiptSms', { ofReceipt: receiptNumber, phone: maskReceiptPhone(phone), sessionId: bodySession }, at);
      const body = { receiptNumber, sessionId: bodySession, at: at.toISOString(), phone, text };
      const messageKey = this.enqueue('receiptSms', body, entry, at, { sessionId: bodySession, receiptNumber });
      return { messageKey };
    });
  }

  recordReceiptPush(input: { receiptNumber: string; customerId: string; text: string; sessionId?: string }): { messageKey: string } {
    const { receiptNumber, customerId, text, sessionId } = ReceiptPushInput.parse(input);
    return this.tx((at) => {
      const source = journalEntryByReceipt(this.db, receiptNumber);
      if (!source) throw new StoreStateError(`no receipt ${receiptNumber} to push to the app`);
      const session = sessionId ?? (typeof source.payload.receipt === 'object' && source.payload.receipt !== null
        ? (source.payload.receipt as { sessionId?: unknown }).sessionId : undefined);
      const bodySession = typeof session === 'string' && session.length > 0 ? session : `receipt-${receiptNumber}`;
      const entry = this.journal('receiptPush', { ofReceipt: receiptNumber, customerId, sessionId: bodySession }, at);
      const body = { receiptNumber, sessionId: bodySession, at: at.toISOString(), customerId, text };
      const messageKey = this.enqueue('receiptPush', body, entry, at, { sessionId: bodySession, receiptNumber });
      return { messageKey };
    });
  }

  offlineExposure(): Tiyn {
    return pendingCreditSum(this.db);
  }

  // ---- cash units (service mode) ----------------------------------------------------------

  recordCollection(
    who: string, options: { counted?: ReadonlyArray<CashUnitCount> } = {},
  ): { receiptNumber: string; messageKey: string; removed: CashUnitCount[]; discrepancies?: CashDiscrepancy[] } {
    const counted = options.counted === undefined ? undefined : z.array(CountedUnit).max(32).parse(options.counted);
    return this.tx((at) => {
      const removed = [CASH_BOX, REJECT_BIN, RETRACT_BIN].flatMap((u) => unitCounts(this.db, u)).filter((r) => r.count !== 0);
      // the counters follow the journal: what they said leaves the machine; a count that differs
      // is recorded beside it as found, so the books show the difference instead of hiding it
      const counterDeltas: CounterDelta[] = removed.map((r) => ({ unit: r.unit, denomination: r.denomination, delta: -r.count }));
      applyCounterDeltas(this.db, counterDeltas);
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const total = removed.reduce((s, r) => s + r.count * r.denomination, 0);
      const units = removed.map((r) => ({ unit: r.unit, denomination: r.denomination, count: r.count }));
      const discrepancies = counted ? collectionDiscrepancies(units, counted) : [];
      const slip: CashUnitSlipLine[] = units.map((u) => {
        const c = counted?.find((x) => x.unit === u.unit && x.denomination === u.denomination);
        return c && c.count !== u.count ? { ...u, counted: c.count } : u;
      });
      for (const d of discrepancies) {
        if (d.counter === 0) slip.push({ unit: d.unit, denomination: d.denomination, count: 0, counted: d.counted });
      }
      const receipt = { operation: 'collection', status: 'ok', amount: total, commission: 0, total, technician: who, units: slip };
      const entry = this.journal('collection', { receiptNumber, who, units, counterDeltas, receipt, ...(counted ? { counted, discrepancies } : {}) }, at);
      recordAuditIn(this.db, who, 'collection', { receiptNumber, total, discrepancies: discrepancies.length }, at, entry);
      const messageKey = this.enqueue('collection', { receiptNumber, sessionId: `service-${receiptNumber}`, at: at.toISOString(), units }, entry, at, { receiptNumber });
      return { receiptNumber, messageKey, removed: units, ...(counted ? { discrepancies } : {}) };
    });
  }

  recordReplenishment(
    who: string, cassettes: ReadonlyArray<{ cassette: number; denomination: Tiyn; count: number; removed?: number }>,
  ): { receiptNumber: string; messageKey: string; discrepancies?: CashDiscrepancy[] } {
    const list = z
      .array(z.object({ cassette: z.number().int().nonnegative(), denomination: Denomination, count: z.number().int().nonnegative(), removed: z.number().int().nonnegative().optional() }))
      .min(1)
      .parse(cassettes);
    return this.tx((at) => {
      const counterDeltas: CounterDelta[] = [];
      const discrepancies: CashDiscrepancy[] = [];
      for (const c of list) {
        const unit = cassetteUnit(c.cassette);
        const before = unitCounts(this.db, unit);
        // the old contents leave the cassette (to the cash centre), the new load goes in
        for (const r of before) if (r.count !== 0) counterDeltas.push({ unit, denomination: r.denomination, delta: -r.count });
        if (c.count > 0) counterDeltas.push({ unit, denomination: c.denomination, delta: c.count });
        if (c.removed !== undefined) {
          // what the counter said was in the cassette against what came out of it
          const counter = before.filter((r) => r.denomination === c.denomination).reduce((n, r) => n + r.count, 0);
          if (counter !== c.removed) discrepancies.push({ unit, denomination: c.denomination, counter, counted: c.removed, difference: c.removed - counter });
        }
      }
      applyCounterDeltas(this.db, counterDeltas);
      const receiptNumber = nextReceiptNumber(this.db, this.terminalId, at);
      const units = list.map((c) => ({ unit: cassetteUnit(c.cassette), denomination: c.denomination, count: c.count }));
      const slip: CashUnitSlipLine[] = list.map((c) => ({ unit: cassetteUnit(c.cassette), denomination: c.denomination, count: c.count, ...(c.removed === undefined ? {} : { removed: c.removed }) }));
      const total = list.reduce((s, c) => s + c.count * c.denomination, 0);
      const receipt = { operation: 'replenishment', status: 'ok', amount: total, commission: 0, total, technician: who, units: slip };
      const exchange = list.some((c) => c.removed !== undefined);
      const entry = this.journal('replenishment', { receiptNumber, who, units, counterDeltas, receipt, ...(exchange ? { removed: slip, discrepancies } : {}) }, at);
      recordAuditIn(this.db, who, 'replenishment', { receiptNumber, total, ...(exchange ? { discrepancies: discrepancies.length } : {}) }, at, entry);
      const messageKey = this.enqueue('replenishment', { receiptNumber, sessionId: `service-${receiptNumber}`, at: at.toISOString(), units }, entry, at, { receiptNumber });
      return { receiptNumber, messageKey, ...(exchange ? { discrepancies } : {}) };
    });
  }

  recordReceiptCopy(who: string, receiptNumber: string, outcome: { printed: boolean; failure?: string }): void {
    this.tx((at) => {
      if (!journalEntryByReceipt(this.db, receiptNumber)) throw new StoreStateError(`no receipt ${receiptNumber} to copy`);
      const failure = outcome.failure?.slice(0, 80);
      // under `ofReceipt`: the journal indexes `receiptNumber` as unique to the receipt itself
      const entry = this.journal('receiptCopy', { ofReceipt: receiptNumber, who, printed: outcome.printed, ...(failure ? { failure } : {}) }, at);
      recordAuditIn(this.db, who, 'receiptCopy', { receiptNumber, printed: outcome.printed, ...(failure ? { failure } : {}) }, at, entry);
    });
  }

  findReceiptNumber(typed: string): string | undefined {
    const text = typed.trim();
    if (text.length === 0 || text.length > 40) return undefined;
    if (!/^[0-9]+$/.test(text)) return journalEntryByReceipt(this.db, text) ? text : undefined;
    // numbers end in -YYYYMMDD-NNNNNN; the sequence alone is unique on this terminal (it never resets)
    let suffix: string;
    if (text.length === 14) suffix = `-${text.slice(0, 8)}-${text.slice(8)}`;
    else if (text.length <= 6) suffix = `-${text.padStart(6, '0')}`;
    else if (text.length > 14) return undefined;
    else suffix = `-${text}`;
    const rows = this.db
      .prepare("SELECT receipt_number FROM journal WHERE receipt_number LIKE ? ESCAPE '\\' ORDER BY seq")
      .all(`%${suffix.replace(/[%_\\]/g, (c) => `\\${c}`)}`) as Array<{ receipt_number: string }>;
    const exact = rows.filter((r) => /-[0-9]{8}-[0-9]{6,}$/.test(r.receipt_number) && r.receipt_number.endsWith(suffix));
    return exact.length === 1 ? exact[0]?.receipt_number : undefined;
  }

  undelivered(): ReturnType<CashUnitStore['undelivered']> {
    return undeliveredMessages(this.db).map((m) => ({
      key: m.key, kind: m.kind, state: m.state, receiptNumber: m.receiptNumber, amount: m.amount, attempts: m.attempts,
      reason: m.deadReason ?? m.lastError, createdAt: m.createdAt,
    }));
  }

  recordAudit(who: string, action: string, details: Record<string, unknown>): void {
    this.tx((at) => {
      recordAuditIn(this.db, who, action, details, at);
    });
  }
}
