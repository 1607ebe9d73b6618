/**
 * One call from ports to a running session: the machine on the ports' clock, its actors made
 * from the ports, the host the bridge talks to, and the devices' events flowing in.
 */
import { randomUUID } from 'node:crypto';
import { createSessionActors } from './actors.js';
import { connectDevices } from './device-events.js';
import { createSessionMachine } from './machine.js';
import type { SessionPorts } from './ports.js';
import { startSessionHost, type SessionHostHandle } from './session-host.js';

export interface RunningSession extends SessionHostHandle {
  /** stops the actor and detaches from the devices */
  close(): void;
}

export function startSession(ports: SessionPorts, options: { onError?: (err: unknown) => void } = {}): RunningSession {
  const machine = createSessionMachine({ config: ports.config, now: () => ports.clock.now(), newSessionId: () => randomUUID() });
  const provided = machine.provide({ actors: createSessionActors(ports) });
  const host = startSessionHost({ machine: provided, config: ports.config, clock: ports.clock, ...(options.onError ? { onError: options.onError } : {}) });
  const disconnect = connectDevices(ports.devices, (e) => host.send(e));
  return {
    ...host,
    close() {
      disconnect();
      host.stop();
    },
  };
}
