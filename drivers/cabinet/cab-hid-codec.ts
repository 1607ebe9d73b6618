/**
 * "CAB-HID 1", the project's report protocol for the cabinet sensor board (service switch and
 * safe door contacts). Two 8-byte reports, report ID at byte 0, unused bytes 00:
 *
 *   01 device -> host  STATE: [1] protocol version 01, [2] sensor bits (bit 0 service switch
 *                       open, bit 1 safe door open, bits 2-7 zero), [3] change counter (u8,
 *                       +1 per change, wraps), [4..7] 00
 *   02 host -> device  GET_STATE: [1] 01, [2..7] 00; the board answers with a STATE report
 *
 * The board sends STATE on every change (debounced on the board) and when asked.
 */

export const CAB_REPORT_LENGTH = 8;
export const CAB_PROTOCOL_VERSION = 0x01;
const STATE_ID = 0x01;
const REQUEST_ID = 0x02;
const GET_STATE = 0x01;
const SERVICE_SWITCH_BIT = 0x01;
const SAFE_DOOR_BIT = 0x02;

export interface CabinetState {
  serviceSwitchOpen: boolean;
  safeDoorOpen: boolean;
  counter: number;
}

function zeroFrom(report: Uint8Array, from: number): boolean {
  for (let i = from; i < report.length; i++) if (report[i] !== 0) return false;
  return true;
}

export function encodeCabinetState(state: CabinetState): Uint8Array {
  const report = new Uint8Array(CAB_REPORT_LENGTH);
  report[0] = STATE_ID;
  report[1] = CAB_PROTOCOL_VERSION;
  report[2] = (state.serviceSwitchOpen ? SERVICE_SWITCH_BIT : 0) | (state.safeDoorOpen ? SAFE_DOOR_BIT : 0);
  report[3] = state.counter & 0xff;
  return report;
}

export function decodeCabinetState(report: Uint8Array): { ok: true; state: CabinetState } | { ok: false; reason: string } {
  if (report.length !== CAB_REPORT_LENGTH) return { ok: false, reason: `report length ${report.length}` };
  if (report[0] !== STATE_ID) return { ok: false, reason: `report id ${report[0]}` };
  if (report[1] !== CAB_PROTOCOL_VERSION) return { ok: false, reason: `protocol version ${report[1]}` };
  const bits = report[2] as number;
  if ((bits & ~(SERVICE_SWITCH_BIT | SAFE_DOOR_BIT)) !== 0) return { ok: false, reason: `reserved sensor bits ${bits.toString(16)}` };
  if (!zeroFrom(report, 4)) return { ok: false, reason: 'non-zero padding' };
  return {
    ok: true,
    state: { serviceSwitchOpen: (bits & SERVICE_SWITCH_BIT) !== 0, safeDoorOpen: (bits & SAFE_DOOR_BIT) !== 0, counter: report[3] as number },
  };
}

export function encodeGetState(): Uint8Array {
  const report = new Uint8Array(CAB_REPORT_LENGTH);
  report[0] = REQUEST_ID;
  report[1] = GET_STATE;
  return report;
}

export function isGetState(report: Uint8Array): boolean {
  return report.length === CAB_REPORT_LENGTH && report[0] === REQUEST_ID && report[1] === GET_STATE && zeroFrom(report, 2);
}
