/**
 * Who the customer is: a method chosen (phone, IIN, card, palm, QR) or started by the card or the
 * hand that began the session, the bank's lookup and its narrowing when several customers match,
 * then the one-time code. The parent invokes this flow from the start screen (and again for the
 * code alone when a signed-in customer's access has run out) and takes back the signed-in
 * customer, or the refusal, or the customer going back to the start screen.
 *
 * Its states keep the names the chart had when they were the parent's own (`identify.*`,
 * `otp.*`): the parent's host state stands aside in the session's value (flow-view.ts).
 */
import { assign, not, sendParent, setup } from 'xstate';
import type { IdentifyOutcome, IdentifyQuery, Narrowing } from '../bank/bank-api.js';
import type { IdentificationMethod } from '../bridge/schema.js';
import type { PalmGuidance } from '../../drivers/palm/palm-scanner.js';
import { checkIin } from './iin.js';
import { ACTIVITY, BUSY, refusalCode, screen, unprovided, type ShownError } from './machine-kit.js';
import { normalisePhone } from './phone.js';
import type { CardOnSession, IdentifyInput, OtpRequestOutcome, OtpVerifyOutcome, OtpView, PalmOutcome, QrPollOutcome, SessionEvent } from './types.js';

export const identificationActors = {
  identify: unprovided<IdentifyOutcome, IdentifyInput>('identify'),
  palmIdentify: unprovided<PalmOutcome, { sessionId: string }>('palmIdentify'),
  createQr: unprovided<{ token: string; payload: string; expiresAt: number }, { sessionId: string }>('createQr'),
  pollQr: unprovided<QrPollOutcome, { token: string }>('pollQr'),
  requestOtp: unprovided<OtpRequestOutcome, { sessionId: string; customerId: string }>('requestOtp'),
  verifyOtp: unprovided<OtpVerifyOutcome, { sessionId: string; customerId: string; code: string }>('verifyOtp'),
};
export type IdentificationActors = typeof identificationActors;

/** the intents and device events identification handles; the parent passes them on while it runs */
export const IDENTIFICATION_EVENT_TYPES = [
  'chooseIdentification', 'submitPhone', 'submitIin', 'submitBirthDate', 'submitPersonalCode', 'submitOtp', 'resendOtp', 'back',
  'device.cardInserted', 'device.cardReadError', 'device.palmGuidance',
] as const;
export type IdentificationEvent = Extract<SessionEvent, { type: (typeof IDENTIFICATION_EVENT_TYPES)[number] }>;

/** where identification begins: a method's screen, the card or hand that started the session, or the code alone */
export type IdentificationStart = IdentificationMethod | 'choose' | 'cardRead' | 'otp';

export type SignedInCustomer = { id: string; maskedName: string; hasApp?: boolean };

/** what the parent hands over: the session, the methods this terminal offers, and what it already knows of the customer */
export interface IdentificationInput {
  sessionId: string;
  start: IdentificationStart;
  identificationMethods: IdentificationMethod[];
  card?: CardOnSession;
  /** set for the code alone: the customer identified earlier in the session */
  customer?: SignedInCustomer;
  /** the error the first screen shows (the code asked again because access ran out) */
  error?: ShownError;
}

export interface IdentificationContext extends Omit<IdentificationInput, 'error'> {
  error?: ShownError;
  method?: IdentificationMethod;
  /** what the bank is asked; phone/IIN stay in the core, never in a snapshot */
  query?: IdentifyQuery;
  narrowing?: Narrowing;
  askFor?: Array<'birthDate' | 'personalCode'>;
  /** the last identification answer, read once by the outcome state */
  identifyOutcome?: IdentifyOutcome | PalmOutcome | QrPollOutcome;
  qr?: { token: string; payload: string; expiresAt: number };
  palmGuidance?: PalmGuidance;
  otp?: OtpView;
  access?: { token: string; expiresAt: number };
  end?: IdentificationEnd;
}

/** signed in (the parent loads the products), refused, or back to the start screen */
export type IdentificationEnd = { to: 'signedIn' } | { to: 'refusal'; error: ShownError; bankOffline?: boolean } | { to: 'back' };

/** what the parent keeps: the names are the parent's context fields (machine.ts `keepFlowResult`) */
export interface IdentificationOutput {
  end: IdentificationEnd;
  identificationMethods: IdentificationMethod[];
  card?: CardOnSession;
  customer?: SignedInCustomer;
  access?: { token: string; expiresAt: number };
  /** the phone the customer identified by: a receipt whose print is lost goes there */
  customerPhone?: string;
}

export interface IdentificationDeps {
  qrPollMs: number;
  now: () => number;
}

/** the flow's types, actors, timer, guards and named actions: the state factories below build on it */
function identificationSetup({ qrPollMs, now }: IdentificationDeps) {
  return setup({
    types: {
      input: {} as IdentificationInput,
      context: {} as IdentificationContext,
      events: {} as IdentificationEvent,
      output: {} as IdentificationOutput,
    },
    actors: identificationActors,
    delays: { qrPoll: qrPollMs },
    guards: {
      startsAt: ({ context }, params: { at: IdentificationStart }) => context.start === params.at,
      methodOffered: ({ context, event }) => event.type !== 'chooseIdentification' || context.identificationMethods.includes(event.method),
      chose: ({ event }, params: { method: IdentificationMethod }) => event.type === 'chooseIdentification' && event.method === params.method,
      phoneValid: ({ event }) => event.type === 'submitPhone' && normalisePhone(event.phone) !== undefined,
      iinValid: ({ event }) => event.type === 'submitIin' && checkIin(event.iin).ok,
      identified: ({ context }) => statusOf(context) === 'identified',
      ambiguous: ({ context }) => statusOf(context) === 'ambiguous',
      // consent to palm-vein processing withdrawn (8.15): the other methods are offered
      consentWithdrawn: ({ context }) => reasonOf(context) === 'consentWithdrawn',
      resendDue: ({ context }) => now() >= (context.otp?.resendAt ?? 0),
    },
    actions: {
      markActivity: sendParent(ACTIVITY),
      markBusy: sendParent(BUSY),
      clearError: assign({ error: undefined }),
      // the card is in the reader now: the parent hands it back at goodbye, however identification ends
      handOverCard: sendParent(({ event }) => ({ type: 'session.card' as const, card: (event as Extract<IdentificationEvent, { type: 'device.cardInserted' }>).card })),
      bankOffline: assign({ end: { to: 'refusal', error: { code: 'bankOffline' }, bankOffline: true } }),
      keepOutcome: assign({ identifyOutcome: ({ event }) => (event as unknown as { output: IdentificationContext['identifyOutcome'] }).output }),
      goBack: assign({ end: { to: 'back' } }),
      keepGuidance: assign({ palmGuidance: ({ context, event }) => (event.type === 'device.palmGuidance' ? event.guidance : context.palmGuidance) }),
      keepCustomer: assign(({ context }) => {
        const o = context.identifyOutcome;
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
  });
}

type IdentificationSetup = ReturnType<typeof identificationSetup>;

export function createIdentificationMachine(deps: IdentificationDeps) {
  const s = identificationSetup(deps);
  return s.createMachine({
    id: 'identification',
    initial: 'begin',
    context: ({ input }) => ({ ...input }),
    output: ({ context }) => ({
      end: context.end ?? { to: 'back' },
      identificationMethods: context.identificationMethods,
      ...(context.card ? { card: context.card } : {}),
      ...(context.customer ? { customer: context.customer } : {}),
      ...(context.access ? { access: context.access } : {}),
      ...(context.customer && context.query?.by === 'phone' && context.query.phone ? { customerPhone: context.query.phone } : {}),
    }),
    on: { 'device.palmGuidance': { actions: 'keepGuidance' } },
    states: {
      // where the parent asked to begin
      begin: {
        always: [
          { guard: { type: 'startsAt', params: { at: 'otp' } }, target: 'otp' },
          { guard: { type: 'startsAt', params: { at: 'cardRead' } }, target: 'identify.cardRead' },
          { guard: { type: 'startsAt', params: { at: 'phone' } }, target: 'identify.phone' },
          { guard: { type: 'startsAt', params: { at: 'iin' } }, target: 'identify.iin' },
          { guard: { type: 'startsAt', params: { at: 'card' } }, target: 'identify.card' },
          { guard: { type: 'startsAt', params: { at: 'palm' } }, target: 'identify.palm' },
          { guard: { type: 'startsAt', params: { at: 'qr' } }, target: 'identify.qr' },
          { target: 'identify.choose' },
        ],
      },
      identify: identifyState(s),
      otp: otpState(s),
      done: { type: 'final' },
    },
  });
}

/** a method chosen or begun, the bank's lookup, and narrowing several matches */
function identifyState(s: IdentificationSetup) {
  return s.createStateConfig({
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
            { guard: not('methodOffered'), actions: assign({ error: { code: 'restricted' } }) },
            { guard: { type: 'chose', params: { method: 'phone' } }, target: 'phone' },
            { guard: { type: 'chose', params: { method: 'iin' } }, target: 'iin' },
            { guard: { type: 'chose', params: { method: 'card' } }, target: 'card' },
            { guard: { type: 'chose', params: { method: 'palm' } }, target: 'palm' },
            { target: 'qr' },
          ],
          back: { target: '#identification.done', actions: 'goBack' },
        },
      },
      phone: {
        ...screen('phoneEntry'),
        entry: ['markActivity', assign({ method: 'phone' })],
        exit: 'clearError',
        on: {
          submitPhone: [
            {
              guard: 'phoneValid',
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
            { guard: 'iinValid', target: 'lookup', actions: assign({ error: undefined, query: ({ event }) => ({ by: 'iin', iin: event.iin }) }) },
            { actions: assign({ error: { code: 'invalidIin' } }) },
          ],
          back: { target: 'choose', actions: 'clearError' },
        },
      },
      card: {
        ...screen('cardInsert'),
        entry: ['markActivity', assign({ method: 'card' })],
        on: {
          'device.cardInserted': { target: 'cardRead', actions: [assign({ card: ({ event }) => event.card }), 'handOverCard'] },
          'device.cardReadError': {
            target: '#identification.done',
            actions: assign({ end: ({ event }) => ({ to: 'refusal' as const, error: { code: event.error === 'notBankCard' ? ('notBankCard' as const) : ('cardUnreadable' as const) } }) }),
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
          onDone: { target: 'outcome', actions: 'keepOutcome' },
          onError: { target: '#identification.done', actions: 'bankOffline' },
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
              onError: { target: '#identification.done', actions: 'bankOffline' },
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
                { target: '#identification.identify.outcome', actions: 'keepOutcome' },
              ],
              onError: { target: '#identification.done', actions: 'bankOffline' },
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
          onDone: { target: 'outcome', actions: 'keepOutcome' },
          onError: { target: '#identification.done', actions: 'bankOffline' },
        },
      },
      outcome: {
        always: [
          { guard: 'identified', target: '#identification.otp', actions: 'keepCustomer' },
          {
            guard: 'ambiguous',
            target: 'disambiguate',
            actions: assign(({ context }) => {
              const o = context.identifyOutcome;
              return { askFor: o?.ok && o.status === 'ambiguous' ? o.askFor : ['birthDate' as const], identifyOutcome: undefined };
            }),
          },
          {
            guard: 'consentWithdrawn',
            target: 'choose',
            actions: assign(({ context }) => ({
              identificationMethods: context.identificationMethods.filter((m) => m !== 'palm'),
              error: { code: 'consentWithdrawn' as const },
              identifyOutcome: undefined,
            })),
          },
          {
            target: '#identification.done',
            actions: assign(({ context }) => ({ end: { to: 'refusal' as const, error: { code: refusalCode(reasonOf(context) ?? 'notFound') } }, identifyOutcome: undefined })),
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
  });
}

/** the one-time code the bank sends to the identified customer; the code itself never enters the context */
function otpState(s: IdentificationSetup) {
  return s.createStateConfig({
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
            {
              target: '#identification.done',
              actions: assign({ end: ({ event }) => ({ to: 'refusal' as const, error: { code: refusalCode(event.output.ok ? 'internal' : event.output.reason) } }) }),
            },
          ],
          onError: { target: '#identification.done', actions: 'bankOffline' },
        },
      },
      entry: {
        ...screen('otpEntry'),
        entry: 'markActivity',
        exit: 'clearError',
        on: {
          submitOtp: { target: 'verifying', actions: 'clearError' },
          resendOtp: [
            { guard: 'resendDue', target: 'requesting', actions: 'clearError' },
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
              target: '#identification.done',
              actions: assign({
                end: { to: 'signedIn' },
                access: ({ event, context }) => (event.output.ok ? { token: event.output.accessToken, expiresAt: event.output.expiresAt } : context.access),
              }),
            },
            {
              guard: ({ event }) => !event.output.ok && event.output.reason === 'otpWrong' && (event.output.attemptsLeft ?? 0) > 0,
              target: 'entry',
              actions: assign({
                error: { code: 'otpWrong' },
                otp: ({ context, event }) => (context.otp ? { ...context.otp, attemptsLeft: event.output.ok ? undefined : event.output.attemptsLeft } : undefined),
              }),
            },
            {
              target: '#identification.done',
              actions: assign({
                end: ({ event }) => ({
                  to: 'refusal' as const,
                  error: { code: event.output.ok ? ('internal' as const) : event.output.reason === 'otpWrong' ? ('otpLocked' as const) : refusalCode(event.output.reason) },
                }),
              }),
            },
          ],
          onError: { target: '#identification.done', actions: 'bankOffline' },
        },
      },
    },
  });
}

export type IdentificationMachine = ReturnType<typeof createIdentificationMachine>;

function statusOf(context: IdentificationContext): string | undefined {
  const o = context.identifyOutcome;
  return o?.ok ? o.status : undefined;
}

function reasonOf(context: IdentificationContext): string | undefined {
  const o = context.identifyOutcome;
  return o && !o.ok ? o.reason : undefined;
}
