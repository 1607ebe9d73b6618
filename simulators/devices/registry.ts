/** Every emulator the device simulator hosts. Add one line per device. */
import type { EmulatorFactory } from './emulator.js';
import { createCashAcceptorEmulator } from './cash-acceptor/emulator.js';
import { createDispenserEmulator } from './dispenser/emulator.js';
import { printerEmulatorFactory } from './printer/printer-emulator.js';
import { createCardReaderEmulator } from './card-reader/card-reader-emulator.js';
import { createPalmEmulator } from './palm/palm-emulator.js';
import { createCabinetEmulator } from './cabinet/cabinet-emulator.js';

export const emulatorFactories: EmulatorFactory[] = [
  createCashAcceptorEmulator,
  createDispenserEmulator,
  printerEmulatorFactory,
  createCardReaderEmulator,
  createPalmEmulator,
  createCabinetEmulator,
];
