/**
 * Model-based test of the session machine. @xstate/graph walks the machine with every intent,
 * device event, actor answer and timer a state can meet, and gives the shortest path to every
 * distinct state. Each path is then replayed on a live actor whose invoked actors are scripted
 * (they answer what the path says, when it says), on a manual clock, checking at every step:
 * the live actor agrees with the graph; the bridge snapshot is valid and carries no OTP, PAN,
 * PAN token, phone or IIN; no note is stacked without a recorded intent. After each path the
 * customer walks away: the terminal must reach idle with the card returned (or retained) and
 * every stacked note closed into a payment.
 */
import { describe, expect, it } from 'vitest';
import { getShortestPaths } from '@xstate/graph';
import { createActor, fromPromise, type AnyActorLogic, type AnyMachineSnapshot, type EventObject } from 'xstate';
import { Snapshot } from '../../../kiosk/bridge/schema.js';
import { createSessionMachine } from '../../../kiosk/session/machine.js';
import { sessionValue } from '../../../kiosk/session/flow-view.js';
import { stateName, toBridgeSnapshot } from '../../../kiosk/session/snapshot.js';
import type { SessionContext } from '../../../kiosk/session/types.js';
import { activeInvokeIds, config, DELAYS, deliver, eventsFor, outputs, serialize, sessionGraphLogic, type SessionState } from './model.js';
import { CARD, CARD_PAN, CUSTOMER_IIN, CUSTOMER_PHONE, ManualClock, SECRET_OTP } from './world.js';

interface Deferred {
  id: string;
  input: unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Scripted {
  clock: ManualClock;
  log: Array<{ id: string; input: unknown; result?: 'done' | 'error'; output?: unknown }>;
  pending: Map<string, Deferred>;
}

/** the world the scripted actors of the one shared machine answer into (one path at a time) */
let world: Scripted = { clock: new ManualClock(), log: [], pending: new Map() };

const scriptedMachine = createSessionMachine({
  config,
  now: () => world.clock.now(),
  newSessionId: () => 'sess-1',
  actors: Object.fromEntries(
    Object.keys(outputs).map((id) => [
      id,
      fromPromise<unknown, unknown>(({ input, self }) => {
        const entry: Scripted['log'][number] = { id, input };
        world.log.push(entry);
        return new Promise((resolve, reject) => {
          world.pending.set(self.id, {
            id,
            input,
            resolve: (v) => {
              entry.result = 'done';
              entry.output = v;
              resolve(v);
            },
            reject: (e) => {
              entry.result = 'error';
              reject(e);
            },
          });
        });
      }),
    ]),
  ) as never,
}) as AnyActorLogic;

/** a live actor whose invoked actors wait for the test to answer them */
function scriptedSession() {
  world = { clock: new ManualClock(), log: [], pending: new Map() };
  const { clock } = world;
  const actor = createActor(scriptedMachine, {
    clock: { setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (h) => clock.clearTimeout(h) },
  });
  actor.start();
  return { actor, ...world };
}

const flush = async (): Promise<void> => {
  // scripted actors settle in microtasks: there is no I/O to wait for
  for (let i = 0; i < 12; i++) await Promise.resolve();
};

async function play(s: ReturnType<typeof scriptedSession>, event: EventObject): Promise<void> {
  const done = /^xstate\.done\.actor\.(.+)$/.exec(event.type);
  const failed = /^xstate\.error\.actor\.(.+)$/.exec(event.type);
  const after = /^xstate\.after\.([^.]+)\./.exec(event.type);
  if (done || failed) {
    const id = (done ?? failed)?.[1] ?? '';
    const d = s.pending.get(id);
    if (!d) throw new Error(`no pending actor ${id}`);
    s.pending.delete(id);
    if (done) d.resolve((event as { output?: unknown }).output);
    else d.reject(new Error('port failed'));
    await flush();
  } else if (after) {
    // the graph picks one timer; advancing the clock could fire a shorter one first
    expect(DELAYS[after[1] ?? ''], `unknown delay ${after[1]}`).toBeGreaterThan(0);
    deliver(s.actor, event);
    await flush();
  } else {
    s.actor.send(event);
    await flush();
  }
  // actors of states left behind are stopped: forget their deferreds
  const live = new Set(activeInvokeIds(s.actor.getSnapshot() as AnyMachineSnapshot));
  for (const id of [...s.pending.keys()]) if (!live.has(id)) s.pending.delete(id);
}

const FORBIDDEN = [SECRET_OTP, CARD_PAN, CARD.panToken, CUSTOMER_PHONE, CUSTOMER_IIN, 'acc-token-zz'];

/** plain checks: this runs at every step of every path, where expect() would dominate the run */
function checkInvariants(s: ReturnType<typeof scriptedSession>): void {
  const snap = s.actor.getSnapshot() as AnyMachineSnapshot;
  const bridge = toBridgeSnapshot(snap, config);
  const parsed = Snapshot.safeParse(bridge);
  if (!parsed.success) throw new Error(`invalid snapshot in ${bridge.state}: ${parsed.error.message}`);
  const wire = JSON.stringify(bridge);
  for (const secret of FORBIDDEN) if (wire.includes(secret)) throw new Error(`snapshot in ${bridge.state} leaks ${secret}`);
  if (JSON.stringify(snap.context).includes(SECRET_OTP)) throw new Error(`the OTP entered the context in ${bridge.state}`);
  // stacked means recorded: every stack command follows a completed intent record
  let recorded = 0;
  let stacks = 0;
  for (const e of s.log) {
    if (e.id === 'recordStackIntent' && e.result === 'done') recorded++;
    if (e.id === 'stackNote' && ++stacks > recorded) throw new Error(`stack without a recorded intent in ${bridge.state}`);
  }
}

/** the customer walks away: every actor answers its first outcome, time passes, nobody touches */
async function walkAway(s: ReturnType<typeof scriptedSession>): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const snap = s.actor.getSnapshot() as AnyMachineSnapshot;
    if (snap.matches('idle') || snap.matches('outOfService')) return;
    if (snap.matches('service')) {
      s.actor.send({ type: 'device.serviceSwitch', open: false });
      await flush();
      continue;
    }
    if (snap.matches({ session: { flow: { ending: 'waitingRemoval' } } })) {
      s.actor.send({ type: 'device.cardRemoved' });
      await flush();
      continue;
    }
    const [id, d] = [...s.pending.entries()][0] ?? [];
    if (id && d) {
      s.pending.delete(id);
      d.resolve((outputs[d.id] ?? [])[0]);
      await flush();
      continue;
    }
    s.clock.advance(config.timeouts.approvalMs + config.timeouts.inactivityMs);
    await flush();
  }
  throw new Error(`stuck in ${JSON.stringify(s.actor.getSnapshot().value)}`);
}

describe('session machine, model-based', () => {
  const silent = Object.fromEntries(Object.keys(outputs).map((id) => [id, fromPromise(() => new Promise<never>(() => {}))]));
  const machine = createSessionMachine({ config, now: () => Date.UTC(2026, 10, 25, 10, 0), newSessionId: () => 'sess-1', actors: silent as never });
  const paths = getShortestPaths(sessionGraphLogic(machine) as never, {
    events: (state: SessionState) => eventsFor(state) as never,
    serializeState: (state: SessionState) => serialize(state),
    limit: 200_000,
  }) as unknown as Array<{ state: SessionState; steps: Array<{ state: SessionState; event: EventObject }> }>;

  it('reaches every screen of the customer journey', () => {
    const screens = new Set(paths.map((p) => toBridgeSnapshot(p.state.root, config).screen));
    for (const screen of Snapshot.shape.screen.options) expect(screens, `no path reaches ${screen}`).toContain(screen);
  });

  it('reaches every step of a service payment from an account', () => {
    const states = new Set(paths.map((p) => stateName(p.state.value)));
    for (const step of ['paymentSource', 'amount', 'confirm', 'authorising', 'approvalWait.waiting', 'approvalWait.checking', 'completing', 'reversing']) {
      const name = step === 'paymentSource' ? 'session.paymentSource' : `session.accountPayment.${step}`;
      expect(states, `no path reaches ${name}`).toContain(name);
    }
  });

  it('reaches a session started by a palm on the attract screen and every end of a PIN change', () => {
    const events = new Set(paths.flatMap((p) => p.steps.map((st) => st.event.type)));
    for (const e of ['xstate.done.actor.watchPalm', 'xstate.done.actor.startPinChange']) {
      expect(events, `no path through ${e}`).toContain(e);
    }
    const values = paths.map((p) => JSON.stringify(p.state.value));
    for (const sub of ['waiting', 'polling', 'withdrawing', 'recording']) expect(values.some((v) => v.includes(`"pinChange":"${sub}"`)), sub).toBe(true);
    expect(values.some((v) => v.includes('palmArmed'))).toBe(true);
  });

  it(`replays every shortest path with the invariants at each step`, async () => {
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      const s = scriptedSession();
      try {
        checkInvariants(s);
        for (const step of path.steps) {
          await play(s, step.event as EventObject);
          const live = JSON.stringify(sessionValue(s.actor.getSnapshot() as AnyMachineSnapshot));
          const expected = JSON.stringify(step.state.value);
          if (live !== expected) throw new Error(`after ${step.event.type} the live actor is in ${live}, the graph says ${expected}`);
          checkInvariants(s);
        }
        const cardEver = path.steps.some((st) => st.event.type === 'device.cardInserted');
        await walkAway(s);
        checkInvariants(s);
        const end = s.actor.getSnapshot() as AnyMachineSnapshot;
        expect((end.context as SessionContext).card, 'card left behind').toBeUndefined();
        if (cardEver) expect(s.log.some((e) => e.id === 'ejectCard' || e.id === 'captureCard'), 'card never given back').toBe(true);
        // a payment from an account the bank held is always completed or reversed, never left held
        const held = s.log.some((e) => e.id === 'authoriseAccountPayment' && e.result === 'done' && (e.output as { ok?: boolean } | undefined)?.ok === true);
        if (held) {
          const settled = s.log.filter((e) => (e.id === 'completeAccountPayment' || e.id === 'reverseAccountPayment') && e.result !== undefined);
          expect(settled.length, `a held account payment was neither completed nor reversed: ${path.steps.map((st) => st.event.type).join(' > ')}`).toBeGreaterThan(0);
        }
        // every stacked note ends in a closed cash-in (a payment message with a receipt number)
        const stacked = s.log.some((e) => e.id === 'recordStacked' && e.result === 'done');
        if (stacked) {
          const route = path.steps.map((st) => st.event.type).join(' > ');
          expect(s.log.some((e) => e.id === 'endCashIn'), `stacked money without a closed cash-in: ${route}`).toBe(true);
        }
      } finally {
        s.actor.stop();
      }
    }
  }, 90_000);
});
