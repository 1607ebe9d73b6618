import { describe, expect, it } from 'vitest';
import { decodeCabinetState, encodeCabinetState, encodeGetState, isGetState } from '../../../drivers/cabinet/cab-hid-codec.js';

describe('CAB-HID 1', () => {
  it('STATE report bytes', () => {
    const r = encodeCabinetState({ serviceSwitchOpen: true, safeDoorOpen: false, counter: 7 });
    expect([...r]).toEqual([0x01, 0x01, 0x01, 0x07, 0, 0, 0, 0]);
    expect([...encodeCabinetState({ serviceSwitchOpen: true, safeDoorOpen: true, counter: 256 })]).toEqual([0x01, 0x01, 0x03, 0x00, 0, 0, 0, 0]);
    expect(decodeCabinetState(r)).toEqual({ ok: true, state: { serviceSwitchOpen: true, safeDoorOpen: false, counter: 7 } });
  });

  it.each([
    ['length', Uint8Array.of(1, 1, 1, 0)],
    ['report id', Uint8Array.of(2, 1, 1, 0, 0, 0, 0, 0)],
    ['version', Uint8Array.of(1, 2, 1, 0, 0, 0, 0, 0)],
    ['reserved bit', Uint8Array.of(1, 1, 4, 0, 0, 0, 0, 0)],
    ['padding', Uint8Array.of(1, 1, 1, 0, 0, 0, 0, 9)],
  ])('rejects a bad %s', (_what, r) => expect(decodeCabinetState(r).ok).toBe(false));

  it('GET_STATE request', () => {
    expect([...encodeGetState()]).toEqual([0x02, 0x01, 0, 0, 0, 0, 0, 0]);
    expect(isGetState(encodeGetState())).toBe(true);
    expect(isGetState(Uint8Array.of(0x02, 0x01, 0, 0, 0, 0, 0, 1))).toBe(false);
  });
});
