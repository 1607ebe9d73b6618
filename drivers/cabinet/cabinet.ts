/**
 * Cabinet sensors: the technician's service switch and the safe door. The core enters service
 * mode on `serviceSwitch {open: true}`; a safe door opening outside service mode is an alarm.
 */
import type { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../common/device.js';

export interface CabinetEvents {
  online: Record<string, never>;
  offline: { reason: string };
  /** on the first state read after connecting, then on every change */
  serviceSwitch: { open: boolean };
  safeDoor: { open: boolean };
}

export interface CabinetStatus extends DeviceStatusBase {
  /** undefined until the board has reported */
  serviceSwitchOpen?: boolean;
  safeDoorOpen?: boolean;
}

export interface CabinetSensors extends TypedEmitter<CabinetEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  status(): CabinetStatus;
  /** asks the board for its state now; resolves when it answered (rejects after a timeout) */
  refresh(): Promise<void>;
}
