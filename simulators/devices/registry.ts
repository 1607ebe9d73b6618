/** Every emulator the device simulator hosts. Add one line per device. */
import type { EmulatorContext, EmulatorFactory } from './emulator.js';
import { createCcnetEmulator } from './cash-acceptor/emulator.js';
import { createId003Emulator } from './cash-acceptor/id003-emulator.js';
import { createDispenserEmulator } from './dispenser/emulator.js';
import { printerEmulatorFactory } from './printer/printer-emulator.js';
import { createCardReaderEmulator } from './card-reader/card-reader-emulator.js';
import { createPalmEmulator } from './palm/palm-emulator.js';
import { createCabinetEmulator } from './cabinet/cabinet-emulator.js';

/** the bill acceptor in the protocol the run asks for (CCNET unless told) */
const createCashAcceptorEmulator: EmulatorFactory = (ctx: EmulatorContext) =>
  ctx.cashAcceptorProtocol === 'id003' ? createId003Emulator(ctx) : createCcnetEmulator(ctx);

export const emulatorFactories: EmulatorFactory[] = [
  createCashAcceptorEmulator,
  createDispenserEmulator,
  printerEmulatorFactory,
  createCardReaderEmulator,
  createPalmEmulator,
  createCabinetEmulator,
];
