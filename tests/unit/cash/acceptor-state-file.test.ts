/**
 * What of an emulated bill acceptor outlives its process: the cash box and a note caught in the
 * transport, in a real file written on every change and read at the next start (fake time for the
 * mechanism, a real temp folder for the file).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AcceptorStateFile, keepAcrossRestarts } from '../../../simulators/devices/cash-acceptor/acceptor-state-file.js';
import { CcnetValidator, defaultTiming } from '../../../simulators/devices/cash-acceptor/ccnet-validator.js';
import { Id003Acceptor, defaultId003Timing } from '../../../simulators/devices/cash-acceptor/id003-acceptor.js';
import { Cmd, encodeTypeMask } from '../../../drivers/cash-acceptor/ccnet-codec.js';
import { Cmd as IdCmd } from '../../../drivers/cash-acceptor/id003-codec.js';

const none = new Uint8Array();
const poll = (v: CcnetValidator): string => Buffer.from(v.pollBody()).toString('hex');

let dir: string;
let path: string;
const alive: Array<{ dispose(): void }> = [];

beforeEach(async () => {
  vi.useFakeTimers();
  dir = await mkdtemp(join(tmpdir(), 'acceptor-state-'));
  path = join(dir, 'cash-acceptor.state.json');
});

afterEach(async () => {
  for (const a of alive.splice(0)) a.dispose();
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const saved = async (): Promise<unknown> => JSON.parse(await readFile(path, 'utf8'));

describe('CCNET validator kept across restarts', () => {
  function start(): CcnetValidator {
    const v = new CcnetValidator(defaultTiming);
    alive.push(v);
    keepAcrossRestarts(v, new AcceptorStateFile(path));
    return v;
  }

  async function accepting(v: CcnetValidator): Promise<void> {
    v.command(Cmd.reset, none);
    await vi.advanceTimersByTimeAsync(defaultTiming.initMs);
    const all = [0, 1, 2, 3, 4, 5, 6];
    v.command(Cmd.enableBillTypes, Uint8Array.from([...encodeTypeMask(all), ...encodeTypeMask(all)]));
    expect(poll(v)).toBe('14');
  }

  async function stackOne(v: CcnetValidator, tiyn: number): Promise<void> {
    v.insert({ denomination: tiyn });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    v.command(Cmd.stack, none);
    await vi.advanceTimersByTimeAsync(defaultTiming.stackMs);
    expect(poll(v).slice(0, 2)).toBe('81');
    v.pollAcked();
  }

  it('a new file starts with an empty box and a plain power-up', async () => {
    const v = start();
    expect(poll(v)).toBe('10');
    expect(await saved()).toEqual({ cashBox: {} });
  });

  it('killed while stacking: back with the box as it was and 12; RESET stores the note once, reported 81', async () => {
    const first = start();
    await accepting(first);
    await stackOne(first, 200_000);
    expect(await saved()).toEqual({ cashBox: { 200000: 1 } });
    first.insert({ denomination: 500_000 });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    expect(await saved()).toEqual({ cashBox: { 200000: 1 }, noteInPath: { where: 'validator', billType: 4 } });
    first.stackDelayMs = 60_000;
    first.command(Cmd.stack, none);
    expect(await saved()).toEqual({ cashBox: { 200000: 1 }, noteInPath: { where: 'stacker', billType: 4 } });
    first.dispose(); // the process dies: nothing more is written

    const back = start();
    expect(poll(back)).toBe('12');
    expect(back.cashBox).toEqual(new Map([[200_000, 1]]));
    back.command(Cmd.reset, none);
    expect(await saved()).toEqual({ cashBox: { 200000: 1, 500000: 1 } });
    await vi.advanceTimersByTimeAsync(defaultTiming.initMs);
    expect(poll(back)).toBe('8104');
    expect(back.cashBox).toEqual(new Map([[200_000, 1], [500_000, 1]]));
  });

  it('killed with a note in escrow: back with 11; RESET hands it back and the box is unchanged', async () => {
    const first = start();
    await accepting(first);
    first.insert({ denomination: 100_000 });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    first.dispose();

    const back = start();
    expect(poll(back)).toBe('11');
    back.command(Cmd.reset, none);
    await vi.advanceTimersByTimeAsync(defaultTiming.initMs);
    expect(poll(back)).toBe('19');
    expect(back.cashBox.size).toBe(0);
    expect(await saved()).toEqual({ cashBox: {} });
  });

  it('a damaged file is an error, never an empty box', async () => {
    await writeFile(path, JSON.stringify({ cashBox: { 500000: -1 } }));
    expect(() => start()).toThrow(/not valid/);
  });
});

describe('ID003 acceptor kept across restarts', () => {
  function start(): Id003Acceptor {
    const a = new Id003Acceptor(defaultId003Timing);
    alive.push(a);
    keepAcrossRestarts(a, new AcceptorStateFile(path));
    return a;
  }

  it('killed while stacking: back with the box as it was and 42; RESET stores the note once', async () => {
    const first = start();
    first.command(IdCmd.reset, none);
    await vi.advanceTimersByTimeAsync(defaultId003Timing.initMs);
    first.command(IdCmd.setInhibit, Uint8Array.of(0));
    expect(first.status().kind).toBe('idling');
    first.insert({ denomination: 500_000 });
    await vi.advanceTimersByTimeAsync(defaultId003Timing.acceptMs);
    expect(first.status()).toEqual({ kind: 'escrow', escrowCode: 0x65 });
    first.stackDelayMs = 60_000;
    first.command(IdCmd.stack1, none);
    expect(await saved()).toEqual({ cashBox: {}, noteInPath: { where: 'stacker', billType: 4 } });
    first.dispose();

    const back = start();
    expect(back.status()).toEqual({ kind: 'powerUp', billIn: 'stacker' });
    back.command(IdCmd.reset, none);
    expect(back.cashBox).toEqual(new Map([[500_000, 1]]));
    expect(await saved()).toEqual({ cashBox: { 500000: 1 } });
    await vi.advanceTimersByTimeAsync(defaultId003Timing.initMs);
    expect(back.status().kind).toBe('disabled');
    expect(back.cashBox).toEqual(new Map([[500_000, 1]]));
  });
});
