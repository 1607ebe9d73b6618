import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { buildControlServer } from '../../../simulators/devices/control-server.js';
import { emulatorFactories } from '../../../simulators/devices/registry.js';
import type { DeviceEmulator, DeviceKind } from '../../../simulators/devices/emulator.js';
import { loadConfig } from '../../../kiosk/config/load.js';
import { createDevices, type DeviceSet } from '../../../kiosk/devices/create-devices.js';
import { DeviceSupervisor, type SupervisorEvents } from '../../../kiosk/devices/supervisor.js';

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('device set from the config, supervised against every emulator', () => {
  let dataDir: string | undefined;
  let emulators: DeviceEmulator[] = [];
  let set: DeviceSet | undefined;
  let supervisor: DeviceSupervisor | undefined;

  afterEach(async () => {
    supervisor?.stop();
    await set?.closeAll();
    for (const e of emulators) {
      await e.stop().catch(() => undefined);
      // the validator keeps its own timers past stop() (a cable pulled, not the power)
      await (e as { dispose?: () => Promise<void> }).dispose?.().catch(() => undefined);
    }
    emulators = [];
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  const emulator = (kind: DeviceKind): DeviceEmulator => {
    const e = emulators.find((x) => x.kind === kind);
    if (!e) throw new Error(`no ${kind} emulator`);
    return e;
  };

  it('opens every device over its default endpoint, and health follows emulators stopping and starting', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kiosk-devices-'));
    const runDir = join(dataDir, 'run');
    await mkdir(runDir, { recursive: true });
    emulators = emulatorFactories.map((make) => make({ runDir }));
    for (const e of emulators) await e.start();

    const config = loadConfig({ env: { KIOSK_DATA_DIR: dataDir }, cwd: dataDir });
    set = createDevices({
      config,
      backoffMs: 100,
      maxBackoffMs: 300,
      tuning: { cashAcceptor: { pollIntervalMs: 100, reinitIntervalMs: 200 }, dispenser: { statusIntervalMs: 200 }, printer: { pollIntervalMs: 300 } },
    });
    for (const e of emulators) expect(set.endpoints[e.kind]).toBe(e.endpoint.path);
    const opened = await set.openAll();
    expect(Object.values(opened).every((o) => o.ok)).toBe(true);

    const registry = new Registry();
    supervisor = new DeviceSupervisor({ devices: set, registry, pollIntervalMs: 100, bankOnline: true });
    const changes: Array<SupervisorEvents['change']> = [];
    const perDevice: Array<SupervisorEvents['device']> = [];
    supervisor.on('change', (c) => changes.push(c));
    supervisor.on('device', (d) => perDevice.push(d));
    supervisor.start();
    const s = supervisor;
    await until('every device ok', () => Object.values(s.health()).every((h) => h === 'ok'));
    expect(s.devices()).toEqual({ cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' });
    expect(s.availability().operations).toEqual(['balance', 'cashIn', 'withdraw', 'payService', 'loanRepayment']);

    // the acceptor's cable is pulled (serial, over the pty)
    await emulator('cashAcceptor').stop();
    await until('acceptor offline', () => s.health().cashAcceptor === 'offline');
    expect(s.availability().operations).not.toContain('cashIn');
    // nobody walks up and pays in cash now; an identified customer may still pay from an account
    expect(s.availability().walkUp).not.toContain('payService');
    expect(s.availability().operations).toContain('payService');
    expect(perDevice.some((d) => d.device === 'cashAcceptor' && d.health === 'offline' && d.previous === 'ok')).toBe(true);
    expect(changes.at(-1)?.devices.cashAcceptor).toBe('offline');
    let metrics = await registry.metrics();
    expect(metrics).toContain('kiosk_device_health{device="cashAcceptor",health="offline"} 1');
    expect(metrics).toContain('kiosk_device_usable{device="cashAcceptor"} 0');

    // and the palm scanner's (HID socket)
    await emulator('palm').stop();
    await until('palm offline', () => s.health().palm === 'offline');
    expect(s.availability().identificationMethods).not.toContain('palm');

    await emulator('cashAcceptor').start();
    await emulator('palm').start();
    await until('acceptor and palm back', () => s.health().cashAcceptor === 'ok' && s.health().palm === 'ok');
    metrics = await registry.metrics();
    expect(metrics).toContain('kiosk_device_health{device="cashAcceptor",health="ok"} 1');
    expect(metrics).toContain('kiosk_device_usable{device="palm"} 1');

    // the bank going away is the caller's news; withdrawals need it, walk-up payments do not
    s.setBankOnline(false);
    expect(changes.at(-1)?.devices.bank).toBe('offline');
    expect(s.availability().operations).toEqual(['payService']);
    expect(await registry.metrics()).toContain('kiosk_bank_online 0');
  });

  it('a device that is not there never keeps the others from opening', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kiosk-devices-'));
    const runDir = join(dataDir, 'run');
    await mkdir(runDir, { recursive: true });
    // only the dispenser is plugged in
    emulators = emulatorFactories.map((make) => make({ runDir })).filter((e) => e.kind === 'dispenser');
    for (const e of emulators) await e.start();
    const config = loadConfig({ env: { KIOSK_DATA_DIR: dataDir }, cwd: dataDir });
    set = createDevices({ config, backoffMs: 100, maxBackoffMs: 300, openTimeoutMs: 3_000 });
    const opened = await set.openAll();
    expect(opened.dispenser).toEqual({ ok: true });
    supervisor = new DeviceSupervisor({ devices: set, pollIntervalMs: 100, absent: ['palm'], identificationMethods: ['phone', 'card', 'palm'] });
    supervisor.start();
    const s = supervisor;
    await until('dispenser ok', () => s.health().dispenser === 'ok');
    expect(s.health()).toMatchObject({ cashAcceptor: 'offline', printer: 'offline', cardReader: 'offline', palm: 'absent', cabinet: 'offline' });
    expect(s.availability()).toMatchObject({ outOfService: true, operations: [] });
    s.setBankOnline(true);
    expect(s.availability()).toMatchObject({ outOfService: false, operations: ['balance', 'withdraw', 'payService'], walkUp: [], receipts: ['sms', 'none'] });
    // the configured methods, less those whose device is missing (card reader offline, palm absent)
    expect(s.availability().identificationMethods).toEqual(['phone']);
  });
  it('a jam, paper out and paper near its end show in health, and clear by themselves', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kiosk-devices-'));
    const runDir = join(dataDir, 'run');
    await mkdir(runDir, { recursive: true });
    emulators = emulatorFactories.map((make) => make({ runDir })).filter((e) => e.kind === 'cashAcceptor' || e.kind === 'printer');
    for (const e of emulators) await e.start();
    const control = buildControlServer({ emulators });
    await control.listen({ host: '127.0.0.1', port: 0 });
    const address = control.server.address();
    const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    const call = async (method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> => {
      const res = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      expect(res.status).toBe(200);
    };
    try {
      const config = loadConfig({ env: { KIOSK_DATA_DIR: dataDir }, cwd: dataDir });
      set = createDevices({ config, backoffMs: 100, tuning: { cashAcceptor: { pollIntervalMs: 100 }, printer: { pollIntervalMs: 200 } } });
      await set.openAll();
      supervisor = new DeviceSupervisor({ devices: set, pollIntervalMs: 100, bankOnline: true, absent: ['dispenser', 'cardReader', 'palm', 'cabinet'] });
      supervisor.start();
      const s = supervisor;
      await until('acceptor and printer ok', () => s.health().cashAcceptor === 'ok' && s.health().printer === 'ok');

      await call('POST', '/faults', { device: 'cashAcceptor', fault: 'jamValidator' });
      await until('acceptor jammed -> offline', () => s.health().cashAcceptor === 'offline');
      expect(s.availability().outOfService).toBe(true);
      await call('POST', '/faults', { device: 'printer', fault: 'paperOut' });
      await until('paper out -> offline', () => s.health().printer === 'offline');
      expect(s.availability().receipts).toEqual(['sms', 'none']);

      await call('DELETE', '/faults');
      await until('jam cleared', () => s.health().cashAcceptor === 'ok');
      await until('paper back', () => s.health().printer === 'ok');
      expect(s.availability()).toMatchObject({ outOfService: false, receipts: ['print', 'sms', 'none'] });

      await call('POST', '/faults', { device: 'printer', fault: 'paperNearEnd' });
      await until('paper near end -> degraded', () => s.health().printer === 'degraded');
      expect(s.availability().receipts).toContain('print');
    } finally {
      await control.close();
    }
  });
});
