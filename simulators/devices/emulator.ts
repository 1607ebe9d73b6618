/**
 * The shape every device emulator has, so one control server can host them all. Each emulator
 * sits on the far end of the real transport (a socat pty pair or the HID report socket) and
 * adds its own control routes under /<kind>/... on the control API (127.0.0.1:7400).
 */
import type { FastifyInstance } from 'fastify';
import type { CashAcceptorProtocol, DeviceKind } from '../../domain/devices.js';
import type { EscTNumbering } from '../../drivers/printer/code-page.js';

export type { DeviceKind } from '../../domain/devices.js';
export { defaultEndpointName } from '../../domain/devices.js';

export type Endpoint = { type: 'serial'; path: string; baudRate: number } | { type: 'hidSocket'; path: string };

export interface DeviceEmulator {
  readonly kind: DeviceKind;
  readonly protocol: string; // e.g. 'ccnet', 'lcdm-2000', 'escpos', 'magtek-hid', 'pv-hid-1'
  /** what the kiosk opens: the driver's end of the pty, or the HID socket path */
  readonly endpoint: Endpoint;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** JSON-safe view for GET /devices and the panel */
  state(): Record<string, unknown>;
  /** fault names this emulator understands (documented per device) */
  readonly faults: readonly string[];
  setFault(fault: string, params?: Record<string, unknown>): void;
  clearFaults(): void;
  /** device-specific routes, e.g. POST /cash-acceptor/insert */
  routes(app: FastifyInstance): void;
}

export interface EmulatorContext {
  /** folder for pty links and sockets of this simulator run */
  runDir: string;
  /** the dispenser's exit feeds a presenter (the kiosk's devices.dispenser.presenter); default false: a stock LCDM */
  dispenserPresenter?: boolean;
  /** the bill acceptor's wire protocol (default 'ccnet') */
  cashAcceptorProtocol?: CashAcceptorProtocol;
  /** the bill acceptor's cash box and a note caught in its path, kept across restarts (default <runDir>/cash-acceptor.state.json) */
  cashAcceptorStateFile?: string;
  /** the printer model's ESC t numbering (default Epson's; the kiosk's devices.printer.codePage / escT) */
  printerEscT?: EscTNumbering;
  /** the printer head's dots per line (default 576; the kiosk's devices.printer.dotWidth) */
  printerDotWidth?: number;
}

export type EmulatorFactory = (ctx: EmulatorContext) => DeviceEmulator;
