/**
 * Builds every device driver from the validated configuration, each over its real transport:
 * serial devices through `SerialTransport` (a real port, or the simulators' pty), HID devices
 * through node-hid or the simulators' report socket. Nothing is opened here; `openAll()` does that,
 * one device at a time being independent of the others, so a missing printer never keeps the
 * cash acceptor from coming up.
 */
import { join } from 'node:path';
import { SerialTransport } from '../../drivers/common/serial-transport.js';
import { HidSocketTransport } from '../../drivers/common/hid-socket-transport.js';
import { NodeHidTransport, type HidOpener, type HidTarget, type HidTransport } from '../../drivers/common/hid-transport.js';
import type { CashAcceptor } from '../../drivers/cash-acceptor/cash-acceptor.js';
import { CcnetBillValidator, type CcnetDriverOptions } from '../../drivers/cash-acceptor/ccnet-driver.js';
import { Id003BillAcceptor, type Id003DriverOptions } from '../../drivers/cash-acceptor/id003-driver.js';
import type { CashDispenser } from '../../drivers/dispenser/cash-dispenser.js';
import { LcdmDispenser, type LcdmDriverOptions } from '../../drivers/dispenser/lcdm-driver.js';
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import { EscPosPrinter, type EscPosPrinterOptions } from '../../drivers/printer/escpos-printer.js';
import type { CardReader } from '../../drivers/card-reader/card-reader.js';
import { HidCardReader } from '../../drivers/card-reader/hid-card-reader.js';
import type { PalmScanner } from '../../drivers/palm/palm-scanner.js';
import { PvHidPalmScanner, type PvHidScannerOptions } from '../../drivers/palm/pv-hid-scanner.js';
import type { CabinetSensors } from '../../drivers/cabinet/cabinet.js';
import { HidCabinet, type HidCabinetOptions } from '../../drivers/cabinet/hid-cabinet.js';
import { defaultEndpointName, DEVICE_KINDS, RUN_DIR_NAME, type CashAcceptorProtocol, type DeviceKind } from '../../domain/devices.js';
import { KZT_BANKNOTES_TIYN, tenge, type Tiyn } from '../../domain/money.js';
import { withTimeout } from '../../domain/async.js';

export { DEVICE_KINDS, type DeviceKind } from '../../domain/devices.js';

/** The part of the kiosk configuration the devices need (`KioskConfig` fits it). */
export interface DevicesConfig {
  dataDir: string;
  card: { tokenKey: string };
  devices: {
    cashAcceptor: SerialConfig & { protocol?: CashAcceptorProtocol };
    dispenser: SerialConfig & { presenter?: boolean };
    printer: SerialConfig;
    cardReader: HidConfig;
    palm: HidConfig;
    cabinet: HidConfig;
  };
}

interface SerialConfig {
  path?: string;
  baudRate: number;
}

interface HidConfig {
  transport: 'hid' | 'socket';
  path?: string;
  vendorId?: number;
  productId?: number;
}

/**
 * KZT notes as CCNET bill types 0-6 (200 ... 20 000 tenge; ID003 escrow codes 61-67). The driver
 * needs the table when a note is already in escrow at open: no table can be read then, and crash
 * recovery must know its value.
 */
export const KZT_BILL_TABLE: ReadonlyArray<{ billType: number; denomination: Tiyn }> = KZT_BANKNOTES_TIYN.map(
  (denomination, billType) => ({ billType, denomination }),
);

/** the cassettes as the module ships them: 5 000 tenge upper, 10 000 tenge lower */
export const DEFAULT_CASSETTES: readonly [Tiyn, Tiyn] = [tenge(5_000), tenge(10_000)];

export interface CreateDevicesOptions {
  config: DevicesConfig;
  /** denominations loaded in the dispenser's upper (0) and lower (1) cassettes */
  cassetteDenominations?: readonly [Tiyn, Tiyn];
  billTable?: ReadonlyArray<{ billType: number; denomination: Tiyn }>;
  /** reconnect backoff of every transport */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** driver timing, e.g. faster polls in tests */
  tuning?: {
    /** options of the configured protocol's driver (poll interval, timeouts: both have them) */
    cashAcceptor?: Omit<Partial<CcnetDriverOptions> & Partial<Id003DriverOptions>, 'transport'>;
    dispenser?: Omit<Partial<LcdmDriverOptions>, 'transport' | 'denominations'>;
    printer?: Omit<Partial<EscPosPrinterOptions>, 'transport'>;
    palm?: Omit<Partial<PvHidScannerOptions>, 'transport'>;
    cabinet?: Omit<Partial<HidCabinetOptions>, 'transport'>;
  };
  /** node-hid's opener; only the real library edge is replaced here, never a driver */
  openHid?: HidOpener;
  /** how long one device's open or close may take before it counts as failed */
  openTimeoutMs?: number;
}

export type OpenOutcome = { ok: true } | { ok: false; error: string };
export type OpenReport = Record<DeviceKind, OpenOutcome>;

export interface DeviceSet {
  cashAcceptor: CashAcceptor;
  dispenser: CashDispenser;
  printer: ReceiptPrinter;
  cardReader: CardReader;
  palm: PalmScanner;
  cabinet: CabinetSensors;
  /** where each device is reached, for logs and service mode */
  readonly endpoints: Record<DeviceKind, string>;
  /** opens every device; one failing never blocks the others. Never rejects. */
  openAll(): Promise<OpenReport>;
  /** closes every device; never rejects */
  closeAll(): Promise<void>;
}

/** the kiosk-side endpoint a device uses when the configuration names none: the simulators' */
export function defaultDevicePath(dataDir: string, kind: DeviceKind): string {
  return join(dataDir, RUN_DIR_NAME, defaultEndpointName[kind]);
}

function hidTarget(kind: DeviceKind, c: HidConfig): HidTarget {
  if (c.path !== undefined) return { path: c.path };
  if (c.vendorId !== undefined && c.productId !== undefined) return { vendorId: c.vendorId, productId: c.productId };
  throw new Error(`devices.${kind}: hid needs a path or both vendorId and productId`);
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createDevices(options: CreateDevicesOptions): DeviceSet {
  const { config } = options;
  const backoff = { backoffMs: options.backoffMs ?? 250, maxBackoffMs: options.maxBackoffMs ?? 5_000 };
  const tuning = options.tuning ?? {};
  const serialPath = (kind: DeviceKind, c: SerialConfig): string => c.path ?? defaultDevicePath(config.dataDir, kind);
  const serial = (kind: DeviceKind, c: SerialConfig, parity: 'none' | 'even' = 'none'): SerialTransport =>
    new SerialTransport({ path: serialPath(kind, c), baudRate: c.baudRate, parity, ...backoff });

  const hidEndpoint = (kind: DeviceKind, c: HidConfig): string =>
    c.transport === 'socket' ? (c.path ?? defaultDevicePath(config.dataDir, kind)) : describeHid(hidTarget(kind, c));
  const hid = (kind: DeviceKind, c: HidConfig, numberedReports: boolean): HidTransport =>
    c.transport === 'socket'
      ? new HidSocketTransport({ path: hidEndpoint(kind, c), ...backoff })
      : new NodeHidTransport({
          target: hidTarget(kind, c),
          numberedReports,
          ...backoff,
          ...(options.openHid ? { openDevice: options.openHid } : {}),
        });

  const d = config.devices;
  const acceptorOptions = { baudRate: d.cashAcceptor.baudRate, billTable: options.billTable ?? KZT_BILL_TABLE, ...tuning.cashAcceptor };
  const cashAcceptor: CashAcceptor =
    d.cashAcceptor.protocol === 'id003'
      ? // ID003 runs 8E1 (reference section 1)
        new Id003BillAcceptor({ transport: serial('cashAcceptor', d.cashAcceptor, 'even'), ...acceptorOptions })
      : new CcnetBillValidator({ transport: serial('cashAcceptor', d.cashAcceptor), ...acceptorOptions });
  const dispenser = new LcdmDispenser({
    transport: serial('dispenser', d.dispenser),
    denominations: options.cassetteDenominations ?? DEFAULT_CASSETTES,
    presenter: d.dispenser.presenter ?? false,
    ...tuning.dispenser,
  });
  // an idle status poll, so paper running out shows in health before a customer needs a receipt
  const printer = new EscPosPrinter({ transport: serial('printer', d.printer), pollIntervalMs: 5_000, ...tuning.printer });
  // MagTek readers number no reports; PV-HID 1 and CAB-HID 1 do
  const cardReader = new HidCardReader({ transport: hid('cardReader', d.cardReader, false), tokenKey: config.card.tokenKey });
  const palm = new PvHidPalmScanner({ transport: hid('palm', d.palm, true), ...tuning.palm });
  const cabinet = new HidCabinet({ transport: hid('cabinet', d.cabinet, true), ...tuning.cabinet });

  const drivers: Record<DeviceKind, { open(): Promise<void>; close(): Promise<void> }> = {
    cashAcceptor, dispenser, printer, cardReader, palm, cabinet,
  };
  const endpoints: Record<DeviceKind, string> = {
    cashAcceptor: serialPath('cashAcceptor', d.cashAcceptor),
    dispenser: serialPath('dispenser', d.dispenser),
    printer: serialPath('printer', d.printer),
    cardReader: hidEndpoint('cardReader', d.cardReader),
    palm: hidEndpoint('palm', d.palm),
    cabinet: hidEndpoint('cabinet', d.cabinet),
  };
  const limit = options.openTimeoutMs ?? 10_000;

  const each = async (verb: 'open' | 'close'): Promise<OpenReport> => {
    const outcomes = await Promise.all(
      DEVICE_KINDS.map(async (kind): Promise<[DeviceKind, OpenOutcome]> => {
        try {
          await withTimeout(drivers[kind][verb](), limit, (ms) => `${verb} ${kind} timed out after ${ms} ms`);
          return [kind, { ok: true }];
        } catch (err) {
          return [kind, { ok: false, error: `${kind} (${endpoints[kind]}): ${errorText(err)}` }];
        }
      }),
    );
    return Object.fromEntries(outcomes) as OpenReport;
  };

  return {
    cashAcceptor, dispenser, printer, cardReader, palm, cabinet, endpoints,
    openAll: () => each('open'),
    closeAll: async () => {
      await each('close');
    },
  };
}

function describeHid(target: HidTarget): string {
  if ('path' in target) return target.path;
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return `usb ${hex(target.vendorId)}:${hex(target.productId)}`;
}
