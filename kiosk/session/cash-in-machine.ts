/**
 * Cash-in: notes into an account, a loan, a wallet or a service payment. The acceptor is enabled
 * once the bank has said how much may be taken; each note in escrow is recorded as an intent
 * before it is stacked (money invariant 1), its stacked / returned word settles that row, and the
 * cash-in closes with one consent (5.5) and a payment message. Once a note is stacked the money
 * cannot be handed back: leaving means paying.
 *
 * The states that hold the current note carry tags (`holdsNote`, `awaitsNoteWord`) the runtime's
 * intent settler reads through the parent (flow-view.ts), so an acceptor report has one owner.
 */
import { assign, sendParent, setup } from 'xstate';
import type { Quote } from '../bank/bank-api.js';
import type { Operation } from '../bridge/schema.js';
import type { Tiyn } from '../../domain/money.js';
import { ACTIVITY, BUSY, refusalCode, screen, unprovided, type FlowEnd, type ShownError } from './machine-kit.js';
import type { CashInTarget, SessionConfig } from './ports.js';
import type { CashInView, DeviceEvent, PrecheckOutcome, SessionTag } from './types.js';

export const cashInActors = {
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
};
export type CashInActors = typeof cashInActors;

type AcceptorEvent = Extract<
  DeviceEvent,
  { type: 'device.noteEscrow' | 'device.noteStacked' | 'device.noteReturned' | 'device.noteRejected' | 'device.acceptorFailure' }
>;
export type CashInEvent =
  | { type: 'cancel' | 'back' | 'confirm' | 'finishCashIn' }
  /** the parent's inactivity timer ran out: what was stacked is still paid */
  | { type: 'session.timeout' }
  | AcceptorEvent;

/** the intents and device events this flow takes; the parent passes them on while it runs */
export const CASH_IN_EVENT_TYPES = [
  'cancel', 'back', 'confirm', 'finishCashIn', 'session.timeout',
  'device.noteEscrow', 'device.noteStacked', 'device.noteReturned', 'device.noteRejected', 'device.acceptorFailure',
] as const satisfies ReadonlyArray<CashInEvent['type']>;

/** what the parent hands over: where the money goes and what the tariff is asked for */
export interface CashInInput {
  sessionId: string;
  target: CashInTarget;
  /** the operation the quote is for: a top-up / repayment, or a service payment */
  operation: Operation;
  productId?: string;
  /** a signed-in customer's access (a walk-up has none) */
  accessToken?: string;
}

export interface CashInContext extends CashInInput {
  cashIn: CashInView;
  quote?: Quote;
  error?: ShownError;
  end?: FlowEnd;
}

/** where the session goes next, and the cash-in the outcome screen and receipt tell of */
export interface CashInOutput {
  end: FlowEnd;
  cashIn: CashInView;
  quote?: Quote;
}

export interface CashInDeps {
  config: SessionConfig;
}

const holding: SessionTag[] = ['holdsNote', 'awaitsNoteWord'];

/** the flow's types, actors, timers, guards and actions: the states below refer to them by name */
function cashInSetup(config: SessionConfig) {
  const t = config.timeouts;
  return setup({
    types: {
      input: {} as CashInInput,
      context: {} as CashInContext,
      events: {} as CashInEvent,
      output: {} as CashInOutput,
      tags: {} as SessionTag,
    },
    actors: cashInActors,
    delays: {
      noteSettle: t.noteSettleMs,
      cashInBankWait: t.cashInBankWaitMs ?? 10_000,
    },
    guards: {
      nothingStacked: ({ context }) => context.cashIn.total === 0,
      somethingStacked: ({ context }) => context.cashIn.total > 0,
      noteFits: ({ context, event }) => event.type === 'device.noteEscrow' && noteFits(context.cashIn, event.denomination, config),
      /** the device's stacked word is about the note the intent was recorded for */
      stackedNoteIsPending: ({ context, event }) => event.type === 'device.noteStacked' && event.denomination === context.cashIn.pending?.denomination,
      opened: ({ context }) => context.cashIn.cashInId !== undefined,
      acceptorWorks: ({ context }) => context.cashIn.acceptor !== 'failed',
      // one consent per operation (5.5): "finish and credit" showed the figures, unless the commission changed since.
      // A service's cash-in screen shows no commission (the bank's tariff is known only from the quote), so a
      // service payment is always consented on the confirm screen.
      consentGiven: ({ context }) =>
        context.cashIn.finishPressed === true
        && context.cashIn.target.kind !== 'service'
        && (context.quote?.commission ?? 0) === (context.cashIn.shownCommission ?? 0),
    },
    actions: {
      markActivity: sendParent(ACTIVITY),
      markBusy: sendParent(BUSY),
      /*
       * The device stacked a note of another denomination than the one it held in escrow. Neither
       * amount is credited on the session's word: the intent stays open, the cash-in closes as on a
       * silent device, and start-up reconciliation or the technician settles the note.
       */
      reportNoteMismatch: sendParent(({ context, event }) => ({
        type: 'session.report' as const,
        report: {
          type: 'noteMismatch' as const,
          cashInId: context.cashIn.cashInId ?? '',
          expected: context.cashIn.pending?.denomination ?? 0,
          reported: event.type === 'device.noteStacked' ? event.denomination : 0,
        },
      })),
      allowed: assign({
        cashIn: ({ context, event }) => {
          const o = (event as { output?: PrecheckOutcome }).output;
          return o?.ok ? { ...context.cashIn, max: o.maxAmount, min: o.minAmount, offline: o.offline } : context.cashIn;
        },
      }),
      acceptorFailed: assign({ cashIn: ({ context }) => ({ ...context.cashIn, acceptor: 'failed' as const }) }),
      notRecorded: assign({ cashIn: ({ context }) => withPendingReason(context.cashIn, 'notRecorded') }),
      settleStacked: assign({ cashIn: ({ context }) => settleNote(context.cashIn, 'stacked') }),
      settleReturned: assign({ cashIn: ({ context }) => settleNote(context.cashIn, 'returned') }),
      /** the bank's state is the parent's: it shows on every screen */
      bankWentOffline: sendParent({ type: 'session.bankOffline' }),
      refuseBankOffline: assign({ end: { to: 'refusal', error: { code: 'bankOffline' }, bankOffline: true } }),
      refuseDeviceFailure: assign({ end: { to: 'refusal', error: { code: 'deviceFailure' } } }),
      deviceFailure: assign({ error: { code: 'deviceFailure' } }),
      // no tariff in time: the bank applies its own on delivery, shown as zero here
      quoteUnknown: assign({ quote: ({ context }) => ({ operation: context.operation, amount: context.cashIn.total, commission: 0, total: context.cashIn.total }) }),
      // left without a payment: a refusal if one was shown, else back to the menu
      leave: assign({ end: ({ context }) => (context.error ? { to: 'refusal' as const, error: context.error } : { to: 'menu' as const }) }),
    },
  });
}

export function createCashInMachine({ config }: CashInDeps) {
  return cashInSetup(config).createMachine({
    id: 'cashIn',
    initial: 'prechecking',
    context: ({ input }) => ({
      ...input,
      cashIn: { target: input.target, notes: [], total: 0, commission: 0, max: 0, min: 0, offline: false, acceptor: 'starting' },
    }),
    output: ({ context }) => ({ end: context.end ?? { to: 'menu' }, cashIn: context.cashIn, ...(context.quote ? { quote: context.quote } : {}) }),
    // once a note is stacked the money cannot be handed back: leaving means paying
    on: {
      cancel: [{ guard: 'nothingStacked', target: '.cancelling' }, { target: '.closing' }],
      'session.timeout': [{ guard: 'nothingStacked', target: '.cancelling' }, { target: '.closing' }],
    },
    states: {
      prechecking: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'precheckCashIn',
          src: 'precheckCashIn',
          input: ({ context }) => ({ target: context.cashIn.target, ...(context.accessToken !== undefined ? { accessToken: context.accessToken } : {}) }),
          onDone: [
            // a cash-in the bank allows while unreachable: it is queued (store-and-forward), and the screen says offline
            { guard: ({ event }) => event.output.ok && event.output.maxAmount > 0 && event.output.offline, target: 'enabling', actions: ['allowed', 'bankWentOffline'] },
            { guard: ({ event }) => event.output.ok && event.output.maxAmount > 0, target: 'enabling', actions: 'allowed' },
            {
              target: 'ended',
              actions: assign({ end: ({ event }) => ({ to: 'refusal' as const, error: precheckRefusal(event.output) }) }),
            },
          ],
          onError: { target: 'ended', actions: 'refuseBankOffline' },
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
          onError: [{ guard: 'somethingStacked', target: 'closing' }, { target: 'ended', actions: 'refuseDeviceFailure' }],
        },
      },
      accepting: {
        ...screen('cashIn'),
        entry: ['markActivity', assign({ cashIn: ({ context }) => ({ ...context.cashIn, acceptor: 'accepting' as const, pending: undefined, finishPressed: undefined }) })],
        on: {
          'device.noteEscrow': [
            {
              guard: 'noteFits',
              target: 'opening',
              actions: assign({ cashIn: ({ context, event }) => ({ ...context.cashIn, acceptor: 'escrow' as const, pending: { denomination: event.denomination } }) }),
            },
            {
              target: 'returning',
              actions: assign({
                cashIn: ({ context, event }) => ({
                  ...context.cashIn,
                  acceptor: 'escrow' as const,
                  pending: { denomination: event.denomination, reason: config.acceptedDenominations.includes(event.denomination) ? 'aboveMaximum' : 'denomination' },
                }),
              }),
            },
          ],
          'device.noteRejected': {
            actions: assign({
              cashIn: ({ context, event }) => ({ ...context.cashIn, notes: [...context.cashIn.notes, { denomination: 0, status: 'rejected' as const, reason: event.reason }] }),
            }),
          },
          'device.acceptorFailure': [{ guard: 'somethingStacked', target: 'closing' }, { target: 'cancelling', actions: 'deviceFailure' }],
          finishCashIn: [
            { guard: 'nothingStacked', target: 'cancelling' },
            { target: 'closing', actions: assign({ cashIn: ({ context }) => ({ ...context.cashIn, finishPressed: true }) }) },
          ],
          // money already stacked cannot be handed back: cancel then means finish
          cancel: [{ guard: 'nothingStacked', target: 'cancelling' }, { target: 'closing' }],
          back: [{ guard: 'nothingStacked', target: 'cancelling' }],
          // walk-away: what was stacked is still paid
          'session.timeout': [{ guard: 'nothingStacked', target: 'cancelling' }, { target: 'closing' }],
        },
      },
      opening: {
        ...screen('cashIn'),
        entry: 'markBusy',
        always: { guard: 'opened', target: 'recordingIntent' },
        on: { cancel: {} },
        invoke: {
          id: 'beginCashIn',
          src: 'beginCashIn',
          input: ({ context }) => ({ sessionId: context.sessionId, target: context.cashIn.target, offline: context.cashIn.offline }),
          onDone: { target: 'recordingIntent', actions: assign({ cashIn: ({ context, event }) => ({ ...context.cashIn, cashInId: event.output.cashInId }) }) },
          onError: { target: 'returning', actions: 'notRecorded' },
        },
      },
      recordingIntent: {
        ...screen('cashIn'),
        tags: holding,
        entry: 'markBusy',
        on: { cancel: {} },
        invoke: {
          id: 'recordStackIntent',
          src: 'recordStackIntent',
          input: ({ context }) => ({ cashInId: context.cashIn.cashInId ?? '', denomination: context.cashIn.pending?.denomination ?? 0 }),
          onDone: {
            target: 'stacking',
            actions: assign({
              cashIn: ({ context, event }) =>
                context.cashIn.pending ? { ...context.cashIn, acceptor: 'stacking' as const, pending: { ...context.cashIn.pending, noteId: event.output.noteId } } : context.cashIn,
            }),
          },
          // no durable record, no stacking (money invariant 1)
          onError: { target: 'returning', actions: 'notRecorded' },
        },
      },
      stacking: {
        ...screen('cashIn'),
        tags: holding,
        entry: 'markBusy',
        invoke: {
          id: 'stackNote',
          src: 'stackNote',
          input: ({ context }) => ({ cashInId: context.cashIn.cashInId ?? '', noteId: context.cashIn.pending?.noteId ?? 0 }),
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
        after: { noteSettle: { target: 'closing', actions: 'acceptorFailed' } },
      },
      recordingStacked: {
        ...screen('cashIn'),
        tags: holding,
        entry: 'markBusy',
        invoke: {
          id: 'recordStacked',
          src: 'recordStacked',
          input: ({ context }) => ({ cashInId: context.cashIn.cashInId ?? '', noteId: context.cashIn.pending?.noteId ?? 0 }),
          onDone: { target: 'accepting', actions: 'settleStacked' },
          onError: { target: 'closing', actions: 'settleStacked' },
        },
        on: { cancel: {} },
      },
      recordingReturned: {
        ...screen('cashIn'),
        tags: holding,
        entry: 'markBusy',
        invoke: {
          id: 'recordReturned',
          src: 'recordReturned',
          input: ({ context }) => ({ cashInId: context.cashIn.cashInId ?? '', noteId: context.cashIn.pending?.noteId ?? 0, reason: 'device' }),
          onDone: { target: 'accepting', actions: 'settleReturned' },
          onError: { target: 'accepting', actions: 'settleReturned' },
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
          onError: { target: 'closing', actions: 'acceptorFailed' },
        },
        on: {
          'device.noteReturned': { target: 'accepting', actions: 'settleReturned' },
          cancel: {},
        },
        after: { noteSettle: { target: 'closing', actions: 'acceptorFailed' } },
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
        always: { target: 'ended', actions: 'leave' },
      },
      closing: {
        ...screen('pleaseWait'),
        entry: ['markBusy', assign({ cashIn: ({ context }) => ({ ...context.cashIn, acceptor: context.cashIn.acceptor === 'failed' ? ('failed' as const) : ('disabled' as const) }) })],
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
          input: ({ context }) => ({ operation: context.operation, amount: context.cashIn.total, ...(context.productId ? { productId: context.productId } : {}) }),
          onDone: {
            target: 'consented',
            // cash pays its own commission: the beneficiary gets what was inserted less the fee
            actions: assign(({ context, event }) => {
              const total = context.cashIn.total;
              const commission = Math.min(event.output.commission, total);
              return {
                quote: { operation: event.output.operation, amount: total - commission, commission, total },
                cashIn: { ...context.cashIn, commission },
              };
            }),
          },
          onError: { target: 'consented', actions: 'quoteUnknown' },
        },
        // the notes are in the box: a slow bank (retries included) is waited for this long,
        // then the payment goes on as when it is unreachable; the credit is queued either way
        after: { cashInBankWait: { target: 'confirming', actions: ['quoteUnknown', 'bankWentOffline'] } },
        on: { cancel: {} },
      },
      // one consent per operation (5.5): "finish and credit" on the cash-in screen showed the
      // total, the commission and what is credited; a commission it did not show, a service payment
      // (its screen shows no commission), or a close the customer did not ask for (walk-away,
      // acceptor failure), asks on the confirm screen
      consented: {
        always: [{ guard: 'nothingStacked', target: 'cancelled' }, { guard: 'consentGiven', target: 'finishing' }, { target: 'confirming' }],
      },
      confirming: {
        ...screen('confirm'),
        entry: ['markActivity', assign({ cashIn: ({ context }) => ({ ...context.cashIn, shownCommission: context.quote?.commission ?? 0 }) })],
        always: { guard: 'nothingStacked', target: 'cancelled' },
        on: {
          confirm: 'finishing',
          back: [{ guard: 'acceptorWorks', target: 'enabling' }],
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
          input: ({ context }) => ({ cashInId: context.cashIn.cashInId ?? '', commission: context.cashIn.commission }),
          onDone: { target: 'ended', actions: assign({ end: ({ event }) => ({ to: 'receipt' as const, receiptNumber: event.output.receiptNumber }) }) },
          // the store will not end a cash-in while a note's fate is open: the acceptor failed to
          // say it, and the runtime's intent settler finishes the payment once the device does
          onError: {
            target: 'ended',
            actions: assign({ end: ({ context }) => ({ to: 'refusal' as const, error: { code: context.cashIn.acceptor === 'failed' ? ('deviceFailure' as const) : ('internal' as const) } }) }),
          },
        },
        on: { cancel: {} },
      },
      ended: { type: 'final' },
    },
  });
}

export type CashInMachine = ReturnType<typeof createCashInMachine>;

/** a refused precheck as the refusal screen shows it; an offline "yes" with no room left is the offline cap */
function precheckRefusal(outcome: PrecheckOutcome): ShownError {
  if (outcome.ok) return { code: 'offlineCapExceeded' };
  return { code: refusalCode(outcome.reason), ...(outcome.params ? { params: outcome.params } : {}) };
}

function noteFits(c: CashInView, denomination: Tiyn, config: SessionConfig): boolean {
  if (!config.acceptedDenominations.includes(denomination)) return false;
  return c.total + denomination <= c.max;
}

function withPendingReason(c: CashInView, reason: string): CashInView {
  return c.pending ? { ...c, pending: { ...c.pending, reason } } : c;
}

function settleNote(c: CashInView, status: 'stacked' | 'returned'): CashInView {
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
