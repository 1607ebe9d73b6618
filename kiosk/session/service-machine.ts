/**
 * Service mode: a crew member signs in with their service id and PIN (the core checks the switch,
 * the PIN hash, the lock-out and, on every action, the role) and runs the service actions (every
 * one is audited by kiosk/service-mode). The parent runs this flow while the cabinet's service switch is
 * open and leaves it when the switch closes or the technician exits.
 */
import { assign, setup } from 'xstate';
import { screen, unprovided, type ShownError } from './machine-kit.js';
import type { ServiceLoginOutcome } from './ports.js';

export const serviceActors = {
  serviceLogin: unprovided<ServiceLoginOutcome, { code: string; userId?: string }>('serviceLogin'),
  serviceAction: unprovided<Record<string, unknown>, { technician: string; action: string; params?: Record<string, string | number> }>('serviceAction'),
};
export type ServiceActors = typeof serviceActors;

export type ServiceEvent =
  | { type: 'serviceLogin'; code: string; userId?: string }
  | { type: 'serviceAction'; action: string; params?: Record<string, string | number> };

/** the intents this flow handles; the parent forwards them */
export const SERVICE_EVENT_TYPES = ['serviceLogin', 'serviceAction'] as const satisfies ReadonlyArray<ServiceEvent['type']>;

export interface ServiceContext {
  /** who signed in (their id, never their code) */
  technician?: string;
  /** what the last action answered (`snapshot.service.view`) */
  view?: Record<string, unknown>;
  /** who signed in and what their role allows: the core's login answer (`snapshot.service.person`) */
  person?: Record<string, unknown>;
  error?: ShownError;
}

export function createServiceMachine() {
  return setup({
    types: {
      context: {} as ServiceContext,
      events: {} as ServiceEvent,
    },
    actors: serviceActors,
    guards: {
      isExit: ({ event }) => event.type === 'serviceAction' && event.action === 'exit',
    },
    actions: {
      failed: assign({ error: { code: 'internal' } }),
    },
  }).createMachine({
    id: 'service',
    initial: 'login',
    context: {},
    states: {
      login: {
        ...screen('serviceLogin'),
        on: { serviceLogin: 'checking' },
      },
      checking: {
        ...screen('serviceLogin'),
        invoke: {
          id: 'serviceLogin',
          src: 'serviceLogin',
          input: ({ event }) => ({ code: event.type === 'serviceLogin' ? event.code : '', ...(event.type === 'serviceLogin' && event.userId ? { userId: event.userId } : {}) }),
          onDone: [
            {
              guard: ({ event }) => event.output.ok,
              target: 'menu',
              actions: assign({
                error: undefined,
                technician: ({ event }) => (event.output.ok ? event.output.technician : undefined),
                person: ({ event }) => (event.output.ok ? event.output.view : undefined),
              }),
            },
            { target: 'login', actions: assign({ error: ({ event }) => loginError(event.output) }) },
          ],
          onError: { target: 'login', actions: 'failed' },
        },
      },
      menu: {
        ...screen('serviceMenu'),
        on: {
          serviceAction: [{ guard: 'isExit', target: 'leaving' }, { target: 'performing' }],
        },
      },
      performing: {
        ...screen('serviceMenu'),
        invoke: {
          id: 'serviceAction',
          src: 'serviceAction',
          input: ({ context, event }) => ({
            technician: context.technician ?? '',
            action: event.type === 'serviceAction' ? event.action : 'diagnostics',
            ...(event.type === 'serviceAction' && event.params ? { params: event.params } : {}),
          }),
          onDone: { target: 'menu', actions: assign({ error: undefined, view: ({ event }) => event.output }) },
          onError: { target: 'menu', actions: ['failed', assign({ view: ({ event }) => ({ failed: String(event.error) }) })] },
        },
      },
      leaving: {
        ...screen('serviceMenu'),
        invoke: {
          id: 'serviceAction',
          src: 'serviceAction',
          input: ({ context }) => ({ technician: context.technician ?? '', action: 'exit' }),
          onDone: 'done',
          onError: 'done',
        },
      },
      done: { type: 'final' },
    },
  });
}

export type ServiceMachine = ReturnType<typeof createServiceMachine>;

/** a refused login as the login screen shows it: locked (until when), switch closed, or not identified */
function loginError(outcome: ServiceLoginOutcome): ShownError {
  if (outcome.ok) return { code: 'internal' };
  if (outcome.reason === 'locked') return { code: 'serviceLocked', ...(outcome.lockedUntil ? { params: { until: outcome.lockedUntil } } : {}) };
  if (outcome.reason === 'switchClosed') return { code: 'serviceSwitchClosed' };
  return { code: 'notIdentified' };
}
