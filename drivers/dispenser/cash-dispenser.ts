/** Protocol-neutral note dispenser with an optional presenter. */
import type { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../common/device.js';
import type { Tiyn } from '../../domain/money.js';

export interface CassetteStatus {
  index: number; // 0-based physical position
  denomination: Tiyn;
  state: 'ok' | 'low' | 'empty' | 'missing';
}

export interface DispensePlanItem {
  cassette: number;
  count: number;
}

export interface CassetteResult {
  cassette: number;
  requested: number;
  dispensed: number; // counted out to the stack / presenter
  rejected: number; // diverted to the reject bin
}

export interface DispenseResult {
  ok: boolean; // every requested note dispensed
  perCassette: CassetteResult[];
  error?: 'empty' | 'jam' | 'doubleNote' | 'timeout' | 'shortfall' | 'failure';
}

export type PresentState = 'presented' | 'notPresented' | 'unknown';

export interface CashDispenserEvents {
  online: Record<string, never>;
  offline: { reason: string };
  taken: Record<string, never>; // customer took the presented notes
  failure: { code: string; message: string };
}

export interface CashDispenserStatus extends DeviceStatusBase {
  cassettes: CassetteStatus[];
  /** notes sitting in the stacker/presenter, if the device knows (crash reconciliation) */
  notesInPresenter?: number;
  hasPresenter: boolean;
}

export interface CashDispenser extends TypedEmitter<CashDispenserEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  status(): CashDispenserStatus;
  refreshStatus(): Promise<CashDispenserStatus>;
  reset(): Promise<void>; // purge: notes left in the path go to the reject bin
  dispense(plan: readonly DispensePlanItem[]): Promise<DispenseResult>;
  present(): Promise<PresentState>;
  retract(): Promise<{ retracted: number }>;
  /** technician check: one note from a cassette straight to the reject bin, never to the exit (absent: the device has no such test) */
  testDispense?(cassette: 0 | 1): Promise<{ ok: boolean; rejected: number; message: string }>;
}
