/** What every driver reports about its link and health, whatever the protocol. */
export type LinkState = 'closed' | 'connecting' | 'online' | 'offline';

export interface DeviceFault {
  code: string; // stable, machine-readable (e.g. 'jam.validator', 'paperOut')
  message: string; // for logs and the technician, never for money decisions
}

export interface DeviceStatusBase {
  link: LinkState;
  fault?: DeviceFault;
}

/** Amounts and denominations are integer tiyn (domain/money.ts). */
export type { Tiyn } from '../../domain/money.js';
