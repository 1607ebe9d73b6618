/**
 * SessionHost on a running session actor: the bridge transports see snapshots and send intents,
 * never the machine. Snapshots are published only when their content changes, so a timer tick
 * or an internal step that changes nothing on screen sends nothing over the wire.
 */
import { createActor, type Actor, type AnyActorLogic } from 'xstate';
import type { SessionHost } from '../bridge/session-host.js';
import type { Intent, Snapshot } from '../bridge/schema.js';
import type { Clock, SessionConfig } from './ports.js';
import { inHandover, sessionTakes, sessionValue } from './flow-view.js';
import { stateName, toBridgeSnapshot } from './snapshot.js';
import type { SessionEvent } from './types.js';
import type { SessionMachine } from './machine.js';

export function intentToEvent(intent: Intent): SessionEvent {
  return { type: intent.name, ...(intent.payload ?? {}) } as SessionEvent;
}

export interface SessionHostHandle extends SessionHost {
  /** device and bank events from the runtime */
  send(event: SessionEvent): void;
  readonly actor: Actor<SessionMachine>;
  stop(): void;
}

export interface HostOptions {
  machine: SessionMachine;
  config: SessionConfig;
  clock: Clock;
  /** called with errors thrown inside the machine (never with secrets: events carry none that reach here) */
  onError?: (err: unknown) => void;
}

export function startSessionHost(options: HostOptions): SessionHostHandle {
  let started = false;
  const actor = createActor(options.machine as AnyActorLogic as SessionMachine, {
    clock: { setTimeout: (fn, ms) => options.clock.setTimeout(fn, ms), clearTimeout: (h) => options.clock.clearTimeout(h) },
    // a flow machine's step changes the screen without a step of the parent: watch every actor's snapshot
    inspect: (ev) => {
      if (started && ev.type === '@xstate.snapshot' && ev.actorRef !== actor) publish();
    },
  });
  const listeners = new Set<(s: Snapshot) => void>();
  let current: Snapshot | undefined;
  let currentJson = '';

  const publish = (): void => {
    const snap = actor.getSnapshot();
    if (snap.status === 'active' && inHandover(snap)) return;
    const next = toBridgeSnapshot(snap, options.config);
    const json = JSON.stringify(next);
    if (json === currentJson) return;
    current = next;
    currentJson = json;
    for (const l of listeners) l(next);
  };

  actor.subscribe({
    next: publish,
    error: (err) => options.onError?.(err),
  });
  actor.start();
  started = true;
  publish();

  return {
    actor,
    snapshot: () => current ?? toBridgeSnapshot(actor.getSnapshot(), options.config),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch(intent) {
      const event = intentToEvent(intent);
      const now = actor.getSnapshot();
      // an intent no transition of the current state takes (guards included) would be dropped by
      // the machine without a word; the UI is told instead, and the machine never sees it
      if (now.status !== 'active' || !sessionTakes(now, event)) {
        return { code: 'notAllowed', reason: `${intent.name} is not allowed in state ${stateName(sessionValue(now))}` };
      }
      actor.send(event);
      return undefined;
    },
    send(event) {
      actor.send(event);
    },
    stop() {
      listeners.clear();
      actor.stop();
    },
  };
}
