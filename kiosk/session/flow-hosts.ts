/**
 * The parent's states that run a customer flow machine (at `children.flow`): what each is handed
 * from the session, the events passed on to it while it runs, and where its end leads.
 */
import { FLOW_ID } from './machine-kit.js';
import { CASH_IN_EVENT_TYPES } from './cash-in-machine.js';
import { WITHDRAWAL_EVENT_TYPES } from './withdrawal-machine.js';
import { ACCOUNT_PAYMENT_EVENT_TYPES } from './account-payment-machine.js';
import { IDENTIFICATION_EVENT_TYPES } from './identification-machine.js';
import type { SessionSetup } from './machine.js';
import { availableProduct, cashInTarget, identificationStart } from './session-rules.js';

/** the intents a PIN change takes; the parent passes them on while it runs */
const PIN_CHANGE_EVENT_TYPES = ['cancel'] as const;

/** a handler for each intent a flow handles: the parent passes it on to the running flow */
export function forward<T extends string>(types: readonly T[]): Record<T, { actions: 'forwardToFlow' }> {
  return Object.fromEntries(types.map((type) => [type, { actions: 'forwardToFlow' as const }])) as Record<T, { actions: 'forwardToFlow' }>;
}

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
 * who the customer is (identification-machine.ts): from the start screen, or the code alone when a
 * signed-in customer's access ran out. Its states stand in the chart in this state's place
 * (`flowInPlace`, flow-view.ts), under the names they had as the parent's own.
 */
export function identificationHost(s: SessionSetup) {
  return s.createStateConfig({
    id: 'identification',
    meta: { flowInPlace: true },
    exit: 'palmAttractUsed',
    invoke: {
      id: FLOW_ID,
      src: 'identificationFlow',
      input: ({ context, event }) => {
        const start = identificationStart(context, event);
        return {
          sessionId: context.sessionId,
          start,
          identificationMethods: context.identificationMethods,
          ...(context.card ? { card: context.card } : {}),
          ...(start === 'otp' && context.customer ? { customer: context.customer } : {}),
          ...(context.error ? { error: context.error } : {}),
        };
      },
      onDone: [
        { guard: { type: 'flowEndsAt', params: { to: 'signedIn' } }, target: '#loadingProducts', actions: 'keepFlowResult' },
        { guard: { type: 'flowEndsAt', params: { to: 'refusal' } }, target: '#refusal', actions: ['keepFlowResult', 'refusedByFlow'] },
        { target: '#start', actions: 'keepFlowResult' },
      ],
      onError: flowFailed,
    },
    on: forward(IDENTIFICATION_EVENT_TYPES),
  });
}

/* notes into an account, a loan, a wallet or a service (cash-in-machine.ts) */
export function cashInHost(s: SessionSetup) {
  return s.createStateConfig({
    id: 'cashIn',
    // the flow starts on a bank call: the timer rests from this step on, not from the flow's first message
    entry: 'markBusy',
    tags: ['inCashIn'],
    invoke: {
      id: FLOW_ID,
      src: 'cashInFlow',
      input: ({ context }) => ({
        sessionId: context.sessionId,
        target: cashInTarget(context),
        operation: context.operation ?? 'payService',
        ...(context.productId ? { productId: context.productId } : {}),
        ...(context.access ? { accessToken: context.access.token } : {}),
      }),
      onDone: flowEnds,
      onError: flowFailed,
    },
    on: forward(CASH_IN_EVENT_TYPES),
  });
}

/* cash out of the customer's product (withdrawal-machine.ts) */
export function withdrawalHost(s: SessionSetup) {
  return s.createStateConfig({
    id: 'withdrawal',
    // the flow starts on the amount screen: the timer counts from this step on, not from the flow's first message
    entry: 'markActivity',
    invoke: {
      id: FLOW_ID,
      src: 'withdrawalFlow',
      input: ({ context }) => ({
        sessionId: context.sessionId,
        seq: context.seq,
        accessToken: context.access?.token ?? '',
        customerId: context.customer?.id ?? '',
        productId: context.productId ?? '',
        ...(availableProduct(context) ? { available: availableProduct(context)?.available } : {}),
      }),
      onDone: flowEnds,
      onError: flowFailed,
    },
    on: forward(WITHDRAWAL_EVENT_TYPES),
  });
}

/* a service paid from the customer's product (account-payment-machine.ts) */
export function accountPaymentHost(s: SessionSetup) {
  return s.createStateConfig({
    id: 'accountPayment',
    // the flow starts on the amount screen: the timer counts from this step on, not from the flow's first message
    entry: 'markActivity',
    invoke: {
      id: FLOW_ID,
      src: 'accountPaymentFlow',
      input: ({ context }) => {
        const product = availableProduct(context);
        const s = context.services?.find((x) => x.id === context.service?.id);
        return {
          sessionId: context.sessionId,
          seq: context.seq,
          accessToken: context.access?.token ?? '',
          customerId: context.customer?.id ?? '',
          productId: context.productId ?? '',
          label: product?.label ?? '',
          ...(product ? { available: product.available } : {}),
          service: { id: context.service?.id ?? '', name: context.service?.name ?? '', reference: context.service?.reference ?? '' },
          ...(s ? { limits: { min: s.min, max: s.max } } : {}),
        };
      },
      onDone: [{ guard: { type: 'flowEndsAt', params: { to: 'back' } }, target: '#paymentSource', actions: 'keepFlowResult' }, ...flowEnds],
      onError: flowFailed,
    },
    on: forward(ACCOUNT_PAYMENT_EVENT_TYPES),
  });
}

/* PIN change on the customer's phone (pin-change-machine.ts) */
export function pinChangeHost(s: SessionSetup) {
  return s.createStateConfig({
    id: 'pinChange',
    // the flow starts on a bank call: the timer rests from this step on, not from the flow's first message
    entry: 'markBusy',
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
  });
}

