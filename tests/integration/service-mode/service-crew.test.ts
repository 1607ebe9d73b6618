/**
 * Service crews over the real stack (bank simulator, device emulators, kiosk core): a collector
 * from the provisioned users file and a technician from the bank's list each enter with the
 * service switch and their own PIN and see only their role's actions (the core refuses the rest);
 * the third wrong PIN locks entry and the bank's `/admin/terminals` shows the lock. Afterwards no
 * PIN or code is found in the configuration (the terminal's config file, its users file and the
 * repository's development crew file), the data folder or the logs: neither the provisioned
 * collector's, nor the wrong ones, nor the development crew's, nor the shared development code.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../scripts/lib/stack.js';
import { hashPin } from '../../../kiosk/service-mode/service-users.js';
import { artifactsRoot } from '../../support/artifacts.js';
import { BridgeClient, http, startTestStack } from '../session/bridge-client.js';

const TOKEN = 'service-crew-token-0123456789';
/** distinctive PINs, so a scan for them cannot match by chance */
const COLLECTOR_PIN = '90817263';
const WRONG_PINS = ['55501234', '55502345', '55503456'];
/** the development crew's PINs (T001, C001) and the shared development code (kiosk/config/schema.ts) */
const DEV_CODES = ['1357', '2468', '123456'];
let stack: Stack;
let dataDir: string;
let usersFile: string;
let configFile: string;

/**
 * a short code as a value of its own in a file's bytes: not inside a longer number (a timestamp, an
 * amount) or a hex/base64 string, nor a JSON number after a colon or a decimal (a duration, a pid);
 * a stored code is a string, quoted in JSON. SQLite values are read by SELECT as well (below),
 * where the bytes of a neighbouring column could hide it from this pattern.
 */
const asValue = (code: string): RegExp => new RegExp(`(?<![0-9A-Za-z+/:.])${code}(?![0-9A-Za-z+/.])`);

/** every text value of every table of a SQLite file, with where it is */
function textValues(file: string): Array<{ where: string; text: string }> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables.flatMap(({ name }) =>
      (db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).flatMap((row, i) =>
        Object.entries(row).flatMap(([column, value]) => (typeof value === 'string' ? [{ where: `${name}.${column} row ${i}`, text: value }] : [])),
      ),
    );
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-crew-'));
  usersFile = join(dataDir, '..', `${dataDir.split('/').at(-1)}-users.json`);
  await writeFile(usersFile, JSON.stringify({ users: [{ id: 'K77', role: 'collector', name: 'Collector K77', pin: await hashPin(COLLECTOR_PIN) }] }));
  // the crew settings in a config file, as a terminal is set up, so the scan reads the configuration the core ran with
  configFile = join(dataDir, '..', `${dataDir.split('/').at(-1)}-kiosk.json`);
  await writeFile(configFile, JSON.stringify({ service: { usersFile, usersFromBank: true, lockoutAttempts: 3, lockoutMinutes: 5 } }, null, 2));
  stack = await startTestStack('service-crew', {
    dataDir,
    token: TOKEN,
    env: { KIOSK_CONFIG: configFile, KIOSK_FLEET_STATUS_MIN_INTERVAL_MS: '100' },
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (usersFile) await rm(usersFile, { force: true });
  if (configFile) await rm(configFile, { force: true });
});

type Person = { person?: { id: string; roles: string[] }; permitted?: string[] };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    const s = await stat(path).catch(() => undefined);
    if (s?.isDirectory()) out.push(...(await filesUnder(path)));
    else if (s?.isFile()) out.push(path);
  }
  return out;
}

describe('service crews', () => {
  it('each person enters with switch + own PIN, gets only their role, and three wrong PINs lock entry, reported to the bank', async () => {
    const ui = await BridgeClient.connect(stack.kioskUrl, TOKEN);
    try {
      await ui.screen('attract', 30_000);
      // a PIN without the switch does not even reach the login screen; with it, the collector from the file
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
      await ui.screen('serviceLogin', 20_000);
      ui.send('serviceLogin', { userId: 'K77', code: COLLECTOR_PIN });
      const menu = await ui.screen('serviceMenu');
      expect((menu.service?.person as Person).person).toEqual({ id: 'K77', roles: ['collector'], name: 'Collector K77' });
      expect((menu.service?.person as Person).permitted).not.toContain('diagnostics');
      ui.send('serviceAction', { action: 'diagnostics' });
      const denied = await ui.waitFor('diagnostics refused', (s) => (s.service?.view as { denied?: boolean } | undefined)?.denied === true);
      expect(denied.service?.view).toMatchObject({ action: 'diagnostics', refusal: { code: 'notPermitted' } });
      ui.send('serviceAction', { action: 'collect', params: { locale: 'en' } });
      await ui.waitFor('collection form', (s) => (s.service?.view as { stage?: string } | undefined)?.stage === 'count');
      ui.send('serviceAction', { action: 'exit' });
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
      await ui.screen('attract', 20_000);

      // the technician from the bank's list (development crew T001)
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
      await ui.screen('serviceLogin', 20_000);
      ui.send('serviceLogin', { userId: 'T001', code: '1357' });
      const tech = await ui.screen('serviceMenu');
      expect((tech.service?.person as Person).person?.roles).toEqual(['technician']);
      ui.send('serviceAction', { action: 'collect', params: { confirm: 1 } });
      await ui.waitFor('collection refused', (s) => (s.service?.view as { denied?: boolean; action?: string } | undefined)?.action === 'collect');
      ui.send('serviceAction', { action: 'exit' });
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
      await ui.screen('attract', 20_000);

      // the development crew's collector, and the shared development code (no id; a development bank on loopback)
      for (const login of [{ userId: 'C001', code: '2468' }, { code: '123456' }]) {
        await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
        await ui.screen('serviceLogin', 20_000);
        ui.send('serviceLogin', login);
        await ui.screen('serviceMenu');
        ui.send('serviceAction', { action: 'exit' });
        await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
        await ui.screen('attract', 20_000);
      }

      // three wrong PINs: the third locks, then even the right PIN is refused
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
      await ui.screen('serviceLogin', 20_000);
      /** sends a login and waits for the core's answer to that one (a check, then the login screen again) */
      const attempt = async (userId: string, code: string): Promise<string | undefined> => {
        const from = ui.snapshots.length;
        ui.send('serviceLogin', { userId, code });
        const done = await ui.waitFor(`login ${userId} answered`, (s) => s.state === 'service.login' && ui.snapshots.slice(from).some((x) => x.state === 'service.checking'));
        return done.error?.code;
      };
      expect(await attempt('K77', WRONG_PINS[0]!)).toBe('notIdentified');
      expect(await attempt('NOBODY', WRONG_PINS[1]!)).toBe('notIdentified');
      expect(await attempt('K77', WRONG_PINS[2]!)).toBe('serviceLocked');
      expect(await attempt('K77', COLLECTOR_PIN)).toBe('serviceLocked');
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
      await ui.screen('attract', 20_000);
    } finally {
      ui.close();
    }

    // the bank's operations centre sees the lock (the status travels through the outbox)
    const deadline = Date.now() + 30_000;
    let terminal: { status: { serviceLockout?: { active: boolean; until: string } }; attention: string[] } | undefined;
    while (Date.now() < deadline) {
      const view = await http<{ terminals: Array<{ status: { serviceLockout?: { active: boolean; until: string } }; attention: string[] }> }>('GET', `${stack.bankUrl}/admin/terminals`);
      terminal = view.terminals.find((t) => t.status.serviceLockout?.active === true);
      if (terminal) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(terminal?.attention.some((a) => a.startsWith('service entry locked after wrong PINs until'))).toBe(true);

    // no PIN or code anywhere the terminal reads its configuration from or writes to: its config file, users file,
    // the repository's development crew file, the data folder (SQLite, WAL, the bank's ledger) and the logs
    // the folder startTestStack gave the servers' logs (suiteDir makes a fresh one on every call)
    const logDirs = (await readdir(artifactsRoot())).filter((n) => n.startsWith('service-crew-logs-'));
    expect(logDirs).toHaveLength(1);
    const logs = await filesUnder(join(artifactsRoot(), logDirs[0]!));
    const data = await filesUnder(dataDir);
    expect(logs.length).toBeGreaterThan(0);
    expect(data.some((f) => f.endsWith('.db') || f.endsWith('.sqlite'))).toBe(true);
    const files = [configFile, usersFile, ...(await filesUnder(resolve('config'))), ...data, ...logs];
    for (const file of files) {
      const text = (await readFile(file)).toString('latin1');
      for (const pin of [COLLECTOR_PIN, ...WRONG_PINS]) expect(text.includes(pin), `${pin} in ${file}`).toBe(false);
      for (const code of DEV_CODES) expect(asValue(code).exec(text)?.index, `${code} in ${file}`).toBeUndefined();
    }
    const databases = data.filter((f) => f.endsWith('.sqlite') || f.endsWith('.db'));
    for (const value of databases.flatMap((f) => textValues(f).map((v) => ({ ...v, where: `${f} ${v.where}` })))) {
      for (const code of DEV_CODES) expect(asValue(code).test(value.text), `${code} in ${value.where}`).toBe(false);
    }
  }, 150_000);
});
