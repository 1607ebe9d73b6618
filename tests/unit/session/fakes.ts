/**
 * In-memory stand-ins for the session's ports, for flow tests of the real actors (actors.ts) and
 * host. Devices are TypedEmitters that behave like the drivers' contracts: the acceptor holds a
 * note in escrow until told to stack or return it, the dispenser presents and waits to be taken.
 * Every call lands in one ordered log, so tests can check what happened before what.
 */
import {
  BankUnavailableError,
  type BankApi,
  type IdentifyOutcome,
  type IdentifyQuery,
  type PinChangeStatus,
  type ProductView,
  type RefusalReason,
} from '../../../kiosk/bank/bank-api.js';
import { TypedEmitter } from '../../../domain/typed-emitter.js';
import type { CashAcceptor, CashAcceptorEvents, CashAcceptorStatus } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import type {
  CashDispenser,
  CashDispenserEvents,
  CashDispenserStatus,
  DispensePlanItem,
  DispenseResult,
  PresentState,
} from '../../../drivers/dispenser/cash-dispenser.js';
import type { CardReader, CardReaderEvents, CardReaderStatus } from '../../../drivers/card-reader/card-reader.js';
import type { PalmCaptureResult, PalmScanner, PalmScannerEvents } from '../../../drivers/palm/palm-scanner.js';
import type { DeviceStatusBase } from '../../../drivers/common/device.js';
import type { PrintResult, PrinterStatus, ReceiptPrinter, ReceiptPrinterEvents } from '../../../drivers/printer/receipt-printer.js';
import type { NoteRef } from '../../../kiosk/store/money-store.js';
import type { CashInTarget, OpenCashIn, OpenWithdrawal, PinChangeRecord, SessionPorts, SessionStore } from '../../../kiosk/session/ports.js';
import { CARD, CUSTOMER_IIN, CUSTOMER_PHONE, ManualClock, SECRET_OTP, products as worldProducts, services, testConfig } from './world.js';

export type Log = string[];

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export class FakeBank implements BankApi {
  offline = false;
  customerProducts: ProductView[] = worldProducts.map((p) => ({ ...p }));
  approval: 'none' | 'pending' | 'approved' | 'refused' = 'none';
  /** commission a service's tariff charges on a payment from an account */
  serviceCommission = 0;
  /** the bank refuses the next payment from an account with this reason */
  paymentRefusal: RefusalReason | undefined;
  /** the next authorisation of a payment from an account gets no answer (after the bank holds) */
  losePaymentAnswer = false;
  otpAttempts = 3;
  identifyCalls: IdentifyQuery[] = [];
  palmTemplates: Uint8Array[] = [];
  palmOutcome: IdentifyOutcome = { ok: true, status: 'identified', customerId: 'c-aigerim', maskedName: 'Aigerim S.' };
  /** what a card identification says of the card's product */
  cardPinChange = true;
  /** the customer has the bank's app: identification says so and the OTP goes there by push */
  hasApp = false;
  /** PIN changes as the bank holds them: no PIN, only how each ended */
  pinChanges = new Map<string, PinChangeStatus>();
  pinChangeAllowedForToken = CARD.panToken;

  constructor(
    private readonly log: Log,
    private readonly clock: ManualClock,
  ) {}

  #up(): void {
    if (this.offline) throw new BankUnavailableError('bank unreachable');
  }

  async identify(_s: string, _m: string, query: IdentifyQuery): Promise<IdentifyOutcome> {
    this.#up();
    this.identifyCalls.push(query);
    this.log.push(`bank.identify:${query.by}`);
    if (query.by === 'palm') {
      this.palmTemplates.push(query.template);
      return this.palmOutcome;
    }
    const known =
      (query.by === 'phone' && query.phone === CUSTOMER_PHONE) || (query.by === 'iin' && query.iin === CUSTOMER_IIN) || (query.by === 'card' && query.panToken === CARD.panToken);
    if (!known) return { ok: false, reason: 'notFound' };
    return {
      ok: true, status: 'identified', customerId: 'c-aigerim', maskedName: 'Aigerim S.',
      ...(query.by === 'card' ? { cardPinChange: this.cardPinChange } : {}), ...(this.hasApp ? { hasApp: true } : {}),
    };
  }
  async createQrLogin() {
    this.#up();
    return { token: 'qr-1', payload: 'bank://login/qr-1', expiresAt: this.clock.now() + 120_000 };
  }
  async pollQrLogin() {
    this.#up();
    return { ok: true as const, status: 'pending' as const };
  }
  async requestOtp() {
    this.#up();
    this.log.push('bank.requestOtp');
    return {
      ok: true as const, sentTo: '+7701*****67', expiresAt: this.clock.now() + 15 * 60_000, resendAt: this.clock.now() + 60_000,
      channel: this.hasApp ? ('push' as const) : ('sms' as const),
    };
  }
  async verifyOtp(_s: string, _c: string, code: string) {
    this.#up();
    this.log.push('bank.verifyOtp');
    if (code === SECRET_OTP) return { ok: true as const, accessToken: 'acc-token-zz', expiresAt: this.clock.now() + 15 * 60_000 };
    this.otpAttempts--;
    return this.otpAttempts > 0 ? { ok: false as const, reason: 'otpWrong' as const, attemptsLeft: this.otpAttempts } : { ok: false as const, reason: 'otpLocked' as const };
  }
  async products() {
    this.#up();
    return { ok: true as const, products: this.customerProducts };
  }
  async history() {
    this.#up();
    return { ok: true as const, recent: [] };
  }
  async services() {
    this.#up();
    return services;
  }
  async checkReference() {
    this.#up();
    return { ok: true as const, beneficiary: 'Kcell' };
  }
  async quote(operation: Parameters<BankApi['quote']>[0], amount: number, _productId?: string, serviceId?: string) {
    this.#up();
    const commission = operation === 'withdraw' ? Math.round(amount / 100) : serviceId !== undefined ? this.serviceCommission : 0;
    return { operation, amount, commission, total: amount + commission };
  }
  async precheckCashIn(target: { productId?: string; serviceId?: string }) {
    this.#up();
    this.log.push(`bank.precheck:${target.productId ?? target.serviceId}`);
    return { ok: true as const, maxAmount: 5_000_000, minAmount: 20_000 };
  }
  async authoriseWithdrawal(input: { amount: number; idempotencyKey: string }) {
    this.#up();
    this.log.push(`bank.authorise:${input.amount}:${input.idempotencyKey}`);
    if (this.approval === 'none') return { ok: true as const, holdId: 'h-1', commission: Math.round(input.amount / 100), status: 'approved' as const };
    return { ok: true as const, holdId: 'h-1', commission: Math.round(input.amount / 100), status: 'pendingApproval' as const, approvalId: 'a-1' };
  }
  async authoriseServicePayment(input: { amount: number; commission: number; idempotencyKey: string; productId: string }) {
    this.#up();
    this.log.push(`bank.authorisePayment:${input.productId}:${input.amount}:${input.commission}:${input.idempotencyKey}`);
    if (this.losePaymentAnswer) {
      this.losePaymentAnswer = false;
      throw new BankUnavailableError('answer lost');
    }
    if (this.paymentRefusal) return { ok: false as const, reason: this.paymentRefusal };
    if (this.approval === 'none') return { ok: true as const, holdId: 'hp-1', commission: input.commission, status: 'approved' as const };
    return { ok: true as const, holdId: 'hp-1', commission: input.commission, status: 'pendingApproval' as const, approvalId: 'a-2' };
  }
  async approvalStatus() {
    this.#up();
    return { status: this.approval === 'none' ? ('approved' as const) : this.approval === 'refused' ? ('refused' as const) : this.approval };
  }
  async startPinChange(input: { accessToken: string; sessionId: string; panToken: string }) {
    this.#up();
    this.log.push(`bank.startPinChange:${input.panToken}`);
    if (!this.cardPinChange || input.panToken !== this.pinChangeAllowedForToken) return { ok: false as const, reason: 'pinChangeNotAllowed' as const };
    const pinChangeId = `pc-${this.pinChanges.size + 1}`;
    this.pinChanges.set(pinChangeId, 'pending');
    return { ok: true as const, pinChangeId, channel: 'push' as const, expiresAt: this.clock.now() + 180_000 };
  }
  async pinChangeStatus(_token: string, id: string) {
    this.#up();
    this.log.push(`bank.pinChangeStatus:${id}`);
    return { status: this.pinChanges.get(id) ?? ('failed' as const) };
  }
  async cancelPinChange(_token: string, id: string) {
    this.#up();
    this.log.push(`bank.cancelPinChange:${id}`);
    if (this.pinChanges.get(id) === 'pending') this.pinChanges.set(id, 'cancelled');
    return { status: this.pinChanges.get(id) ?? ('failed' as const) };
  }
  /** the customer's app finishes the change (or gives up) */
  finishPinChange(id: string, done: boolean): void {
    this.pinChanges.set(id, done ? 'done' : 'failed');
  }
}

export class FakeStore implements SessionStore {
  cashIns = new Map<string, { target: CashInTarget; offline: boolean; notes: Array<{ noteId: number; denomination: number; state: 'intent' | 'stacked' | 'returned' }>; ended?: { commission: number; receiptNumber: string } }>();
  withdrawals = new Map<string, { state: string; amount: number; holdId: string }>();
  #seq = 0;
  offlineQueued = 0;

  constructor(private readonly log: Log) {}

  beginCashIn(input: { sessionId: string; target: CashInTarget; offline: boolean }) {
    const cashInId = `ci-${++this.#seq}`;
    this.cashIns.set(cashInId, { target: input.target, offline: input.offline, notes: [] });
    this.log.push(`store.beginCashIn:${input.target.kind}`);
    return { cashInId };
  }
  recordStackIntent(cashInId: string, denomination: number) {
    const noteId = ++this.#seq;
    this.cashIns.get(cashInId)?.notes.push({ noteId, denomination, state: 'intent' });
    this.log.push(`store.intent:${denomination}`);
    return { noteId };
  }
  /** as the SQLite store: the session settles the intent's own row */
  #note(cashInId: string, ref: NoteRef) {
    const n = this.cashIns.get(cashInId)?.notes.find((x) => x.noteId === ref.noteId);
    if (n?.state !== 'intent') throw new Error(`no open note ${ref.noteId} on ${cashInId}`);
    return n;
  }
  recordStacked(cashInId: string, ref: NoteRef) {
    const n = this.#note(cashInId, ref);
    n.state = 'stacked';
    this.log.push(`store.stacked:${n.denomination}`);
  }
  recordReturned(cashInId: string, ref: NoteRef) {
    this.#note(cashInId, ref).state = 'returned';
    this.log.push('store.returned');
  }
  endCashIn(cashInId: string, input: { commission: number }) {
    const c = this.cashIns.get(cashInId);
    if (!c) throw new Error(`no cash-in ${cashInId}`);
    // as the SQLite store: a note whose fate is open blocks the end until it is settled
    const open = c.notes.filter((n) => n.state === 'intent').length;
    if (open > 0) throw new Error(`cash-in ${cashInId} has ${open} unresolved stack intent(s)`);
    const receiptNumber = `R-${String(++this.#seq).padStart(6, '0')}`;
    c.ended = { commission: input.commission, receiptNumber };
    const total = c.notes.filter((n) => n.state === 'stacked').reduce((a, n) => a + n.denomination, 0);
    if (c.offline) this.offlineQueued += total;
    this.log.push(`store.endCashIn:${total}`);
    return { receiptNumber };
  }
  openCashIns(): OpenCashIn[] {
    return [];
  }
  recordWithdrawalAuthorised(input: { holdId: string; amount: number }) {
    const withdrawalId = `w-${++this.#seq}`;
    this.withdrawals.set(withdrawalId, { state: 'authorised', amount: input.amount, holdId: input.holdId });
    this.log.push(`store.withdrawalAuthorised:${input.amount}`);
    return { withdrawalId };
  }
  #set(id: string, state: string): void {
    const w = this.withdrawals.get(id);
    if (!w) throw new Error(`no withdrawal ${id}`);
    w.state = state;
    this.log.push(`store.withdrawal:${state}`);
  }
  recordDispensing(id: string) {
    this.#set(id, 'dispensing');
  }
  recordDispensed(id: string, result: DispenseResult) {
    this.#set(id, result.ok ? 'dispensed' : 'dispenseFailed');
  }
  recordPresented(id: string, state: PresentState) {
    this.#set(id, state);
  }
  recordTaken(id: string) {
    this.#set(id, 'taken');
    return { receiptNumber: 'R-W00001' };
  }
  recordRetracted(id: string) {
    this.#set(id, 'retracted');
  }
  reverseWithdrawal(id: string) {
    this.#set(id, 'reversed');
    return {};
  }
  openWithdrawals(): OpenWithdrawal[] {
    return [];
  }
  offlineQueuedTotal() {
    return this.offlineQueued;
  }

  accountPayments = new Map<string, { state: string; amount: number; commission: number; key: string; holdId?: string; reason?: string }>();
  beginAccountPayment(input: { amount: number; commission: number; authorisationKey: string }) {
    const paymentId = `ap-${++this.#seq}`;
    this.accountPayments.set(paymentId, { state: 'authorising', amount: input.amount, commission: input.commission, key: input.authorisationKey });
    this.log.push(`store.accountPayment:authorising:${input.amount}`);
    return { paymentId };
  }
  #payment(id: string, state: string) {
    const p = this.accountPayments.get(id);
    if (!p) throw new Error(`no account payment ${id}`);
    p.state = state;
    this.log.push(`store.accountPayment:${state}`);
    return p;
  }
  recordAccountPaymentAuthorised(id: string, input: { holdId: string }) {
    this.#payment(id, 'authorised').holdId = input.holdId;
  }
  recordAccountPaymentRefused(id: string, reason: string) {
    this.#payment(id, 'refused').reason = reason;
  }
  completeAccountPayment(id: string) {
    this.#payment(id, 'complete');
    return { receiptNumber: 'R-P00001' };
  }
  reverseAccountPayment(id: string, reason: string) {
    this.#payment(id, 'reversed').reason = reason;
    return { receiptNumber: 'R-P00002' };
  }
  pinChangeRecords: PinChangeRecord[] = [];
  recordPinChange(input: PinChangeRecord) {
    this.pinChangeRecords.push(input);
    this.log.push(`store.pinChange:${input.outcome}`);
    return input.outcome === 'done' ? { receiptNumber: `R-P${String(this.pinChangeRecords.length).padStart(5, '0')}` } : {};
  }
}

export class FakeAcceptor extends TypedEmitter<CashAcceptorEvents> implements CashAcceptor {
  enabled: readonly number[] = [];
  escrow: number | undefined;
  link: 'online' | 'offline' = 'online';

  constructor(private readonly log: Log) {
    super();
  }
  async open() {}
  async close() {}
  status(): CashAcceptorStatus {
    return { link: this.link, state: this.escrow !== undefined ? 'escrow' : this.enabled.length ? 'accepting' : 'disabled', billTable: [...testConfig.acceptedDenominations], ...(this.escrow ? { escrow: this.escrow } : {}) };
  }
  async enable(denominations: readonly number[]) {
    this.enabled = denominations;
    this.log.push('acceptor.enable');
  }
  async disable() {
    this.enabled = [];
    this.log.push('acceptor.disable');
  }
  /** the customer feeds a note; the validator holds it in escrow */
  insert(denomination: number): void {
    if (!this.enabled.length) throw new Error('acceptor is disabled');
    this.escrow = denomination;
    this.emit('escrow', { denomination });
  }
  /** a faulty validator: the next stacked report names this denomination instead of the escrowed one */
  misreportNext: number | undefined;
  async stack() {
    const d = this.escrow;
    if (d === undefined) throw new Error('nothing in escrow');
    this.log.push(`acceptor.stack:${d}`);
    this.escrow = undefined;
    const reported = this.misreportNext ?? d;
    this.misreportNext = undefined;
    setImmediate(() => this.emit('stacked', { denomination: reported }));
  }
  async return() {
    const d = this.escrow;
    if (d === undefined) throw new Error('nothing in escrow');
    this.log.push(`acceptor.return:${d}`);
    this.escrow = undefined;
    setImmediate(() => this.emit('returned', { denomination: d }));
  }
  async hold() {}
}

export class FakeDispenser extends TypedEmitter<CashDispenserEvents> implements CashDispenser {
  inPresenter = 0;
  failNext: DispenseResult['error'] | undefined;
  constructor(private readonly log: Log) {
    super();
  }
  async open() {}
  async close() {}
  status(): CashDispenserStatus {
    return { link: 'online', cassettes: [{ index: 0, denomination: 500_000, state: 'ok' }, { index: 1, denomination: 100_000, state: 'ok' }], hasPresenter: true, notesInPresenter: this.inPresenter };
  }
  async refreshStatus() {
    return this.status();
  }
  async reset() {}
  async dispense(plan: readonly DispensePlanItem[]): Promise<DispenseResult> {
    this.log.push(`dispenser.dispense:${plan.map((p) => `${p.cassette}x${p.count}`).join(',')}`);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return { ok: false, error, perCassette: plan.map((p) => ({ cassette: p.cassette, requested: p.count, dispensed: 0, rejected: p.count })) };
    }
    this.inPresenter = plan.reduce((a, p) => a + p.count, 0);
    return { ok: true, perCassette: plan.map((p) => ({ cassette: p.cassette, requested: p.count, dispensed: p.count, rejected: 0 })) };
  }
  async present(): Promise<PresentState> {
    this.log.push('dispenser.present');
    return 'presented';
  }
  async retract() {
    this.log.push('dispenser.retract');
    const retracted = this.inPresenter;
    this.inPresenter = 0;
    return { retracted };
  }
  take(): void {
    this.inPresenter = 0;
    this.emit('taken', {});
  }
}

export class FakeCardReader extends TypedEmitter<CardReaderEvents> implements CardReader {
  present = false;
  constructor(private readonly log: Log) {
    super();
  }
  async open() {}
  async close() {}
  status(): CardReaderStatus {
    return { link: 'online', cardPresent: this.present, motorised: true };
  }
  insert(): void {
    this.present = true;
    this.emit('cardInserted', { card: { maskedPan: CARD.maskedPan, panToken: CARD.panToken, expiry: '3012' } });
  }
  async eject() {
    this.log.push('card.eject');
  }
  async capture() {
    this.log.push('card.capture');
    this.present = false;
    return true;
  }
  remove(): void {
    this.present = false;
    this.emit('cardRemoved', {});
  }
}

export class FakePalm extends TypedEmitter<PalmScannerEvents> implements PalmScanner {
  /** a hand held over the sensor (presence only) */
  hand = false;
  link: 'online' | 'offline' = 'online';
  presenceChecks = 0;
  captures = 0;
  async open() {}
  async close() {}
  status(): DeviceStatusBase {
    return { link: this.link };
  }
  async handPresent(): Promise<boolean> {
    this.presenceChecks++;
    if (this.link !== 'online') throw new Error('palm scanner offline');
    return this.hand;
  }
  goOffline(): void {
    this.link = 'offline';
    this.emit('offline', { reason: 'unplugged' });
  }
  goOnline(): void {
    this.link = 'online';
    this.emit('online', {});
  }
  async capture(): Promise<PalmCaptureResult> {
    this.captures++;
    this.hand = false;
    await tick();
    this.emit('guidance', { guidance: 'holdStill' });
    return { kind: 'template', template: new Uint8Array(64).fill(7) };
  }
}

export class FakePrinter extends TypedEmitter<ReceiptPrinterEvents> implements ReceiptPrinter {
  async open() {}
  async close() {}
  status(): PrinterStatus {
    return { link: 'online', online: true, coverOpen: false, paper: 'ok', error: false };
  }
  async refreshStatus() {
    return this.status();
  }
  async print(): Promise<PrintResult> {
    return { ok: true };
  }
}

/** planner over 5000 and 1000 tenge cassettes, largest first */
export function greedyPlanner(amount: number): DispensePlanItem[] | undefined {
  const fives = Math.floor(amount / 500_000);
  const rest = amount - fives * 500_000;
  if (rest % 100_000 !== 0) return undefined;
  const plan: DispensePlanItem[] = [];
  if (fives) plan.push({ cassette: 0, count: fives });
  if (rest) plan.push({ cassette: 1, count: rest / 100_000 });
  return plan;
}

export function fakeWorld() {
  const log: Log = [];
  const clock = new ManualClock();
  const bank = new FakeBank(log, clock);
  const store = new FakeStore(log);
  const acceptor = new FakeAcceptor(log);
  const dispenser = new FakeDispenser(log);
  const cardReader = new FakeCardReader(log);
  const palm = new FakePalm();
  let printerWorks = true;
  const ports: SessionPorts = {
    bank,
    store,
    devices: { cashAcceptor: acceptor, dispenser, cardReader, palm, printer: new FakePrinter() },
    planner: { plan: greedyPlanner },
    receipts: {
      print: async (n) => {
        log.push(`print:${n}`);
        return printerWorks ? { ok: true } : { ok: false, failure: 'paperOut' };
      },
      sms: async (n, phone) => {
        log.push(`sms:${n}:${phone}`);
        return { ok: true };
      },
    },
    service: {
      login: async (code) => (code === '2468' ? { ok: true, technician: 'tech-1' } : { ok: false }),
      perform: async (technician, action) => {
        log.push(`service:${technician}:${action}`);
        return { action, ok: true };
      },
    },
    clock,
    config: testConfig,
  };
  return { log, clock, bank, store, acceptor, dispenser, cardReader, palm, ports, breakPrinter: () => (printerWorks = false) };
}
