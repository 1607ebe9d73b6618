/**
 * The parent's states between identification and an operation: the start screen, the signed-in
 * customer's products and menu, the choice of a product, a balance, the service catalogue and the choice of how
 * to pay. Built on the session's setup (machine.ts), so guards and actions are the parent's own.
 */
import { assign } from 'xstate';
import type { MachineDeps, SessionSetup } from './machine.js';
import { customerOperations, eligibleProducts, usable } from './operations.js';
import { refusalCode, screen } from './machine-kit.js';
import { hasOnlyWallets, normaliseReference, paymentProducts, referenceMatches } from './session-rules.js';

/** the start screen: how to identify, or pay a service without; a card or a palm that started the session goes straight on */
export function startState(s: SessionSetup) {
  return s.createStateConfig({
    id: 'start',
    ...screen('start'),
    entry: ['markActivity', 'clearError'],
    exit: 'clearError',
    always: [
      // a card inserted where cards are not an identification method here: handed back
      { guard: ({ context }) => context.card !== undefined && !context.identificationMethods.includes('card'), target: '#ending' },
      // identification begins where the card or the hand says (session-rules.ts identificationStart)
      { guard: 'hasCard', target: '#identification' },
      { guard: ({ context }) => context.palmAttract === true, target: '#identification' },
    ],
    on: {
      chooseIdentification: [
        { guard: ({ context, event }) => !context.identificationMethods.includes(event.method), actions: assign({ error: { code: 'restricted' } }) },
        { target: '#identification' },
      ],
      payWithoutIdentification: [
        { guard: ({ context }) => usable(context.devices.cashAcceptor), target: '#payment', actions: assign({ walkIn: true }) },
        { actions: assign({ error: { code: 'deviceFailure' } }) },
      ],
      back: '#ending',
    },
  });
}

/** the signed-in customer's menu: each entry clears what the last operation left */
export function operationsState(s: SessionSetup, deps: MachineDeps) {
  const { now } = deps;
  return s.createStateConfig({
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
        { guard: ({ context }) => (context.access?.expiresAt ?? 0) <= now(), target: '#identification', actions: assign({ error: { code: 'otpExpired' }, access: undefined }) },
        {
          guard: ({ context, event }) => !customerOperations(context.products, context.devices, context.card).includes(event.operation),
          actions: assign({
            error: ({ context, event }) => ({
              code: event.operation === 'withdraw' && hasOnlyWallets(context) ? 'walletNoCash' : 'restricted',
              params: { operation: String(event.operation), available: customerOperations(context.products, context.devices, context.card).join(',') },
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
  });
}

/** which product an operation is for (chosen at once when only one fits) */
export function productSelectState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}

/** a product's balance and recent history */
export function balanceState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}

/** a service payment: the catalogue, the reference typed, the bank's check of it */
export function paymentState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}

/*
 * How to pay: in cash (while the acceptor works) or from one of the customer's products.
 * Walk-ups, customers with no product that may pay, and a bank offline (the account path
 * needs online authorisation) go straight on in cash, as before.
 */
export function paymentSourceState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}

/** the signed-in customer's products, which the menu is narrowed by */
export function loadingProductsState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}
