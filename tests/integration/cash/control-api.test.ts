import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildControlServer } from '../../../simulators/devices/control-server.js';
import { emulatorFactories } from '../../../simulators/devices/registry.js';
import type { DeviceEmulator } from '../../../simulators/devices/emulator.js';
import { CcnetBillValidator } from '../../../drivers/cash-acceptor/ccnet-driver.js';
import { SerialTransport } from '../../../drivers/common/serial-transport.js';
import { until } from './ccnet-harness.js';

const run = promisify(execFile);

describe('cash devices through the control API and the technician CLI', () => {
  let dir: string;
  let emulators: DeviceEmulator[];
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cash-api-'));
    emulators = emulatorFactories.map((make) => make({ runDir: dir }));
    for (const e of emulators) await e.start();
    app = buildControlServer({ emulators });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    for (const e of emulators ?? []) await e.stop();
    for (const e of emulators ?? []) if ('dispose' in e && typeof e.dispose === 'function') await (e.dispose as () => Promise<void>)();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('lists both cash devices with their pty endpoints', async () => {
    const devices = (await (await fetch(`${base}/devices`)).json()) as Array<{ kind: string; protocol: string; endpoint: { path: string } }>;
    expect(devices.map((d) => d.kind)).toEqual(expect.arrayContaining(['cashAcceptor', 'dispenser']));
    expect(devices.find((d) => d.kind === 'cashAcceptor')?.endpoint.path).toBe(join(dir, 'cash-acceptor.tty'));
    expect(devices.find((d) => d.kind === 'dispenser')?.endpoint.path).toBe(join(dir, 'dispenser.tty'));
  });

  it('inserts notes, validates bodies and faults', async () => {
    expect((await post('/cash-acceptor/insert', { denomination: 1000 })).status).toBe(409); // not enabled yet
    expect((await post('/cash-acceptor/insert', { denomination: -5 })).status).toBe(400);
    expect((await post('/faults', { device: 'cashAcceptor', fault: 'meltdown' })).status).toBe(400);
    const driver = new CcnetBillValidator({ transport: new SerialTransport({ path: join(dir, 'cash-acceptor.tty'), baudRate: 9600 }) });
    const escrows: number[] = [];
    driver.on('escrow', ({ denomination }) => escrows.push(denomination));
    try {
      await driver.open();
      await until('online', () => driver.status().link === 'online', 10_000);
      await driver.enable([100_000]);
      await until('idling', () => driver.status().state === 'idling');
      expect((await post('/cash-acceptor/insert', { denomination: 1000 })).status).toBe(200);
      await until('escrow', () => escrows.length === 1);
      expect(escrows).toEqual([100_000]);
      await driver.return();
      await until('idling', () => driver.status().state === 'idling');
      expect((await post('/faults', { device: 'cashAcceptor', fault: 'jamCassette' })).status).toBe(200);
      await until('jammed', () => driver.status().state === 'jammed');
      expect((await fetch(`${base}/faults`, { method: 'DELETE' })).status).toBe(200);
      await until('idling again', () => driver.status().state === 'idling');
    } finally {
      await driver.close();
    }
  });

  it('loads the dispenser and refuses a take with nothing presented', async () => {
    const load = await post('/dispenser/load', { cassettes: [{ denomination: 2000, count: 30 }, { denomination: 5000, count: 12 }] });
    expect(load.status).toBe(200);
    const devices = (await (await fetch(`${base}/devices`)).json()) as Array<{ kind: string; state: { cassettes: unknown } }>;
    expect(devices.find((d) => d.kind === 'dispenser')?.state.cassettes).toEqual([
      { position: 'upper', denomination: 2000, count: 30, present: true },
      { position: 'lower', denomination: 5000, count: 12, present: true },
    ]);
    expect((await post('/dispenser/load', { cassettes: [] })).status).toBe(400);
    expect((await post('/dispenser/take', {})).status).toBe(409);
  });

  it('the technician CLI reads both devices', async () => {
    const env = { ...process.env, SIM_RUN_DIR: dir };
    const acceptor = await run('npx', ['tsx', 'scripts/device.ts', 'cash-acceptor', 'status'], { env, timeout: 30_000 });
    expect(acceptor.stdout).toMatch(/bill table: 200 KZT, 500 KZT, 1000 KZT, 2000 KZT, 5000 KZT, 10000 KZT, 20000 KZT/);
    const disp = await run('npx', ['tsx', 'scripts/device.ts', 'dispenser', 'status', '--upper_denomination', '2000', '--lower_denomination', '5000'], { env, timeout: 30_000 });
    expect(disp.stdout).toMatch(/cassette 0 \(upper\): 2000 KZT ok/);
    // the factory default and the config default agree: a stock LCDM, no presenter
    expect(disp.stdout).toMatch(/no presenter: notes counted at the exit are paid out/);
  });
});
