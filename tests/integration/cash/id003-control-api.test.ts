/**
 * The device simulators' control API with the bill acceptor in ID003: GET /devices names the
 * protocol, and the same routes as for CCNET (insert, faults) drive the ID003 emulator, seen
 * through the real ID003 driver over the pty.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildControlServer } from '../../../simulators/devices/control-server.js';
import { emulatorFactories } from '../../../simulators/devices/registry.js';
import type { DeviceEmulator } from '../../../simulators/devices/emulator.js';
import { Id003BillAcceptor } from '../../../drivers/cash-acceptor/id003-driver.js';
import { SerialTransport } from '../../../drivers/common/serial-transport.js';
import { until } from './ccnet-harness.js';

describe('control API with an ID003 acceptor', () => {
  let dir: string;
  let emulators: DeviceEmulator[];
  let app: FastifyInstance;
  let base: string;
  let driver: Id003BillAcceptor | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'id003-api-'));
    emulators = emulatorFactories.map((make) => make({ runDir: dir, cashAcceptorProtocol: 'id003' }));
    for (const e of emulators) await e.start();
    app = buildControlServer({ emulators });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await driver?.close();
    await app?.close();
    for (const e of emulators ?? []) await e.stop();
    for (const e of emulators ?? []) if ('dispose' in e && typeof e.dispose === 'function') await (e.dispose as () => Promise<void>)();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('reports the protocol and drives the emulator through the shared routes', async () => {
    const devices = (await (await fetch(`${base}/devices`)).json()) as Array<{ kind: string; protocol: string; endpoint: { path: string }; faults: string[] }>;
    const acceptor = devices.find((d) => d.kind === 'cashAcceptor')!;
    expect(acceptor.protocol).toBe('id003');
    expect(acceptor.faults).toEqual(expect.arrayContaining(['jamValidator', 'counterfeit', 'powerCycle', 'loseReply', 'dropStack']));

    driver = new Id003BillAcceptor({
      transport: new SerialTransport({ path: acceptor.endpoint.path, baudRate: 9600, parity: 'even' }),
      pollIntervalMs: 100,
    });
    const events: string[] = [];
    for (const e of ['escrow', 'stacked', 'rejected', 'jammed'] as const) driver.on(e, () => events.push(e));
    await driver.open();
    await until('online', () => driver!.status().link === 'online');
    expect((await post('/cash-acceptor/insert', { denomination: 1000 })).status).toBe(409); // inhibited outside a cash-in
    await driver.enable(driver.status().billTable);
    await until('idling', () => driver!.status().state === 'idling');
    expect((await post('/cash-acceptor/insert', { denomination: 1000 })).status).toBe(200);
    await until('escrow', () => events.includes('escrow'));
    await driver.stack();
    await until('stacked', () => events.includes('stacked'));
    await until('idling', () => driver!.status().state === 'idling');
    expect((await post('/cash-acceptor/insert', { counterfeit: true })).status).toBe(200);
    await until('rejected', () => events.includes('rejected'));
    expect((await post('/faults', { device: 'cashAcceptor', fault: 'jamValidator' })).status).toBe(200);
    await until('jammed', () => events.includes('jammed'));
    expect((await post('/faults', { device: 'cashAcceptor', fault: 'melt' })).status).toBe(400);
    expect((await post('/cash-acceptor/insert', { denomination: 'a lot' })).status).toBe(400);
    await fetch(`${base}/faults`, { method: 'DELETE' });
    const after = (await (await fetch(`${base}/devices`)).json()) as Array<{ kind: string; state: Record<string, unknown> }>;
    expect(after.find((d) => d.kind === 'cashAcceptor')?.state).toMatchObject({ cashBox: { '1000': 1 }, activeFaults: [] });
  });
});
