/**
 * Cash withdrawal: the amount, a check that the cassettes can make it, the tariff, the customer's
 * consent, the bank's hold (perhaps waiting for a trusted person's approval, 8.15-1), the record,
 * then dispense and present. The notes the customer takes complete it; notes left behind are
 * retracted and the hold reversed; a failure before the notes are out reverses the hold.
 */
import { assign, sendParent, setup } from 'xstate';
import type { Quote } from '../bank/bank-api.js';
import type { ErrorCode, Operation } from '../bridge/schema.js';
import type { Tiyn } from '../../domain/money.js';
import { ACTIVITY, BUSY, refusalCode, screen, unprovided, type FlowEnd, type ShownError } from './machine-kit.js';
import type { SessionConfig } from './ports.js';
import type { AuthoriseOutcome, DispenseOutcome, PresentOutcome, WithdrawalView } from './types.js';

export const withdrawalActors = {
  checkDispensable: unprovided<{ ok: boolean }, { amount: Tiyn }>('checkDispensable'),
  quote: unprovided<Quote, { operation: Operation; amount: Tiyn; productId?: string; serviceId?: string }>('quote'),
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
};
export type WithdrawalActors = typeof withdrawalActors;

export type WithdrawalEvent = { type: 'selectAmount'; amount: Tiyn } | { type: 'confirm' | 'back' | 'cancel' } | { type: 'device.cashTaken' };

/** the intents and device events this flow takes; the parent passes them on while it runs */
export const WITHDRAWAL_EVENT_TYPES = ['selectAmount', 'confirm', 'back', 'cancel', 'device.cashTaken'] as const satisfies ReadonlyArray<WithdrawalEvent['type']>;

/** what the parent hands over: the signed-in customer, the product and what it has available */
export interface WithdrawalInput {
  sessionId: string;
  /** the session's count of money operations so far (the idempotency key's suffix) */
  seq: number;
  accessToken: string;
  customerId: string;
  productId: string;
  /** what the product has available, when the bank said */
  available?: Tiyn;
}

export interface WithdrawalContext extends WithdrawalInput {
  withdrawal: WithdrawalView;
  quote?: Quote;
  error?: ShownError;
  /** the store's receipt for notes paid out at a presenter-less dispenser's exit, until the customer moves on */
  receiptNumber?: string;
  end?: FlowEnd;
}

/** where the session goes next, the withdrawal the outcome screen tells of, and the operations counted */
export interface WithdrawalOutput {
  end: FlowEnd;
  withdrawal: WithdrawalView;
  quote?: Quote;
  seq: number;
}

export interface WithdrawalDeps {
  config: SessionConfig;
  now: () => number;
}

export function createWithdrawalMachine({ config, now }: WithdrawalDeps) {
  const t = config.timeouts;
  const w = setup({
    types: {
      input: {} as WithdrawalInput,
      context: {} as WithdrawalContext,
      events: {} as WithdrawalEvent,
      output: {} as WithdrawalOutput,
    },
    actors: withdrawalActors,
    delays: {
      takeCash: t.takeCashMs,
      approval: t.approvalMs,
      approvalPoll: t.approvalPollMs,
    },
    guards: {
      amountOk: ({ context, event }) => event.type === 'selectAmount' && amountProblem(context, event.amount, config) === undefined,
      fundsCover: ({ context }) => context.available === undefined || context.available >= (context.quote?.total ?? 0),
    },
    actions: {
      markActivity: sendParent(ACTIVITY),
      markBusy: sendParent(BUSY),
      failed: assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, stage: 'failed' as const }) }),
      deviceFailure: assign({ error: { code: 'deviceFailure' } }),
      showError: assign((_, error: ShownError) => ({ error })),
      refuse: assign({ end: ({ context }) => ({ to: 'refusal' as const, error: context.error ?? { code: 'internal' } }) }),
      refuseBankOffline: assign({ end: { to: 'refusal', error: { code: 'bankOffline' }, bankOffline: true } }),
      toReceipt: assign({ end: ({ context }) => ({ to: 'receipt' as const, receiptNumber: context.receiptNumber ?? '' }) }),
    },
  });

  /** a refusal: the error shown, then back to the parent's refusal screen */
  const refusal = (error: ShownError, ...more: Array<'failed'>) =>
    ({ target: '#withdrawal.ended', actions: [{ type: 'showError', params: error }, ...more, 'refuse'] }) as const;

  return w.createMachine({
    id: 'withdrawal',
    initial: 'amount',
    context: ({ input }) => ({ ...input, withdrawal: { productId: input.productId, stage: 'choose' } }),
    output: ({ context }) => ({
      end: context.end ?? { to: 'ending' },
      withdrawal: context.withdrawal,
      seq: context.seq,
      ...(context.quote ? { quote: context.quote } : {}),
    }),
    // where a state does not say otherwise, cancel ends the session (goodbye)
    on: { cancel: { target: '.ended', actions: assign({ end: { to: 'ending' } }) } },
    states: {
      amount: {
        ...screen('amountEntry'),
        entry: 'markActivity',
        exit: assign({ error: undefined }),
        on: {
          selectAmount: [
            {
              guard: 'amountOk',
              target: 'planning',
              actions: assign({ error: undefined, withdrawal: ({ context, event }) => ({ ...context.withdrawal, amount: event.amount }) }),
            },
            { actions: assign({ error: ({ context, event }) => ({ code: amountProblem(context, event.amount, config) ?? 'invalidAmount' }) }) },
          ],
          back: { target: 'ended', actions: assign({ end: { to: 'menu' } }) },
        },
      },
      // the cassettes must be able to make the amount before the bank holds anything
      planning: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'checkDispensable',
          src: 'checkDispensable',
          input: ({ context }) => ({ amount: context.withdrawal.amount ?? 0 }),
          onDone: [
            { guard: ({ event }) => event.output.ok, target: 'quoting' },
            { target: 'amount', actions: assign({ error: { code: 'invalidAmount', params: { reason: 'notes' } } }) },
          ],
          onError: { target: 'amount', actions: 'deviceFailure' },
        },
      },
      quoting: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'quote',
          src: 'quote',
          input: ({ context }) => ({ operation: 'withdraw' as const, amount: context.withdrawal.amount ?? 0, productId: context.productId }),
          onDone: { target: 'confirm', actions: assign({ quote: ({ event }) => event.output }) },
          onError: { target: 'ended', actions: 'refuseBankOffline' },
        },
      },
      confirm: {
        ...screen('confirm'),
        entry: 'markActivity',
        on: {
          confirm: [{ guard: 'fundsCover', target: 'authorising' }, refusal({ code: 'insufficientFunds' })],
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
            accessToken: context.accessToken,
            productId: context.productId,
            amount: context.withdrawal.amount ?? 0,
            idempotencyKey: `${context.sessionId}:w${context.seq}`,
          }),
          onDone: [
            {
              guard: ({ event }) => event.output.ok,
              target: 'recording',
              actions: assign({
                withdrawal: ({ context, event }) =>
                  event.output.ok
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
              target: 'ended',
              actions: [assign({ error: ({ event }) => (event.output.ok ? { code: 'internal' as const } : { code: refusalCode(event.output.reason) }) }), 'refuse'],
            },
          ],
          onError: { target: 'ended', actions: 'refuseBankOffline' },
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
            holdId: context.withdrawal.holdId ?? '',
            customerId: context.customerId,
            productId: context.productId,
            amount: context.withdrawal.amount ?? 0,
            commission: context.withdrawal.commission ?? 0,
          }),
          onDone: [
            {
              guard: ({ context }) => context.withdrawal.status === 'pendingApproval',
              target: 'approvalWait',
              actions: assign({ withdrawal: ({ context, event }) => ({ ...context.withdrawal, withdrawalId: event.output.withdrawalId }) }),
            },
            { target: 'dispensing', actions: assign({ withdrawal: ({ context, event }) => ({ ...context.withdrawal, withdrawalId: event.output.withdrawalId }) }) },
          ],
          onError: refusal({ code: 'internal' }),
        },
        on: { cancel: {} },
      },
      // a trusted person approves or refuses (8.15-1) while the screen counts down; every way out but approval releases the hold
      approvalWait: {
        ...screen('approvalWait'),
        initial: 'waiting',
        entry: ['markBusy', assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, approvalDeadline: now() + t.approvalMs }) })],
        after: { approval: { target: 'reversing', actions: assign({ error: { code: 'approvalTimeout' } }) } },
        on: { cancel: { target: 'reversing', actions: assign({ error: { code: 'approvalRefused', params: { by: 'customer' } } }) } },
        states: {
          waiting: { after: { approvalPoll: 'checking' } },
          checking: {
            invoke: {
              id: 'approvalStatus',
              src: 'approvalStatus',
              input: ({ context }) => ({ approvalId: context.withdrawal.approvalId ?? '' }),
              onDone: [
                { guard: ({ event }) => event.output.status === 'approved', target: '#withdrawal.dispensing' },
                { guard: ({ event }) => event.output.status === 'refused', target: '#withdrawal.reversing', actions: assign({ error: { code: 'approvalRefused' } }) },
                { guard: ({ event }) => event.output.status === 'expired', target: '#withdrawal.reversing', actions: assign({ error: { code: 'approvalTimeout' } }) },
                { target: 'waiting' },
              ],
              onError: { target: 'waiting' },
            },
          },
        },
      },
      dispensing: {
        ...screen('dispensing'),
        entry: ['markBusy', assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, stage: 'dispensing' as const }) })],
        invoke: {
          id: 'dispense',
          src: 'dispense',
          input: ({ context }) => ({ withdrawalId: context.withdrawal.withdrawalId ?? '', amount: context.withdrawal.amount ?? 0 }),
          onDone: [{ guard: ({ event }) => event.output.ok, target: 'presenting' }, { target: 'reversing', actions: 'deviceFailure' }],
          onError: { target: 'reversing', actions: 'deviceFailure' },
        },
        on: { cancel: {} },
      },
      presenting: {
        ...screen('dispensing'),
        invoke: {
          id: 'present',
          src: 'present',
          input: ({ context }) => ({ withdrawalId: context.withdrawal.withdrawalId ?? '' }),
          onDone: [
            { guard: ({ event }) => event.output === 'atExit', target: 'completing', actions: assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, atExit: true }) }) },
            { guard: ({ event }) => event.output === 'presented', target: 'takeCash' },
            { guard: ({ event }) => event.output === 'notPresented', target: 'reversing', actions: 'deviceFailure' },
            // never guessed: the store keeps it 'unknown' for the technician
            refusal({ code: 'deviceFailure' }, 'failed'),
          ],
          onError: refusal({ code: 'deviceFailure' }, 'failed'),
        },
        on: { cancel: {} },
      },
      takeCash: {
        ...screen('takeCash'),
        entry: ['markBusy', assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, stage: 'presented' as const, takeBy: now() + t.takeCashMs }) })],
        on: { 'device.cashTaken': 'completing', cancel: {} },
        after: { takeCash: 'retracting' },
      },
      completing: {
        ...screen('pleaseWait'),
        entry: assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, stage: 'taken' as const }) }),
        invoke: {
          id: 'completeWithdrawal',
          src: 'completeWithdrawal',
          input: ({ context }) => ({ withdrawalId: context.withdrawal.withdrawalId ?? '' }),
          onDone: [
            // recorded taken the moment DISPENSE answered: now the customer is told where the notes are
            { guard: ({ context }) => context.withdrawal.atExit === true, target: 'cashAtExit', actions: assign({ receiptNumber: ({ event }) => event.output.receiptNumber }) },
            { target: 'ended', actions: [assign({ receiptNumber: ({ event }) => event.output.receiptNumber }), 'toReceipt'] },
          ],
          onError: refusal({ code: 'internal' }),
        },
        on: { cancel: {} },
      },
      // a dispenser without a presenter: the notes are at its exit and already the
      // customer's; nothing senses them being taken and nothing can retract them
      cashAtExit: {
        ...screen('takeCash'),
        entry: assign({ withdrawal: ({ context }) => ({ ...context.withdrawal, takeBy: now() + t.takeCashMs }) }),
        on: { confirm: { target: 'ended', actions: 'toReceipt' }, cancel: {} },
        after: { takeCash: { target: 'ended', actions: 'toReceipt' } },
      },
      retracting: {
        ...screen('pleaseWait'),
        invoke: {
          id: 'retractAndReverse',
          src: 'retractAndReverse',
          input: ({ context }) => ({ withdrawalId: context.withdrawal.withdrawalId ?? '' }),
          onDone: {
            target: 'ended',
            actions: [assign({ error: { code: 'cashNotTaken' }, withdrawal: ({ context }) => ({ ...context.withdrawal, stage: 'retracted' as const }) }), 'refuse'],
          },
          onError: refusal({ code: 'deviceFailure' }),
        },
        on: { cancel: {} },
      },
      reversing: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'reverseWithdrawal',
          src: 'reverseWithdrawal',
          input: ({ context }) => ({ withdrawalId: context.withdrawal.withdrawalId ?? '', reason: context.error?.code ?? 'cancelled' }),
          onDone: { target: 'ended', actions: ['failed', 'refuse'] },
          onError: { target: 'ended', actions: ['failed', 'refuse'] },
        },
        on: { cancel: {} },
      },
      ended: { type: 'final' },
    },
  });
}

export type WithdrawalMachine = ReturnType<typeof createWithdrawalMachine>;

function amountProblem(context: WithdrawalContext, amount: Tiyn, config: SessionConfig): ErrorCode | undefined {
  if (!Number.isInteger(amount) || amount <= 0) return 'invalidAmount';
  if (amount % config.withdrawal.multipleOf !== 0) return 'invalidAmount';
  if (amount > config.withdrawal.max) return 'limitExceeded';
  if (context.available !== undefined && context.available < amount) return 'insufficientFunds';
  return undefined;
}
