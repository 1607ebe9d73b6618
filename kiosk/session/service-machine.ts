/**
 * Service mode: the technician signs in with a code and runs the service actions (every one is
 * audited by kiosk/service-mode). The parent runs this flow while the cabinet's service switch is
 * open and leaves it when the switch closes or the technician exits.
 */
import { assign, setup } from 'xstate';
import { screen, unprovided, type ShownError } from './machine-kit.js';

export const serviceActors = {
  serviceLogin: unprovided<{ ok: true; technician: string } | { ok: false }, { code: string }>('serviceLogin'),
  serviceAction: unprovided<Record<string, unknown>, { technician: string; action: string; params?: Record<string, string | number> }>('serviceAction'),
};
export type ServiceActors = typeof serviceActors;

export type ServiceEvent =
  | { type: 'serviceLogin'; code: string }
  | { type: 'serviceAction'; action: string; params?: Record<string, string | number> };

/** the intents this flow handles; the parent forwards them */
export const SERVICE_EVENT_TYPES = ['serviceLogin', 'serviceAction'] as const satisfies ReadonlyArray<ServiceEvent['type']>;

export interface ServiceContext {
  /** who signed in (their id, never their code) */
  technician?: string;
  /** what the last action answered (`snapshot.service.view`) */
  view?: Record<string, unknown>;
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
      loginRefused: assign({ error: { code: 'notIdentified' } }),
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
          input: ({ event }) => ({ code: event.type === 'serviceLogin' ? event.code : '' }),
          onDone: [
            { guard: ({ event }) => event.output.ok, target: 'menu', actions: assign({ error: undefined, technician: ({ event }) => (event.output.ok ? event.output.technician : undefined) }) },
            { target: 'login', actions: 'loginRefused' },
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
