import { afterEach, describe, expect, it } from 'vitest';
import { sleep, until } from './ccnet-harness.js';
import { makeId003Rig, type Id003Rig } from './id003-harness.js';
import { createDevices } from '../../../kiosk/devices/create-devices.js';
import { Id003BillAcceptor } from '../../../drivers/cash-acceptor/id003-driver.js';
import { CcnetBillValidator } from '../../../drivers/cash-acceptor/ccnet-driver.js';

const T1000 = 100_000;
const T5000 = 500_000;
const KZT = [20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000];

describe('ID003 driver against the acceptor emulator over a pty', () => {
  let rig: Id003Rig;
  afterEach(async () => rig?.close());

  const names = (): string[] => rig.events.map((e) => e.name);
  const count = (n: string): number => rig.events.filter((e) => e.name === n).length;

  async function online(denominations: number[] = KZT): Promise<void> {
    await rig.driver.open();
    await until('online', () => rig.driver.status().link === 'online');
    await rig.driver.enable(denominations);
    await until('idling', () => rig.driver.status().state === 'idling');
  }

  it('initialises with RESET and the settings, reads the currency table and version, stays inhibited', async () => {
    rig = await makeId003Rig();
    await rig.driver.open();
    await until('online', () => rig.driver.status().link === 'online');
    const s = rig.driver.status();
    expect(s.billTable).toEqual(KZT);
    expect(s.model).toMatch(/ID003/);
    expect(s.state).toBe('disabled');
    expect(rig.emu.state()).toMatchObject({ state: 'disabled', inhibited: true });
    expect(rig.emu.insert({ denomination: 1000 })).toMatch(/disabled/);
    expect(rig.events[0]?.name).toBe('online');
  });

  it('accepts a note into escrow, stacks it only when told, credits on VEND VALID once', async () => {
    rig = await makeId003Rig();
    await online();
    expect(rig.emu.insert({ denomination: 1000 })).toBeUndefined();
    await until('escrow', () => count('escrow') === 1);
    expect(rig.driver.status()).toMatchObject({ state: 'escrow', escrow: T1000 });
    await sleep(500); // the driver never stacks on its own
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
    await rig.driver.stack();
    await until('stacked', () => count('stacked') === 1);
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(rig.events.find((e) => e.name === 'stacked')?.payload).toEqual({ denomination: T1000 });
    expect(rig.emu.state().cashBox).toEqual({ '1000': 1 });
    expect(rig.driver.status().escrow).toBeUndefined();
    expect(names()).toEqual(['online', 'escrow', 'stacked']);
  });

  it('STACK-2 also stacks', async () => {
    rig = await makeId003Rig({ stackCommand: 'stack2' });
    await online();
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.stack();
    await until('stacked', () => count('stacked') === 1);
    expect(rig.emu.state().cashBox).toEqual({ '5000': 1 });
  });

  it('a STACK whose ACK is lost still stacks once: the refused re-send is not an error', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.setFault('loseReply', { command: 0x41 });
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.stack();
    expect(rig.driver.stats.timeouts).toBeGreaterThan(0);
    await until('stacked', () => count('stacked') === 1);
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(count('stacked')).toBe(1);
    expect(rig.emu.state().cashBox).toEqual({ '1000': 1 });
  });

  it('returns a note from escrow: returned once, never stacked', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.return();
    await until('returned', () => count('returned') === 1);
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(rig.events.find((e) => e.name === 'returned')?.payload).toEqual({ denomination: T5000 });
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
    await expect(rig.driver.stack()).rejects.toThrow(/no note in escrow/);
  });

  it('reject reasons: a forgery, an unknown note and a denomination the mask disables', async () => {
    rig = await makeId003Rig();
    await online([T1000, T5000]); // a new mask: the driver re-initialises to set it
    expect(rig.emu.state().enabledTypes).toEqual([2, 4]);
    rig.emu.insert({ counterfeit: true });
    await until('reject', () => count('rejected') === 1);
    expect(rig.events.find((e) => e.name === 'rejected')?.payload).toEqual({ reason: 'optic' });
    await until('idling', () => rig.driver.status().state === 'idling');
    rig.emu.insert({ denomination: 2000 });
    await until('second reject', () => count('rejected') === 2);
    expect(rig.events.filter((e) => e.name === 'rejected')[1]?.payload).toEqual({ reason: 'inhibit' });
    await until('idling', () => rig.driver.status().state === 'idling');
    rig.emu.insert({ denomination: 3000 });
    await until('third reject', () => count('rejected') === 3);
    expect(rig.events.filter((e) => e.name === 'rejected')[2]?.payload).toEqual({ reason: 'identification' });
    expect(count('escrow')).toBe(0);
    await rig.driver.disable();
    await until('disabled', () => rig.driver.status().state === 'disabled');
    expect(rig.emu.insert({ denomination: 1000 })).toMatch(/disabled/);
    await expect(rig.driver.enable([12_345])).rejects.toThrow(/currency table/);
  });

  it('holds a note past the escrow limit until told', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.hold();
    await sleep(2_500); // the device alone would hand it back after 1.5 s
    expect(count('returned')).toBe(0);
    expect(['holding', 'escrow']).toContain(rig.driver.status().state);
    await rig.driver.stack();
    await until('stacked', () => count('stacked') === 1);
  });

  it('a lost STACK: the device hands the note back at its escrow limit, reported returned', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.setFault('dropStack');
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    await expect(rig.driver.stack()).rejects.toThrow(/no valid reply/);
    await until('auto return', () => count('returned') === 1, 5_000);
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
  });

  it('the escrow limit for a host that stops asking: 3 s (here 1.2 s) without STATUS REQUEST returns the note', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.close(); // the host dies
    await until('device returned it', () => rig.emu.state().state === 'disabled' || rig.emu.state().state === 'idling', 4_000);
    expect(rig.emu.state().cashBox).toEqual({});
  });

  it('reports jams and stacker faults once and recovers', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.setFault('jamValidator');
    await until('jammed', () => count('jammed') === 1);
    await sleep(400);
    expect(count('jammed')).toBe(1);
    expect(rig.driver.status().fault?.code).toBe('jam.validator');
    rig.emu.clearFaults();
    await until('idling', () => rig.driver.status().state === 'idling');
    expect(rig.driver.status().fault).toBeUndefined();
    for (const [fault, event] of [['jamCassette', 'jammed'], ['cassetteFull', 'cassetteFull'], ['cassetteRemoved', 'cassetteRemoved'], ['cheated', 'cheated'], ['failure', 'failure']] as const) {
      const before = count(event);
      rig.emu.setFault(fault);
      await until(fault, () => count(event) === before + 1);
      rig.emu.clearFaults();
      await until('idling', () => rig.driver.status().state === 'idling');
    }
    expect(rig.events.find((e) => e.name === 'failure')?.payload).toEqual({ code: 'failure.0xa2', message: 'stack motor failure' });
  });

  it('survives corrupted CRCs and garbage with no false events', async () => {
    rig = await makeId003Rig();
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
    expect(rig.emu.state().cashBox).toEqual({ '5000': 1 });
  });

  it('goes offline when the device falls silent or too slow, and comes back re-enabled', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.setFault('slow', { ms: 40 });
    await sleep(600);
    expect(count('offline')).toBe(0);
    rig.emu.clearFaults();
    rig.emu.setFault('noResponse');
    await until('offline', () => count('offline') === 1);
    rig.emu.clearFaults();
    await until('online again', () => count('online') === 2, 8_000);
    await until('re-enabled', () => rig.driver.status().state === 'idling');
  });

  it('acceptance only inside a cash-in: a power cycle after disable() leaves it inhibited', async () => {
    rig = await makeId003Rig();
    await online();
    await rig.driver.disable();
    rig.emu.setFault('powerCycle');
    await until('online again', () => count('online') === 2, 8_000);
    await sleep(400);
    expect(rig.emu.state()).toMatchObject({ inhibited: true });
    expect(rig.driver.status().state).toBe('disabled');
  });

  it('after a host crash finds the note still in escrow and holds it for reconciliation', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.close();
    const next = rig.newDriver({ billTable: KZT.map((denomination, billType) => ({ billType, denomination })) });
    await next.open();
    await until('online', () => next.status().link === 'online');
    // the driver HOLDs the note at once: a poll after the HOLD reports "holding", one before it "escrow"
    expect(next.status()).toMatchObject({ state: expect.stringMatching(/^(escrow|holding)$/), escrow: T5000, escrowBillType: 4, escrowFoundAtOpen: true });
    await sleep(2_000); // past the device's own escrow limit: the driver holds it
    expect(rig.emu.state().escrow).toBe(5000);
    await next.return();
    await until('returned', () => count('returned') === 1);
    expect(rig.emu.state().cashBox).toEqual({});
  });

  it('power cut with a bill in escrow: 41 at power-up, RESET hands it back, reported returned with its value', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.insert({ denomination: 1000 });
    await until('escrow', () => count('escrow') === 1);
    rig.emu.setFault('powerCycle');
    await until('back online', () => count('online') === 2, 8_000);
    expect(rig.driver.status()).toMatchObject({ billInPathAtPowerUp: 'validator', noteSettledAtOpen: { outcome: 'returned', denomination: T1000 } });
    await until('re-enabled', () => rig.driver.status().state === 'idling');
    expect(count('stacked')).toBe(0);
    expect(rig.emu.state().cashBox).toEqual({});
  });

  it('power cut with a bill in the stacker: 42 at power-up, RESET stores it, counted once', async () => {
    rig = await makeId003Rig();
    await online();
    rig.emu.setFault('slowStack', { ms: 5_000 });
    rig.emu.insert({ denomination: 5000 });
    await until('escrow', () => count('escrow') === 1);
    await rig.driver.stack();
    await until('stacking', () => rig.emu.state().state === 'stacking');
    rig.emu.setFault('powerCycle');
    rig.emu.clearFaults();
    await until('back online', () => count('online') === 2, 8_000);
    expect(rig.driver.status()).toMatchObject({ billInPathAtPowerUp: 'stacker', noteSettledAtOpen: { outcome: 'stacked', denomination: T5000 } });
    expect(rig.emu.state().cashBox).toEqual({ '5000': 1 });
    await sleep(500);
    expect(rig.emu.state().cashBox).toEqual({ '5000': 1 });
  });
});

describe('devices.cashAcceptor.protocol', () => {
  let rig: Id003Rig | undefined;
  afterEach(async () => rig?.close());

  it('"id003" makes createDevices build the ID003 driver on an 8E1 line, and it talks to the ID003 emulator', async () => {
    rig = await makeId003Rig();
    const base = { dataDir: rig.dir, card: { tokenKey: 'k'.repeat(32) } };
    const hid = { transport: 'socket' as const };
    const serial = { baudRate: 9600 };
    const set = createDevices({
      config: {
        ...base,
        devices: {
          cashAcceptor: { ...serial, path: rig.emu.endpoint.path, protocol: 'id003' },
          dispenser: serial, printer: serial, cardReader: hid, palm: hid, cabinet: hid,
        },
      },
      tuning: { cashAcceptor: { pollIntervalMs: 100 } },
    });
    expect(set.cashAcceptor).toBeInstanceOf(Id003BillAcceptor);
    try {
      await set.cashAcceptor.open();
      await until('online', () => set.cashAcceptor.status().link === 'online');
      expect(set.cashAcceptor.status().billTable).toEqual(KZT);
    } finally {
      await set.cashAcceptor.close();
    }
    const ccnet = createDevices({ config: { ...base, devices: { cashAcceptor: serial, dispenser: serial, printer: serial, cardReader: hid, palm: hid, cabinet: hid } } });
    expect(ccnet.cashAcceptor).toBeInstanceOf(CcnetBillValidator);
  });
});
