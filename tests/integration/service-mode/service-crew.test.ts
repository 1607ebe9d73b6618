/**
 * Service crews over the real stack (bank simulator, device emulators, kiosk core): a collector
 * from the provisioned users file and a technician from the bank's list each enter with the
 * service switch and their own PIN and see only their role's actions (the core refuses the rest);
 * the third wrong PIN locks entry and the bank's `/admin/terminals` shows the lock. Afterwards no
 * PIN is found in the configuration, the data folder or the logs.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../scripts/lib/stack.js';
import { hashPin } from '../../../kiosk/service-mode/service-users.js';
import { suiteDir } from '../../support/artifacts.js';
import { BridgeClient, http, startTestStack } from '../session/bridge-client.js';

const TOKEN = 'service-crew-token-0123456789';
/** distinctive PINs, so a scan for them cannot match by chance */
const COLLECTOR_PIN = '90817263';
const WRONG_PINS = ['55501234', '55502345', '55503456'];
let stack: Stack;
let dataDir: string;
let usersFile: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-crew-'));
  usersFile = join(dataDir, '..', `${dataDir.split('/').at(-1)}-users.json`);
  await writeFile(usersFile, JSON.stringify({ users: [{ id: 'K77', role: 'collector', name: 'Collector K77', pin: await hashPin(COLLECTOR_PIN) }] }));
  stack = await startTestStack('service-crew', {
    dataDir,
    token: TOKEN,
    env: {
      KIOSK_SERVICE_USERS_FILE: usersFile,
      KIOSK_SERVICE_USERS_FROM_BANK: 'true',
      KIOSK_SERVICE_LOCKOUT_ATTEMPTS: '3',
      KIOSK_SERVICE_LOCKOUT_MINUTES: '5',
      KIOSK_FLEET_STATUS_MIN_INTERVAL_MS: '100',
    },
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (usersFile) await rm(usersFile, { force: true });
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

    // no PIN anywhere the terminal writes: its users file, data folder (SQLite, WAL) and logs
    const files = [usersFile, ...(await filesUnder(dataDir)), ...(await filesUnder(suiteDir('service-crew-logs')))];
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const text = (await readFile(file)).toString('latin1');
      for (const pin of [COLLECTOR_PIN, ...WRONG_PINS]) expect(text.includes(pin), `${pin} in ${file}`).toBe(false);
    }
  }, 150_000);
});
