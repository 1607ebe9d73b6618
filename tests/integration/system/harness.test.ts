/**
 * The system harness itself, against the real processes: all three servers healthy, the bridge
 * shows the attract screen and follows a locale change, a device route round trip, the bank's
 * admin API, a kill -9 of the core after which the bridge client reconnects by itself, and a
 * card swipe plus card and palm identification at the bank that leave no card data behind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankClient } from '../../../kiosk/bank/client.js';
import { DEV_CARD_TOKEN_KEY, panToken } from '../../../drivers/card-reader/pan-token.js';
import { palmTemplateFor } from '../../../simulators/common/palm-subjects.js';
import { testCards } from '../../../simulators/common/test-cards.js';
import { scanArtifacts, formatFinding } from '../../security/scan-artifacts.js';
import type { BridgeClient } from '../../support/bridge-client.js';
import { startSystem, type KioskSystem } from '../../support/system.js';

describe('system harness', () => {
  let system: KioskSystem;
  let bridge: BridgeClient;

  beforeAll(async () => {
    system = await startSystem({ name: 'harness' });
    bridge = await system.connectBridge();
  }, 90_000);

  afterAll(async () => {
    bridge?.close();
    await system?.stop();
  });

  it('starts the bank simulator, device simulators and core, each healthy on its own port', async () => {
    const ports = new Set([system.bankUrl, system.devicesUrl, system.coreUrl].map((u) => new URL(u).port));
    expect(ports.size).toBe(3);
    for (const p of ports) expect(['7070', '7300', '7400']).not.toContain(p);

    expect(await system.bank.health()).toMatchObject({ ok: true });
    const kinds = (await system.devices.devices()).map((d) => d.kind).sort();
    expect(kinds).toEqual(['cabinet', 'cardReader', 'cashAcceptor', 'dispenser', 'palm', 'printer']);
    const health = await system.coreHealth();
    expect(health).toMatchObject({ status: 'ok', screen: 'attract' });

    // each child's pid is the node process itself (no launcher in between) and logs to its own file
    for (const p of Object.values(system.processes)) {
      expect(p.pid).toBeGreaterThan(0);
      expect(readFileSync(p.spec.logFile, 'utf8')).toMatch(/--- \w+ start #1/);
    }
    expect(readFileSync(join(system.paths.logs, 'devices.log'), 'utf8')).toContain(system.paths.runDir);
  });

  it('shows the attract snapshot over the bridge and follows setLocale', async () => {
    const first = await bridge.waitForSnapshot((s) => s.screen === 'attract');
    expect(first.operations).toEqual([]);
    const target = first.locale === 'kk' ? 'en' : 'kk';
    const changed = await bridge.request({ name: 'setLocale', payload: { locale: target } }, (s) => s.locale === target);
    expect(changed.screen).toBe('attract');
    expect(bridge.invalidFrames).toEqual([]);
  });

  it('refuses a malformed intent without dropping the connection', async () => {
    const before = bridge.rejections.length;
    bridge.sendRaw(JSON.stringify({ type: 'intent', intent: { name: 'submitIin', payload: { iin: '12' } } }));
    await expect.poll(() => bridge.rejections.length, { timeout: 5_000 }).toBe(before + 1);
    expect(bridge.connected).toBe(true);
  });

  it('drives a device through the control API and reads its state back', async () => {
    expect((await system.devices.device('cabinet')).state).toMatchObject({ serviceSwitchOpen: false });
    await system.devices.serviceSwitch(true);
    expect((await system.devices.device('cabinet')).state).toMatchObject({ serviceSwitchOpen: true });
    await system.devices.serviceSwitch(false);
    expect((await system.devices.device('cabinet')).state).toMatchObject({ serviceSwitchOpen: false });

    await system.devices.setFault('printer', 'paperOut');
    expect((await system.devices.device('printer')).state).toMatchObject({ faults: expect.arrayContaining(['paperOut']) });
    await system.devices.clearFaults();
    expect(await system.devices.receipts()).toEqual([]);
  });

  it('reaches the bank simulator admin API: seed customer, account, faults', async () => {
    const aigerim = await system.bank.customer('c-aigerim');
    expect(aigerim.cards.map((c) => c.maskedPan)).toEqual(['440043******0015']);
    const account = await system.bank.account('a-aigerim-cur');
    expect(account.balance).toBe(25_000_000);
    expect(await system.bank.setFault({ mode: 'error', rate: 1 })).toMatchObject({ mode: 'error' });
    await system.bank.clearFaults();
    expect(await system.bank.fault()).toBeNull();
  });

  it('survives kill -9 of the core: restart on the same port, the bridge reconnects and gets a snapshot', async () => {
    const connections = bridge.connections;
    const oldPid = system.processes.core.pid;
    await system.killCore();
    const exit = await system.processes.core.exited;
    expect(exit.signal).toBe('SIGKILL');
    await expect.poll(() => bridge.connected, { timeout: 5_000 }).toBe(false);
    await expect(system.coreHealth()).rejects.toThrow();

    await system.restartCore();
    expect(system.processes.core.pid).not.toBe(oldPid);
    await bridge.waitForConnection(connections, 15_000);
    const fresh = await bridge.waitForSnapshot((s) => s.screen === 'attract', 5_000);
    expect(fresh.state).toBeTypeOf('string');
    expect(bridge.connections).toBe(connections + 1);

    // the restarted core still answers intents
    const locale = fresh.locale === 'ru' ? 'en' : 'ru';
    await bridge.request({ name: 'setLocale', payload: { locale } }, (s) => s.locale === locale);
    expect(readFileSync(system.processes.core.spec.logFile, 'utf8')).toMatch(/--- core start #2/);
  });

  it('swipes a card, presents a palm and identifies both at the bank without leaving card data in any log or database', async () => {
    const card = testCards[0]!;
    await system.devices.insertCard(card);
    expect((await system.devices.device('cardReader')).state).toMatchObject({ lastSwipe: 'card', lastCard: '440043******0015' });
    await system.devices.removeCard();
    await system.devices.presentPalm('palm-aigerim');

    // the bank calls the kiosk makes for a card and a palm, with the bank's own request log on
    const client = new BankClient({ baseUrl: system.bankUrl, timeoutMs: 5_000, retries: 0, terminalId: 'KZ-DEV-0001' });
    try {
      const byCard = await client.identify('s-harness-1', 'card', { by: 'card', panToken: panToken(card.pan, DEV_CARD_TOKEN_KEY) });
      expect(byCard).toMatchObject({ ok: true, status: 'identified', customerId: 'c-aigerim' });
      const byPalm = await client.identify('s-harness-2', 'palm', { by: 'palm', template: palmTemplateFor('palm-aigerim') });
      expect(byPalm).toMatchObject({ ok: true, status: 'identified', customerId: 'c-aigerim' });
      const stranger = await client.identify('s-harness-3', 'palm', { by: 'palm', template: palmTemplateFor('palm-stranger') });
      expect(stranger).toMatchObject({ ok: false });
    } finally {
      client.close();
    }

    const report = scanArtifacts([system.paths.dir]);
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.errors).toEqual([]);
    // it did look: the three logs and the bank's ledger, whose enrolments are the only templates allowed
    expect(report.filesScanned).toBeGreaterThanOrEqual(4);
    expect(report.databases).toBeGreaterThanOrEqual(1);
    expect(new Set(report.allowed.map((f) => f.what))).toEqual(new Set(['palm-aigerim', 'palm-dauren', 'palm-nocons']));
    expect(readFileSync(join(system.paths.logs, 'bank.log'), 'utf8')).toContain('/v1/identify');
  });
});
