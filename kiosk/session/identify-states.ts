/**
 * The parent's identification states: the method (phone, IIN, card, palm, QR), the bank's lookup
 * and its narrowing, the one-time code, then the customer's products. Built on the session's setup
 * (machine.ts), so guards and actions are the parent's own.
 */
import { assign } from 'xstate';
import { checkIin } from './iin.js';
import { refusalCode, screen } from './machine-kit.js';
import type { MachineDeps, SessionSetup } from './machine.js';
import { normalisePhone } from './phone.js';
import { outcomeOf, reasonOf, statusOf } from './session-rules.js';

/** who the customer is: a method chosen (or started by the card or the palm), the bank's lookup, narrowing an ambiguous match */
export function identifyState(s: SessionSetup) {
  return s.createStateConfig({
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
  });
}

/** the one-time code the bank sends to the identified customer; the code itself never enters the context */
export function otpState(s: SessionSetup, deps: MachineDeps) {
  const { now } = deps;
  return s.createStateConfig({
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
