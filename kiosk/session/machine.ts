/**
 * The customer session: a small parent machine from the attract screen to goodbye, plus service
 * mode. Free of I/O: every bank, store and device call is an invoked actor whose logic is provided
 * at start (actors.ts builds them from the ports; tests provide scripted ones). The chart for
 * newcomers is docs/session-chart.md; the picture of the parts is docs/architecture.md.
 *
 * Layout: `idle | outOfService | session | service`. `session` is parallel: `flow` (the screens)
 * and `inactivity` (the per-screen timer with its "more time?" prompt, raising session.timeout).
 * The parent owns what every flow shares: locale, customer, card, device health, inactivity, the
 * receipt step, refusal and goodbye. Identification and each operation run as their own flow
 * machine, invoked at `children.flow` by a host state (flow-hosts.ts): identification (every
 * method, narrowing, the one-time code), cash-in, withdrawal, payment from an account, PIN change,
 * and service mode. The menus are parent states built by factories (menu-states.ts) on this
 * file's setup.
 */
import { assign, emit, raise, sendTo, setup } from 'xstate';
import type { ProductView, Quote, ServiceView } from '../bank/bank-api.js';
import type { Tiyn } from '../../domain/money.js';
import type { Devices, Operation } from '../bridge/schema.js';
import { FLOW_ID, pickActors, screen, unprovided, type FlowEnd } from './machine-kit.js';
import { cashInActors, createCashInMachine, type CashInActors } from './cash-in-machine.js';
import { createWithdrawalMachine, withdrawalActors, type WithdrawalActors } from './withdrawal-machine.js';
import { accountPaymentActors, createAccountPaymentMachine, type AccountPaymentActors } from './account-payment-machine.js';
import { createPinChangeMachine, pinChangeActors, type PinChangeActors } from './pin-change-machine.js';
import { createServiceMachine, SERVICE_EVENT_TYPES, serviceActors, type ServiceActors } from './service-machine.js';
import { allCriticalFailed } from './operations.js';
import { createIdentificationMachine, identificationActors, type IdentificationActors, type IdentificationEnd } from './identification-machine.js';
import { balanceState, loadingProductsState, operationsState, paymentSourceState, paymentState, productSelectState, startState } from './menu-states.js';
import { accountPaymentHost, cashInHost, forward, identificationHost, pinChangeHost, withdrawalHost } from './flow-hosts.js';
import { newReceipt, palmArmable, receiptOptions, spent } from './session-rules.js';
import { normalisePhone } from './phone.js';
import type { SessionConfig } from './ports.js';
import type {
  PrintOutcome,
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
  loadProducts: unprovided<{ ok: true; products: ProductView[] } | { ok: false; reason: string }, { accessToken: string }>('loadProducts'),
  loadHistory: unprovided<
    { ok: true; recent: Array<{ at: string; description: string; amount: number }> } | { ok: false; reason: string },
    { accessToken: string; productId: string }
  >('loadHistory'),
  loadServices: unprovided<ServiceView[], Record<string, never>>('loadServices'),
  checkReference: unprovided<{ ok: true; beneficiary: string } | { ok: false; reason: string }, { serviceId: string; reference: string }>('checkReference'),
  quote: unprovided<Quote, { operation: Operation; amount: Tiyn; productId?: string; serviceId?: string }>('quote'),
  approvalStatus: unprovided<{ status: 'pending' | 'approved' | 'refused' | 'expired' }, { approvalId: string }>('approvalStatus'),
  printReceipt: unprovided<PrintOutcome, { receiptNumber: string; locale: SessionContext['locale']; phone?: string }>('printReceipt'),
  smsReceipt: unprovided<{ ok: boolean }, { receiptNumber: string; phone: string; locale?: SessionContext['locale'] }>('smsReceipt'),
  pushReceipt: unprovided<{ ok: boolean }, { receiptNumber: string; customerId: string; locale?: SessionContext['locale'] }>('pushReceipt'),
  ejectCard: unprovided<void, Record<string, never>>('ejectCard'),
  captureCard: unprovided<void, Record<string, never>>('captureCard'),
  watchPalm: unprovided<{ present: true }, Record<string, never>>('watchPalm'),
};

/** every actor implementation a session needs: the parent's and its flows' (actors.ts builds them from the ports) */
export type SessionActors = typeof sessionActors & IdentificationActors & ServiceActors & PinChangeActors & CashInActors & WithdrawalActors & AccountPaymentActors;

/** a machine with the named actors' logic from `deps.actors` (each machine is provided its own) */
function provided<M extends { provide: (i: { actors: never }) => M }>(deps: MachineDeps, machine: M, names: object): M {
  const actors = pickActors(deps.actors, names);
  return actors ? machine.provide({ actors: actors as never }) : machine;
}

/** the flow machines the parent invokes, each provided its actors */
function flowMachines(deps: MachineDeps) {
  const { config, now } = deps;
  const t = config.timeouts;
  return {
    identificationFlow: provided(deps, createIdentificationMachine({ qrPollMs: t.qrPollMs, now }), identificationActors),
    serviceMode: provided(deps, createServiceMachine(), serviceActors),
    pinChangeFlow: provided(deps, createPinChangeMachine({ timeouts: t, now }), pinChangeActors),
    cashInFlow: provided(deps, createCashInMachine({ config }), cashInActors),
    withdrawalFlow: provided(deps, createWithdrawalMachine({ config, now }), withdrawalActors),
    accountPaymentFlow: provided(deps, createAccountPaymentMachine({ approvalMs: t.approvalMs, approvalPollMs: t.approvalPollMs, now }), accountPaymentActors),
  };
}

/** the parent's types, actors (its own and the flow machines), timers, guards and named actions */
function sessionSetup(deps: MachineDeps) {
  const t = deps.config.timeouts;
  return setup({
    types: {
      context: {} as SessionContext,
      events: {} as SessionEvent,
      emitted: {} as SessionEmitted,
      tags: {} as SessionTag,
    },
    actors: { ...sessionActors, ...flowMachines(deps) },
    actions: {
      markActivity: raise({ type: 'session.activity' }),
      forwardToFlow: sendTo(FLOW_ID, ({ event }) => event),
      markBusy: raise({ type: 'session.busy' }),
      clearError: assign({ error: undefined }),
      applyLocale: assign(({ context, event }) => ({ locale: event.type === 'setLocale' ? event.locale : context.locale })),
      // a customer flow ended (see FlowEnd): the parent keeps what the flow's output carries besides where it goes
      keepFlowResult: assign(({ context, event }) => {
        const { end: _end, spent: paid, ...kept } = flowOutput(event) ?? {};
        // the next operation of the session sees what a payment from a product left (one OTP, several operations: 8.11)
        return { ...(kept as Partial<SessionContext>), ...(typeof paid === 'number' ? { products: spent(context.products, context.productId, paid) } : {}) };
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
      // identification began with the hand presented on the attract screen: once is enough
      palmAttractUsed: assign({ palmAttract: false }),
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
      cardRemove: t.cardRemoveMs,
      palmRetry: 5_000,
    },
    guards: {
      hasAccess: ({ context }) => context.access !== undefined,
      flowEndsAt: ({ event }, params: { to: FlowEnd['to'] | IdentificationEnd['to'] }) => flowOutput(event)?.end.to === params.to,
      flowBackToMenu: ({ context, event }) => flowOutput(event)?.end.to === 'menu' && context.access !== undefined,
      hasCard: ({ context }) => context.card !== undefined,
      allCriticalFailed: ({ context }) => allCriticalFailed(context.devices),
      servicePending: ({ context }) => context.servicePending,
      palmArmable: ({ context }) => palmArmable(context),
      serviceSwitchClosed: ({ event }) => event.type === 'device.serviceSwitch' && !event.open,
    },
  });
}

/** the session's setup: the state factories (menu-states.ts, flow-hosts.ts) build on it */
export type SessionSetup = ReturnType<typeof sessionSetup>;

export function createSessionMachine(deps: MachineDeps) {
  const { config } = deps;
  const s = sessionSetup(deps);
  const machine = s.createMachine({
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
      // identification took the card the customer inserted when asked: the parent hands it back at goodbye
      'session.card': { actions: assign({ card: ({ event }) => event.card }) },
      // from a running flow: what the machine reports besides its state, and a bank found unreachable
      'session.report': { actions: emit(({ event }) => event.report) },
      'session.bankOffline': { actions: assign({ devices: ({ context }) => ({ ...context.devices, bank: 'offline' as const }) }) },
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
          customer: undefined,
          customerPhone: undefined,
          access: undefined,
          products: undefined,
          operation: undefined,
          productId: undefined,
          balance: undefined,
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
              start: startState(s),

              identification: identificationHost(s),

              loadingProducts: loadingProductsState(s),

              operations: operationsState(s, deps),

              productSelect: productSelectState(s),

              balance: balanceState(s),

              payment: paymentState(s),

              paymentSource: paymentSourceState(s),

              cashIn: cashInHost(s),

              withdrawal: withdrawalHost(s),

              accountPayment: accountPaymentHost(s),

              pinChange: pinChangeHost(s),

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
                        ...(context.customer && context.customerPhone ? { phone: context.customerPhone } : {}),
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

              refusal: refusalState(s),

              ending: endingState(s),
            },
          },

          inactivity: inactivityRegion(s, deps),
        },
      },

      service: serviceState(s),
    },
  });
  return provided(deps, machine, sessionActors);
}

export type SessionMachine = ReturnType<typeof createSessionMachine>;

/** what a finished customer flow answered (its `xstate.done.actor.flow` event's output) */
function flowOutput(event: unknown): ({ end: FlowEnd | IdentificationEnd; spent?: Tiyn } & Record<string, unknown>) | undefined {
  return (event as { output?: { end: FlowEnd | IdentificationEnd; spent?: Tiyn } & Record<string, unknown> }).output;
}

/**
 * The per-screen timer, parallel to the screens: a screen waiting for the customer counts, one
 * waiting for a device or the bank rests; at the end a "more time?" prompt, then session.timeout.
 */
function inactivityRegion(s: SessionSetup, deps: MachineDeps) {
  const { config, now } = deps;
  const t = config.timeouts;
  return s.createStateConfig({
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
  });
}

/** a refusal with its error code: back to the menu (signed in) or the start screen, or goodbye */
function refusalState(s: SessionSetup) {
  return s.createStateConfig({
    id: 'refusal',
    ...screen('refusal'),
    entry: 'markActivity',
    on: {
      back: [{ guard: 'hasAccess', target: '#operations' }, { target: '#start', actions: assign({ walkIn: false, card: undefined }) }],
      confirm: [{ guard: 'hasAccess', target: '#operations' }, { target: '#ending' }],
      finish: '#ending',
    },
  });
}

/** goodbye: the card handed back (retained if it is left in the throat), then the attract screen */
function endingState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}

/** the technician's flow (service-machine.ts), while the cabinet's service switch is open */
function serviceState(s: SessionSetup) {
  return s.createStateConfig({
    id: 'service',
    entry: assign({ servicePending: false }),
    invoke: { id: FLOW_ID, src: 'serviceMode', onDone: '#idle', onError: '#idle' },
    on: {
      'device.serviceSwitch': [{ guard: 'serviceSwitchClosed', target: '#idle' }, { actions: assign({ servicePending: false }) }],
      ...forward(SERVICE_EVENT_TYPES),
    },
  });
}
