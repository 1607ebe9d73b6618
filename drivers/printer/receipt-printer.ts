import type { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../common/device.js';

export interface PrinterStatus extends DeviceStatusBase {
  online: boolean;
  coverOpen: boolean;
  paper: 'ok' | 'nearEnd' | 'out';
  error: boolean;
}

export type PrintResult =
  | { ok: true }
  | { ok: false; failure: 'offline' | 'coverOpen' | 'paperOut' | 'error' | 'timeout'; detail?: string };

export interface ReceiptPrinterEvents {
  online: Record<string, never>;
  offline: { reason: string };
  status: PrinterStatus;
}

export interface ReceiptPrinter extends TypedEmitter<ReceiptPrinterEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  status(): PrinterStatus;
  refreshStatus(): Promise<PrinterStatus>;
  /** prints a finished ESC/POS job; resolves only when the job completed or failed for a known reason */
  print(job: Uint8Array): Promise<PrintResult>;
}
