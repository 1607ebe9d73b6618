/**
 * The whole kiosk system for system tests: the real bank simulator, the real device simulators
 * and the real kiosk core, each a child process on its own free loopback port, each writing its
 * data and its log under one suite folder inside the run's artefact folder (so the leak scan
 * reads everything they wrote). The core can be killed with SIGKILL and restarted on the same
 * port, token and data folder, as a crash and a supervisor's restart would.
 *
 *   const system = await startSystem({ name: 'cash-in' });
 *   const bridge = await system.connectBridge();
 *   ...
 *   await system.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceKind } from '../../simulators/devices/emulator.js';
import { ARTIFACTS_ENV, suiteDir } from './artifacts.js';
import { BankAdmin } from './bank-admin.js';
import { BridgeClient } from './bridge-client.js';
import { DeviceControl, type DeviceInfo } from './device-control.js';
import { freePorts } from './ports.js';
import { ManagedProcess } from './processes.js';

export const BANK_ENTRY = 'simulators/bank/cli.ts';
export const DEVICES_ENTRY = 'simulators/devices/cli.ts';
export const CORE_ENTRY = 'kiosk/cli.ts';

const HOST = '127.0.0.1';

export interface SystemOptions {
  /** names the suite folder: `<artefacts>/<name>-XXXXXX` */
  name: string;
  /** extra KIOSK_* settings for the core (e.g. { KIOSK_TIMEOUTS_INACTIVITY_MS: '5000' }) */
  coreEnv?: Record<string, string>;
  /** the bank simulator's own request log in its log file (default on) */
  bankRequestLog?: boolean;
  /**
   * the dispenser's exit feeds a presenter, on both ends of the wire (default true: the scenarios
   * take cash through its taken sensor); false: a stock LCDM-1000/2000
   */
  dispenserPresenter?: boolean;
  /** the simulated bill acceptor's protocol; the core is configured for what the simulator reports (default ccnet) */
  cashAcceptorProtocol?: 'ccnet' | 'id003';
  /** default 'info', so the leak scan sees what the core logs in normal operation */
  coreLogLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

export interface SystemPaths {
  /** the suite folder; everything below is inside it */
  dir: string;
  logs: string;
  bankData: string;
  coreData: string;
  /**
   * the device simulators' pty links and sockets, in a short temp folder (a Unix socket path must
   * stay under 108 bytes; these hold no data, so the leak scan loses nothing)
   */
  runDir: string;
}

export interface KioskSystem {
  readonly paths: SystemPaths;
  readonly token: string;
  readonly bankUrl: string;
  readonly devicesUrl: string;
  readonly coreUrl: string;
  /** the UI's URL with the token */
  readonly uiUrl: string;
  readonly bank: BankAdmin;
  readonly devices: DeviceControl;
  readonly processes: { bank: ManagedProcess; devices: ManagedProcess; core: ManagedProcess };
  /** a bridge client that reconnects by itself; closed by stop() if still open */
  connectBridge(): Promise<BridgeClient>;
  coreHealth(): Promise<Record<string, unknown>>;
  /** SIGKILL the core (no shutdown hooks run) and wait until it is gone */
  killCore(): Promise<void>;
  /** start the core again: same port, token and data folder; resolves once /healthz answers */
  restartCore(): Promise<void>;
  /** stop everything (core first); safe to call twice */
  stop(): Promise<void>;
}

/** the parent's environment without anything that would change how a child behaves */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // the core refuses unknown KIOSK_* names; the simulators' settings are given explicitly
    if (k.startsWith('KIOSK_') || k.startsWith('SIM_') || k.startsWith('BANK_') || k === ARTIFACTS_ENV) continue;
    // vitest's own variables make tsx children think they run inside a test worker
    if (k.startsWith('VITEST') || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return env;
}

const DEVICE_ENV: Record<DeviceKind, string> = {
  cashAcceptor: 'KIOSK_DEVICES_CASH_ACCEPTOR',
  dispenser: 'KIOSK_DEVICES_DISPENSER',
  printer: 'KIOSK_DEVICES_PRINTER',
  cardReader: 'KIOSK_DEVICES_CARD_READER',
  palm: 'KIOSK_DEVICES_PALM',
  cabinet: 'KIOSK_DEVICES_CABINET',
};

/** points the core at the endpoints the running simulators report (path, and baud rate for serial) */
function devicePathEnv(devices: DeviceInfo[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const d of devices) {
    const prefix = DEVICE_ENV[d.kind];
    env[`${prefix}_PATH`] = d.endpoint.path;
    if (d.endpoint.type === 'serial') env[`${prefix}_BAUD_RATE`] = String(d.endpoint.baudRate);
    if (d.kind === 'cashAcceptor') env[`${prefix}_PROTOCOL`] = d.protocol;
    if (d.endpoint.type !== 'serial') env[`${prefix}_TRANSPORT`] = 'socket';
  }
  return env;
}

export async function startSystem(options: SystemOptions): Promise<KioskSystem> {
  const dir = suiteDir(options.name);
  const paths: SystemPaths = {
    dir,
    logs: join(dir, 'logs'),
    bankData: join(dir, 'bank'),
    coreData: join(dir, 'kiosk'),
    runDir: mkdtempSync(join(tmpdir(), 'ksys-')),
  };
  for (const p of [paths.logs, paths.bankData, paths.coreData]) mkdirSync(p, { recursive: true });

  const [bankPort, devicesPort, corePort] = (await freePorts(3)) as [number, number, number];
  const bankUrl = `http://${HOST}:${bankPort}`;
  const devicesUrl = `http://${HOST}:${devicesPort}`;
  const coreUrl = `http://${HOST}:${corePort}`;
  const token = randomBytes(24).toString('base64url');
  const env = baseEnv();
  const presenter = String(options.dispenserPresenter ?? true);

  const bank = new ManagedProcess({
    name: 'bank',
    entry: BANK_ENTRY,
    args: ['--host', HOST, '--port', String(bankPort), '--data-dir', paths.bankData, ...(options.bankRequestLog === false ? [] : ['--log'])],
    env,
    logFile: join(paths.logs, 'bank.log'),
    healthUrl: `${bankUrl}/healthz`,
  });
  const devices = new ManagedProcess({
    name: 'devices',
    entry: DEVICES_ENTRY,
    env: {
      ...env, SIM_DEVICES_HOST: HOST, SIM_DEVICES_PORT: String(devicesPort), SIM_RUN_DIR: paths.runDir,
      SIM_CASH_ACCEPTOR_PROTOCOL: options.cashAcceptorProtocol ?? 'ccnet', SIM_DISPENSER_PRESENTER: presenter,
    },
    logFile: join(paths.logs, 'devices.log'),
    healthUrl: `${devicesUrl}/devices`,
  });
  const deviceControl = new DeviceControl(devicesUrl);
  const core = new ManagedProcess({
    name: 'core',
    entry: CORE_ENTRY,
    env: {
      ...env,
      KIOSK_WEB_HOST: HOST,
      KIOSK_WEB_PORT: String(corePort),
      KIOSK_BANK_URL: bankUrl,
      KIOSK_DATA_DIR: paths.coreData,
      KIOSK_BRIDGE_TOKEN: token,
      KIOSK_LOG_LEVEL: options.coreLogLevel ?? 'info',
      KIOSK_DEVICES_DISPENSER_PRESENTER: presenter,
      ...options.coreEnv,
    },
    logFile: join(paths.logs, 'core.log'),
    healthUrl: `${coreUrl}/healthz`,
  });

  try {
    // the bank and the devices first: the core connects to both as it starts
    await Promise.all([bank.start(), devices.start()]);
    Object.assign(core.spec.env, devicePathEnv(await deviceControl.devices()));
    await core.start();
  } catch (err) {
    await Promise.all([core, devices, bank].map((p) => p.stop()));
    rmSync(paths.runDir, { recursive: true, force: true });
    throw err;
  }

  const bridges = new Set<BridgeClient>();
  let stopping: Promise<void> | undefined;

  return {
    paths,
    token,
    bankUrl,
    devicesUrl,
    coreUrl,
    uiUrl: `${coreUrl}/?token=${encodeURIComponent(token)}`,
    bank: new BankAdmin(bankUrl),
    devices: deviceControl,
    processes: { bank, devices, core },
    async connectBridge() {
      const client = await BridgeClient.connect({ url: coreUrl, token });
      bridges.add(client);
      return client;
    },
    async coreHealth() {
      const res = await fetch(`${coreUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`core /healthz: HTTP ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async killCore() {
      await core.kill();
    },
    async restartCore() {
      if (core.running) throw new Error('core is still running; killCore() or stop it first');
      await core.start();
    },
    stop() {
      stopping ??= (async () => {
        for (const b of bridges) b.close();
        // the core lets go of devices and the bank before they go away
        await core.stop();
        await Promise.all([devices.stop(), bank.stop()]);
        rmSync(paths.runDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
