/**
 * The customer session: one XState v5 machine from the attract screen to goodbye, plus service
 * mode. Free of I/O: every bank, store and device call is an invoked actor whose logic is provided
 * at start (actors.ts builds them from the ports; tests provide scripted ones). The chart for
 * newcomers is docs/session-chart.md.
 *
 * Layout: `idle | outOfService | session | service`. `session` is parallel: `flow` (the screens)
 * and `inactivity` (the per-screen timer with its "more time?" prompt, raising session.timeout).
 */
import { assign, emit, raise, sendTo, setup } from 'xstate';
import type { IdentifyOutcome, ProductView, Quote, ServiceView } from '../bank/bank-api.js';
import type { Tiyn } from '../../domain/money.js';
import type { Devices, ErrorCode, Operation, ReceiptChoice } from '../bridge/schema.js';
import { checkIin } from './iin.js';
import { FLOW_ID, pickActors, refusalCode, screen, unprovided, type FlowEnd } from './machine-kit.js';
import { createPinChangeMachine, pinChangeActors, type PinChangeActors } from './pin-change-machine.js';
import { createServiceMachine, SERVICE_EVENT_TYPES, serviceActors, type ServiceActors } from './service-machine.js';
import { allCriticalFailed, availableOperations, eligibleProducts, usable } from './operations.js';
import { normalisePhone } from './phone.js';
import { defaultTimeouts, type CashInTarget, type SessionConfig } from './ports.js';
import type {
  AccountPaymentAuthoriseInput,
  AccountPaymentAuthoriseOutcome,
  AuthoriseOutcome,
  DispenseOutcome,
  IdentifyInput,
  OperationOutcome,
  OtpRequestOutcome,
  OtpVerifyOutcome,
  PalmOutcome,
  PrecheckOutcome,
  PresentOutcome,
  PrintOutcome,
  QrPollOutcome,
  SessionContext,
  SessionEmitted,
  SessionEvent,
  SessionTag,
} from './types.js';

export interface MachineDeps {
  config: SessionConfig;
  now: () => number;
  newSessionId: () => string;
  /**
   * The actors' logic (actors.ts builds it from the ports; tests script it). Given here, not by
   * `provide`, since each flow machine is provided its own; without it every actor throws.
   */
  actors?: Partial<SessionActors>;
}

const initialDevices: Devices = { cashAcceptor: 'absent', dispenser: 'absent', printer: 'absent', cardReader: 'absent', palm: 'absent', bank: 'online' };

export const UI_EVENT_TYPES = [
  'start', 'setLocale', 'chooseIdentification', 'payWithoutIdentification', 'submitPhone', 'submitIin', 'submitBirthDate',
  'submitPersonalCode', 'submitOtp', 'resendOtp', 'chooseOperation', 'selectProduct', 'selectService', 'submitReference',
  'selectPaymentSource', 'selectAmount', 'finishCashIn', 'confirm', 'cancel', 'back', 'chooseReceipt', 'submitReceiptPhone', 'moreTime', 'finish',
] as const;

/** the invoked actors of the parent itself; each flow machine declares its own */
const sessionActors = {
  identify: unprovided<IdentifyOutcome, IdentifyInput>('identify'),
  palmIdentify: unprovided<PalmOutcome, { sessionId: string }>('palmIdentify'),
  createQr: unprovided<{ token: string; payload: string; expiresAt: number }, { sessionId: string }>('createQr'),
  pollQr: unprovided<QrPollOutcome, { token: string }>('pollQr'),
  requestOtp: unprovided<OtpRequestOutcome, { sessionId: string; customerId: string }>('requestOtp'),
  verifyOtp: unprovided<OtpVerifyOutcome, { sessionId: string; customerId: string; code: string }>('verifyOtp'),
  loadProducts: unprovided<{ ok: true; products: ProductView[] } | { ok: false; reason: string }, { accessToken: string }>('loadProducts'),
  loadHistory: unprovided<
    { ok: true; recent: Array<{ at: string; description: string; amount: number }> } | { ok: false; reason: string },
    { accessToken: string; productId: string }
  >('loadHistory'),
  loadServices: unprovided<ServiceView[], Record<string, never>>('loadServices'),
  checkReference: unprovided<{ ok: true; beneficiary: string } | { ok: false; reason: string }, { serviceId: string; reference: string }>('checkReference'),
  precheckCashIn: unprovided<PrecheckOutcome, { target: CashInTarget; accessToken?: string }>('precheckCashIn'),
  beginCashIn: unprovided<{ cashInId: string }, { sessionId: string; target: CashInTarget; offline: boolean }>('beginCashIn'),
  enableAcceptor: unprovided<void, { denominations: Tiyn[] }>('enableAcceptor'),
  disableAcceptor: unprovided<void, Record<string, never>>('disableAcceptor'),
  recordStackIntent: unprovided<{ noteId: number }, { cashInId: string; denomination: Tiyn }>('recordStackIntent'),
  stackNote: unprovided<void, { cashInId: string; noteId: number }>('stackNote'),
  recordStacked: unprovided<void, { cashInId: string; noteId: number }>('recordStacked'),
  returnNote: unprovided<void, Record<string, never>>('returnNote'),
  recordReturned: unprovided<void, { cashInId: string; noteId: number; reason: string }>('recordReturned'),
  quote: unprovided<Quote, { operation: Operation; amount: Tiyn; productId?: string; serviceId?: string }>('quote'),
  endCashIn: unprovided<{ receiptNumber: string }, { cashInId: string; commission: Tiyn }>('endCashIn'),
  checkDispensable: unprovided<{ ok: boolean }, { amount: Tiyn }>('checkDispensable'),
  authoriseWithdrawal: unprovided<AuthoriseOutcome, { accessToken: string; productId: string; amount: Tiyn; idempotencyKey: string }>('authoriseWithdrawal'),
  recordWithdrawalAuthorised: unprovided<
    { withdrawalId: string },
    { sessionId: string; holdId: string; customerId: string; productId: string; amount: Tiyn; commission: Tiyn }
  >('recordWithdrawalAuthorised'),
  approvalStatus: unprovided<{ status: 'pending' | 'approved' | 'refused' | 'expired' }, { approvalId: string }>('approvalStatus'),
  dispense: unprovided<DispenseOutcome, { withdrawalId: string; amount: Tiyn }>('dispense'),
  present: unprovided<PresentOutcome, { withdrawalId: string }>('present'),
  completeWithdrawal: unprovided<{ receiptNumber: string }, { withdrawalId: string }>('completeWithdrawal'),
  retractAndReverse: unprovided<{ receiptNumber?: string }, { withdrawalId: string }>('retractAndReverse'),
  reverseWithdrawal: unprovided<{ receiptNumber?: string }, { withdrawalId: string; reason: string }>('reverseWithdrawal'),
  authoriseAccountPayment: unprovided<AccountPaymentAuthoriseOutcome, AccountPaymentAuthoriseInput>('authoriseAccountPayment'),
  completeAccountPayment: unprovided<{ receiptNumber: string }, { paymentId: string }>('completeAccountPayment'),
  reverseAccountPayment: unprovided<{ receiptNumber?: string }, { paymentId: string; reason: string }>('reverseAccountPayment'),
  printReceipt: unprovided<PrintOutcome, { receiptNumber: string; locale: SessionContext['locale']; phone?: string }>('printReceipt'),
  smsReceipt: unprovided<{ ok: boolean }, { receiptNumber: string; phone: string; locale?: SessionContext['locale'] }>('smsReceipt'),
  pushReceipt: unprovided<{ ok: boolean }, { receiptNumber: string; customerId: string; locale?: SessionContext['locale'] }>('pushReceipt'),
  ejectCard: unprovided<void, Record<string, never>>('ejectCard'),
  captureCard: unprovided<void, Record<string, never>>('captureCard'),
  watchPalm: unprovided<{ present: true }, Record<string, never>>('watchPalm'),
};

/** every actor implementation a session needs: the parent's and its flows' (actors.ts builds them from the ports) */
export type SessionActors = typeof sessionActors & ServiceActors & PinChangeActors;

/** the intents and device events a customer flow takes; the parent passes them on while it runs */
const PIN_CHANGE_EVENT_TYPES = ['cancel'] as const;

/** a handler for each intent a flow handles: the parent passes it on to the running flow */
function forward<T extends string>(types: readonly T[]): Record<T, { actions: 'forwardToFlow' }> {
  return Object.fromEntries(types.map((type) => [type, { actions: 'forwardToFlow' as const }])) as Record<T, { actions: 'forwardToFlow' }>;
}

export function createSessionMachine(deps: MachineDeps) {
  const { config, now } = deps;
  const t = config.timeouts;
  const provided = <M extends { provide: (i: { actors: never }) => M }>(machine: M, names: object): M => {
    const actors = pickActors(deps.actors, names);
    return actors ? machine.provide({ actors: actors as never }) : machine;
  };
  const serviceMachine = provided(createServiceMachine(), serviceActors);
  const pinChangeMachine = provided(createPinChangeMachine({ timeouts: t, now }), pinChangeActors);

  const session = setup({
    types: {
      context: {} as SessionContext,
      events: {} as SessionEvent,
      emitted: {} as SessionEmitted,
      tags: {} as SessionTag,
    },
    actors: { ...sessionActors, serviceMode: serviceMachine, pinChangeFlow: pinChangeMachine },
    actions: {
      markActivity: raise({ type: 'session.activity' }),
      forwardToFlow: sendTo(FLOW_ID, ({ event }) => event),
      markBusy: raise({ type: 'session.busy' }),
      clearError: assign({ error: undefined }),
      applyLocale: assign(({ context, event }) => ({ locale: event.type === 'setLocale' ? event.locale : context.locale })),
      withdrawalFailed: assign({ withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, stage: 'failed' as const } }),
      accountPaymentReversed: assign({ accountPayment: ({ context }) => context.accountPayment && { ...context.accountPayment, stage: 'reversed' as const } }),
      /*
       * The device stacked a note of another denomination than the one it held in escrow. Neither
       * amount is credited on the session's word: the intent stays open, the cash-in closes as on a
       * silent device, and start-up reconciliation or the technician settles the note.
       */
      reportNoteMismatch: emit(({ context, event }) => ({
        type: 'noteMismatch' as const,
        cashInId: context.cashIn?.cashInId ?? '',
        expected: context.cashIn?.pending?.denomination ?? 0,
        reported: event.type === 'device.noteStacked' ? event.denomination : 0,
      })),
      acceptorFailed: assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, acceptor: 'failed' as const } }),
      // a customer flow ended (see FlowEnd): the parent keeps what the flow's output carries besides where it goes
      keepFlowResult: assign(({ event }) => {
        const { end: _end, ...kept } = flowOutput(event) ?? {};
        return kept as Partial<SessionContext>;
      }),
      receiptFromFlow: assign({
        receipt: ({ context, event }) => {
          const end = flowOutput(event)?.end;
          return newReceipt(context, end?.to === 'receipt' ? end.receiptNumber : '');
        },
      }),
      refusedByFlow: assign(({ context, event }) => {
        const end = flowOutput(event)?.end;
        if (end?.to !== 'refusal') return { error: { code: 'internal' as const } };
        return { error: end.error, ...(end.bankOffline ? { devices: { ...context.devices, bank: 'offline' as const } } : {}) };
      }),
      flowBroke: assign({ error: { code: 'internal' } }),
      bankOffline: assign(({ context }) => ({
        devices: { ...context.devices, bank: 'offline' as const },
        error: { code: 'bankOffline' as const },
      })),
    },
    delays: {
      inactivity: t.inactivityMs,
      moreTime: t.moreTimeMs,
      goodbye: t.goodbyeMs,
      takeCash: t.takeCashMs,
      approval: t.approvalMs,
      approvalPoll: t.approvalPollMs,
      qrPoll: t.qrPollMs,
      cardRemove: t.cardRemoveMs,
      noteSettle: t.noteSettleMs,
      cashInBankWait: t.cashInBankWaitMs ?? defaultTimeouts.cashInBankWaitMs ?? 10_000,
      palmRetry: 5_000,
    },
    guards: {
      hasAccess: ({ context }) => context.access !== undefined,
      flowEndsAt: ({ event }, params: { to: FlowEnd['to'] }) => flowOutput(event)?.end.to === params.to,
      flowBackToMenu: ({ context, event }) => flowOutput(event)?.end.to === 'menu' && context.access !== undefined,
      hasCard: ({ context }) => context.card !== undefined,
      allCriticalFailed: ({ context }) => allCriticalFailed(context.devices),
      servicePending: ({ context }) => context.servicePending,
      palmArmable: ({ context }) => palmArmable(context),
      /** the device's stacked word is about the note the intent was recorded for */
      serviceSwitchClosed: ({ event }) => event.type === 'device.serviceSwitch' && !event.open,
      stackedNoteIsPending: ({ context, event }) => event.type === 'device.noteStacked' && event.denomination === context.cashIn?.pending?.denomination,
    },
  });

  /** where the session goes when a customer flow ends: the parent keeps the flow's result first */
  const flowEnds = [
    { guard: { type: 'flowEndsAt', params: { to: 'receipt' } }, target: '#receipt', actions: ['keepFlowResult', 'receiptFromFlow'] },
    { guard: { type: 'flowEndsAt', params: { to: 'refusal' } }, target: '#refusal', actions: ['keepFlowResult', 'refusedByFlow'] },
    { guard: 'flowBackToMenu', target: '#operations', actions: 'keepFlowResult' },
    { target: '#ending', actions: 'keepFlowResult' },
  ] as const;
  /** a flow that failed in itself (a bug, not a refusal): the customer is told, nothing is guessed */
  const flowFailed = { target: '#refusal', actions: 'flowBroke' } as const;

  /**
   * A trusted person approves or refuses (8.15-1) while the screen counts down: one wait for every
   * operation that can need an approval. The bank is polled; refusal, expiry, the countdown and the
   * customer's cancel all leave through the flow's `reversing` state so the hold is released.
   */
  const approvalWait = (flow: {
    /** the flow's state id; it has `reversing` and the state named by `approved` */
    id: 'withdrawal' | 'accountPayment';
    approved: 'dispensing' | 'completing';
    approvalId: (context: SessionContext) => string | undefined;
    /** what the flow records on entry, the countdown's end included */
    onEntry: (context: SessionContext, approvalDeadline: number) => Partial<SessionContext>;
  }) =>
    session.createStateConfig({
      ...screen('approvalWait'),
      initial: 'waiting',
      entry: ['markBusy', assign(({ context }) => flow.onEntry(context, now() + t.approvalMs))],
      after: { approval: { target: 'reversing', actions: assign({ error: { code: 'approvalTimeout' } }) } },
      on: { cancel: { target: 'reversing', actions: assign({ error: { code: 'approvalRefused', params: { by: 'customer' } } }) } },
      states: {
        waiting: { after: { approvalPoll: 'checking' } },
        checking: {
          invoke: {
            id: 'approvalStatus',
            src: 'approvalStatus',
            input: ({ context }) => ({ approvalId: flow.approvalId(context) ?? '' }),
            onDone: [
              { guard: ({ event }) => event.output.status === 'approved', target: `#${flow.id}.${flow.approved}` },
              { guard: ({ event }) => event.output.status === 'refused', target: `#${flow.id}.reversing`, actions: assign({ error: { code: 'approvalRefused' } }) },
              { guard: ({ event }) => event.output.status === 'expired', target: `#${flow.id}.reversing`, actions: assign({ error: { code: 'approvalTimeout' } }) },
              { target: 'waiting' },
            ],
            onError: { target: 'waiting' },
          },
        },
      },
    });

  const machine = session.createMachine({
    id: 'kiosk',
    initial: 'idle',
    context: {
      sessionId: '',
      seq: 0,
      locale: config.localeDefault,
      devices: initialDevices,
      identificationMethods: [...config.identificationMethods],
      servicePending: false,
      walkIn: false,
      smsReceipts: config.smsReceipts ?? true,
    },
    on: {
      setLocale: { actions: 'applyLocale' },
      'device.health': { actions: assign({ devices: ({ context, event }) => ({ ...context.devices, ...event.devices }) }) },
      'device.serviceSwitch': { actions: assign({ servicePending: ({ event }) => event.open }) },
      // taken in any state: a session with money in it finishes first, idle then sends customers away
      'terminal.outOfService': { actions: assign({ closedByTechnician: ({ event }) => event.on }) },
      'device.palmGuidance': { actions: assign({ palmGuidance: ({ event }) => event.guidance }) },
    },
    states: {
      idle: {
        id: 'idle',
        ...screen('attract'),
        entry: assign(({ context }) => ({
          sessionId: '',
          seq: 0,
          locale: config.localeDefault,
          identificationMethods: [...config.identificationMethods],
          devices: context.devices,
          servicePending: context.servicePending,
          walkIn: false,
          card: undefined,
          method: undefined,
          query: undefined,
          narrowing: undefined,
          askFor: undefined,
          customer: undefined,
          otp: undefined,
          access: undefined,
          products: undefined,
          operation: undefined,
          productId: undefined,
          balance: undefined,
          qr: undefined,
          palmGuidance: undefined,
          palmAttract: undefined,
          pinChange: undefined,
          services: undefined,
          service: undefined,
          cashIn: undefined,
          withdrawal: undefined,
          accountPayment: undefined,
          quote: undefined,
          receipt: undefined,
          error: undefined,
          deadline: undefined,
          moreTimeUntil: undefined,
        })),
        always: [
          { guard: 'servicePending', target: 'service' },
          { guard: 'allCriticalFailed', target: 'outOfService' },
          { guard: ({ context }) => context.closedByTechnician === true, target: 'outOfService' },
        ],
        on: {
          start: { target: 'session', actions: assign({ sessionId: () => deps.newSessionId() }) },
          'device.cardInserted': {
            target: 'session',
            actions: assign({ sessionId: () => deps.newSessionId(), card: ({ event }) => event.card }),
          },
        },
        // A hand over the scanner starts the session. Only presence is watched here: no capture,
        // no template; the attract screen says that presenting a palm is consent (8.15), and the
        // capture happens in the session's palm identification.
        initial: 'palmOff',
        states: {
          palmOff: {
            always: { guard: 'palmArmable', target: 'palmArmed' },
          },
          palmArmed: {
            always: { guard: ({ context }) => !palmArmable(context), target: 'palmOff' },
            invoke: {
              id: 'watchPalm',
              src: 'watchPalm',
              input: () => ({}),
              onDone: { target: '#kiosk.session', actions: assign({ sessionId: () => deps.newSessionId(), palmAttract: true }) },
              onError: 'palmResting',
            },
          },
          // a watch that failed is retried after a pause, not in a tight loop
          palmResting: {
            after: { palmRetry: 'palmOff' },
          },
        },
      },

      outOfService: {
        ...screen('outOfService'),
        always: [
          { guard: 'servicePending', target: 'service' },
          { guard: ({ context }) => !allCriticalFailed(context.devices) && context.closedByTechnician !== true, target: 'idle' },
        ],
      },

      session: {
        type: 'parallel',
        states: {
          flow: {
            initial: 'start',
            on: {
              cancel: '#ending',
              'session.timeout': { target: '#ending', actions: assign({ error: { code: 'timeout' } }) },
            },
            states: {
              start: {
                id: 'start',
                ...screen('start'),
                entry: ['markActivity', 'clearError'],
                exit: 'clearError',
                always: [
                  // a card inserted where cards are not an identification method here: handed back
                  { guard: ({ context }) => context.card !== undefined && !context.identificationMethods.includes('card'), target: '#ending' },
                  { guard: 'hasCard', target: '#identify.cardRead' },
                  { guard: ({ context }) => context.palmAttract === true, target: '#identify.palm', actions: assign({ palmAttract: false }) },
                ],
                on: {
                  chooseIdentification: [
                    { guard: ({ context, event }) => !context.identificationMethods.includes(event.method), actions: assign({ error: { code: 'restricted' } }) },
                    { guard: ({ event }) => event.method === 'phone', target: '#identify.phone' },
                    { guard: ({ event }) => event.method === 'iin', target: '#identify.iin' },
                    { guard: ({ event }) => event.method === 'card', target: '#identify.card' },
                    { guard: ({ event }) => event.method === 'palm', target: '#identify.palm' },
                    { target: '#identify.qr' },
                  ],
                  payWithoutIdentification: [
                    { guard: ({ context }) => usable(context.devices.cashAcceptor), target: '#payment', actions: assign({ walkIn: true }) },
                    { actions: assign({ error: { code: 'deviceFailure' } }) },
                  ],
                  back: '#ending',
                },
              },

              identify: {
                id: 'identify',
                initial: 'choose',
                // a new attempt starts afresh: a birth date or code typed for the last lookup must not narrow the next
                entry: assign({ narrowing: undefined, askFor: undefined }),
                states: {
                  choose: {
                    ...screen('identifyMethod'),
                    entry: 'markActivity',
                    exit: 'clearError',
                    on: {
                      chooseIdentification: [
                        { guard: ({ context, event }) => !context.identificationMethods.includes(event.method), actions: assign({ error: { code: 'restricted' } }) },
                        { guard: ({ event }) => event.method === 'phone', target: 'phone' },
                        { guard: ({ event }) => event.method === 'iin', target: 'iin' },
                        { guard: ({ event }) => event.method === 'card', target: 'card' },
                        { guard: ({ event }) => event.method === 'palm', target: 'palm' },
                        { target: 'qr' },
                      ],
                      back: '#start',
                    },
                  },
                  phone: {
                    ...screen('phoneEntry'),
                    entry: ['markActivity', assign({ method: 'phone' })],
                    exit: 'clearError',
                    on: {
                      submitPhone: [
                        {
                          guard: ({ event }) => normalisePhone(event.phone) !== undefined,
                          target: 'lookup',
                          actions: assign({ error: undefined, query: ({ event }) => ({ by: 'phone', phone: normalisePhone(event.phone) ?? '' }) }),
                        },
                        { actions: assign({ error: { code: 'invalidPhone' } }) },
                      ],
                      back: { target: 'choose', actions: 'clearError' },
                    },
                  },
                  iin: {
                    ...screen('iinEntry'),
                    entry: ['markActivity', assign({ method: 'iin' })],
                    exit: 'clearError',
                    on: {
                      submitIin: [
                        {
                          guard: ({ event }) => checkIin(event.iin).ok,
                          target: 'lookup',
                          actions: assign({ error: undefined, query: ({ event }) => ({ by: 'iin', iin: event.iin }) }),
                        },
                        { actions: assign({ error: { code: 'invalidIin' } }) },
                      ],
                      back: { target: 'choose', actions: 'clearError' },
                    },
                  },
                  card: {
                    ...screen('cardInsert'),
                    entry: ['markActivity', assign({ method: 'card' })],
                    on: {
                      'device.cardInserted': { target: 'cardRead', actions: assign({ card: ({ event }) => event.card }) },
                      'device.cardReadError': {
                        target: '#refusal',
                        actions: assign({ error: ({ event }) => ({ code: event.error === 'notBankCard' ? 'notBankCard' : 'cardUnreadable' }) }),
                      },
                      back: 'choose',
                    },
                  },
                  cardRead: {
                    always: {
                      target: 'lookup',
                      actions: assign({ method: 'card', query: ({ context }) => ({ by: 'card', panToken: context.card?.panToken ?? '' }) }),
                    },
                  },
                  palm: {
                    ...screen('palmScan'),
                    entry: ['markBusy', assign({ method: 'palm', palmGuidance: 'placeHand' })],
                    invoke: {
                      id: 'palmIdentify',
                      src: 'palmIdentify',
                      input: ({ context }) => ({ sessionId: context.sessionId }),
                      onDone: { target: 'outcome', actions: assign({ identifyOutcome: ({ event }) => event.output }) },
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                    on: { back: 'choose' },
                  },
                  qr: {
                    initial: 'creating',
                    entry: assign({ method: 'qr' }),
                    on: { back: 'choose' },
                    states: {
                      creating: {
                        ...screen('pleaseWait'),
                        entry: 'markBusy',
                        invoke: {
                          id: 'createQr',
                          src: 'createQr',
                          input: ({ context }) => ({ sessionId: context.sessionId }),
                          onDone: { target: 'waiting', actions: assign({ qr: ({ event }) => event.output }) },
                          onError: { target: '#refusal', actions: 'bankOffline' },
                        },
                      },
                      waiting: {
                        ...screen('qrLogin'),
                        entry: 'markActivity',
                        after: { qrPoll: 'polling' },
                      },
                      polling: {
                        ...screen('qrLogin'),
                        invoke: {
                          id: 'pollQr',
                          src: 'pollQr',
                          input: ({ context }) => ({ token: context.qr?.token ?? '' }),
                          onDone: [
                            { guard: ({ event }) => event.output.ok && event.output.status === 'pending', target: 'waiting' },
                            { target: '#identify.outcome', actions: assign({ identifyOutcome: ({ event }) => event.output }) },
                          ],
                          onError: { target: '#refusal', actions: 'bankOffline' },
                        },
                      },
                    },
                  },
                  lookup: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'identify',
                      src: 'identify',
                      input: ({ context }) => ({
                        sessionId: context.sessionId,
                        method: context.method ?? 'phone',
                        query: context.query ?? { by: 'phone', phone: '' },
                        ...(context.narrowing ? { narrowing: context.narrowing } : {}),
                      }),
                      onDone: { target: 'outcome', actions: assign({ identifyOutcome: ({ event }) => event.output }) },
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  outcome: {
                    always: [
                      {
                        guard: ({ context }) => statusOf(context) === 'identified',
                        target: '#otp',
                        actions: assign(({ context }) => {
                          const o = outcomeOf(context);
                          return o?.ok && o.status === 'identified'
                            ? {
                                customer: { id: o.customerId, maskedName: o.maskedName, ...(o.hasApp ? { hasApp: true } : {}) },
                                error: undefined,
                                identifyOutcome: undefined,
                                // only a card identification can say what the inserted card allows
                                card: context.card && { ...context.card, pinChange: context.method === 'card' && o.cardPinChange === true },
                              }
                            : {};
                        }),
                      },
                      {
                        guard: ({ context }) => statusOf(context) === 'ambiguous',
                        target: 'disambiguate',
                        actions: assign(({ context }) => {
                          const o = outcomeOf(context);
                          return { askFor: o?.ok && o.status === 'ambiguous' ? o.askFor : ['birthDate'], identifyOutcome: undefined };
                        }),
                      },
                      {
                        // consent to palm-vein processing withdrawn (8.15): offer the other methods
                        guard: ({ context }) => reasonOf(context) === 'consentWithdrawn',
                        target: 'choose',
                        actions: assign(({ context }) => ({
                          identificationMethods: context.identificationMethods.filter((m) => m !== 'palm'),
                          error: { code: 'consentWithdrawn' as const },
                          identifyOutcome: undefined,
                        })),
                      },
                      {
                        target: '#refusal',
                        actions: assign(({ context }) => ({ error: { code: refusalCode(reasonOf(context) ?? 'notFound') }, identifyOutcome: undefined })),
                      },
                    ],
                  },
                  disambiguate: {
                    ...screen('disambiguate'),
                    entry: 'markActivity',
                    on: {
                      submitBirthDate: { target: 'lookup', actions: assign({ narrowing: ({ context, event }) => ({ ...context.narrowing, birthDate: event.birthDate }) }) },
                      submitPersonalCode: { target: 'lookup', actions: assign({ narrowing: ({ context, event }) => ({ ...context.narrowing, personalCode: event.code }) }) },
                      back: 'choose',
                    },
                  },
                },
              },

              otp: {
                id: 'otp',
                initial: 'requesting',
                states: {
                  requesting: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'requestOtp',
                      src: 'requestOtp',
                      input: ({ context }) => ({ sessionId: context.sessionId, customerId: context.customer?.id ?? '' }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output.ok,
                          target: 'entry',
                          actions: assign({
                            otp: ({ event, context }) =>
                              event.output.ok
                                ? { sentTo: event.output.sentTo, expiresAt: event.output.expiresAt, resendAt: event.output.resendAt, attemptsLeft: context.otp?.attemptsLeft, ...(event.output.channel ? { channel: event.output.channel } : {}) }
                                : context.otp,
                          }),
                        },
                        { target: '#refusal', actions: assign({ error: ({ event }) => ({ code: refusalCode(event.output.ok ? 'internal' : event.output.reason) }) }) },
                      ],
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  entry: {
                    ...screen('otpEntry'),
                    entry: 'markActivity',
                    exit: 'clearError',
                    on: {
                      submitOtp: { target: 'verifying', actions: 'clearError' },
                      resendOtp: [
                        { guard: ({ context }) => now() >= (context.otp?.resendAt ?? 0), target: 'requesting', actions: 'clearError' },
                        { actions: assign({ error: { code: 'otpWrong', params: { reason: 'resendTooSoon' } } }) },
                      ],
                    },
                  },
                  verifying: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'verifyOtp',
                      src: 'verifyOtp',
                      // the code goes from the event straight into the bank call: never into context
                      input: ({ context, event }) => ({
                        sessionId: context.sessionId,
                        customerId: context.customer?.id ?? '',
                        code: event.type === 'submitOtp' ? event.code : '',
                      }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output.ok,
                          target: '#loadingProducts',
                          actions: assign({
                            access: ({ event, context }) => (event.output.ok ? { token: event.output.accessToken, expiresAt: event.output.expiresAt } : context.access),
                          }),
                        },
                        {
                          guard: ({ event }) => !event.output.ok && event.output.reason === 'otpWrong' && (event.output.attemptsLeft ?? 0) > 0,
                          target: 'entry',
                          actions: assign({
                            error: { code: 'otpWrong' },
                            otp: ({ context, event }) =>
                              context.otp ? { ...context.otp, attemptsLeft: event.output.ok ? undefined : event.output.attemptsLeft } : undefined,
                          }),
                        },
                        {
                          target: '#refusal',
                          actions: assign({
                            error: ({ event }) => ({ code: event.output.ok ? 'internal' : event.output.reason === 'otpWrong' ? 'otpLocked' : refusalCode(event.output.reason) }),
                          }),
                        },
                      ],
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                },
              },

              loadingProducts: {
                id: 'loadingProducts',
                ...screen('pleaseWait'),
                entry: 'markBusy',
                invoke: {
                  id: 'loadProducts',
                  src: 'loadProducts',
                  input: ({ context }) => ({ accessToken: context.access?.token ?? '' }),
                  onDone: [
                    { guard: ({ event }) => event.output.ok, target: 'operations', actions: assign({ products: ({ event }) => (event.output.ok ? event.output.products : []) }) },
                    { target: '#refusal', actions: assign({ error: ({ event }) => ({ code: refusalCode(event.output.ok ? 'internal' : event.output.reason) }) }) },
                  ],
                  onError: { target: '#refusal', actions: 'bankOffline' },
                },
              },

              operations: {
                id: 'operations',
                ...screen('operations'),
                entry: [
                  'markActivity',
                  assign({
                    operation: undefined, productId: undefined, cashIn: undefined, withdrawal: undefined, accountPayment: undefined, quote: undefined,
                    receipt: undefined, service: undefined, balance: undefined, pinChange: undefined,
                  }),
                ],
                exit: 'clearError',
                on: {
                  chooseOperation: [
                    { guard: ({ context }) => (context.access?.expiresAt ?? 0) <= now(), target: '#otp', actions: assign({ error: { code: 'otpExpired' }, access: undefined }) },
                    {
                      guard: ({ context, event }) => !availableOperations(context.products, context.devices, context.card).includes(event.operation),
                      actions: assign({
                        error: ({ context, event }) => ({
                          code: event.operation === 'withdraw' && hasOnlyWallets(context) ? 'walletNoCash' : 'restricted',
                          params: { operation: String(event.operation), available: availableOperations(context.products, context.devices, context.card).join(',') },
                        }),
                      }),
                    },
                    { guard: ({ event }) => event.operation === 'payService', target: '#payment', actions: assign({ operation: 'payService', error: undefined }) },
                    { guard: ({ event }) => event.operation === 'changePin', target: '#pinChange', actions: assign({ operation: 'changePin', error: undefined }) },
                    { target: 'productSelect', actions: assign({ operation: ({ event }) => event.operation, error: undefined }) },
                  ],
                  finish: '#ending',
                  back: '#ending',
                },
              },

              productSelect: {
                ...screen('productSelect'),
                entry: [
                  'markActivity',
                  assign(({ context }) => {
                    const eligible = eligibleProducts(context.operation ?? 'balance', context.products ?? []);
                    return eligible.length === 1 ? { productId: eligible[0]?.id } : {};
                  }),
                ],
                // an error belongs to the screen it was shown on: a refused product must not come back as
                // the refusal of a later, clean step (a cash-in ended with no notes)
                exit: 'clearError',
                always: [
                  { guard: ({ context }) => context.productId !== undefined && context.operation === 'balance', target: 'balance' },
                  { guard: ({ context }) => context.productId !== undefined && context.operation === 'withdraw', target: 'withdrawal' },
                  { guard: ({ context }) => context.productId !== undefined, target: 'cashIn' },
                ],
                on: {
                  selectProduct: [
                    {
                      guard: ({ context, event }) => eligibleProducts(context.operation ?? 'balance', context.products ?? []).some((p) => p.id === event.productId),
                      actions: assign({ productId: ({ event }) => event.productId }),
                    },
                    { actions: assign({ error: { code: 'restricted' } }) },
                  ],
                  back: '#operations',
                },
              },

              balance: {
                initial: 'loading',
                states: {
                  loading: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'loadHistory',
                      src: 'loadHistory',
                      input: ({ context }) => ({ accessToken: context.access?.token ?? '', productId: context.productId ?? '' }),
                      onDone: {
                        target: 'showing',
                        actions: assign({
                          balance: ({ context, event }) => ({ productId: context.productId ?? '', recent: event.output.ok ? event.output.recent : [] }),
                        }),
                      },
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  showing: {
                    ...screen('balance'),
                    entry: 'markActivity',
                    on: { back: '#operations', confirm: '#operations', finish: '#ending' },
                  },
                },
              },

              payment: {
                id: 'payment',
                initial: 'loading',
                states: {
                  loading: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'loadServices',
                      src: 'loadServices',
                      input: () => ({}),
                      onDone: { target: 'catalogue', actions: assign({ services: ({ event }) => event.output }) },
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  catalogue: {
                    ...screen('serviceCatalogue'),
                    entry: 'markActivity',
                    exit: 'clearError',
                    on: {
                      selectService: [
                        {
                          guard: ({ context, event }) => (context.services ?? []).some((s) => s.id === event.serviceId),
                          target: 'reference',
                          actions: assign({
                            error: undefined,
                            service: ({ context, event }) => {
                              const s = (context.services ?? []).find((x) => x.id === event.serviceId);
                              return { id: event.serviceId, name: s?.name ?? '' };
                            },
                          }),
                        },
                        { actions: assign({ error: { code: 'notFound' } }) },
                      ],
                      back: [{ guard: 'hasAccess', target: '#operations' }, { target: '#start', actions: assign({ walkIn: false }) }],
                    },
                  },
                  reference: {
                    ...screen('serviceReference'),
                    entry: 'markActivity',
                    exit: 'clearError',
                    on: {
                      submitReference: [
                        {
                          guard: ({ context, event }) => referenceMatches(context, event.reference),
                          target: 'checking',
                          actions: assign({
                            error: undefined,
                            service: ({ context, event }) => ({ id: context.service?.id ?? '', name: context.service?.name ?? '', reference: normaliseReference(context, event.reference) }),
                          }),
                        },
                        { actions: assign({ error: { code: 'invalidReference' } }) },
                      ],
                      back: { target: 'catalogue', actions: 'clearError' },
                    },
                  },
                  checking: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'checkReference',
                      src: 'checkReference',
                      input: ({ context }) => ({ serviceId: context.service?.id ?? '', reference: context.service?.reference ?? '' }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output.ok,
                          target: '#paymentSource',
                          actions: assign({
                            service: ({ context, event }) => ({ ...(context.service ?? { id: '', name: '' }), beneficiary: event.output.ok ? event.output.beneficiary : '' }),
                          }),
                        },
                        { target: 'reference', actions: assign({ error: { code: 'invalidReference' } }) },
                      ],
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                },
              },

              /*
               * How to pay: in cash (while the acceptor works) or from one of the customer's products.
               * Walk-ups, customers with no product that may pay, and a bank offline (the account path
               * needs online authorisation) go straight on in cash, as before.
               */
              paymentSource: {
                id: 'paymentSource',
                ...screen('paymentSource'),
                entry: ['markActivity', assign({ productId: undefined, accountPayment: undefined, quote: undefined })],
                exit: 'clearError',
                always: { guard: ({ context }) => paymentProducts(context).length === 0, target: '#cashIn' },
                on: {
                  selectPaymentSource: [
                    { guard: ({ context, event }) => event.source === 'cash' && usable(context.devices.cashAcceptor), target: '#cashIn', actions: 'clearError' },
                    { guard: ({ event }) => event.source === 'cash', actions: assign({ error: { code: 'deviceFailure' } }) },
                    {
                      guard: ({ context, event }) => paymentProducts(context).some((p) => p.id === event.productId),
                      target: '#accountPayment',
                      actions: assign({ error: undefined, productId: ({ event }) => event.productId }),
                    },
                    { actions: assign({ error: { code: 'restricted' } }) },
                  ],
                  back: { target: '#payment.reference', actions: 'clearError' },
                },
              },

              cashIn: {
                id: 'cashIn',
                tags: ['inCashIn'],
                initial: 'prechecking',
                entry: assign(({ context }) => ({ cashIn: newCashIn(context) })),
                // once a note is stacked the money cannot be handed back: leaving means paying
                on: {
                  cancel: [{ guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: '.cancelling' }, { target: '.closing' }],
                  'session.timeout': [{ guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: '.cancelling' }, { target: '.closing' }],
                },
                states: {
                  prechecking: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'precheckCashIn',
                      src: 'precheckCashIn',
                      input: ({ context }) => ({
                        target: context.cashIn?.target ?? { kind: 'service', serviceId: '', reference: '', label: '' },
                        ...(context.access ? { accessToken: context.access.token } : {}),
                      }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output.ok && event.output.maxAmount > 0,
                          target: 'enabling',
                          actions: assign({
                            cashIn: ({ context, event }) =>
                              context.cashIn && event.output.ok
                                ? { ...context.cashIn, max: event.output.maxAmount, min: event.output.minAmount, offline: event.output.offline }
                                : context.cashIn,
                            devices: ({ context, event }) => (event.output.ok && event.output.offline ? { ...context.devices, bank: 'offline' as const } : context.devices),
                          }),
                        },
                        {
                          target: '#refusal',
                          actions: assign({
                            error: ({ event }) => (event.output.ok ? { code: 'offlineCapExceeded' as const } : { code: refusalCode(event.output.reason), ...(event.output.params ? { params: event.output.params } : {}) }),
                          }),
                        },
                      ],
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  enabling: {
                    ...screen('cashIn'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'enableAcceptor',
                      src: 'enableAcceptor',
                      input: () => ({ denominations: [...config.acceptedDenominations] }),
                      onDone: { target: 'accepting' },
                      onError: [
                        { guard: ({ context }) => (context.cashIn?.total ?? 0) > 0, target: 'closing' },
                        { target: '#refusal', actions: assign({ error: { code: 'deviceFailure' } }) },
                      ],
                    },
                  },
                  accepting: {
                    ...screen('cashIn'),
                    entry: ['markActivity', assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, acceptor: 'accepting' as const, pending: undefined, finishPressed: undefined } })],
                    on: {
                      'device.noteEscrow': [
                        {
                          guard: ({ context, event }) => noteFits(context, event.denomination, config),
                          target: 'opening',
                          actions: assign({ cashIn: ({ context, event }) => context.cashIn && { ...context.cashIn, acceptor: 'escrow' as const, pending: { denomination: event.denomination } } }),
                        },
                        {
                          target: 'returning',
                          actions: assign({
                            cashIn: ({ context, event }) =>
                              context.cashIn && {
                                ...context.cashIn,
                                acceptor: 'escrow' as const,
                                pending: { denomination: event.denomination, reason: config.acceptedDenominations.includes(event.denomination) ? 'aboveMaximum' : 'denomination' },
                              },
                          }),
                        },
                      ],
                      'device.noteRejected': {
                        actions: assign({
                          cashIn: ({ context, event }) => context.cashIn && { ...context.cashIn, notes: [...context.cashIn.notes, { denomination: 0, status: 'rejected' as const, reason: event.reason }] },
                        }),
                      },
                      'device.acceptorFailure': [
                        { guard: ({ context }) => (context.cashIn?.total ?? 0) > 0, target: 'closing' },
                        { target: 'cancelling', actions: assign({ error: { code: 'deviceFailure' } }) },
                      ],
                      finishCashIn: [
                        { guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: 'cancelling' },
                        { target: 'closing', actions: assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, finishPressed: true } }) },
                      ],
                      // money already stacked cannot be handed back: cancel then means finish
                      cancel: [{ guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: 'cancelling' }, { target: 'closing' }],
                      back: [{ guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: 'cancelling' }],
                      // walk-away: what was stacked is still paid
                      'session.timeout': [{ guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: 'cancelling' }, { target: 'closing' }],
                    },
                  },
                  opening: {
                    ...screen('cashIn'),
                    entry: 'markBusy',
                    always: { guard: ({ context }) => context.cashIn?.cashInId !== undefined, target: 'recordingIntent' },
                    on: { cancel: {} },
                    invoke: {
                      id: 'beginCashIn',
                      src: 'beginCashIn',
                      input: ({ context }) => ({
                        sessionId: context.sessionId,
                        target: context.cashIn?.target ?? { kind: 'service', serviceId: '', reference: '', label: '' },
                        offline: context.cashIn?.offline ?? false,
                      }),
                      onDone: { target: 'recordingIntent', actions: assign({ cashIn: ({ context, event }) => context.cashIn && { ...context.cashIn, cashInId: event.output.cashInId } }) },
                      onError: { target: 'returning', actions: assign({ cashIn: ({ context }) => context.cashIn && withPendingReason(context.cashIn, 'notRecorded') }) },
                    },
                  },
                  recordingIntent: {
                    ...screen('cashIn'),
                    tags: ['holdsNote', 'awaitsNoteWord'],
                    entry: 'markBusy',
                    on: { cancel: {} },
                    invoke: {
                      id: 'recordStackIntent',
                      src: 'recordStackIntent',
                      input: ({ context }) => ({ cashInId: context.cashIn?.cashInId ?? '', denomination: context.cashIn?.pending?.denomination ?? 0 }),
                      onDone: {
                        target: 'stacking',
                        actions: assign({
                          cashIn: ({ context, event }) =>
                            context.cashIn?.pending && { ...context.cashIn, acceptor: 'stacking' as const, pending: { ...context.cashIn.pending, noteId: event.output.noteId } },
                        }),
                      },
                      // no durable record, no stacking (money invariant 1)
                      onError: { target: 'returning', actions: assign({ cashIn: ({ context }) => context.cashIn && withPendingReason(context.cashIn, 'notRecorded') }) },
                    },
                  },
                  stacking: {
                    ...screen('cashIn'),
                    tags: ['holdsNote', 'awaitsNoteWord'],
                    entry: 'markBusy',
                    invoke: {
                      id: 'stackNote',
                      src: 'stackNote',
                      input: ({ context }) => ({ cashInId: context.cashIn?.cashInId ?? '', noteId: context.cashIn?.pending?.noteId ?? 0 }),
                      // the command's answer says nothing about the note: the device's event does. A
                      // failed command may still have been heard, so wait for 81 / 82 until noteSettle
                      // rather than close with a note perhaps in the box and not on this cash-in.
                      onError: {},
                    },
                    on: {
                      'device.noteStacked': [
                        { guard: 'stackedNoteIsPending', target: 'recordingStacked' },
                        { target: 'closing', actions: ['reportNoteMismatch', 'acceptorFailed'] },
                      ],
                      'device.noteReturned': { target: 'recordingReturned' },
                      cancel: {},
                    },
                    // the note's fate stays open in the store: the runtime's intent settler (or start-up
                    // reconciliation) settles it from the device's own word
                    after: { noteSettle: { target: 'closing', actions: assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, acceptor: 'failed' as const } }) } },
                  },
                  recordingStacked: {
                    ...screen('cashIn'),
                    tags: ['holdsNote', 'awaitsNoteWord'],
                    entry: 'markBusy',
                    invoke: {
                      id: 'recordStacked',
                      src: 'recordStacked',
                      input: ({ context }) => ({ cashInId: context.cashIn?.cashInId ?? '', noteId: context.cashIn?.pending?.noteId ?? 0 }),
                      onDone: { target: 'accepting', actions: assign({ cashIn: ({ context }) => context.cashIn && settleNote(context.cashIn, 'stacked') }) },
                      onError: { target: 'closing', actions: assign({ cashIn: ({ context }) => context.cashIn && settleNote(context.cashIn, 'stacked') }) },
                    },
                    on: { cancel: {} },
                  },
                  recordingReturned: {
                    ...screen('cashIn'),
                    tags: ['holdsNote', 'awaitsNoteWord'],
                    entry: 'markBusy',
                    invoke: {
                      id: 'recordReturned',
                      src: 'recordReturned',
                      input: ({ context }) => ({ cashInId: context.cashIn?.cashInId ?? '', noteId: context.cashIn?.pending?.noteId ?? 0, reason: 'device' }),
                      onDone: { target: 'accepting', actions: assign({ cashIn: ({ context }) => context.cashIn && settleNote(context.cashIn, 'returned') }) },
                      onError: { target: 'accepting', actions: assign({ cashIn: ({ context }) => context.cashIn && settleNote(context.cashIn, 'returned') }) },
                    },
                    on: { cancel: {} },
                  },
                  returning: {
                    ...screen('cashIn'),
                    tags: ['awaitsNoteWord'],
                    entry: 'markBusy',
                    invoke: {
                      id: 'returnNote',
                      src: 'returnNote',
                      input: () => ({}),
                      onError: { target: 'closing', actions: assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, acceptor: 'failed' as const } }) },
                    },
                    on: {
                      'device.noteReturned': { target: 'accepting', actions: assign({ cashIn: ({ context }) => context.cashIn && settleNote(context.cashIn, 'returned') }) },
                      cancel: {},
                    },
                    after: { noteSettle: { target: 'closing', actions: assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, acceptor: 'failed' as const } }) } },
                  },
                  cancelling: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'disableAcceptor',
                      src: 'disableAcceptor',
                      input: () => ({}),
                      onDone: { target: 'cancelled' },
                      onError: { target: 'cancelled' },
                    },
                  },
                  cancelled: {
                    always: [
                      { guard: ({ context }) => context.error !== undefined, target: '#refusal' },
                      { guard: 'hasAccess', target: '#operations' },
                      { target: '#ending' },
                    ],
                  },
                  closing: {
                    ...screen('pleaseWait'),
                    entry: ['markBusy', assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, acceptor: context.cashIn.acceptor === 'failed' ? 'failed' : ('disabled' as const) } })],
                    invoke: {
                      id: 'disableAcceptor',
                      src: 'disableAcceptor',
                      input: () => ({}),
                      onDone: { target: 'quoting' },
                      onError: { target: 'quoting' },
                    },
                    on: { cancel: {} },
                  },
                  quoting: {
                    ...screen('pleaseWait'),
                    invoke: {
                      id: 'quote',
                      src: 'quote',
                      input: ({ context }) => ({
                        operation: context.operation ?? 'payService',
                        amount: context.cashIn?.total ?? 0,
                        ...(context.productId ? { productId: context.productId } : {}),
                      }),
                      onDone: {
                        target: 'consented',
                        // cash pays its own commission: the beneficiary gets what was inserted less the fee
                        actions: assign(({ context, event }) => {
                          const total = context.cashIn?.total ?? 0;
                          const commission = Math.min(event.output.commission, total);
                          return {
                            quote: { operation: event.output.operation, amount: total - commission, commission, total },
                            cashIn: context.cashIn && { ...context.cashIn, commission },
                          };
                        }),
                      },
                      // no tariff reachable: the bank applies its own on delivery, shown as zero here
                      onError: {
                        target: 'consented',
                        actions: assign({
                          quote: ({ context }) => ({ operation: context.operation ?? 'payService', amount: context.cashIn?.total ?? 0, commission: 0, total: context.cashIn?.total ?? 0 }),
                        }),
                      },
                    },
                    // the notes are in the box: a slow bank (retries included) is waited for this long,
                    // then the payment goes on as when it is unreachable; the credit is queued either way
                    after: {
                      cashInBankWait: {
                        target: 'confirming',
                        actions: assign({
                          quote: ({ context }) => ({ operation: context.operation ?? 'payService', amount: context.cashIn?.total ?? 0, commission: 0, total: context.cashIn?.total ?? 0 }),
                          devices: ({ context }) => ({ ...context.devices, bank: 'offline' as const }),
                        }),
                      },
                    },
                    on: { cancel: {} },
                  },
                  // one consent per operation (5.5): "finish and credit" on the cash-in screen showed the
                  // total, the commission and what is credited; a commission it did not show, or a close the
                  // customer did not ask for (walk-away, acceptor failure), asks on the confirm screen. A
                  // service's cash-in screen shows no commission (the bank's tariff is known only from the
                  // quote), so a service payment is always consented on the confirm screen.
                  consented: {
                    always: [
                      { guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: 'cancelled' },
                      {
                        guard: ({ context }) =>
                          context.cashIn?.finishPressed === true &&
                          context.cashIn.target.kind !== 'service' &&
                          (context.quote?.commission ?? 0) === (context.cashIn.shownCommission ?? 0),
                        target: 'finishing',
                      },
                      { target: 'confirming' },
                    ],
                  },
                  confirming: {
                    ...screen('confirm'),
                    entry: ['markActivity', assign({ cashIn: ({ context }) => context.cashIn && { ...context.cashIn, shownCommission: context.quote?.commission ?? 0 } })],
                    always: { guard: ({ context }) => (context.cashIn?.total ?? 0) === 0, target: 'cancelled' },
                    on: {
                      confirm: 'finishing',
                      back: [{ guard: ({ context }) => context.cashIn?.acceptor !== 'failed', target: 'enabling' }],
                      cancel: 'finishing',
                      'session.timeout': 'finishing',
                    },
                  },
                  finishing: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'endCashIn',
                      src: 'endCashIn',
                      input: ({ context }) => ({ cashInId: context.cashIn?.cashInId ?? '', commission: context.cashIn?.commission ?? 0 }),
                      onDone: { target: '#receipt', actions: assign({ receipt: ({ context, event }) => newReceipt(context, event.output.receiptNumber) }) },
                      // the store will not end a cash-in while a note's fate is open: the acceptor failed to
                      // say it, and the runtime's intent settler finishes the payment once the device does
                      onError: { target: '#refusal', actions: assign({ error: ({ context }) => ({ code: context.cashIn?.acceptor === 'failed' ? ('deviceFailure' as const) : ('internal' as const) }) }) },
                    },
                    on: { cancel: {} },
                  },
                },
              },

              withdrawal: {
                id: 'withdrawal',
                initial: 'amount',
                entry: assign(({ context }) => ({ withdrawal: { productId: context.productId ?? '', stage: 'choose' as const } })),
                states: {
                  amount: {
                    ...screen('amountEntry'),
                    entry: 'markActivity',
                    exit: 'clearError',
                    on: {
                      selectAmount: [
                        {
                          guard: ({ context, event }) => withdrawalAmountOk(context, event.amount, config),
                          target: 'planning',
                          actions: assign({ error: undefined, withdrawal: ({ context, event }) => context.withdrawal && { ...context.withdrawal, amount: event.amount } }),
                        },
                        { actions: assign({ error: ({ context, event }) => ({ code: withdrawalAmountProblem(context, event.amount, config) ?? 'invalidAmount' }) }) },
                      ],
                      back: '#operations',
                    },
                  },
                  // the cassettes must be able to make the amount before the bank holds anything
                  planning: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'checkDispensable',
                      src: 'checkDispensable',
                      input: ({ context }) => ({ amount: context.withdrawal?.amount ?? 0 }),
                      onDone: [
                        { guard: ({ event }) => event.output.ok, target: 'quoting' },
                        { target: 'amount', actions: assign({ error: { code: 'invalidAmount', params: { reason: 'notes' } } }) },
                      ],
                      onError: { target: 'amount', actions: assign({ error: { code: 'deviceFailure' } }) },
                    },
                  },
                  quoting: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'quote',
                      src: 'quote',
                      input: ({ context }) => ({ operation: 'withdraw' as const, amount: context.withdrawal?.amount ?? 0, productId: context.productId ?? '' }),
                      onDone: { target: 'confirm', actions: assign({ quote: ({ event }) => event.output }) },
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  confirm: {
                    ...screen('confirm'),
                    entry: 'markActivity',
                    on: {
                      confirm: [
                        {
                          guard: ({ context }) => availableProduct(context)?.available === undefined || (availableProduct(context)?.available ?? 0) >= (context.quote?.total ?? 0),
                          target: 'authorising',
                        },
                        { target: '#refusal', actions: assign({ error: { code: 'insufficientFunds' } }) },
                      ],
                      back: 'amount',
                    },
                  },
                  authorising: {
                    ...screen('pleaseWait'),
                    entry: ['markBusy', assign({ seq: ({ context }) => context.seq + 1 })],
                    invoke: {
                      id: 'authoriseWithdrawal',
                      src: 'authoriseWithdrawal',
                      input: ({ context }) => ({
                        accessToken: context.access?.token ?? '',
                        productId: context.productId ?? '',
                        amount: context.withdrawal?.amount ?? 0,
                        idempotencyKey: `${context.sessionId}:w${context.seq}`,
                      }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output.ok,
                          target: 'recording',
                          actions: assign({
                            withdrawal: ({ context, event }) =>
                              context.withdrawal && event.output.ok
                                ? {
                                    ...context.withdrawal,
                                    stage: 'authorising' as const,
                                    holdId: event.output.holdId,
                                    commission: event.output.commission,
                                    status: event.output.status,
                                    ...(event.output.approvalId ? { approvalId: event.output.approvalId } : {}),
                                  }
                                : context.withdrawal,
                          }),
                        },
                        {
                          target: '#refusal',
                          actions: assign({ error: ({ event }) => (event.output.ok ? { code: 'internal' as const } : { code: refusalCode(event.output.reason) }) }),
                        },
                      ],
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                    on: { cancel: {} },
                  },
                  recording: {
                    ...screen('pleaseWait'),
                    invoke: {
                      id: 'recordWithdrawalAuthorised',
                      src: 'recordWithdrawalAuthorised',
                      input: ({ context }) => ({
                        sessionId: context.sessionId,
                        holdId: context.withdrawal?.holdId ?? '',
                        customerId: context.customer?.id ?? '',
                        productId: context.productId ?? '',
                        amount: context.withdrawal?.amount ?? 0,
                        commission: context.withdrawal?.commission ?? 0,
                      }),
                      onDone: [
                        {
                          guard: ({ context }) => context.withdrawal?.status === 'pendingApproval',
                          target: 'approvalWait',
                          actions: assign({ withdrawal: ({ context, event }) => context.withdrawal && { ...context.withdrawal, withdrawalId: event.output.withdrawalId } }),
                        },
                        { target: 'dispensing', actions: assign({ withdrawal: ({ context, event }) => context.withdrawal && { ...context.withdrawal, withdrawalId: event.output.withdrawalId } }) },
                      ],
                      onError: { target: '#refusal', actions: assign({ error: { code: 'internal' } }) },
                    },
                    on: { cancel: {} },
                  },
                  approvalWait: approvalWait({
                    id: 'withdrawal',
                    approved: 'dispensing',
                    approvalId: (context) => context.withdrawal?.approvalId,
                    onEntry: (context, approvalDeadline) => ({ withdrawal: context.withdrawal && { ...context.withdrawal, approvalDeadline } }),
                  }),
                  dispensing: {
                    ...screen('dispensing'),
                    entry: ['markBusy', assign({ withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, stage: 'dispensing' as const } })],
                    invoke: {
                      id: 'dispense',
                      src: 'dispense',
                      input: ({ context }) => ({ withdrawalId: context.withdrawal?.withdrawalId ?? '', amount: context.withdrawal?.amount ?? 0 }),
                      onDone: [
                        { guard: ({ event }) => event.output.ok, target: 'presenting' },
                        { target: 'reversing', actions: assign({ error: { code: 'deviceFailure' } }) },
                      ],
                      onError: { target: 'reversing', actions: assign({ error: { code: 'deviceFailure' } }) },
                    },
                    on: { cancel: {} },
                  },
                  presenting: {
                    ...screen('dispensing'),
                    invoke: {
                      id: 'present',
                      src: 'present',
                      input: ({ context }) => ({ withdrawalId: context.withdrawal?.withdrawalId ?? '' }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output === 'atExit',
                          target: 'completing',
                          actions: assign({ withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, atExit: true } }),
                        },
                        { guard: ({ event }) => event.output === 'presented', target: 'takeCash' },
                        { guard: ({ event }) => event.output === 'notPresented', target: 'reversing', actions: assign({ error: { code: 'deviceFailure' } }) },
                        // never guessed: the store keeps it 'unknown' for the technician
                        { target: '#refusal', actions: [assign({ error: { code: 'deviceFailure' } }), 'withdrawalFailed'] },
                      ],
                      onError: { target: '#refusal', actions: [assign({ error: { code: 'deviceFailure' } }), 'withdrawalFailed'] },
                    },
                    on: { cancel: {} },
                  },
                  takeCash: {
                    ...screen('takeCash'),
                    entry: ['markBusy', assign({ withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, stage: 'presented' as const, takeBy: now() + t.takeCashMs } })],
                    on: {
                      'device.cashTaken': 'completing',
                      cancel: {},
                    },
                    after: { takeCash: 'retracting' },
                  },
                  completing: {
                    ...screen('pleaseWait'),
                    entry: assign({ withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, stage: 'taken' as const } }),
                    invoke: {
                      id: 'completeWithdrawal',
                      src: 'completeWithdrawal',
                      input: ({ context }) => ({ withdrawalId: context.withdrawal?.withdrawalId ?? '' }),
                      onDone: [
                        // recorded taken the moment DISPENSE answered: now the customer is told where the notes are
                        {
                          guard: ({ context }) => context.withdrawal?.atExit === true,
                          target: 'cashAtExit',
                          actions: assign({ receipt: ({ context, event }) => newReceipt(context, event.output.receiptNumber) }),
                        },
                        { target: '#receipt', actions: assign({ receipt: ({ context, event }) => newReceipt(context, event.output.receiptNumber) }) },
                      ],
                      onError: { target: '#refusal', actions: assign({ error: { code: 'internal' } }) },
                    },
                    on: { cancel: {} },
                  },
                  // a dispenser without a presenter: the notes are at its exit and already the
                  // customer's; nothing senses them being taken and nothing can retract them
                  cashAtExit: {
                    ...screen('takeCash'),
                    entry: assign({ withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, takeBy: now() + t.takeCashMs } }),
                    on: { confirm: '#receipt', cancel: {} },
                    after: { takeCash: '#receipt' },
                  },
                  retracting: {
                    ...screen('pleaseWait'),
                    invoke: {
                      id: 'retractAndReverse',
                      src: 'retractAndReverse',
                      input: ({ context }) => ({ withdrawalId: context.withdrawal?.withdrawalId ?? '' }),
                      onDone: {
                        target: '#refusal',
                        actions: assign({ error: { code: 'cashNotTaken' }, withdrawal: ({ context }) => context.withdrawal && { ...context.withdrawal, stage: 'retracted' as const } }),
                      },
                      onError: { target: '#refusal', actions: assign({ error: { code: 'deviceFailure' } }) },
                    },
                    on: { cancel: {} },
                  },
                  reversing: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'reverseWithdrawal',
                      src: 'reverseWithdrawal',
                      input: ({ context }) => ({ withdrawalId: context.withdrawal?.withdrawalId ?? '', reason: context.error?.code ?? 'cancelled' }),
                      onDone: { target: '#refusal', actions: 'withdrawalFailed' },
                      onError: { target: '#refusal', actions: 'withdrawalFailed' },
                    },
                    on: { cancel: {} },
                  },
                },
              },

              /*
               * A service payment from the customer's product. Nothing is held until the customer
               * consents on the confirm screen (5.5); from then on leaving means reversing the hold.
               */
              accountPayment: {
                id: 'accountPayment',
                initial: 'amount',
                entry: assign(({ context }) => ({
                  accountPayment: { productId: context.productId ?? '', label: availableProduct(context)?.label ?? '', stage: 'amount' as const },
                })),
                states: {
                  amount: {
                    ...screen('amountEntry'),
                    entry: ['markActivity', assign({ accountPayment: ({ context }) => context.accountPayment && { ...context.accountPayment, stage: 'amount' as const } })],
                    exit: 'clearError',
                    on: {
                      selectAmount: [
                        {
                          guard: ({ context, event }) => paymentAmountProblem(context, event.amount) === undefined,
                          target: 'quoting',
                          actions: assign({ error: undefined, accountPayment: ({ context, event }) => context.accountPayment && { ...context.accountPayment, amount: event.amount } }),
                        },
                        { actions: assign({ error: ({ context, event }) => paymentAmountProblem(context, event.amount) ?? { code: 'invalidAmount' as const } }) },
                      ],
                      back: { target: '#paymentSource', actions: 'clearError' },
                    },
                  },
                  quoting: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'quote',
                      src: 'quote',
                      input: ({ context }) => ({
                        operation: 'payService' as const,
                        amount: context.accountPayment?.amount ?? 0,
                        productId: context.productId ?? '',
                        serviceId: context.service?.id ?? '',
                      }),
                      onDone: {
                        target: 'confirm',
                        actions: assign(({ context, event }) => {
                          const amount = context.accountPayment?.amount ?? 0;
                          // the amount is the customer's; the commission is added on top (5.6)
                          const commission = event.output.commission;
                          return {
                            quote: { operation: 'payService' as const, amount, commission, total: amount + commission },
                            accountPayment: context.accountPayment && { ...context.accountPayment, commission },
                          };
                        }),
                      },
                      onError: { target: '#refusal', actions: 'bankOffline' },
                    },
                  },
                  confirm: {
                    ...screen('confirm'),
                    entry: ['markActivity', assign({ accountPayment: ({ context }) => context.accountPayment && { ...context.accountPayment, stage: 'confirm' as const } })],
                    on: {
                      confirm: [
                        { guard: ({ context }) => (availableProduct(context)?.available ?? 0) >= (context.quote?.total ?? 0), target: 'authorising' },
                        { target: '#refusal', actions: assign({ error: { code: 'insufficientFunds' } }) },
                      ],
                      back: 'amount',
                    },
                  },
                  authorising: {
                    ...screen('pleaseWait'),
                    entry: [
                      'markBusy',
                      assign(({ context }) => ({
                        seq: context.seq + 1,
                        accountPayment: context.accountPayment && { ...context.accountPayment, stage: 'authorising' as const },
                      })),
                    ],
                    invoke: {
                      id: 'authoriseAccountPayment',
                      src: 'authoriseAccountPayment',
                      input: ({ context }) => ({
                        sessionId: context.sessionId,
                        accessToken: context.access?.token ?? '',
                        customerId: context.customer?.id ?? '',
                        productId: context.productId ?? '',
                        label: context.accountPayment?.label ?? '',
                        serviceId: context.service?.id ?? '',
                        serviceName: context.service?.name ?? '',
                        reference: context.service?.reference ?? '',
                        amount: context.accountPayment?.amount ?? 0,
                        commission: context.accountPayment?.commission ?? 0,
                        idempotencyKey: `${context.sessionId}:p${context.seq}`,
                      }),
                      onDone: [
                        {
                          guard: ({ event }) => event.output.ok,
                          target: 'authorised',
                          actions: assign({
                            accountPayment: ({ context, event }) =>
                              context.accountPayment && event.output.ok
                                ? {
                                    ...context.accountPayment,
                                    paymentId: event.output.paymentId,
                                    status: event.output.status,
                                    ...(event.output.approvalId ? { approvalId: event.output.approvalId } : {}),
                                  }
                                : context.accountPayment,
                          }),
                        },
                        {
                          target: '#refusal',
                          actions: assign({
                            error: ({ event }) =>
                              event.output.ok ? { code: 'internal' as const } : { code: refusalCode(event.output.reason), ...(event.output.params ? { params: event.output.params } : {}) },
                          }),
                        },
                      ],
                      onError: { target: '#refusal', actions: assign({ error: { code: 'internal' } }) },
                    },
                    on: { cancel: {} },
                  },
                  authorised: {
                    always: [{ guard: ({ context }) => context.accountPayment?.status === 'pendingApproval', target: 'approvalWait' }, { target: 'completing' }],
                  },
                  // the trusted person approves or refuses (8.15-1): the same wait as for withdrawals
                  approvalWait: approvalWait({
                    id: 'accountPayment',
                    approved: 'completing',
                    approvalId: (context) => context.accountPayment?.approvalId,
                    onEntry: (context, approvalDeadline) => ({
                      accountPayment: context.accountPayment && { ...context.accountPayment, stage: 'approval' as const, approvalDeadline },
                    }),
                  }),
                  completing: {
                    ...screen('pleaseWait'),
                    entry: ['markBusy', assign({ accountPayment: ({ context }) => context.accountPayment && { ...context.accountPayment, stage: 'completing' as const } })],
                    invoke: {
                      id: 'completeAccountPayment',
                      src: 'completeAccountPayment',
                      input: ({ context }) => ({ paymentId: context.accountPayment?.paymentId ?? '' }),
                      onDone: {
                        target: '#receipt',
                        actions: assign({
                          receipt: ({ context, event }) => newReceipt(context, event.output.receiptNumber),
                          accountPayment: ({ context }) => context.accountPayment && { ...context.accountPayment, stage: 'complete' as const },
                          // the next operation in this session sees what is left (one OTP, several operations: 8.11)
                          products: ({ context }) => spent(context.products, context.productId, context.quote?.total ?? 0),
                        }),
                      },
                      // nothing was recorded as paid: the hold is released
                      onError: { target: 'reversing', actions: assign({ error: { code: 'internal' } }) },
                    },
                    on: { cancel: {} },
                  },
                  reversing: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'reverseAccountPayment',
                      src: 'reverseAccountPayment',
                      input: ({ context }) => ({ paymentId: context.accountPayment?.paymentId ?? '', reason: context.error?.code ?? 'cancelled' }),
                      onDone: { target: '#refusal', actions: 'accountPaymentReversed' },
                      // the store keeps it open: start-up reconciliation reverses it
                      onError: { target: '#refusal', actions: 'accountPaymentReversed' },
                    },
                    on: { cancel: {} },
                  },
                },
              },

              // PIN change on the customer's phone (pin-change-machine.ts)
              pinChange: {
                id: 'pinChange',
                invoke: {
                  id: FLOW_ID,
                  src: 'pinChangeFlow',
                  input: ({ context }) => ({
                    sessionId: context.sessionId,
                    customerId: context.customer?.id ?? '',
                    accessToken: context.access?.token ?? '',
                    accessExpiresAt: context.access?.expiresAt ?? Number.MAX_SAFE_INTEGER,
                    panToken: context.card?.panToken ?? '',
                    maskedPan: context.card?.maskedPan ?? '',
                  }),
                  onDone: flowEnds,
                  onError: flowFailed,
                },
                on: forward(PIN_CHANGE_EVENT_TYPES),
              },

              receipt: {
                id: 'receipt',
                initial: 'outcome',
                states: {
                  // what the operation did, before the receipt question; a receipt choice made at
                  // once is taken as made on the question's screen
                  outcome: {
                    ...screen('outcome'),
                    entry: 'markActivity',
                    always: { guard: ({ context }) => context.receipt?.outcome === undefined, target: 'choosing' },
                    on: {
                      confirm: 'choosing',
                      chooseReceipt: { target: 'choosing', actions: raise(({ event }) => event) },
                      'session.timeout': { target: 'done', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'none' as const } }) },
                      cancel: { target: 'done', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'none' as const } }) },
                    },
                  },
                  choosing: {
                    ...screen('receiptChoice'),
                    entry: [
                      'markActivity',
                      assign({
                        receipt: ({ context }) =>
                          context.receipt && { ...context.receipt, status: context.receipt.status === 'failed' ? ('failed' as const) : ('choosing' as const), options: receiptOptions(context) },
                      }),
                    ],
                    exit: 'clearError',
                    on: {
                      chooseReceipt: [
                        { guard: ({ context, event }) => !(context.receipt?.options ?? []).includes(event.choice), actions: assign({ error: { code: 'printerUnavailable' } }) },
                        { guard: ({ event }) => event.choice === 'print', target: 'printing', actions: 'clearError' },
                        { guard: ({ event }) => event.choice === 'sms', target: 'phone', actions: 'clearError' },
                        { guard: ({ event }) => event.choice === 'push', target: 'pushing', actions: 'clearError' },
                        { target: 'done', actions: assign({ error: undefined, receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'none' as const } }) },
                      ],
                      'session.timeout': { target: 'done', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'none' as const } }) },
                      cancel: { target: 'done', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'none' as const } }) },
                    },
                  },
                  phone: {
                    ...screen('receiptPhone'),
                    entry: 'markActivity',
                    exit: 'clearError',
                    on: {
                      submitReceiptPhone: [
                        {
                          guard: ({ event }) => normalisePhone(event.phone) !== undefined,
                          target: 'sending',
                          actions: assign({ error: undefined, receipt: ({ context, event }) => context.receipt && { ...context.receipt, smsTo: normalisePhone(event.phone) ?? '' } }),
                        },
                        { actions: assign({ error: { code: 'invalidPhone' } }) },
                      ],
                      back: 'choosing',
                      cancel: 'choosing',
                      'session.timeout': 'done',
                    },
                  },
                  printing: {
                    ...screen('printing'),
                    entry: ['markBusy', assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'printing' as const } })],
                    invoke: {
                      id: 'printReceipt',
                      src: 'printReceipt',
                      // a customer identified by phone gets the receipt there should the print be lost
                      input: ({ context }) => ({
                        receiptNumber: context.receipt?.number ?? '', locale: context.locale,
                        ...(context.customer && context.query?.by === 'phone' && context.query.phone ? { phone: context.query.phone } : {}),
                      }),
                      onDone: [
                        { guard: ({ event }) => event.output.ok, target: 'printed', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'printed' as const } }) },
                        { target: 'printFailed' },
                      ],
                      onError: { target: 'printFailed' },
                    },
                    on: { cancel: {} },
                  },
                  // "take your receipt": the customer is told the paper is out before the kiosk moves on
                  printed: {
                    ...screen('printing'),
                    entry: 'markBusy',
                    on: { confirm: 'done', finish: 'done', cancel: 'done' },
                    after: { goodbye: 'done' },
                  },
                  // a failed print never shows as printed: say so and offer SMS
                  printFailed: {
                    always: {
                      target: 'choosing',
                      actions: assign({
                        error: { code: 'printerUnavailable' },
                        devices: ({ context }) => ({ ...context.devices, printer: 'offline' as const }),
                        receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'failed' as const },
                      }),
                    },
                  },
                  sending: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'smsReceipt',
                      src: 'smsReceipt',
                      input: ({ context }) => ({ receiptNumber: context.receipt?.number ?? '', phone: context.receipt?.smsTo ?? '', locale: context.locale }),
                      onDone: [
                        { guard: ({ event }) => event.output.ok, target: 'done', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'sent' as const, channel: 'sms' as const } }) },
                        // the SMS is queued locally (store-and-forward), so a failure here is the terminal's own
                        { target: 'choosing', actions: assign({ error: { code: 'internal' } }) },
                      ],
                      onError: { target: 'choosing', actions: assign({ error: { code: 'internal' } }) },
                    },
                    on: { cancel: {} },
                  },
                  // queued in the outbox like an SMS receipt: the bank pushes it to the app once delivered
                  pushing: {
                    ...screen('pleaseWait'),
                    entry: 'markBusy',
                    invoke: {
                      id: 'pushReceipt',
                      src: 'pushReceipt',
                      input: ({ context }) => ({ receiptNumber: context.receipt?.number ?? '', customerId: context.customer?.id ?? '', locale: context.locale }),
                      onDone: [
                        { guard: ({ event }) => event.output.ok, target: 'done', actions: assign({ receipt: ({ context }) => context.receipt && { ...context.receipt, status: 'sent' as const, channel: 'push' as const } }) },
                        { target: 'choosing', actions: assign({ error: { code: 'internal' } }) },
                      ],
                      onError: { target: 'choosing', actions: assign({ error: { code: 'internal' } }) },
                    },
                    on: { cancel: {} },
                  },
                  done: {
                    always: [{ guard: 'hasAccess', target: '#operations' }, { target: '#ending' }],
                  },
                },
              },

              refusal: {
                id: 'refusal',
                ...screen('refusal'),
                entry: 'markActivity',
                on: {
                  back: [{ guard: 'hasAccess', target: '#operations' }, { target: '#start', actions: assign({ walkIn: false, card: undefined }) }],
                  confirm: [{ guard: 'hasAccess', target: '#operations' }, { target: '#ending' }],
                  finish: '#ending',
                },
              },

              ending: {
                id: 'ending',
                initial: 'ejecting',
                entry: 'markBusy',
                on: { cancel: {} },
                states: {
                  ejecting: {
                    ...screen('goodbye'),
                    always: { guard: ({ context }) => context.card === undefined, target: 'farewell' },
                    invoke: {
                      id: 'ejectCard',
                      src: 'ejectCard',
                      input: () => ({}),
                      onDone: 'waitingRemoval',
                      onError: 'capturing',
                    },
                    on: { 'device.cardRemoved': { target: 'farewell', actions: assign({ card: undefined }) } },
                  },
                  waitingRemoval: {
                    ...screen('goodbye'),
                    on: { 'device.cardRemoved': { target: 'farewell', actions: assign({ card: undefined }) } },
                    after: { cardRemove: 'capturing' },
                  },
                  // a card left in the throat is retained, never left for the next person
                  capturing: {
                    ...screen('goodbye'),
                    invoke: {
                      id: 'captureCard',
                      src: 'captureCard',
                      input: () => ({}),
                      onDone: { target: 'farewell', actions: assign({ card: undefined }) },
                      onError: { target: 'farewell', actions: assign({ card: undefined }) },
                    },
                  },
                  farewell: {
                    ...screen('goodbye'),
                    after: { goodbye: '#idle' },
                  },
                },
              },
            },
          },

          inactivity: {
            initial: 'paused',
            // transitions stay inside this region: re-entering the region itself would re-enter
            // the parallel parent and with it the flow's current screen
            on: { 'session.busy': { target: '.paused' } },
            states: {
              paused: {
                entry: assign({ deadline: undefined, moreTimeUntil: undefined }),
                on: { 'session.activity': 'counting' },
              },
              counting: {
                entry: assign({ deadline: () => now() + t.inactivityMs, moreTimeUntil: undefined }),
                after: { inactivity: 'prompt' },
                on: {
                  ...(Object.fromEntries(UI_EVENT_TYPES.map((type) => [type, { target: 'counting', reenter: true }])) as Record<string, never>),
                  // a touch on the language switch is activity too; handled here, the event would not reach the root's setLocale
                  setLocale: { target: 'counting', reenter: true, actions: 'applyLocale' },
                  'session.activity': { target: 'counting', reenter: true },
                },
              },
              prompt: {
                entry: assign({ moreTimeUntil: () => now() + t.moreTimeMs }),
                after: { moreTime: { target: 'paused', actions: raise({ type: 'session.timeout' }) } },
                on: {
                  ...(Object.fromEntries(UI_EVENT_TYPES.map((type) => [type, { target: 'counting' }])) as Record<string, never>),
                  setLocale: { target: 'counting', actions: 'applyLocale' },
                  'session.activity': 'counting',
                },
              },
            },
          },
        },
      },

      // the technician's flow (service-machine.ts), while the cabinet's service switch is open
      service: {
        id: 'service',
        entry: assign({ servicePending: false }),
        invoke: { id: FLOW_ID, src: 'serviceMode', onDone: '#idle', onError: '#idle' },
        on: {
          'device.serviceSwitch': [{ guard: 'serviceSwitchClosed', target: '#idle' }, { actions: assign({ servicePending: false }) }],
          ...forward(SERVICE_EVENT_TYPES),
        },
      },
    },
  });
  return provided(machine, sessionActors);
}

export type SessionMachine = ReturnType<typeof createSessionMachine>;

/* ---- pure helpers the machine's guards and actions use ---- */

/** what a finished customer flow answered (its `xstate.done.actor.flow` event's output) */
function flowOutput(event: unknown): ({ end: FlowEnd } & Record<string, unknown>) | undefined {
  return (event as { output?: { end: FlowEnd } & Record<string, unknown> }).output;
}

/**
 * The attract screen watches for a hand only when a palm can sign the customer in: palm allowed,
 * the scanner usable, the bank reachable (the match is the bank's), and the terminal in service
 * for customers (never with the service switch open or nothing working).
 */
export function palmArmable(context: SessionContext): boolean {
  return (
    context.identificationMethods.includes('palm')
    && usable(context.devices.palm)
    && context.devices.bank === 'online'
    && !context.servicePending
    && !allCriticalFailed(context.devices)
  );
}

function outcomeOf(context: SessionContext): SessionContext['identifyOutcome'] {
  return context.identifyOutcome;
}

function statusOf(context: SessionContext): string | undefined {
  const o = outcomeOf(context);
  return o?.ok ? o.status : undefined;
}

function reasonOf(context: SessionContext): string | undefined {
  const o = outcomeOf(context);
  return o && !o.ok ? o.reason : undefined;
}

function hasOnlyWallets(context: SessionContext): boolean {
  const products = context.products ?? [];
  return products.some((p) => p.kind === 'wallet') && eligibleProducts('withdraw', products).length === 0;
}

function availableProduct(context: SessionContext): ProductView | undefined {
  return context.products?.find((p) => p.id === context.productId);
}

function referenceMatches(context: SessionContext, reference: string): boolean {
  return matchingReference(context, reference) !== undefined;
}

/**
 * The form of what the customer typed that the service's pattern accepts: phone references are
 * tried as typed, as digits, as the 10-digit national number and in E.164, since providers differ.
 */
function matchingReference(context: SessionContext, reference: string): string | undefined {
  const s = context.services?.find((x) => x.id === context.service?.id);
  if (!s) return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${s.referencePattern})$`);
  } catch {
    return undefined;
  }
  const typed = reference.trim();
  const candidates = [typed, typed.replace(/[\s()-]/g, '')];
  if (s.referenceKind === 'phone') {
    const e164 = normalisePhone(typed);
    if (e164) candidates.push(e164.slice(2), e164);
  }
  return candidates.find((c) => pattern.test(c));
}

function normaliseReference(context: SessionContext, reference: string): string {
  return matchingReference(context, reference) ?? reference.trim();
}

function newCashIn(context: SessionContext): SessionContext['cashIn'] {
  let target: CashInTarget;
  if (context.operation === 'payService' || context.walkIn || !context.productId) {
    target = {
      kind: 'service',
      serviceId: context.service?.id ?? '',
      reference: context.service?.reference ?? '',
      label: context.service?.name ?? '',
      ...(context.customer ? { customerId: context.customer.id } : {}),
    };
  } else {
    const p = context.products?.find((x) => x.id === context.productId);
    target = { kind: p?.kind === 'loan' ? 'loan' : p?.kind === 'wallet' ? 'wallet' : 'account', customerId: context.customer?.id ?? '', productId: context.productId, label: p?.label ?? '' };
  }
  return { target, notes: [], total: 0, commission: 0, max: 0, min: 0, offline: false, acceptor: 'starting' };
}

function noteFits(context: SessionContext, denomination: Tiyn, config: SessionConfig): boolean {
  const c = context.cashIn;
  if (!c || !config.acceptedDenominations.includes(denomination)) return false;
  return c.total + denomination <= c.max;
}

function withPendingReason(c: NonNullable<SessionContext['cashIn']>, reason: string): NonNullable<SessionContext['cashIn']> {
  return c.pending ? { ...c, pending: { ...c.pending, reason } } : c;
}

function settleNote(c: NonNullable<SessionContext['cashIn']>, status: 'stacked' | 'returned'): NonNullable<SessionContext['cashIn']> {
  const p = c.pending;
  if (!p) return c;
  const note = { denomination: p.denomination, status, ...(p.reason ? { reason: p.reason } : {}) };
  return {
    ...c,
    notes: [...c.notes, note],
    total: status === 'stacked' ? c.total + p.denomination : c.total,
    pending: undefined,
    acceptor: 'accepting',
  };
}

function withdrawalAmountOk(context: SessionContext, amount: Tiyn, config: SessionConfig): boolean {
  return withdrawalAmountProblem(context, amount, config) === undefined;
}

function withdrawalAmountProblem(context: SessionContext, amount: Tiyn, config: SessionConfig): ErrorCode | undefined {
  if (!Number.isInteger(amount) || amount <= 0) return 'invalidAmount';
  if (amount % config.withdrawal.multipleOf !== 0) return 'invalidAmount';
  if (amount > config.withdrawal.max) return 'limitExceeded';
  const p = availableProduct(context);
  if (p && p.available < amount) return 'insufficientFunds';
  return undefined;
}

function spent(products: ProductView[] | undefined, productId: string | undefined, total: Tiyn): ProductView[] | undefined {
  return products?.map((p) => (p.id === productId ? { ...p, balance: Math.max(0, p.balance - total), available: Math.max(0, p.available - total) } : p));
}

/** the products this customer may pay the service from now: none for walk-ups or with the bank offline */
function paymentProducts(context: SessionContext): ProductView[] {
  if (context.walkIn || !context.access || context.devices.bank !== 'online') return [];
  return eligibleProducts('payService', context.products ?? []);
}

function paymentAmountProblem(context: SessionContext, amount: Tiyn): { code: ErrorCode; params?: Record<string, string | number> } | undefined {
  if (!Number.isSafeInteger(amount) || amount <= 0) return { code: 'invalidAmount' };
  const s = context.services?.find((x) => x.id === context.service?.id);
  if (s && amount < s.min) return { code: 'belowMinimum', params: { min: s.min } };
  if (s && amount > s.max) return { code: 'limitExceeded', params: { max: s.max } };
  const p = availableProduct(context);
  if (p && p.available < amount) return { code: 'insufficientFunds', params: { available: p.available } };
  return undefined;
}

function receiptOptions(context: SessionContext): ReceiptChoice[] {
  const options: ReceiptChoice[] = [];
  if (usable(context.devices.printer)) options.push('print');
  if (context.smsReceipts) options.push('sms');
  // the bank said at identification that the customer has its app (ch.2 item 5: push is a receipt channel)
  if (context.customer?.hasApp === true) options.push('push');
  options.push('none');
  return options;
}

function newReceipt(context: SessionContext, receiptNumber: string): SessionContext['receipt'] {
  const outcome = operationOutcome(context);
  return { number: receiptNumber, options: receiptOptions(context), status: 'choosing', ...(outcome ? { outcome } : {}) };
}

/**
 * What the operation that just completed did, from the view it left in the context (the menu clears
 * them, so at most one money operation's view is there). None for a PIN change: its screen says it.
 */
function operationOutcome(context: SessionContext): OperationOutcome | undefined {
  const product = (id: string | undefined) => context.products?.find((p) => p.id === id);
  if (context.accountPayment) {
    const ap = context.accountPayment;
    return { operation: 'payService', amount: ap.amount ?? 0, commission: ap.commission ?? 0, ...(context.service ? { target: { kind: 'service', label: context.service.name } } : {}) };
  }
  if (context.withdrawal?.amount !== undefined) {
    const w = context.withdrawal;
    const p = product(w.productId);
    return {
      operation: 'withdraw', amount: w.amount ?? 0, commission: w.commission ?? 0,
      ...(p ? { target: { kind: p.kind, label: p.label } } : {}), ...(w.atExit ? { atExit: true } : {}),
    };
  }
  if (context.cashIn) {
    const c = context.cashIn;
    const commission = Math.min(c.commission, c.total);
    if (c.target.kind === 'service') {
      return { operation: 'payService', amount: c.total - commission, commission, target: { kind: 'service', label: c.target.label } };
    }
    const p = product(c.target.productId);
    return { operation: 'cashIn', amount: c.total - commission, commission, target: { kind: p?.kind ?? 'current', label: c.target.label } };
  }
  return undefined;
}
