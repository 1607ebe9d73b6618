/**
 * The kiosk as the session tests drive it: the real session (machine + actors from ports + host)
 * over a fake world, intents sent through the bridge schema exactly as the transports would send
 * them, every published snapshot checked against the schema.
 */
import { afterEach, expect } from 'vitest';
import { Intent, Snapshot } from '../../../kiosk/bridge/schema.js';
import { startSession, type RunningSession } from '../../../kiosk/session/start-session.js';
import type { AnyMachineSnapshot } from 'xstate';
import { sessionContext } from '../../../kiosk/session/flow-view.js';
import type { SessionContext } from '../../../kiosk/session/types.js';
import { fakeWorld } from './fakes.js';
import { SECRET_OTP } from './world.js';

/** lets the session's promises and the actors' replies settle */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

/** the published snapshots, and an intent sender that answers with the snapshot once settled */
export function driver(session: RunningSession) {
  const seen: Snapshot[] = [];
  session.subscribe((s) => seen.push(Snapshot.parse(s)));
  const intent = async (name: string, payload?: Record<string, unknown>): Promise<Snapshot> => {
    session.dispatch(Intent.parse({ name, payload }));
    await flush();
    return session.snapshot();
  };
  return { seen, intent };
}

type World = ReturnType<typeof fakeWorld>;

function startKiosk(world: World) {
  const session = startSession(world.ports);
  // the session's context as one bag: the parent's with the running flow's (cash-in, PIN change, ...)
  const ctx = (): SessionContext => sessionContext(session.actor.getSnapshot() as AnyMachineSnapshot);
  return { ...world, session, ...driver(session), ctx };
}

export type Kiosk = ReturnType<typeof startKiosk>;

/** an opener for a test file: each kiosk it opens is closed after its test */
export function kioskOpener(): (world?: World) => Kiosk {
  let running: Kiosk | undefined;
  afterEach(() => {
    running?.session.close();
    running = undefined;
  });
  return (world = fakeWorld()) => (running = startKiosk(world));
}

/** from the attract screen to the operations menu: phone number, then the OTP */
export async function signIn(k: Kiosk): Promise<void> {
  await k.intent('start');
  await k.intent('chooseIdentification', { method: 'phone' });
  await k.intent('submitPhone', { phone: '87011234567' });
  expect(k.session.snapshot().screen).toBe('otpEntry');
  const s = await k.intent('submitOtp', { code: SECRET_OTP });
  expect(s.screen).toBe('operations');
}
