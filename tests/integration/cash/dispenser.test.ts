import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DispenserEmulator } from '../../../simulators/devices/dispenser/emulator.js';
import { LcdmDispenser } from '../../../drivers/dispenser/lcdm-driver.js';
import { SerialTransport } from '../../../drivers/common/serial-transport.js';
import { until, sleep } from './ccnet-harness.js';

const T5000 = 500_000;
const T10000 = 1_000_000;

describe('LCDM dispenser driver against the emulator over a pty', () => {
  let dir: string;
  let emu: DispenserEmulator;
  let driver: LcdmDispenser;
  let events: string[];

  async function setup(options: { replyTimeoutMs?: number } = {}): Promise<void> {
    dir = await mkdtemp(join(tmpdir(), 'lcdm-it-'));
    emu = new DispenserEmulator({ runDir: dir, perNoteMs: 10 });
    await emu.start();
    emu.load([{ denomination: 5000, count: 50 }, { denomination: 10000, count: 40 }]);
    const transport = new SerialTransport({ path: emu.endpoint.path, baudRate: 9600, backoffMs: 100 });
    driver = new LcdmDispenser({ transport, denominations: [T5000, T10000], presenter: true, statusIntervalMs: 300, takenPollMs: 100, replyTimeoutMs: options.replyTimeoutMs ?? 2_000 });
    events = [];
    for (const e of ['online', 'offline', 'taken', 'failure'] as const) driver.on(e, () => events.push(e));
    await driver.open();
    await until('online', () => driver.status().link === 'online');
  }

  afterEach(async () => {
    await driver?.close();
    await emu?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports cassettes and an empty presenter', async () => {
    await setup();
    const s = await driver.refreshStatus();
    expect(s.cassettes).toEqual([
      { index: 0, denomination: T5000, state: 'ok' },
      { index: 1, denomination: T10000, state: 'ok' },
    ]);
    expect(s.notesInPresenter).toBe(0);
    expect(s.hasPresenter).toBe(true);
  });

  it('dispenses a mix across cassettes, presents, and the customer takes the notes', async () => {
    await setup();
    const r = await driver.dispense([{ cassette: 0, count: 3 }, { cassette: 1, count: 2 }]);
    expect(r).toEqual({
      ok: true,
      perCassette: [
        { cassette: 0, requested: 3, dispensed: 3, rejected: 0 },
        { cassette: 1, requested: 2, dispensed: 2, rejected: 0 },
      ],
    });
    expect(driver.status().notesInPresenter).toBe(5);
    expect(emu.state()).toMatchObject({ presenter: { notes: 5, amount: 35_000, shutterOpen: false } });
    expect(await driver.present()).toBe('presented');
    const res = await fetchTake(emu);
    expect(res).toBeUndefined();
    await until('taken', () => events.includes('taken'));
    expect(events.filter((e) => e === 'taken')).toHaveLength(1);
    expect(driver.status().notesInPresenter).toBe(0);
    expect(emu.state()).toMatchObject({ taken: 5, cassettes: [{ count: 47 }, { count: 38 }] });
  });

  it('a single-cassette dispense with a double pick still pays in full and counts the rejects', async () => {
    await setup();
    emu.setFault('doubleNote', { cassette: 1 });
    const r = await driver.dispense([{ cassette: 1, count: 4 }]);
    expect(r.ok).toBe(true);
    expect(r.perCassette).toEqual([{ cassette: 1, requested: 4, dispensed: 4, rejected: 2 }]);
    expect(emu.state()).toMatchObject({ rejectBin: 2 });
  });

  it('reports a partial dispense per cassette', async () => {
    await setup();
    emu.setFault('partial', { cassette: 0 });
    const r = await driver.dispense([{ cassette: 0, count: 6 }, { cassette: 1, count: 1 }]);
    expect(r.ok).toBe(false);
    expect(r.error).toBe('failure');
    expect(r.perCassette[0]).toEqual({ cassette: 0, requested: 6, dispensed: 3, rejected: 0 });
    expect(r.perCassette[1]?.dispensed).toBe(0);
    expect(driver.status().notesInPresenter).toBe(3);
    expect(events).toContain('failure');
  });

  it('an empty cassette is reported as empty with nothing dispensed', async () => {
    await setup();
    emu.setFault('empty', { cassette: 1 });
    const r = await driver.dispense([{ cassette: 1, count: 2 }]);
    expect(r).toMatchObject({ ok: false, error: 'empty', perCassette: [{ dispensed: 0 }] });
    expect(driver.status().cassettes[1]?.state).toBe('empty');
  });

  it('a jam stops the dispense; purge clears the path', async () => {
    await setup();
    emu.setFault('jam', { cassette: 0 });
    const r = await driver.dispense([{ cassette: 0, count: 4 }]);
    expect(r).toMatchObject({ ok: false, error: 'jam', perCassette: [{ dispensed: 2 }] });
    expect(driver.status().fault?.code).toBe('lcdm.0x33');
    emu.clearFaults();
    await driver.reset();
    expect(emu.state()).toMatchObject({ notesInPath: 0, rejectBin: 1 });
    expect(driver.status().fault).toBeUndefined();
  });

  it('not taken: the notes are retracted', async () => {
    await setup();
    emu.setFault('notTaken');
    await driver.dispense([{ cassette: 1, count: 2 }]);
    expect(await driver.present()).toBe('presented');
    expect(await fetchTake(emu)).toMatch(/does not take/);
    await sleep(400);
    expect(events).not.toContain('taken');
    await expect(driver.dispense([{ cassette: 0, count: 1 }])).rejects.toThrow(/still presented/);
    expect(await driver.retract()).toEqual({ retracted: 2 });
    expect(emu.state()).toMatchObject({ retractBin: 2, presenter: { notes: 0, shutterOpen: false } });
    expect(driver.status().notesInPresenter).toBe(0);
  });

  it('a shutter that does not open is notPresented; a silent device is unknown', async () => {
    await setup();
    await driver.dispense([{ cassette: 0, count: 1 }]);
    emu.setFault('shutterFail');
    expect(await driver.present()).toBe('notPresented');
    emu.clearFaults();
    emu.setFault('noResponse');
    expect(await driver.present()).toBe('unknown');
    await until('offline', () => events.includes('offline'));
    emu.clearFaults();
    await until('online again', () => events.filter((e) => e === 'online').length === 2);
    expect(await driver.present()).toBe('presented');
  });

  it('reports a cassette near its end as low', async () => {
    await setup();
    emu.load([{ denomination: 5000, count: 50 }, { denomination: 10000, count: 4 }]);
    const s = await driver.refreshStatus();
    expect(s.cassettes.map((c) => c.state)).toEqual(['ok', 'low']);
  });

  it('a lost reply is never re-sent; the presenter count tells what came out', async () => {
    await setup();
    emu.setFault('lostReply');
    const r = await driver.dispense([{ cassette: 0, count: 2 }]);
    expect(r).toMatchObject({ ok: false, error: 'timeout', perCassette: [{ cassette: 0, requested: 2, dispensed: 0 }] });
    emu.clearFaults();
    expect(emu.state()).toMatchObject({ cassettes: [{ count: 48 }, { count: 40 }] }); // dispensed once, not twice
    await until('online again', () => driver.status().link === 'online' || events.includes('online'));
    const s = await driver.refreshStatus();
    expect(s.notesInPresenter).toBe(2);
  });

  it('goes offline when the emulator stops and back online when it returns', async () => {
    await setup();
    await emu.stop();
    await until('offline', () => events.includes('offline'));
    await emu.start();
    await until('online again', () => events.filter((e) => e === 'online').length === 2, 10_000);
    expect((await driver.refreshStatus()).cassettes[0]?.state).toBe('ok');
  });

  it('a status question whose link drops is given up at once: online again long before the reply timeout', async () => {
    await setup({ replyTimeoutMs: 30_000 });
    // the next status poll is ACKed and then never answered
    emu.setFault('lostReply');
    const before = driver.stats.exchanges;
    await until('a status question on the wire', () => driver.stats.exchanges > before);
    // its ACK is one byte on a pty: long since in when the module loses power
    await sleep(150);
    await emu.stop();
    await until('offline', () => events.includes('offline'));
    emu.clearFaults();
    await emu.start();
    await until('online again', () => events.filter((e) => e === 'online').length === 2, 10_000);
  });

  it('survives corrupted BCCs in replies', async () => {
    await setup();
    emu.setFault('badBcc', { every: 2 });
    const r = await driver.dispense([{ cassette: 0, count: 2 }, { cassette: 1, count: 1 }]);
    expect(r.ok).toBe(true);
    await driver.refreshStatus();
    expect(driver.stats.bccErrors).toBeGreaterThan(0);
    expect(emu.state()).toMatchObject({ presenter: { notes: 3 } });
  });
});

describe('LCDM driver and emulator as a stock LCDM-1000/2000 (no presenter)', () => {
  let dir: string | undefined;
  let emu: DispenserEmulator | undefined;
  let driver: LcdmDispenser | undefined;

  afterEach(async () => {
    await driver?.close();
    await emu?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    driver = undefined;
    emu = undefined;
    dir = undefined;
  });

  async function setup(presenterDriver: boolean): Promise<{ emu: DispenserEmulator; driver: LcdmDispenser }> {
    dir = await mkdtemp(join(tmpdir(), 'lcdm-stock-'));
    emu = new DispenserEmulator({ runDir: dir, perNoteMs: 10, presenter: false });
    await emu.start();
    emu.load([{ denomination: 5000, count: 50 }, { denomination: 10000, count: 40 }]);
    const transport = new SerialTransport({ path: emu.endpoint.path, baudRate: 9600, backoffMs: 100 });
    driver = new LcdmDispenser({ transport, denominations: [T5000, T10000], presenter: presenterDriver, statusIntervalMs: 200, takenPollMs: 100, replyTimeoutMs: 2_000, ackTimeoutMs: 300 });
    await driver.open();
    return { emu, driver };
  }

  it('pays out: the exit count is the customer\'s at once, nothing outside the LCDM set goes out, no retract', async () => {
    const { emu, driver } = await setup(false);
    await until('online', () => driver.status().link === 'online');
    const taken: string[] = [];
    driver.on('taken', () => taken.push('taken'));
    const r = await driver.dispense([{ cassette: 0, count: 2 }, { cassette: 1, count: 1 }]);
    expect(r.ok).toBe(true);
    expect(await driver.present()).toBe('presented');
    expect(driver.status()).toMatchObject({ hasPresenter: false, notesInPresenter: 0 });
    await expect(driver.retract()).rejects.toThrow(/no presenter/);
    // a later dispense is not held back by notes lying in the exit slot: nothing senses them
    expect((await driver.dispense([{ cassette: 0, count: 1 }])).ok).toBe(true);
    // more status polls: the link stays online and the module never had to NAK a command
    const polls = driver.stats.exchanges;
    await until('status polls', () => driver.stats.exchanges >= polls + 3);
    expect(driver.status().link).toBe('online');
    expect(emu.state()).toMatchObject({ exitSlot: { notes: 4, amount: 25_000 }, refusedCommands: [], retractBin: 0 });
    expect(taken).toEqual([]);
    expect(await fetchTake(emu)).toBeUndefined();
    expect(emu.state()).toMatchObject({ exitSlot: { notes: 0 }, taken: 4 });
  });

  it('NAKs the presenter commands: a driver that expects a presenter never brings the device online', async () => {
    const { emu, driver } = await setup(true);
    await until('the presenter status NAKed', () => (emu.state().refusedCommands as number[]).includes(0x72));
    expect(driver.status().link).not.toBe('online');
  });
});

/** the customer's hand, as the control API's POST /dispenser/take does it */
async function fetchTake(emu: DispenserEmulator): Promise<string | undefined> {
  return emu.device.take();
}
