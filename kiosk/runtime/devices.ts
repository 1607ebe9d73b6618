/**
 * The terminal's devices for the session: the device runtime's driver set (kiosk/devices) plus
 * the cassette denominations service mode and the note planner need.
 */
import type { KioskConfig } from '../config/schema.js';
import { createDevices, type DeviceSet } from '../devices/create-devices.js';

export interface KioskDevices extends DeviceSet {
  /** cassette denominations, upper (0) and lower (1) */
  cassetteDenominations: readonly [number, number];
}

export function buildDevices(config: KioskConfig, options: { cassetteDenominations?: readonly [number, number] } = {}): KioskDevices {
  const cassetteDenominations = options.cassetteDenominations ?? cassetteDenominationsOf(config);
  const set = createDevices({ config, cassetteDenominations });
  return Object.assign(set, { cassetteDenominations });
}

/** the configured cassette denominations (whole tenge in the config) as tiyn, upper then lower */
export function cassetteDenominationsOf(config: Pick<KioskConfig, 'devices'>): readonly [number, number] {
  const [upper, lower] = config.devices.dispenser.cassettesTenge;
  if (upper === undefined || lower === undefined) throw new Error('devices.dispenser.cassettesTenge must name two cassettes');
  return [upper * 100, lower * 100];
}
