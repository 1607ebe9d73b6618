/**
 * The real drivers from the configuration: serial devices over their ports (the simulators' ptys
 * by default), HID devices over hidraw or the simulators' report sockets.
 */
import type { KioskConfig } from '../config/schema.js';
import { SerialTransport } from '../../drivers/common/serial-transport.js';
import { HidSocketTransport } from '../../drivers/common/hid-socket-transport.js';
import { NodeHidTransport, type HidTransport } from '../../drivers/common/hid-transport.js';
import { CcnetBillValidator } from '../../drivers/cash-acceptor/ccnet-driver.js';
import { LcdmDispenser } from '../../drivers/dispenser/lcdm-driver.js';
import { EscPosPrinter } from '../../drivers/printer/escpos-printer.js';
import { HidCardReader } from '../../drivers/card-reader/hid-card-reader.js';
import { PvHidPalmScanner } from '../../drivers/palm/pv-hid-scanner.js';
import { HidCabinet } from '../../drivers/cabinet/hid-cabinet.js';
import type { CabinetSensors } from '../../drivers/cabinet/cabinet.js';
import type { SessionDevices } from '../session/ports.js';

type HidConfig = KioskConfig['devices']['cardReader'];

function hidTransport(d: HidConfig, what: string): HidTransport {
  if (d.transport === 'socket') {
    if (!d.path) throw new Error(`${what}: a socket transport needs a path`);
    return new HidSocketTransport({ path: d.path });
  }
  const target = d.path ? { path: d.path } : { vendorId: d.vendorId ?? 0, productId: d.productId ?? 0 };
  return new NodeHidTransport({ target, numberedReports: false });
}

export interface KioskDevices extends Required<SessionDevices> {
  cabinet: CabinetSensors;
  /** cassette denominations, upper (0) and lower (1) */
  cassetteDenominations: readonly [number, number];
}

export function buildDevices(config: KioskConfig, options: { cassetteDenominations?: readonly [number, number] } = {}): KioskDevices {
  const d = config.devices;
  const cassetteDenominations = options.cassetteDenominations ?? ([500_000, 1_000_000] as const);
  return {
    cashAcceptor: new CcnetBillValidator({ transport: new SerialTransport({ path: d.cashAcceptor.path, baudRate: d.cashAcceptor.baudRate }), baudRate: d.cashAcceptor.baudRate }),
    dispenser: new LcdmDispenser({ transport: new SerialTransport({ path: d.dispenser.path, baudRate: d.dispenser.baudRate }), denominations: cassetteDenominations }),
    printer: new EscPosPrinter({ transport: new SerialTransport({ path: d.printer.path, baudRate: d.printer.baudRate }) }),
    cardReader: new HidCardReader({ transport: hidTransport(d.cardReader, 'card reader'), tokenKey: config.card.tokenKey }),
    palm: new PvHidPalmScanner({ transport: hidTransport(d.palm, 'palm scanner') }),
    cabinet: new HidCabinet({ transport: hidTransport(d.cabinet, 'cabinet board') }),
    cassetteDenominations,
  };
}

/** opens every device; one that fails to open stays offline and reconnects by itself */
export async function openDevices(devices: KioskDevices, onError: (what: string, err: unknown) => void): Promise<void> {
  const all = [
    ['cash acceptor', devices.cashAcceptor],
    ['dispenser', devices.dispenser],
    ['printer', devices.printer],
    ['card reader', devices.cardReader],
    ['palm scanner', devices.palm],
    ['cabinet', devices.cabinet],
  ] as const;
  await Promise.all(
    all.map(async ([what, dev]) => {
      try {
        await dev.open();
      } catch (err) {
        onError(what, err);
      }
    }),
  );
}

export async function closeDevices(devices: KioskDevices): Promise<void> {
  await Promise.allSettled([
    devices.cashAcceptor.close(),
    devices.dispenser.close(),
    devices.printer.close(),
    devices.cardReader.close(),
    devices.palm.close(),
    devices.cabinet.close(),
  ]);
}
