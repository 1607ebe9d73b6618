/**
 * The one way a session starts, in production and in tests: the machine on the ports' clock, its
 * actors made from the ports, the host the bridge talks to, the devices' note, card and cash
 * events flowing in, and device health from the DeviceSupervisor (the rules the start screen and
 * the metrics use too). The runtime adds what only a real terminal has (the bank's reachability,
 * the intent settler, the cabinet's service switch) on the returned handle.
 */
import { randomUUID } from 'node:crypto';
import type { Devices } from '../bridge/schema.js';
import { DeviceSupervisor, type SupervisedDevices } from '../devices/supervisor.js';
import { DEVICE_KINDS } from '../../domain/devices.js';
import { createSessionActors } from './actors.js';
import { connectDevices } from './device-events.js';
import { createSessionMachine } from './machine.js';
import type { SessionPorts } from './ports.js';
import { startSessionHost, type SessionHostHandle } from './session-host.js';
import type { SessionEmitted } from './types.js';

export interface RunningSession extends SessionHostHandle {
  /** stops the actor and detaches from the devices (and stops a supervisor it made itself) */
  close(): void;
}

export interface StartSessionOptions {
  onError?: (err: unknown) => void;
  /** what the machine reports besides its state, for the log */
  onReport?: (report: SessionEmitted) => void;
  /**
   * Where device health comes from. The runtime passes the supervisor it also serves metrics and
   * the start screen from, and starts and stops it; without one, a supervisor over the ports'
   * devices is made here (the devices the ports lack are absent) and stopped on close.
   */
  supervisor?: DeviceSupervisor;
  newSessionId?: () => string;
}

/** the customer-facing devices: the bank's state is the session's own news, the cabinet is not a session device */
function withoutBank(d: Devices): Partial<Devices> {
  return { cashAcceptor: d.cashAcceptor, dispenser: d.dispenser, printer: d.printer, cardReader: d.cardReader, palm: d.palm };
}

function supervisorOver(devices: SessionPorts['devices']): DeviceSupervisor {
  const present: Partial<SupervisedDevices> = { ...devices };
  const absent = DEVICE_KINDS.filter((k) => present[k] === undefined);
  // an absent device is never read or watched
  return new DeviceSupervisor({ devices: present as SupervisedDevices, absent, bankOnline: true });
}

export function startSession(ports: SessionPorts, options: StartSessionOptions = {}): RunningSession {
  const machine = createSessionMachine({
    config: ports.config,
    now: () => ports.clock.now(),
    newSessionId: options.newSessionId ?? (() => randomUUID()),
    actors: createSessionActors(ports),
  });
  const host = startSessionHost({ machine, config: ports.config, clock: ports.clock, ...(options.onError ? { onError: options.onError } : {}) });
  const report = options.onReport;
  const reports = report ? host.actor.on('*', (e) => report(e)) : undefined;
  const disconnect = connectDevices(ports.devices, (e) => host.send(e));

  const own = options.supervisor === undefined;
  const supervisor = options.supervisor ?? supervisorOver(ports.devices);
  const onChange = (p: { devices: Devices }): void => host.send({ type: 'device.health', devices: withoutBank(p.devices) });
  supervisor.on('change', onChange);
  if (own) supervisor.start();
  host.send({ type: 'device.health', devices: withoutBank(supervisor.devices()) });
  return {
    ...host,
    close() {
      supervisor.off('change', onChange);
      if (own) supervisor.stop();
      reports?.unsubscribe();
      disconnect();
      host.stop();
    },
  };
}
