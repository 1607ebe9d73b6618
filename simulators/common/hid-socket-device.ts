/**
 * The part every emulated HID device shares: its endpoint is the report socket, start and stop
 * bind and close it, and the `unplugged` fault makes the socket vanish until the faults are
 * cleared, as a pulled USB cable does. Each emulator adds its protocol, state and routes.
 */
import type { DeviceEmulator } from '../devices/emulator.js';
import type { HidSocketServer } from './hid-socket.js';

export type HidSocketDeviceLifecycle = Pick<DeviceEmulator, 'endpoint' | 'start' | 'stop' | 'setFault' | 'clearFaults'>;

export interface HidSocketDeviceOptions {
  /** runs before the socket closes on stop(): end what the device was doing */
  beforeStop?(): void;
}

/** `faults` is the emulator's own set of active faults: this adds to it and clears it. */
export function hidSocketDeviceLifecycle(server: HidSocketServer, faults: Set<string>, options: HidSocketDeviceOptions = {}): HidSocketDeviceLifecycle {
  return {
    endpoint: { type: 'hidSocket', path: server.path },
    start: () => server.listen(),
    async stop() {
      options.beforeStop?.();
      await server.close();
    },
    setFault(fault) {
      faults.add(fault);
      if (fault === 'unplugged') void server.setUnplugged(true);
    },
    clearFaults() {
      faults.clear();
      void server.setUnplugged(false);
    },
  };
}
