/**
 * Protocol-neutral bill acceptor (CCNET: ccnet-driver.ts, ID003: id003-driver.ts). Escrow is decided by the caller:
 * a driver never stacks a note on its own.
 */
import type { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../common/device.js';
import type { Tiyn } from '../../domain/money.js';

export type RejectReason =
  | 'insertion' | 'magnetic' | 'remainedInHead' | 'multiplying' | 'conveying' | 'identification'
  | 'verification' | 'optic' | 'inhibit' | 'capacity' | 'operation' | 'length' | 'uv' | 'barcode' | 'unknown';

export interface CashAcceptorEvents {
  online: { model?: string; serial?: string };
  offline: { reason: string };
  escrow: { denomination: Tiyn };
  stacked: { denomination: Tiyn };
  returned: { denomination: Tiyn };
  rejected: { reason: RejectReason };
  jammed: { where: 'validator' | 'cassette' };
  cassetteFull: Record<string, never>;
  cassetteRemoved: Record<string, never>;
  cheated: Record<string, never>;
  failure: { code: string; message: string };
}

export type AcceptorState =
  | 'disabled' | 'idling' | 'accepting' | 'escrow' | 'stacking' | 'returning' | 'holding'
  | 'rejecting' | 'jammed' | 'cassetteFull' | 'cassetteRemoved' | 'failure' | 'initialising' | 'unknown';

export interface CashAcceptorStatus extends DeviceStatusBase {
  state: AcceptorState;
  /** the note in escrow, if the device says one is there (used by crash reconciliation) */
  escrow?: Tiyn;
  /** denominations the device's bill table can take */
  billTable: Tiyn[];
  /** bill type of the note in escrow (known even when the bill table is not) */
  escrowBillType?: number;
  /** the note in escrow was already there when the driver opened (crash reconciliation) */
  escrowFoundAtOpen?: boolean;
  /** at power-up the device reported a note in its path (CCNET 11 / 12): settle by reconciliation */
  billInPathAtPowerUp?: 'validator' | 'stacker';
  /**
   * the device's first answers after the driver opened reported a note stacked or returned (CCNET
   * 81 / 82, or a note the RESET finished; ID003 41 / 42 power-up with a bill, settled by its RESET):
   * it left escrow while no host listened (crash reconciliation). `billType` and `denomination` are
   * absent when the device does not name the note (ID003's power-up states never do).
   */
  noteSettledAtOpen?: { outcome: 'stacked' | 'returned'; billType?: number; denomination?: Tiyn };
  model?: string;
  serial?: string;
}

export interface CashAcceptor extends TypedEmitter<CashAcceptorEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  status(): CashAcceptorStatus;
  enable(denominations: readonly Tiyn[]): Promise<void>;
  disable(): Promise<void>;
  stack(): Promise<void>;
  return(): Promise<void>;
  hold(): Promise<void>;
}
