/** Every emulator the device simulator hosts. Add one line per device. */
import type { EmulatorFactory } from './emulator.js';
import { printerEmulatorFactory } from './printer/printer-emulator.js';

export const emulatorFactories: EmulatorFactory[] = [
  printerEmulatorFactory,
];
