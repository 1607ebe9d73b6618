/** The palm emulator and a real PV-HID scanner driver on its socket, opened and online for each test. */
import { afterEach, beforeEach } from 'vitest';
import { HidSocketTransport } from '../../../drivers/common/hid-socket-transport.js';
import { PvHidPalmScanner } from '../../../drivers/palm/pv-hid-scanner.js';
import { createPalmEmulator } from '../../../simulators/devices/palm/palm-emulator.js';
import { nextEvent, startRig, type Rig } from './harness.js';

export interface PalmRig {
  readonly rig: Rig;
  readonly scanner: PvHidPalmScanner;
}

/**
 * Registers the hooks; call inside the describe. `beforeOpen` sees the new scanner before it
 * opens (to listen from its first event).
 */
export function usePalmRig(beforeOpen?: (scanner: PvHidPalmScanner) => void): PalmRig {
  let current: { rig: Rig; scanner: PvHidPalmScanner } | undefined;
  beforeEach(async () => {
    const rig = await startRig(createPalmEmulator);
    const scanner = new PvHidPalmScanner({ transport: new HidSocketTransport({ path: rig.socketPath, backoffMs: 50 }) });
    current = { rig, scanner };
    beforeOpen?.(scanner);
    const online = nextEvent(scanner, 'online');
    await scanner.open();
    await online;
  });
  afterEach(async () => {
    await current?.scanner.close();
    await current?.rig.close();
    current = undefined;
  });
  const now = (): { rig: Rig; scanner: PvHidPalmScanner } => {
    if (!current) throw new Error('the palm rig runs only inside a test');
    return current;
  };
  return {
    get rig() {
      return now().rig;
    },
    get scanner() {
      return now().scanner;
    },
  };
}
