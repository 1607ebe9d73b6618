/**
 * The three loopback servers a kiosk needs on a developer machine or in end-to-end tests: bank
 * simulator, device simulators, and the kiosk core. Used by `npm start` and Playwright's setup.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTsx, stopAll, waitForHttp, type Service } from './services.js';
import { loadConfig } from '../../kiosk/config/load.js';
import { formatEscTNumbering, numberingWith } from '../../drivers/printer/code-page.js';

export interface StackOptions {
  root: string;
  bankPort: number;
  devicesPort: number;
  kioskPort: number;
  dataDir: string;
  token: string;
  /** false: the Electron shell runs the core itself */
  startCore?: boolean;
  output?: 'prefix' | 'quiet';
  /** extra environment for every child */
  env?: NodeJS.ProcessEnv;
  /** each child's output also goes to <logDir>/<name>.log */
  logDir?: string;
  /** told of each child as it is spawned, so a stop signal during start-up can reach it */
  onSpawn?: (service: Service) => void;
}

export interface Stack {
  services: Service[];
  bankUrl: string;
  devicesUrl: string;
  kioskUrl: string;
  /** kiosk UI with its bridge token */
  uiUrl: string;
  /** what was not started and why */
  notes: string[];
  stop(): Promise<void>;
}

export const BANK_CLI = 'simulators/bank/cli.ts';
export const DEVICES_CLI = 'simulators/devices/cli.ts';
export const KIOSK_CLI = 'kiosk/cli.ts';

export async function startStack(o: StackOptions): Promise<Stack> {
  const services: Service[] = [];
  const notes: string[] = [];
  const host = '127.0.0.1';
  const bankUrl = `http://${host}:${o.bankPort}`;
  const devicesUrl = `http://${host}:${o.devicesPort}`;
  const kioskUrl = `http://${host}:${o.kioskPort}`;
  const baseEnv = { ...process.env, ...o.env };
  const kioskEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    KIOSK_WEB_HOST: host,
    KIOSK_WEB_PORT: String(o.kioskPort),
    KIOSK_BANK_URL: bankUrl,
    KIOSK_DATA_DIR: o.dataDir,
    KIOSK_BRIDGE_TOKEN: o.token,
  };
  // the kiosk's configuration, read here too: a bad value stops start-up before anything runs
  // (the device simulators read it for the cassettes and protocols the kiosk's drivers expect)
  loadConfig({ env: kioskEnv });
  const logFile = (name: string): string | undefined => (o.logDir === undefined ? undefined : join(o.logDir, `${name}.log`));
  try {
    if (existsSync(join(o.root, BANK_CLI))) {
      const bank = spawnTsx(
        'bank',
        join(o.root, BANK_CLI),
        { ...baseEnv, BANK_HOST: host, BANK_PORT: String(o.bankPort), BANK_DATA_DIR: join(o.dataDir, 'bank') },
        o.output,
        ['--host', host, '--port', String(o.bankPort), '--data-dir', join(o.dataDir, 'bank')],
        logFile('bank'),
      );
      services.push(bank);
      o.onSpawn?.(bank);
      await waitForHttp(`${bankUrl}/`, { service: bank, anyStatus: true });
    } else {
      notes.push(`bank simulator not started: ${BANK_CLI} does not exist yet (the kiosk runs with the bank offline)`);
    }

    const devices = spawnDevicesSimulator(o, { onSpawn: (d) => services.push(d) });
    await waitForHttp(`${devicesUrl}/devices`, { service: devices });

    if (o.startCore !== false) {
      const kiosk = spawnTsx(
        'kiosk',
        join(o.root, KIOSK_CLI),
        kioskEnv,
        o.output,
        [],
        logFile('kiosk'),
      );
      services.push(kiosk);
      o.onSpawn?.(kiosk);
      await waitForHttp(`${kioskUrl}/healthz`, { service: kiosk });
    }
  } catch (err) {
    await stopAll(services);
    throw err;
  }
  return {
    services,
    bankUrl,
    devicesUrl,
    kioskUrl,
    uiUrl: `${kioskUrl}/?token=${encodeURIComponent(o.token)}`,
    notes,
    stop: () => stopAll(services),
  };
}

/**
 * The device simulators as `startStack` runs them, on the same run folder (ptys, the acceptor's
 * cash box) and with the dispenser and acceptor the kiosk's configuration names: also how a test
 * starts them again after killing them.
 */
export function spawnDevicesSimulator(o: StackOptions, hooks: { onSpawn?: (service: Service) => void } = {}): Service {
  const host = '127.0.0.1';
  const baseEnv = { ...process.env, ...o.env };
  const config = loadConfig({ env: { ...baseEnv, KIOSK_DATA_DIR: o.dataDir } });
  const devices = spawnTsx(
    'devices',
    join(o.root, DEVICES_CLI),
    {
      ...baseEnv,
      SIM_DEVICES_HOST: host,
      SIM_DEVICES_PORT: String(o.devicesPort),
      SIM_RUN_DIR: join(o.dataDir, 'run'),
      SIM_DISPENSER_CASSETTES_TENGE: config.devices.dispenser.cassettesTenge.join(','),
      SIM_DISPENSER_PRESENTER: String(config.devices.dispenser.presenter),
      SIM_CASH_ACCEPTOR_PROTOCOL: config.devices.cashAcceptor.protocol,
      // the emulated printer knows the configured table under the configured number, as the real model would
      SIM_PRINTER_ESC_T: formatEscTNumbering(numberingWith(config.devices.printer.codePage, config.devices.printer.escT)),
      SIM_PRINTER_DOT_WIDTH: String(config.devices.printer.dotWidth),
    },
    o.output,
    [],
    o.logDir === undefined ? undefined : join(o.logDir, 'devices.log'),
  );
  hooks.onSpawn?.(devices);
  o.onSpawn?.(devices);
  return devices;
}
