import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, sleep, until, type Rig } from './ccnet-harness.js';

const T1000 = 100_000;
const T5000 = 500_000;

describe('CCNET driver against the validator emulator over a pty', () => {
  let rig: Rig;
  afterEach(async () => rig?.close());

  const names = (): string[] => rig.events.map((e) => e.name);
  const count = (n: string): number => rig.events.filter((e) => e.name === n).length;

  async function online(): Promise<void> {
    await rig.driver.open();
    await until('online', () => rig.driver.status().link === 'online');
    await rig.driver.enable([T1000, T5000]);
    await until('idling', () => rig.driver.status().state === 'idling');
  }

  it('initialises, reads the bill table and identification', async () => {
    rig = await makeRig();
    await rig.driver.open();
    await until('online', () => rig.driver.status().link === 'online');
    const s = rig.driver.status();
    expect(s.billTable).toEqual([20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000]);
    expect(s.model).toBe('SM-KZ1706');
    expect(s.state).toBe('disabled');
    expect(rig.events[0]).toEqual({ name: 'online', payload: { model: 'SM-KZ1706', serial: '41K0000001' } });
  });

  it('accepts a note into escrow and stacks it only when told', async () => {
    rig = await makeRig();
    await online();
    expect(rig.emu.insert({ denomination: 1000 })).toBeUndefined();
    await until('escrow', () => count('escrow') === 1);
    expect(rig.driver.status().escrow).toBe(T1000);
    await sleep(500); // the driver never stacks on its own
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
    await rig.driver.stack();
    await until('stacked', () => count('stacked') === 1);
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(rig.events.find((e) => e.name === 'stacked')?.payload).toEqual({ denomination: T1000 });
    expect(rig.emu.state().cashBox).toEqual({ '1000': 1 });
    expect(rig.driver.status().escrow).toBeUndefined();
  });

  it('a STACK whose ACK is lost on the line still stacks once: the refused re-send is not an error', async () => {
    rig = await makeRig();
    await online();
    rig.emu.setFault('loseReply', { command: 0x35 });
    expect(rig.emu.insert({ denomination: 1000 })).toBeUndefined();
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.stack(); // the first STACK met silence; the device refused the re-sent one as illegal
    expect(rig.driver.stats.timeouts).toBeGreaterThan(0);
    await until('stacked', () => count('stacked') === 1);
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(count('stacked')).toBe(1);
    expect(rig.emu.state().cashBox).toEqual({ '1000': 1 });
    expect(rig.emu.state().activeFaults).toEqual([]);
  });

  it('a RETURN refused as illegal without a lost reply is still an error', async () => {
    rig = await makeRig();
    await online();
    expect(rig.emu.insert({ denomination: 1000 })).toBeUndefined();
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.stack();
    // the driver still believes the note is in escrow for a moment; the device already refuses RETURN
    await expect(rig.driver.return()).rejects.toThrow(/illegal now|no note in escrow/);
    await until('stacked', () => count('stacked') === 1);
    expect(count('returned')).toBe(0);
  });

  it('returns a note from escrow', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.return();
    await until('returned', () => count('returned') === 1);
    expect(rig.events.find((e) => e.name === 'returned')?.payload).toEqual({ denomination: T5000 });
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
    await expect(rig.driver.stack()).rejects.toThrow(/no note in escrow/);
  });

  it('rejects a counterfeit and refuses a disabled denomination', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ counterfeit: true });
    await until('reject', () => count('rejected') === 1);
    expect(rig.events.find((e) => e.name === 'rejected')?.payload).toEqual({ reason: 'verification' });
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(rig.emu.insert({ denomination: 2000 })).toBeUndefined(); // 2000 is not enabled
    await until('second reject', () => count('rejected') === 2);
    expect(rig.events.filter((e) => e.name === 'rejected')[1]?.payload).toEqual({ reason: 'inhibit' });
    expect(count('escrow')).toBe(0);
    await rig.driver.disable();
    await until('disabled', () => rig.driver.status().state === 'disabled');
    expect(rig.emu.insert({ denomination: 1000 })).toMatch(/disabled/);
    await expect(rig.driver.enable([12_345])).rejects.toThrow(/bill table/);
  });

  it('holds a note past the device escrow timeout until told', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.hold();
    await sleep(2_500); // device alone would hand it back after 1.5 s
    expect(count('returned')).toBe(0);
    expect(['holding', 'escrow']).toContain(rig.driver.status().state);
    await rig.driver.stack();
    await until('stacked', () => count('stacked') === 1);
  });

  it('without hold the device hands the note back after its escrow timeout', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    await until('auto return', () => count('returned') === 1, 4_000);
    expect(count('stacked')).toBe(0);
  });

  it('reports a jam once and recovers when it is cleared', async () => {
    rig = await makeRig();
    await online();
    rig.emu.setFault('jamValidator');
    await until('jammed', () => count('jammed') === 1);
    await sleep(500);
    expect(count('jammed')).toBe(1); // once per transition, not per poll
    expect(rig.driver.status().fault?.code).toBe('jam.validator');
    rig.emu.clearFaults();
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(rig.driver.status().fault).toBeUndefined();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    rig.emu.setFault('cassetteFull');
    await until('cassette full', () => count('cassetteFull') === 1);
    rig.emu.clearFaults();
    rig.emu.setFault('cassetteRemoved');
    await until('cassette removed', () => count('cassetteRemoved') === 1);
    rig.emu.clearFaults();
  });

  it('survives corrupted CRCs and garbage with no false events', async () => {
    rig = await makeRig();
    await online();
    rig.emu.setFault('badCrc', { every: 3 });
    rig.emu.setFault('garbage', { bytes: 9 });
    await sleep(800);
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1, 8_000);
    await rig.driver.stack();
    await until('stacked', () => count('stacked') === 1, 8_000);
    await sleep(800);
    rig.emu.clearFaults();
    expect(names()).toEqual(['online', 'escrow', 'stacked']);
    expect(rig.driver.stats.crcErrors).toBeGreaterThan(0);
    expect(rig.driver.stats.garbage).toBeGreaterThan(0);
    expect(rig.emu.state().cashBox).toEqual({ '5000': 1 });
  });

  it('goes offline when the device falls silent and comes back online', async () => {
    rig = await makeRig();
    await online();
    rig.emu.setFault('noResponse');
    await until('offline', () => count('offline') === 1);
    rig.emu.clearFaults();
    await until('online again', () => count('online') === 2);
    await until('re-enabled', () => rig.driver.status().state === 'idling');
  });

  it('slow replies inside the reply window are fine; beyond it the device goes offline', async () => {
    rig = await makeRig();
    await online();
    rig.emu.setFault('slow', { ms: 25 });
    await sleep(600);
    expect(count('offline')).toBe(0);
    rig.emu.clearFaults();
    rig.emu.setFault('slow', { ms: 400 });
    await until('offline', () => count('offline') === 1);
    rig.emu.clearFaults();
    await until('online again', () => count('online') === 2, 8_000);
    expect(names().filter((n) => !['online', 'offline'].includes(n))).toEqual([]);
  });

  it('reconnects after the emulator is restarted and re-runs the init sequence', async () => {
    rig = await makeRig();
    await online();
    await rig.emu.stop();
    await until('offline', () => count('offline') === 1);
    rig.emu.setFault('powerCycle');
    await rig.emu.start();
    await until('online again', () => count('online') === 2, 10_000);
    await until('enabled again', () => rig.driver.status().state === 'idling');
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
  });

  it('after a crash finds the note still in escrow and keeps it for reconciliation', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.close(); // the kiosk process dies; the validator keeps the note
    const next = rig.newDriver({ billTable: [{ billType: 4, denomination: T5000 }] });
    await next.open();
    await until('online', () => next.status().link === 'online');
    expect(next.status()).toMatchObject({ state: 'escrow', escrow: T5000, escrowBillType: 4, escrowFoundAtOpen: true });
    await sleep(2_000); // past the device's own escrow timeout: the driver holds it
    expect(rig.emu.state().escrow).toBe(5000);
    await next.stack();
    await until('stacked', () => count('stacked') === 1);
    expect(rig.emu.state().cashBox).toEqual({ '5000': 1 });
    await until('re-initialised', () => next.status().billTable.length === 7, 5_000);
  });

  it('a power cycle mid-escrow is reported as a note in the path at power-up', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    rig.emu.setFault('powerCycle');
    await until('re-initialised', () => rig.driver.status().billInPathAtPowerUp === 'validator' && rig.driver.status().state === 'idling');
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
  });

  it('a note found in escrow and handed back: an enable refused while the validator re-initialises enables nothing afterwards', async () => {
    rig = await makeRig();
    await online();
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.close(); // the kiosk process dies; the validator keeps the note
    const next = rig.newDriver({ billTable: [{ billType: 4, denomination: T5000 }] });
    await next.open();
    await until('online with the note', () => next.status().link === 'online' && next.status().escrowFoundAtOpen === true);
    // start-up reconciliation hands the note back; the driver then re-initialises the validator
    // (its table was never read), slowly enough here for a cash-in to try to start meanwhile
    rig.emu.validator.timing.initMs = 2_000;
    await next.return();
    await until('re-initialising', () => next.status().state === 'initialising');
    await expect(next.enable([T5000])).rejects.toThrow(/bill validator is/);
    await until('re-initialised', () => next.status().billTable.length === 7 && next.status().state === 'disabled', 10_000);
    // the attract screen: nothing enabled, a note offered now is refused at the slot
    await sleep(500);
    expect(next.status().state).toBe('disabled');
    expect(rig.emu.state().enabledTypes).toEqual([]);
    // inside a cash-in that succeeds in enabling, notes are taken again
    await next.enable([T1000]);
    await until('idling', () => next.status().state === 'idling');
    expect(rig.emu.state().enabledTypes).toEqual([2]);
  });
});
