/** Every emulator the device simulator hosts. Add one line per device. */
import type { EmulatorFactory } from './emulator.js';
import { createCashAcceptorEmulator } from './cash-acceptor/emulator.js';
import { createDispenserEmulator } from './dispenser/emulator.js';

export const emulatorFactories: EmulatorFactory[] = [
  createCashAcceptorEmulator,
  createDispenserEmulator,
];
