/**
 * The real terminal for crash tests: bank simulator and device simulators started once, the kiosk
 * core started (and SIGKILLed, and started again) on its own on the same data directory, port and
 * bridge token, as a supervisor restarts it after a crash. Also what the tests read from outside:
 * the bank's ledger (admin API), the SMS outbox and, read-only, the core's own SQLite file.
 * Every run of the core appends its output to `kiosk.log` in the suite's log folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { spawnDevicesSimulator, startStack, KIOSK_CLI, type Stack, type StackOptions } from '../../../scripts/lib/stack.js';
import { spawnTsx, waitForHttp, type Service } from '../../../scripts/lib/services.js';
import { dbPath } from '../../../kiosk/store/db.js';
import { freePorts } from '../../support/ports.js';
import { suiteDir } from '../../support/artifacts.js';
import { http, latestOtp, signIn, type BridgeClient } from './bridge-client.js';

export interface Account {
  balance: number;
  held: number;
  entries: Array<{ amount: number; description: string; messageKey: string | null }>;
}

export interface CrashRig {
  readonly stack: Stack;
  readonly dataDir: string;
  readonly token: string;
  /** the core's URL once it runs, else undefined */
  readonly coreUrl: string | undefined;
  /** starts the core on the rig's data directory and waits for its health endpoint */
  startCore(): Promise<string>;
  /** SIGKILL: no shutdown code of the core runs */
  killCore(): Promise<void>;
  /** SIGKILLs the device simulators (this rig's own child, by its pid): every device loses power at once */
  killDevices(): Promise<void>;
  /** starts the device simulators again on the same run folder and port, and waits for their API */
  startDevices(): Promise<void>;
  otpFor(phone: string): Promise<string>;
  signInByPhone(ui: BridgeClient, phone: string, typed: string): Promise<void>;
  account(id: string): Promise<Account>;
  /** runs `read` on a read-only connection to the core's database (open for that call only) */
  readCoreDb<T>(read: (db: Db) => T): T;
  stop(): Promise<void>;
}

/**
 * `dispenserPresenter` (default true): the dispenser's exit feeds a presenter on both ends of the wire; false: a stock LCDM.
 * `acceptorProtocol` (default ccnet): the protocol both the core and the simulated acceptor speak.
 * `env`: more configuration for every child, the core's included (`KIOSK_*`).
 */
export async function startCrashRig(
  name: string,
  token: string,
  options: { dispenserPresenter?: boolean; acceptorProtocol?: 'ccnet' | 'id003'; env?: NodeJS.ProcessEnv } = {},
): Promise<CrashRig> {
  const presenterEnv = {
    KIOSK_DEVICES_DISPENSER_PRESENTER: String(options.dispenserPresenter ?? true),
    ...(options.acceptorProtocol ? { KIOSK_DEVICES_CASH_ACCEPTOR_PROTOCOL: options.acceptorProtocol } : {}),
    ...options.env,
  };
  const dataDir = await mkdtemp(join(tmpdir(), `kiosk-${name}-`));
  const [bankPort, devicesPort, kioskPort] = await freePorts(3);
  if (bankPort === undefined || devicesPort === undefined || kioskPort === undefined) throw new Error('no free ports');
  const logDir = suiteDir(`${name}-logs`);
  let stack: Stack;
  const stackOptions: StackOptions = { root: process.cwd(), bankPort, devicesPort, kioskPort, dataDir, token, startCore: false, output: 'quiet', logDir, env: presenterEnv };
  try {
    stack = await startStack(stackOptions);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const kioskUrl = `http://127.0.0.1:${kioskPort}`;
  let core: Service | undefined;

  return {
    stack,
    dataDir,
    token,
    get coreUrl() {
      return core ? kioskUrl : undefined;
    },
    async startCore() {
      core = spawnTsx('kiosk', join(process.cwd(), KIOSK_CLI), {
        ...process.env,
        KIOSK_WEB_HOST: '127.0.0.1',
        KIOSK_WEB_PORT: String(kioskPort),
        KIOSK_BANK_URL: stack.bankUrl,
        KIOSK_DATA_DIR: dataDir,
        KIOSK_BRIDGE_TOKEN: token,
        ...presenterEnv,
      }, 'quiet', [], join(logDir, 'kiosk.log'));
      await waitForHttp(`${kioskUrl}/healthz`, { service: core, timeoutMs: 60_000 });
      return kioskUrl;
    },
    async killCore() {
      if (!core) return;
      core.child.kill('SIGKILL');
      await core.exited;
      core = undefined;
    },
    async killDevices() {
      const at = stack.services.findIndex((x) => x.name === 'devices');
      const devices = stack.services[at];
      if (!devices) return;
      devices.child.kill('SIGKILL');
      await devices.exited;
      stack.services.splice(at, 1);
    },
    async startDevices() {
      // last in the start order: the stack stops it before the bank
      const devices = spawnDevicesSimulator(stackOptions);
      stack.services.push(devices);
      await waitForHttp(`${stack.devicesUrl}/devices`, { service: devices, timeoutMs: 60_000 });
    },
    otpFor: (phone) => latestOtp(stack.bankUrl, phone),
    async signInByPhone(ui, phone, typed) {
      await ui.screen('attract', 30_000);
      await signIn(ui, stack.bankUrl, { method: 'phone', typed, otpTo: phone });
      await ui.screen('operations');
    },
    account: (id) => http<Account>('GET', `${stack.bankUrl}/admin/accounts/${id}`),
    readCoreDb(read) {
      const db = new Database(dbPath(dataDir), { readonly: true, fileMustExist: true });
      try {
        return read(db);
      } finally {
        db.close();
      }
    },
    async stop() {
      await core?.stop();
      core = undefined;
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
