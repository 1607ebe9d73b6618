/**
 * The CCNET driver's word on a note after its link comes back, as the runtime's intent settler
 * reads it: a note the validator handed back while nobody listened is reported at the reconnect
 * (`noteSettledAtOpen`), and forgotten at the next drop, so a later reconnect never repeats it.
 * Real driver, real emulator over a socat pty.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, until, type Rig } from '../cash/ccnet-harness.js';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const offlines = (r: Rig): number => r.events.filter((e) => e.name === 'offline').length;
const onlines = (r: Rig): number => r.events.filter((e) => e.name === 'online').length;

describe('the validator\'s word on a note at a reconnect', () => {
  it('reports a note handed back while the link was down, once', async () => {
    const r = (rig = await makeRig());
    const driver = r.driver;
    await driver.open();
    await until('online', () => driver.status().link === 'online');
    await driver.enable(driver.status().billTable);
    expect(driver.status().noteSettledAtOpen).toBeUndefined();

    r.emu.insert({ denomination: 5000 });
    await until('escrow', () => driver.status().state === 'escrow');
    // the link goes silent; the validator's escrow timeout hands the note back meanwhile
    r.emu.setFault('noResponse');
    await until('offline', () => offlines(r) === 1, 5_000);
    await until('the validator hands the note back', () => (r.emu.state() as { state: string }).state === 'returned', 5_000);
    r.emu.clearFaults();
    await until('online again', () => onlines(r) === 2, 10_000);
    expect(driver.status().noteSettledAtOpen).toEqual({ outcome: 'returned', billType: expect.any(Number), denomination: 500_000 });

    // a second drop and reconnect with nothing in between: no word on any note
    r.emu.setFault('noResponse');
    await until('offline again', () => offlines(r) === 2, 5_000);
    r.emu.clearFaults();
    await until('online a third time', () => onlines(r) === 3, 10_000);
    expect(driver.status().noteSettledAtOpen).toBeUndefined();
  }, 30_000);
});
