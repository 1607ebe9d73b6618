/**
 * The session machine as a graph: what each invoked actor may answer, which events each state
 * may meet, and which facts make two states different.
 */
import { createActor, matchesState, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, type EventObject, type StateValue } from 'xstate';
import { activeFlow, sessionContext, sessionValue } from '../../../kiosk/session/flow-view.js';
import { FLOW_ID } from '../../../kiosk/session/machine-kit.js';
import type { SessionEvent } from '../../../kiosk/session/types.js';
import { CARD, CUSTOMER_IIN, SECRET_OTP, T, products, services, testConfig } from './world.js';

export const config = testConfig;

/** what each invoked actor may answer, by invoke id */
export const outputs: Record<string, unknown[]> = {
  identify: [
    // for a card identification: the card's product allows a PIN change (ignored for other methods)
    { ok: true, status: 'identified', customerId: 'c-aigerim', maskedName: 'Aigerim S.', cardPinChange: true },
    { ok: true, status: 'ambiguous', askFor: ['birthDate', 'personalCode'] },
    { ok: false, reason: 'notFound' },
  ],
  palmIdentify: [
    { ok: true, status: 'identified', customerId: 'c-aigerim', maskedName: 'Aigerim S.' },
    { ok: false, reason: 'consentWithdrawn' },
    { ok: false, reason: 'palmLiveness' },
  ],
  createQr: [{ token: 'qr-1', payload: 'bank://login/qr-1', expiresAt: Date.UTC(2026, 10, 25, 10, 5) }],
  pollQr: [{ ok: true, status: 'pending' }, { ok: true, status: 'identified', customerId: 'c-aigerim', maskedName: 'Aigerim S.' }],
  requestOtp: [{ ok: true, sentTo: '+7701*****67', expiresAt: Date.UTC(2026, 10, 25, 10, 15), resendAt: Date.UTC(2026, 10, 25, 10, 1) }],
  verifyOtp: [
    { ok: true, accessToken: 'acc-token-zz', expiresAt: Date.UTC(2026, 10, 25, 10, 15) },
    { ok: false, reason: 'otpWrong', attemptsLeft: 2 },
    { ok: false, reason: 'otpWrong', attemptsLeft: 0 },
  ],
  loadProducts: [{ ok: true, products }],
  loadHistory: [{ ok: true, recent: [{ at: '2026-11-24T09:00:00Z', description: 'Cash-in', amount: T(5000) }] }],
  loadServices: [services],
  checkReference: [{ ok: true, beneficiary: 'Kcell' }, { ok: false, reason: 'invalidReference' }],
  precheckCashIn: [
    { ok: true, maxAmount: T(3000), minAmount: T(200), offline: false },
    { ok: true, maxAmount: T(3000), minAmount: 0, offline: true },
    { ok: false, reason: 'aboveMaxTopUp' },
  ],
  beginCashIn: [{ cashInId: 'ci-1' }],
  enableAcceptor: [undefined],
  disableAcceptor: [undefined],
  recordStackIntent: [{ noteId: 1 }],
  stackNote: [undefined],
  recordStacked: [undefined],
  returnNote: [undefined],
  recordReturned: [undefined],
  quote: [{ operation: 'cashIn', amount: T(1000), commission: 0, total: T(1000) }],
  endCashIn: [{ receiptNumber: 'R-000001' }],
  checkDispensable: [{ ok: true }, { ok: false }],
  authoriseWithdrawal: [
    { ok: true, holdId: 'h-1', commission: T(100), status: 'approved' },
    { ok: true, holdId: 'h-1', commission: T(100), status: 'pendingApproval', approvalId: 'a-1' },
    { ok: false, reason: 'limitExceeded' },
  ],
  recordWithdrawalAuthorised: [{ withdrawalId: 'w-1' }],
  approvalStatus: [{ status: 'approved' }, { status: 'refused' }, { status: 'pending' }],
  dispense: [{ ok: true }, { ok: false, reason: 'jam', anyDispensed: true }],
  present: ['presented', 'notPresented', 'unknown'],
  completeWithdrawal: [{ receiptNumber: 'R-000002' }],
  retractAndReverse: [{}],
  reverseWithdrawal: [{}],
  authoriseAccountPayment: [
    { ok: true, paymentId: 'ap-1', commission: T(50), status: 'approved' },
    { ok: true, paymentId: 'ap-1', commission: T(50), status: 'pendingApproval', approvalId: 'a-2' },
    { ok: false, reason: 'insufficientFunds' },
  ],
  completeAccountPayment: [{ receiptNumber: 'R-000003' }],
  reverseAccountPayment: [{}],
  printReceipt: [{ ok: true }, { ok: false, failure: 'paperOut' }],
  smsReceipt: [{ ok: true }],
  ejectCard: [undefined],
  captureCard: [undefined],
  serviceLogin: [{ ok: true, technician: 'tech-1' }, { ok: false }],
  serviceAction: [{ ok: true }],
  watchPalm: [{ present: true }],
  startPinChange: [
    { ok: true, pinChangeId: 'pc-1', channel: 'push', expiresAt: Date.UTC(2026, 10, 25, 10, 3) },
    { ok: false, reason: 'pinChangeNotAllowed' },
  ],
  pinChangeStatus: [{ status: 'pending' }, { status: 'done' }, { status: 'failed' }, { status: 'expired' }],
  cancelPinChange: [{ status: 'cancelled' }, { status: 'done' }],
  recordPinChange: [{ receiptNumber: 'R-000003' }, {}],
};

const allOk = { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' } as const;

const uiEvents: SessionEvent[] = [
  { type: 'start' },
  { type: 'setLocale', locale: 'ru' },
  ...(['phone', 'iin', 'card', 'palm', 'qr'] as const).map((method) => ({ type: 'chooseIdentification' as const, method })),
  { type: 'payWithoutIdentification' },
  { type: 'submitPhone', phone: '87011234567' },
  { type: 'submitPhone', phone: '89161234567' },
  { type: 'submitIin', iin: CUSTOMER_IIN },
  { type: 'submitIin', iin: '900101300016' },
  { type: 'submitBirthDate', birthDate: '1990-01-01' },
  { type: 'submitOtp', code: SECRET_OTP },
  { type: 'resendOtp' },
  ...(['balance', 'cashIn', 'withdraw', 'payService', 'loanRepayment', 'changePin'] as const).map((operation) => ({ type: 'chooseOperation' as const, operation })),
  { type: 'selectProduct', productId: 'p-current' },
  { type: 'selectService', serviceId: 'svc-mobile' },
  { type: 'submitReference', reference: '87011234567' },
  { type: 'submitReference', reference: '12' },
  { type: 'selectPaymentSource', source: 'cash' },
  { type: 'selectPaymentSource', source: 'product', productId: 'p-current' },
  { type: 'selectPaymentSource', source: 'product', productId: 'p-loan' },
  { type: 'selectAmount', amount: T(10000) },
  { type: 'selectAmount', amount: T(10500) },
  { type: 'finishCashIn' },
  { type: 'confirm' },
  { type: 'cancel' },
  { type: 'back' },
  { type: 'chooseReceipt', choice: 'print' },
  { type: 'chooseReceipt', choice: 'sms' },
  { type: 'chooseReceipt', choice: 'none' },
  { type: 'submitReceiptPhone', phone: '87011234567' },
  { type: 'moreTime' },
  { type: 'finish' },
  { type: 'serviceLogin', code: '2468' },
  { type: 'serviceAction', action: 'diagnostics' },
  { type: 'serviceAction', action: 'exit' },
];

const deviceEvents: SessionEvent[] = [
  { type: 'device.health', devices: allOk },
  { type: 'device.health', devices: { ...allOk, cashAcceptor: 'offline' } },
  { type: 'device.cardInserted', card: CARD },
  { type: 'device.cardReadError', error: 'notBankCard' },
  { type: 'device.cardRemoved' },
  { type: 'device.noteEscrow', denomination: T(1000) },
  { type: 'device.noteEscrow', denomination: T(5000) }, // above the 3000 maximum: returned
  { type: 'device.noteStacked', denomination: T(1000) },
  { type: 'device.noteReturned', denomination: T(1000) },
  { type: 'device.cashTaken' },
  { type: 'device.serviceSwitch', open: true },
  { type: 'device.serviceSwitch', open: false },
];

export const DELAYS: Record<string, number> = {
  inactivity: config.timeouts.inactivityMs,
  moreTime: config.timeouts.moreTimeMs,
  goodbye: config.timeouts.goodbyeMs,
  takeCash: config.timeouts.takeCashMs,
  approval: config.timeouts.approvalMs,
  approvalPoll: config.timeouts.approvalPollMs,
  qrPoll: config.timeouts.qrPollMs,
  cardRemove: config.timeouts.cardRemoveMs,
  noteSettle: config.timeouts.noteSettleMs,
  pinChangePoll: config.timeouts.pinChangePollMs ?? 0,
  pinChangeLeft: config.timeouts.pinChangeMs ?? 0,
  palmRetry: 5_000,
};

/**
 * The session as the graph walks it: the parent machine with the flow machine it runs. Pure
 * transitions cannot step a child machine, so each step restores a live actor tree from the
 * persisted snapshot (actors that never answer, a clock that never fires), delivers the event to
 * the machine it is for, and keeps the tree's snapshot; `value` reads as one chart (flow-view.ts).
 */
export interface SessionState {
  persisted: unknown;
  root: AnyMachineSnapshot;
  value: StateValue;
}

/** an event for the flow machine `at` levels below the parent (its actors' answers and timers) */
type Routed = EventObject & { at?: number; [key: string]: unknown };

/** the machine snapshots of the tree, parent first, with how deep each runs */
function machines(root: AnyMachineSnapshot): AnyMachineSnapshot[] {
  const flow = activeFlow(root);
  return flow ? [root, ...machines(flow)] : [root];
}

export function activeInvokeIds(state: AnyMachineSnapshot): string[] {
  return machines(state).flatMap((m) => m._nodes.flatMap((n) => n.invoke.map((i) => i.id).filter((id) => id !== FLOW_ID)));
}

/** sends an event to the machine of the tree it is for */
export function deliver(actor: AnyActorRef, event: Routed): void {
  const { at, ...plain } = event;
  let target: AnyActorRef | undefined = actor;
  for (let depth = 0; depth < (at ?? 0); depth++) target = (target?.getSnapshot() as AnyMachineSnapshot).children[FLOW_ID] as AnyActorRef | undefined;
  if (!target) throw new Error(`no flow to deliver ${event.type} to`);
  target.send(plain);
}

export function sessionGraphLogic(machine: AnyStateMachine) {
  const frozen = { setTimeout: () => 0, clearTimeout: () => {} };
  // the tree's actors are left running (they never answer, the clock never fires): stopping one
  // would mark the kept snapshots' children stopped
  const capture = (actor: AnyActorRef): SessionState => {
    const root = actor.getSnapshot() as AnyMachineSnapshot;
    return { persisted: actor.getPersistedSnapshot(), root, value: sessionValue(root) };
  };
  return {
    getInitialSnapshot: (): SessionState => capture(createActor(machine, { clock: frozen }).start()),
    transition: (state: SessionState, event: Routed): SessionState => {
      const actor = createActor(machine, { clock: frozen, snapshot: state.persisted as never }).start();
      deliver(actor, event);
      return capture(actor);
    },
  };
}

const matches = (state: SessionState, value: StateValue): boolean => matchesState(value, state.value);

/** events that set long-lived flags are offered where they matter, to keep the graph finite and small */
function offered(state: SessionState, e: SessionEvent): boolean {
  const atRest = matches(state, 'idle') || matches(state, 'outOfService');
  if (e.type === 'device.health' || e.type === 'device.serviceSwitch' || e.type === 'setLocale') return atRest || matches(state, 'service');
  if (e.type === 'device.cardInserted') return atRest || matches(state, { session: { flow: { identify: 'card' } } });
  return machines(state.root).some((m) => m.can(e as never));
}

export function eventsFor(state: SessionState): EventObject[] {
  const events: Routed[] = [...uiEvents, ...deviceEvents].filter((e) => offered(state, e));
  machines(state.root).forEach((m, at) => {
    const route = at > 0 ? { at } : {};
    for (const id of m._nodes.flatMap((n) => n.invoke.map((i) => i.id)).filter((x) => x !== FLOW_ID)) {
      for (const output of outputs[id] ?? []) events.push({ type: `xstate.done.actor.${id}`, output, ...route });
      events.push({ type: `xstate.error.actor.${id}`, error: new Error('port failed'), ...route });
    }
    for (const node of m._nodes) for (const d of node.after) events.push({ type: d.eventType, ...route });
  });
  return events;
}

/** distinct states: where the machine is, plus the few facts that change what can happen next there */
export function serialize(state: SessionState): string {
  const c = sessionContext(state.root);
  const inFlow = (region: string): boolean => matches(state, { session: { flow: region } });
  if (inFlow('ending')) return JSON.stringify([state.value, c.card !== undefined]);
  return JSON.stringify([
    state.value,
    c.card !== undefined,
    c.access !== undefined,
    c.devices.cashAcceptor,
    c.servicePending,
    c.identificationMethods.length,
    inFlow('cashIn') ? [(c.cashIn?.total ?? 0) > 0, c.cashIn?.acceptor === 'failed'] : null,
    inFlow('withdrawal') ? c.withdrawal?.status : null,
    inFlow('accountPayment') ? c.accountPayment?.status : null,
    inFlow('receipt') ? c.receipt?.options.length : null,
  ]);
}
