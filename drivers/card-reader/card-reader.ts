/**
 * Card reader. Track data never leaves the driver: callers get a masked PAN (first 6, last 4),
 * a PAN token for the bank, and the expiry.
 */
import type { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../common/device.js';

export interface CardInfo {
  maskedPan: string; // e.g. 440043******1234
  panToken: string; // keyed hash of the PAN, for the bank lookup only
  expiry: string; // YYMM
  holderName?: string;
}

export type CardReadError = 'badLrc' | 'unreadable' | 'notBankCard' | 'expired';

export interface CardReaderEvents {
  online: Record<string, never>;
  offline: { reason: string };
  cardInserted: { card: CardInfo } | { error: CardReadError };
  cardRemoved: Record<string, never>;
}

export interface CardReaderStatus extends DeviceStatusBase {
  cardPresent: boolean;
  motorised: boolean;
}

export interface CardReader extends TypedEmitter<CardReaderEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  status(): CardReaderStatus;
  eject(): Promise<void>;
  /** only where the reader is motorised; otherwise resolves false */
  capture(): Promise<boolean>;
}
