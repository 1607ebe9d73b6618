/**
 * The production renderer build in Chromium over the web-shell bridge protocol: the token leaves
 * the address bar, snapshots drive the screen, intents go out validated, and after the far end
 * restarts the page shows "please wait" and reconnects by itself.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Snapshot } from '../../kiosk/bridge/schema.js';
import { kk } from '../../renderer/src/i18n/kk.js';
import { ru } from '../../renderer/src/i18n/ru.js';
import { startBridgeDouble, type BridgeDouble } from './support/bridge-double.js';

const rendererDir = resolve(import.meta.dirname, '../../renderer/dist');
const token = 'renderer-test-token-0001';
const attract: Snapshot = {
  state: 'idle',
  screen: 'attract',
  locale: 'kk',
  operations: [],
  devices: { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' },
};

let shell: BridgeDouble | undefined;
test.afterEach(async () => {
  await shell?.close();
  shell = undefined;
});

test('snapshots drive the screen and intents reach the core; the token leaves the address bar', async ({ page }) => {
  shell = await startBridgeDouble({ rendererDir, token, initial: attract });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${shell.url}/?token=${token}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk['attract.welcome']);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  await page.getByRole('button', { name: 'Русский' }).click();
  await expect.poll(() => shell?.intents).toEqual([{ name: 'setLocale', payload: { locale: 'ru' } }]);
  // The UI is a pure view: nothing changes until the core says so.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk['attract.welcome']);
  shell.push({ ...attract, locale: 'ru' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['attract.welcome']);

  shell.push({ ...attract, locale: 'ru', state: 'identifying.phone', screen: 'phoneEntry', input: { kind: 'phone' } });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['phone.title']);
  expect(errors).toEqual([]);
});

test('a wrong token never connects: the page waits', async ({ page }) => {
  shell = await startBridgeDouble({ rendererDir, token, initial: attract });
  await page.goto(`${shell.url}/?token=wrong`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk['pleaseWait.title']);
  await expect(page.getByText(kk['pleaseWait.reconnecting'])).toBeVisible();
});

test('after the core restarts the page shows please wait, then reconnects by itself', async ({ page }) => {
  shell = await startBridgeDouble({ rendererDir, token, initial: { ...attract, locale: 'ru' } });
  const port = shell.port;
  await page.goto(`${shell.url}/?token=${token}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['attract.welcome']);
  await shell.close();
  // Still in the customer's language while waiting.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['pleaseWait.title']);
  shell = await startBridgeDouble({ rendererDir, token, initial: { ...attract, locale: 'ru', screen: 'outOfService', state: 'outOfService' }, port });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['outOfService.title'], { timeout: 10_000 });
});
