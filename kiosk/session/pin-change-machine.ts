/**
 * PIN change (ch.2 item 1.4): the terminal has no PIN pad, so the bank prompts the customer's
 * phone (bank app push or secure SMS link) and the PIN is set there while this screen counts down.
 * The PIN itself never reaches the kiosk. The parent invokes this flow from the operations menu
 * for a card-identified customer and takes it back at the receipt step, the refusal or goodbye.
 */
import { assign, sendParent, setup } from 'xstate';
import type { PinChangeChannel } from '../bank/bank-api.js';
import { BUSY, refusalCode, screen, unprovided, type FlowEnd, type ShownError } from './machine-kit.js';
import { defaultTimeouts, type PinChangeRecord, type SessionTimeouts } from './ports.js';
import type { PinChangeOutcome, PinChangeStartOutcome, PinChangeStatus } from './types.js';

export const pinChangeActors = {
  startPinChange: unprovided<PinChangeStartOutcome, { accessToken: string; sessionId: string; panToken: string }>('startPinChange'),
  pinChangeStatus: unprovided<{ status: PinChangeStatus }, { accessToken: string; pinChangeId: string }>('pinChangeStatus'),
  cancelPinChange: unprovided<{ status: PinChangeStatus }, { accessToken: string; pinChangeId: string }>('cancelPinChange'),
  recordPinChange: unprovided<{ receiptNumber?: string }, PinChangeRecord>('recordPinChange'),
};
export type PinChangeActors = typeof pinChangeActors;

export type PinChangeEvent = { type: 'cancel' };

/** the customer's phone is asked; `deadline` is the earliest of the bank's expiry, the terminal's limit and the session's access */
export interface PinChangeView {
  id: string;
  channel: PinChangeChannel;
  deadline: number;
  status: 'waiting' | PinChangeOutcome;
}

/** what the parent hands over: who asks, with what access, for which card (never the PAN itself) */
export interface PinChangeInput {
  sessionId: string;
  customerId: string;
  accessToken: string;
  /** when the session's access ends: the PIN change cannot outlast it */
  accessExpiresAt: number;
  panToken: string;
  maskedPan: string;
}

export interface PinChangeContext extends PinChangeInput {
  pinChange?: PinChangeView;
  error?: ShownError;
  end?: FlowEnd;
}

/** where the session goes next, and the finished PIN change the receipt screen tells of */
export interface PinChangeOutput {
  end: FlowEnd;
  pinChange?: PinChangeView;
}

export interface PinChangeDeps {
  timeouts: SessionTimeouts;
  now: () => number;
}

export function createPinChangeMachine({ timeouts: t, now }: PinChangeDeps) {
  return setup({
    types: {
      input: {} as PinChangeInput,
      context: {} as PinChangeContext,
      events: {} as PinChangeEvent,
      output: {} as PinChangeOutput,
    },
    actors: pinChangeActors,
    delays: {
      pinChangePoll: t.pinChangePollMs ?? defaultTimeouts.pinChangePollMs ?? 2_000,
      // what is left of the PIN change's deadline (re-armed on every return to the waiting state)
      pinChangeLeft: ({ context }) => Math.max(0, (context.pinChange?.deadline ?? 0) - now()),
    },
    guards: {
      isDone: ({ context }) => outcomeOf(context) === 'done',
      isCancelled: ({ context }) => outcomeOf(context) === 'cancelled',
    },
    actions: {
      markBusy: sendParent(BUSY),
      expired: assign({ pinChange: ({ context }) => context.pinChange && { ...context.pinChange, status: 'expired' as const } }),
      cancelled: assign({ pinChange: ({ context }) => context.pinChange && { ...context.pinChange, status: 'cancelled' as const } }),
      bankOffline: assign({ end: { to: 'refusal', error: { code: 'bankOffline' }, bankOffline: true } }),
      refused: assign({ end: ({ context }) => ({ to: 'refusal' as const, error: { code: pinChangeError(outcomeOf(context)) } }) }),
      leave: assign({ end: { to: 'ending' } }),
    },
  }).createMachine({
    id: 'pinChange',
    initial: 'starting',
    context: ({ input }) => ({ ...input }),
    output: ({ context }) => ({ end: context.end ?? { to: 'ending' }, ...(context.pinChange ? { pinChange: context.pinChange } : {}) }),
    states: {
      starting: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'startPinChange',
          src: 'startPinChange',
          input: ({ context }) => ({ accessToken: context.accessToken, sessionId: context.sessionId, panToken: context.panToken }),
          onDone: [
            {
              guard: ({ event }) => event.output.ok,
              target: 'waiting',
              actions: assign({
                pinChange: ({ context, event }) =>
                  event.output.ok
                    ? {
                        id: event.output.pinChangeId,
                        channel: event.output.channel,
                        deadline: Math.min(event.output.expiresAt, now() + (t.pinChangeMs ?? defaultTimeouts.pinChangeMs ?? 180_000), context.accessExpiresAt),
                        status: 'waiting' as const,
                      }
                    : undefined,
              }),
            },
            {
              target: 'done',
              actions: assign({ end: ({ event }) => ({ to: 'refusal' as const, error: { code: refusalCode(event.output.ok ? 'internal' : event.output.reason) } }) }),
            },
          ],
          onError: { target: 'done', actions: 'bankOffline' },
        },
        // once asked, the bank may already have prompted the phone: wait for its answer
        on: { cancel: {} },
      },
      waiting: {
        ...screen('pinChangeWait'),
        entry: 'markBusy',
        after: { pinChangeLeft: { target: 'withdrawing', actions: 'expired' }, pinChangePoll: 'polling' },
        on: { cancel: { target: 'withdrawing', actions: 'cancelled' } },
      },
      polling: {
        ...screen('pinChangeWait'),
        invoke: {
          id: 'pinChangeStatus',
          src: 'pinChangeStatus',
          input: ({ context }) => ({ accessToken: context.accessToken, pinChangeId: context.pinChange?.id ?? '' }),
          onDone: [
            { guard: ({ event }) => event.output.status === 'pending', target: 'waiting' },
            {
              target: 'recording',
              actions: assign({
                pinChange: ({ context, event }) =>
                  context.pinChange && { ...context.pinChange, status: event.output.status === 'pending' ? ('failed' as const) : event.output.status },
              }),
            },
          ],
          // a lost poll is not the end: the deadline still holds
          onError: 'waiting',
        },
        on: { cancel: { target: 'withdrawing', actions: 'cancelled' } },
      },
      // the customer gave up or the time ran out: the bank withdraws the prompt / link
      withdrawing: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'cancelPinChange',
          src: 'cancelPinChange',
          input: ({ context }) => ({ accessToken: context.accessToken, pinChangeId: context.pinChange?.id ?? '' }),
          onDone: {
            target: 'recording',
            // the customer may have finished on the phone just before: the bank's answer wins
            actions: assign({
              pinChange: ({ context, event }) =>
                context.pinChange && (event.output.status === 'done' || event.output.status === 'failed' ? { ...context.pinChange, status: event.output.status } : context.pinChange),
            }),
          },
          onError: 'recording',
        },
        on: { cancel: {} },
      },
      recording: {
        ...screen('pleaseWait'),
        entry: 'markBusy',
        invoke: {
          id: 'recordPinChange',
          src: 'recordPinChange',
          input: ({ context }) => ({
            sessionId: context.sessionId,
            customerId: context.customerId,
            maskedPan: context.maskedPan,
            pinChangeId: context.pinChange?.id ?? '',
            channel: context.pinChange?.channel ?? 'push',
            outcome: outcomeOf(context),
          }),
          onDone: [
            {
              guard: ({ context, event }) => outcomeOf(context) === 'done' && event.output.receiptNumber !== undefined,
              target: 'done',
              actions: assign({ end: ({ event }) => ({ to: 'receipt' as const, receiptNumber: event.output.receiptNumber ?? '' }) }),
            },
            { guard: 'isCancelled', target: 'done', actions: 'leave' },
            { target: 'done', actions: 'refused' },
          ],
          // the PIN change itself stands at the bank; only the terminal's record failed
          onError: [
            { guard: 'isCancelled', target: 'done', actions: 'leave' },
            { guard: 'isDone', target: 'done', actions: assign({ end: { to: 'refusal', error: { code: 'internal' } } }) },
            { target: 'done', actions: 'refused' },
          ],
        },
        on: { cancel: {} },
      },
      done: { type: 'final' },
    },
  });
}

export type PinChangeMachine = ReturnType<typeof createPinChangeMachine>;

/** how the PIN change ended, as the journal records it: still waiting when the record is written means failed */
function outcomeOf(context: PinChangeContext): PinChangeOutcome {
  const s = context.pinChange?.status;
  return s === undefined || s === 'waiting' ? 'failed' : s;
}

function pinChangeError(outcome: PinChangeOutcome) {
  return outcome === 'expired' ? ('pinChangeTimeout' as const) : outcome === 'done' ? ('internal' as const) : ('pinChangeFailed' as const);
}
