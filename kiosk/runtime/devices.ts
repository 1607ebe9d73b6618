/**
 * The terminal's devices for the session: the device runtime's driver set (kiosk/devices) plus
 * the cassette denominations service mode and the note planner need.
 */
import type { KioskConfig } from '../config/schema.js';
import { createDevices, DEFAULT_CASSETTES, type DeviceSet } from '../devices/create-devices.js';

export interface KioskDevices extends DeviceSet {
  /** cassette denominations, upper (0) and lower (1) */
  cassetteDenominations: readonly [number, number];
}

export function buildDevices(config: KioskConfig, options: { cassetteDenominations?: readonly [number, number] } = {}): KioskDevices {
  const cassetteDenominations = options.cassetteDenominations ?? DEFAULT_CASSETTES;
  const set = createDevices({ config, cassetteDenominations });
  return Object.assign(set, { cassetteDenominations });
}
