/**
 * A technician's device tests over the real stack (bank simulator, device emulators on ptys and
 * sockets, kiosk core): each one moves the emulated hardware through the real driver and is
 * answered on the service screen and written to the audit trail under the technician's id. A
 * note goes into escrow and comes back (never stacked), one note goes to the reject bin as a test
 * movement (counters = journal), a card is read masked, a palm gives a template length only, the
 * presenter cycles. Then the configuration view (secrets masked), the log export to the
 * "removable" folder, and the out-of-service toggle: customers see the out-of-service screen, the
 * bank's /admin/terminals says so, and it holds across a restart of the core.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../scripts/lib/stack.js';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import { dbPath } from '../../../kiosk/store/db.js';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { findLeaks } from '../../../kiosk/service-mode/log-export.js';
import { testCards } from '../../../simulators/common/test-cards.js';
import { BridgeClient, eventually, http, startTestStack } from '../session/bridge-client.js';

const TOKEN = 'service-device-tests-token-0123';
let stack: Stack;
let dataDir: string;
let usbDir: string;

const env = (): NodeJS.ProcessEnv => ({
  KIOSK_SERVICE_USERS_FROM_BANK: 'true',
  KIOSK_SERVICE_DEVICE_TEST_MS: '20000',
  KIOSK_LOG_FILE: join(dataDir, 'logs', 'kiosk.log'),
  KIOSK_SERVICE_EXPORT_DIR: usbDir,
  KIOSK_FLEET_STATUS_MIN_INTERVAL_MS: '100',
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-devtests-'));
  usbDir = await mkdtemp(join(tmpdir(), 'kiosk-usb-'));
  stack = await startTestStack('service-device-tests', { dataDir, token: TOKEN, env: env() });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (usbDir) await rm(usbDir, { recursive: true, force: true });
});

type View = Record<string, unknown>;
const viewOf = (s: Snapshot): View | undefined => s.service?.view as View | undefined;

/** sends one service action and waits for the core's answer to it (performing, then the menu again) */
async function act(ui: BridgeClient, action: string, params?: Record<string, string | number>, during?: () => Promise<unknown>): Promise<View> {
  const from = ui.snapshots.length;
  ui.send('serviceAction', { action, ...(params ? { params } : {}) });
  await ui.waitFor(`${action} performing`, (s) => s.state === 'service.performing' || ui.snapshots.slice(from).some((x) => x.state === 'service.performing'));
  await during?.();
  const done = await ui.waitFor(`${action} answered`, (s) => s.state === 'service.menu' && ui.snapshots.slice(from).some((x) => x.state === 'service.performing'), 30_000);
  const view = viewOf(done);
  expect(view?.action).toBe(action);
  return view ?? {};
}

async function enter(ui: BridgeClient, userId: string, code: string): Promise<void> {
  await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
  await ui.screen('serviceLogin', 20_000);
  ui.send('serviceLogin', { userId, code });
  await ui.screen('serviceMenu');
}

async function leave(ui: BridgeClient, then: Snapshot['screen'] = 'attract'): Promise<void> {
  ui.send('serviceAction', { action: 'exit' });
  await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
  await ui.screen(then, 20_000);
}

/** tries a simulator action until the device takes it (a note is refused until the acceptor is enabled) */
const until = (what: string, path: string, body: unknown, accept: (r: Record<string, unknown>) => boolean = () => true): Promise<true> =>
  eventually(what, async () => {
    const r = await http<Record<string, unknown>>('POST', `${stack.devicesUrl}${path}`, body).catch(() => undefined);
    return r && accept(r) ? true : undefined;
  }, 15_000, 100);

function audit(): Array<{ who: string; action: string; details: Record<string, unknown> }> {
  const db = new Database(dbPath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT who, action, details FROM audit ORDER BY id').all() as Array<{ who: string; action: string; details: string }>).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

type Counter = { unit: string; denomination: number; count: number };
const count = (counters: Counter[], unit: string): number => counters.filter((c) => c.unit === unit).reduce((n, c) => n + c.count, 0);

describe('technician device tests', () => {
  it('move the hardware through the drivers, shown and audited, never as customer money', async () => {
    const ui = await BridgeClient.connect(stack.kioskUrl, TOKEN);
    try {
      await ui.screen('attract', 30_000);
      // the collector loads the cassettes first, so the test note leaves a counted cassette
      await enter(ui, 'C001', '2468');
      const loaded = await act(ui, 'replenish', { 'load/0': 50, 'load/1': 40, locale: 'en' });
      expect(loaded.stage).toBe('done');
      const denied = await act(ui, 'testAcceptor');
      expect(denied).toMatchObject({ denied: true, refusal: { code: 'notPermitted' } });
      await leave(ui);

      await enter(ui, 'T001', '1357');

      // acceptor: a 1 000 tenge note into escrow and back; nothing reaches the cash box
      const acceptor = await act(ui, 'testAcceptor', { denomination: 100_000 }, () => until('note taken', '/cash-acceptor/insert', { denomination: 1000 }));
      expect(acceptor).toMatchObject({ ok: true, outcome: 'returned', escrow: 100_000 });

      // dispenser: one note from the upper cassette to the reject bin, as a test movement
      const dispense = await act(ui, 'testDispense', { cassette: 0 });
      expect(dispense).toMatchObject({ ok: true, outcome: 'rejectBin', cassette: 0, notes: 1, denomination: 500_000 });
      const counters = (await act(ui, 'cashUnits')).counters as Counter[];
      expect(count(counters, 'cassette:0')).toBe(49);
      expect(counters.filter((c) => c.unit === 'reject')).toEqual([{ unit: 'reject', denomination: 500_000, count: 1 }]);
      expect(count(counters, 'cashBox')).toBe(0);
      const devices = await http<{ devices: Record<string, { state: Record<string, unknown> }> } | Record<string, unknown>>('GET', `${stack.devicesUrl}/devices`);
      expect(JSON.stringify(devices)).toContain('"rejectBin":1');
      expect(await act(ui, 'verifyJournal')).toMatchObject({ ok: true });

      // card: read once, shown masked (first 6, last 4), nothing else of it
      const card = testCards[0]!;
      const read = await act(ui, 'testCardRead', undefined, async () => {
        await http('POST', `${stack.devicesUrl}/card-reader/insert`, { pan: card.pan, expiry: card.expiry, name: card.name });
      });
      expect(read).toMatchObject({ ok: true, outcome: 'read', maskedPan: `${card.pan.slice(0, 6)}******${card.pan.slice(-4)}` });
      expect(JSON.stringify(read)).not.toContain(card.pan);
      await http('POST', `${stack.devicesUrl}/card-reader/remove`);

      // palm: a capture answered with the template's length only
      const palm = await act(ui, 'testPalm', undefined, () => until('palm captured', '/palm/present', { subject: 'palm-stranger' }, (r) => r.capturing === true));
      expect(palm).toMatchObject({ ok: true, outcome: 'captured' });
      expect(palm.templateBytes).toBeGreaterThan(0);
      expect(Object.keys(palm).sort()).toEqual(['action', 'ok', 'outcome', 'templateBytes']);

      // presenter (this stack's dispenser has one): PRESENT and RETRACT on an empty presenter
      expect(await act(ui, 'testPresenter')).toMatchObject({ ok: true, outcome: 'cycled', retracted: 0 });
      expect(await act(ui, 'testPrint')).toMatchObject({ ok: true });
      const printed = await http<Array<{ lines: string[] }>>('GET', `${stack.devicesUrl}/printer/receipts`);
      expect(printed.at(-1)?.lines.join('\n')).toContain('Test print');

      // configuration: effective values with every secret masked, versions, device models
      const config = await act(ui, 'configuration');
      expect(config).toMatchObject({ versions: { node: process.version }, devices: { dispenser: { presenter: true } } });
      const cfg = config.config as { card: { tokenKey: string }; service: { technicianCode: string }; web: { bridgeToken?: string } };
      expect(cfg.card.tokenKey).toBe('••••••');
      expect(cfg.service.technicianCode).toBe('••••••');
      expect(cfg.web.bridgeToken).toBe('••••••');
      expect(JSON.stringify(config)).not.toContain(TOKEN);

      // log export: the core's log, copied to the removable folder and checked
      const exported = await act(ui, 'exportLogs');
      expect(exported).toMatchObject({ ok: true, outcome: 'written' });
      const files = await readdir(usbDir);
      expect(files).toHaveLength(1);
      const text = await readFile(join(usbDir, files[0]!), 'utf8');
      expect(text).toContain('kiosk core started');
      expect(findLeaks(text)).toEqual([]);

      // out of service: customers see the out-of-service screen once the technician leaves
      expect(await act(ui, 'outOfService', { on: 1 })).toMatchObject({ on: true, by: 'T001' });
      await leave(ui, 'outOfService');
    } finally {
      ui.close();
    }

    // every test is in the audit trail under the technician, with its outcome
    const trail = audit().filter((r) => r.who === 'T001');
    for (const [action, outcome] of [['testAcceptor', 'returned'], ['testDispense', 'rejectBin'], ['testCardRead', 'read'], ['testPalm', 'captured'], ['testPresenter', 'cycled'], ['exportLogs', 'written']] as const) {
      expect(trail.find((r) => r.action === action)?.details, action).toMatchObject({ ok: true, outcome });
    }
    expect(trail.find((r) => r.action === 'outOfService')?.details).toEqual({ on: true });
    expect(audit().find((r) => r.who === 'C001' && r.action === 'testAcceptor')?.details).toMatchObject({ ok: false, refusal: { code: 'notPermitted' } });
    const db = new Database(dbPath(dataDir), { readonly: true, fileMustExist: true });
    try {
      expect(checkCounters(db)).toEqual([]);
      const entry = db.prepare("SELECT payload FROM journal WHERE type = 'testDispense'").get() as { payload: string } | undefined;
      expect(JSON.parse(entry?.payload ?? '{}')).toMatchObject({ who: 'T001', test: true, notes: 1 });
    } finally {
      db.close();
    }

    // the bank's operations centre sees the terminal closed
    const closed = await eventually('terminal out of service at the bank', async () => {
      const view = await http<{ terminals: Array<{ status: { outOfService?: { on: boolean; by: string } }; attention: string[] }> }>('GET', `${stack.bankUrl}/admin/terminals`);
      return view.terminals.find((t) => t.status.outOfService?.on === true);
    }, 30_000, 250);
    expect(closed.attention.some((a) => a.startsWith('out of service (set by T001'))).toBe(true);

    // it holds across a restart; the technician puts it back in service
    await stack.stop();
    stack = await startTestStack('service-device-tests', { dataDir, token: TOKEN, env: env() });
    const again = await BridgeClient.connect(stack.kioskUrl, TOKEN);
    try {
      await again.screen('outOfService', 30_000);
      await enter(again, 'T001', '1357');
      expect(await act(again, 'outOfService', { on: 0 })).toMatchObject({ on: false });
      await leave(again, 'attract');
    } finally {
      again.close();
    }
  }, 240_000);
});
