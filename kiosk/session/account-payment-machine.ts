/**
 * A service payment from the customer's product (the account path of payService): the amount,
 * the tariff (the commission is added on top, 5.6), the customer's consent, the bank's hold
 * (perhaps waiting for a trusted person's approval, 8.15-1), then completion. Nothing is held
 * until the customer consents on the confirm screen (5.5); from then on leaving means reversing
 * the hold.
 */
import { assign, sendParent, setup } from 'xstate';
import type { Quote } from '../bank/bank-api.js';
import type { Operation } from '../bridge/schema.js';
import type { Tiyn } from '../../domain/money.js';
import { ACTIVITY, BUSY, refusalCode, screen, unprovided, type FlowEnd, type ShownError } from './machine-kit.js';
import type { AccountPaymentAuthoriseInput, AccountPaymentAuthoriseOutcome, AccountPaymentView } from './types.js';

export const accountPaymentActors = {
  quote: unprovided<Quote, { operation: Operation; amount: Tiyn; productId?: string; serviceId?: string }>('quote'),
  authoriseAccountPayment: unprovided<AccountPaymentAuthoriseOutcome, AccountPaymentAuthoriseInput>('authoriseAccountPayment'),
  approvalStatus: unprovided<{ status: 'pending' | 'approved' | 'refused' | 'expired' }, { approvalId: string }>('approvalStatus'),
  completeAccountPayment: unprovided<{ receiptNumber: string }, { paymentId: string }>('completeAccountPayment'),
  reverseAccountPayment: unprovided<{ receiptNumber?: string }, { paymentId: string; reason: string }>('reverseAccountPayment'),
};
export type AccountPaymentActors = typeof accountPaymentActors;

export type AccountPaymentEvent = { type: 'selectAmount'; amount: Tiyn } | { type: 'confirm' | 'back' | 'cancel' };

/** the intents this flow takes; the parent passes them on while it runs */
export const ACCOUNT_PAYMENT_EVENT_TYPES = ['selectAmount', 'confirm', 'back', 'cancel'] as const satisfies ReadonlyArray<AccountPaymentEvent['type']>;

/** what the parent hands over: the signed-in customer, the product paid from, the service and reference paid */
export interface AccountPaymentInput {
  sessionId: string;
  /** the session's count of money operations so far (the idempotency key's suffix) */
  seq: number;
  accessToken: string;
  customerId: string;
  productId: string;
  label: string;
  /** what the product has available, when the bank said */
  available?: Tiyn;
  service: { id: string; name: string; reference: string };
  /** the service's amount limits, when the catalogue has them */
  limits?: { min: Tiyn; max: Tiyn };
}

export interface AccountPaymentContext extends AccountPaymentInput {
  accountPayment: AccountPaymentView;
  quote?: Quote;
  error?: ShownError;
  end?: FlowEnd;
}

/**
 * Where the session goes next (`back`: the choice of how to pay), the payment the outcome screen
 * tells of, the operations counted, and what was taken from the product (`spent`), so the next
 * operation of the session sees what is left (one OTP, several operations: 8.11).
 */
export interface AccountPaymentOutput {
  end: FlowEnd;
  accountPayment: AccountPaymentView;
  quote?: Quote;
  seq: number;
  spent?: Tiyn;
}

export interface AccountPaymentDeps {
  approvalMs: number;
  approvalPollMs: number;
  now: () => number;
}

export function createAccountPaymentMachine({ approvalMs, approvalPollMs, now }: AccountPaymentDeps) {
  return setup({
    types: {
      input: {} as AccountPaymentInput,
      context: {} as AccountPaymentContext,
      events: {} as AccountPaymentEvent,
      output: {} as AccountPaymentOutput,
    },
    actors: accountPaymentActors,
    delays: { approval: approvalMs, approvalPoll: approvalPollMs },
    guards: {
      amountOk: ({ context, event }) => event.type === 'selectAmount' && amountProblem(context, event.amount) === undefined,
      fundsCover: ({ context }) => (context.available ?? 0) >= (context.quote?.total ?? 0),
      pendingApproval: ({ context }) => context.accountPayment.status === 'pendingApproval',
    },
    actions: {
      markActivity: sendParent(ACTIVITY),
      markBusy: sendParent(BUSY),
      stage: assign({ accountPayment: ({ context }, stage: AccountPaymentView['stage']) => ({ ...context.accountPayment, stage }) }),
      showError: assign((_, error: ShownError) => ({ error })),
      refuse: assign({ end: ({ context }) => ({ to: 'refusal' as const, error: context.error ?? { code: 'internal' } }) }),
      refuseBankOffline: assign({ end: { to: 'refusal', error: { code: 'bankOffline' }, bankOffline: true } }),
    },
  }).createMachine({
    id: 'accountPayment',
    initial: 'amount',
    context: ({ input }) => ({ ...input, accountPayment: { productId: input.productId, label: input.label, stage: 'amount' } }),
    output: ({ context }) => ({
      end: context.end ?? { to: 'ending' },
      accountPayment: context.accountPayment,
      seq: context.seq,
      ...(context.quote ? { quote: context.quote } : {}),
      ...(context.accountPayment.stage === 'complete' ? { spent: context.quote?.total ?? 0 } : {}),
    }),
    // where a state does not say otherwise, cancel ends the session (goodbye)
    on: { cancel: { target: '.ended', actions: assign({ end: { to: 'ending' } }) } },
    states: {
      amount: {
        ...screen('amountEntry'),
        entry: ['markActivity', { type: 'stage', params: 'amount' }],
        exit: assign({ error: undefined }),
        on: {
          selectAmount: [
            {
              guard: 'amountOk',
              target: 'quoting',
              actions: assign({ error: undefined, accountPayment: ({ context, event }) => ({ ...context.accountPayment, amount: event.amount }) }),
            },
            { actions: assign({ error: ({ context, event }) => amountProblem(context, event.amount) ?? { code: 'invalidAmount' as const } }) },
          ],
          back: { target: 'ended', actions: [assign({ error: undefined }), assign({ end: { to: 'back' } })] },
        },
      },
      quoting: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'quote',
          src: 'quote',
          input: ({ context }) => ({ operation: 'payService' as const, amount: context.accountPayment.amount ?? 0, productId: context.productId, serviceId: context.service.id }),
          onDone: {
            target: 'confirm',
            actions: assign(({ context, event }) => {
              const amount = context.accountPayment.amount ?? 0;
              // the amount is the customer's; the commission is added on top (5.6)
              const commission = event.output.commission;
              return {
                quote: { operation: 'payService' as const, amount, commission, total: amount + commission },
                accountPayment: { ...context.accountPayment, commission },
              };
            }),
          },
          onError: { target: 'ended', actions: 'refuseBankOffline' },
        },
      },
      confirm: {
        ...screen('confirm'),
        entry: ['markActivity', { type: 'stage', params: 'confirm' }],
        on: {
          confirm: [
            { guard: 'fundsCover', target: 'authorising' },
            { target: 'ended', actions: [{ type: 'showError', params: { code: 'insufficientFunds' } }, 'refuse'] },
          ],
          back: 'amount',
        },
      },
      authorising: {
        ...screen('pleaseWait'),
        entry: ['markBusy', assign({ seq: ({ context }) => context.seq + 1 }), { type: 'stage', params: 'authorising' }],
        invoke: {
          id: 'authoriseAccountPayment',
          src: 'authoriseAccountPayment',
          input: ({ context }) => ({
            sessionId: context.sessionId,
            accessToken: context.accessToken,
            customerId: context.customerId,
            productId: context.productId,
            label: context.accountPayment.label,
            serviceId: context.service.id,
            serviceName: context.service.name,
            reference: context.service.reference,
            amount: context.accountPayment.amount ?? 0,
            commission: context.accountPayment.commission ?? 0,
            idempotencyKey: `${context.sessionId}:p${context.seq}`,
          }),
          onDone: [
            {
              guard: ({ event }) => event.output.ok,
              target: 'authorised',
              actions: assign({
                accountPayment: ({ context, event }) =>
                  event.output.ok
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
              target: 'ended',
              actions: [
                assign({
                  error: ({ event }) =>
                    event.output.ok ? { code: 'internal' as const } : { code: refusalCode(event.output.reason), ...(event.output.params ? { params: event.output.params } : {}) },
                }),
                'refuse',
              ],
            },
          ],
          onError: { target: 'ended', actions: [{ type: 'showError', params: { code: 'internal' } }, 'refuse'] },
        },
        on: { cancel: {} },
      },
      authorised: {
        always: [{ guard: 'pendingApproval', target: 'approvalWait' }, { target: 'completing' }],
      },
      // a trusted person approves or refuses (8.15-1) while the screen counts down; every way out but approval releases the hold
      approvalWait: {
        ...screen('approvalWait'),
        initial: 'waiting',
        entry: ['markBusy', assign({ accountPayment: ({ context }) => ({ ...context.accountPayment, stage: 'approval' as const, approvalDeadline: now() + approvalMs }) })],
        after: { approval: { target: 'reversing', actions: { type: 'showError', params: { code: 'approvalTimeout' } } } },
        on: { cancel: { target: 'reversing', actions: { type: 'showError', params: { code: 'approvalRefused', params: { by: 'customer' } } } } },
        states: {
          waiting: { after: { approvalPoll: 'checking' } },
          checking: {
            invoke: {
              id: 'approvalStatus',
              src: 'approvalStatus',
              input: ({ context }) => ({ approvalId: context.accountPayment.approvalId ?? '' }),
              onDone: [
                { guard: ({ event }) => event.output.status === 'approved', target: '#accountPayment.completing' },
                { guard: ({ event }) => event.output.status === 'refused', target: '#accountPayment.reversing', actions: { type: 'showError', params: { code: 'approvalRefused' } } },
                { guard: ({ event }) => event.output.status === 'expired', target: '#accountPayment.reversing', actions: { type: 'showError', params: { code: 'approvalTimeout' } } },
                { target: 'waiting' },
              ],
              onError: { target: 'waiting' },
            },
          },
        },
      },
      completing: {
        ...screen('pleaseWait'),
        entry: ['markBusy', { type: 'stage', params: 'completing' }],
        invoke: {
          id: 'completeAccountPayment',
          src: 'completeAccountPayment',
          input: ({ context }) => ({ paymentId: context.accountPayment.paymentId ?? '' }),
          onDone: {
            target: 'ended',
            actions: [{ type: 'stage', params: 'complete' }, assign({ end: ({ event }) => ({ to: 'receipt' as const, receiptNumber: event.output.receiptNumber }) })],
          },
          // nothing was recorded as paid: the hold is released
          onError: { target: 'reversing', actions: { type: 'showError', params: { code: 'internal' } } },
        },
        on: { cancel: {} },
      },
      reversing: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'reverseAccountPayment',
          src: 'reverseAccountPayment',
          input: ({ context }) => ({ paymentId: context.accountPayment.paymentId ?? '', reason: context.error?.code ?? 'cancelled' }),
          onDone: { target: 'ended', actions: [{ type: 'stage', params: 'reversed' }, 'refuse'] },
          // the store keeps it open: start-up reconciliation reverses it
          onError: { target: 'ended', actions: [{ type: 'stage', params: 'reversed' }, 'refuse'] },
        },
        on: { cancel: {} },
      },
      ended: { type: 'final' },
    },
  });
}

export type AccountPaymentMachine = ReturnType<typeof createAccountPaymentMachine>;

function amountProblem(context: AccountPaymentContext, amount: Tiyn): ShownError | undefined {
  if (!Number.isSafeInteger(amount) || amount <= 0) return { code: 'invalidAmount' };
  const limits = context.limits;
  if (limits && amount < limits.min) return { code: 'belowMinimum', params: { min: limits.min } };
  if (limits && amount > limits.max) return { code: 'limitExceeded', params: { max: limits.max } };
  if (context.available !== undefined && context.available < amount) return { code: 'insufficientFunds', params: { available: context.available } };
  return undefined;
}
