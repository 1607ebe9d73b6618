/**
 * The simulator panel over the real device emulators (socat pseudo-terminals, HID sockets) on an
 * ephemeral port: what the panel does shows up in each emulator's state, and a refusal from a
 * device is reported in the panel's action log rather than hidden.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect, test, type APIRequestContext } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { buildControlServer } from '../../simulators/devices/control-server.js';
import type { DeviceEmulator } from '../../simulators/devices/emulator.js';
import { emulatorFactories } from '../../simulators/devices/registry.js';
import { testCards } from '../../simulators/common/test-cards.js';

let runDir = '';
let emulators: DeviceEmulator[] = [];
let control: FastifyInstance | undefined;
let url = '';

test.beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'panel-devices-'));
  emulators = emulatorFactories.map((make) => make({ runDir }));
  for (const e of emulators) await e.start();
  control = buildControlServer({ emulators });
  await control.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(control.server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await control?.close();
  for (const e of emulators) await e.stop().catch(() => undefined);
  if (runDir) await rm(runDir, { recursive: true, force: true });
});

async function stateOf(request: APIRequestContext, kind: string): Promise<Record<string, unknown>> {
  const devices = (await (await request.get(`${url}/devices`)).json()) as Array<{ kind: string; state: Record<string, unknown> }>;
  const device = devices.find((d) => d.kind === kind);
  if (!device) throw new Error(`no ${kind} in GET /devices`);
  return device.state;
}

test('panel actions reach the emulators', async ({ page, request }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${url}/`);
  await expect(page.locator('#devices .device')).toHaveCount(emulators.length);

  await page.getByRole('button', { name: 'Open service switch' }).click();
  await expect.poll(async () => (await stateOf(request, 'cabinet')).serviceSwitchOpen).toBe(true);
  await page.getByRole('button', { name: 'Close service switch' }).click();
  await expect.poll(async () => (await stateOf(request, 'cabinet')).serviceSwitchOpen).toBe(false);

  const card = testCards[1]!;
  await page.getByRole('listitem').filter({ hasText: card.name }).getByRole('button', { name: 'Insert' }).click();
  await expect.poll(async () => (await stateOf(request, 'cardReader')).cardInSlot).toBe(true);
  await page.getByRole('button', { name: 'Remove card' }).click();
  await expect.poll(async () => (await stateOf(request, 'cardReader')).cardInSlot).toBe(false);

  await page.getByRole('button', { name: 'Set fault paperOut on printer' }).click();
  await expect.poll(async () => (await stateOf(request, 'printer')).faults).toEqual(['paperOut']);
  await page.getByRole('button', { name: 'Clear all faults' }).click();
  await expect.poll(async () => (await stateOf(request, 'printer')).faults).toEqual([]);

  // No kiosk has enabled the acceptor: the device refuses the note and the panel says so.
  await page.getByRole('button', { name: /^1\s000 ₸$/ }).click();
  await expect(page.locator('#log li.fail').first()).toContainText('POST /cash-acceptor/insert {"denomination":1000} -> 409');
  await page.screenshot({ path: test.info().outputPath('panel.png'), fullPage: true });
});
