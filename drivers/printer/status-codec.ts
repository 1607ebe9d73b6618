/**
 * DLE EOT n replies (reference escpos.md §6). Every reply byte has b0=0, b1=1, b4=1, b7=0; a byte
 * without that signature is not a status reply (e.g. an ASB byte or line noise) and is rejected.
 */
import { CodecError } from '../common/codec-error.js';
import type { PrinterStatus } from './receipt-printer.js';

export type StatusQuery = 1 | 2 | 3 | 4;

export interface PrinterByte { offline: boolean; drawerHigh: boolean; waitingRecovery: boolean; feedPressed: boolean }
export interface OfflineCause { coverOpen: boolean; feedByButton: boolean; paperEndStop: boolean; error: boolean }
export interface ErrorCause { recoverable: boolean; autocutter: boolean; unrecoverable: boolean; autoRecoverable: boolean }
export interface PaperSensor { nearEnd: boolean; paperOut: boolean }

const bit = (b: number, n: number): boolean => (b & (1 << n)) !== 0;

export function isStatusReply(b: number): boolean {
  return Number.isInteger(b) && b >= 0 && b <= 0xff && (b & 0x93) === 0x12;
}

function check(b: number, n: StatusQuery): void {
  if (!isStatusReply(b)) throw new CodecError('escpos', `0x${b.toString(16).padStart(2, '0')} is not a DLE EOT ${n} reply (fixed bits)`);
}

export function decodePrinterByte(b: number): PrinterByte {
  check(b, 1);
  return { drawerHigh: bit(b, 2), offline: bit(b, 3), waitingRecovery: bit(b, 5), feedPressed: bit(b, 6) };
}
export function decodeOfflineCause(b: number): OfflineCause {
  check(b, 2);
  return { coverOpen: bit(b, 2), feedByButton: bit(b, 3), paperEndStop: bit(b, 5), error: bit(b, 6) };
}
export function decodeErrorCause(b: number): ErrorCause {
  check(b, 3);
  return { recoverable: bit(b, 2), autocutter: bit(b, 3), unrecoverable: bit(b, 5), autoRecoverable: bit(b, 6) };
}
/** either bit of a pair counts: firmware sets both, some only one */
export function decodePaperSensor(b: number): PaperSensor {
  check(b, 4);
  return { nearEnd: bit(b, 2) || bit(b, 3), paperOut: bit(b, 5) || bit(b, 6) };
}

/** encoders, used by the emulator and by tests */
export const encodePrinterByte = (s: Partial<PrinterByte>): number =>
  0x12 | (s.drawerHigh ? 0x04 : 0) | (s.offline ? 0x08 : 0) | (s.waitingRecovery ? 0x20 : 0) | (s.feedPressed ? 0x40 : 0);
export const encodeOfflineCause = (s: Partial<OfflineCause>): number =>
  0x12 | (s.coverOpen ? 0x04 : 0) | (s.feedByButton ? 0x08 : 0) | (s.paperEndStop ? 0x20 : 0) | (s.error ? 0x40 : 0);
export const encodeErrorCause = (s: Partial<ErrorCause>): number =>
  0x12 | (s.recoverable ? 0x04 : 0) | (s.autocutter ? 0x08 : 0) | (s.unrecoverable ? 0x20 : 0) | (s.autoRecoverable ? 0x40 : 0);
export const encodePaperSensor = (s: Partial<PaperSensor>): number => 0x12 | (s.nearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);

export interface StatusBytes { printer: number; offline: number; error: number; paper: number }

/** the four replies folded into the driver-neutral status */
export function foldStatus(bytes: StatusBytes): Omit<PrinterStatus, 'link'> {
  const p = decodePrinterByte(bytes.printer);
  const o = decodeOfflineCause(bytes.offline);
  const e = decodeErrorCause(bytes.error);
  const s = decodePaperSensor(bytes.paper);
  const error = o.error || e.recoverable || e.autocutter || e.unrecoverable || e.autoRecoverable;
  const paper: PrinterStatus['paper'] = s.paperOut || o.paperEndStop ? 'out' : s.nearEnd ? 'nearEnd' : 'ok';
  const status: Omit<PrinterStatus, 'link'> = { online: !p.offline, coverOpen: o.coverOpen, paper, error };
  // the most pressing condition becomes the fault, for supervision and the technician
  if (error) {
    const what = e.unrecoverable ? 'unrecoverable' : e.autocutter ? 'autocutter' : e.recoverable ? 'recoverable' : e.autoRecoverable ? 'autoRecoverable' : 'unspecified';
    status.fault = { code: `printer.error.${what}`, message: `printer reports a ${what} error` };
  } else if (o.coverOpen) status.fault = { code: 'coverOpen', message: 'printer cover is open' };
  else if (paper === 'out') status.fault = { code: 'paperOut', message: 'printer is out of paper' };
  else if (p.offline) status.fault = { code: 'printer.offline', message: 'printer reports offline' };
  return status;
}
