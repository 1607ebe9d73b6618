/**
 * Inactivity ends a session: a stack of its own, on free loopback ports, whose core runs with the
 * shortest timeouts its config allows (5 s without a touch, then 3 s for the "more time?" prompt),
 * so the shared e2e core keeps its customer-friendly ones. The prompt appears, "yes" gives the
 * customer the screen back, and a prompt left unanswered returns the terminal to the attract screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { startStack, type Stack } from '../../scripts/lib/stack.js';

const INACTIVITY_MS = 5_000; // the config schema's minimum
const MORE_TIME_MS = 3_000; // the config schema's minimum

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

let stack: Stack | undefined;
let dataDir = '';

test.beforeAll(async () => {
  test.setTimeout(60_000);
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-inactivity-'));
  stack = await startStack({
    root: resolve(fileURLToPath(new URL('../..', import.meta.url))),
    bankPort: await freePort(),
    devicesPort: await freePort(),
    kioskPort: await freePort(),
    dataDir,
    token: 'e2e-inactivity-token-not-secret-01',
    output: process.env.E2E_SERVER_LOGS ? 'prefix' : 'quiet',
    env: {
      KIOSK_LOG_LEVEL: 'warn',
      KIOSK_TIMEOUTS_INACTIVITY_MS: String(INACTIVITY_MS),
      KIOSK_TIMEOUTS_MORE_TIME_MS: String(MORE_TIME_MS),
      // the shared stack's addresses, published to the workers, are not config keys: the core refuses unknown KIOSK_ variables
      KIOSK_E2E_UI_URL: undefined,
      KIOSK_E2E_BANK_URL: undefined,
      KIOSK_E2E_DEVICES_URL: undefined,
    },
  });
});

test.afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('no touch: "more time?" is asked, "yes" keeps the session, silence ends it', async ({ page }) => {
  test.setTimeout(40_000);
  if (!stack) throw new Error('the inactivity stack did not start');
  const heading = page.getByRole('heading', { level: 1 });
  const prompt = page.getByRole('alertdialog', { name: ru['moreTime.title'] });

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await expect(heading).toHaveText(ru['start.title'], { timeout: 15_000 });
  const touched = Date.now();

  await expect(prompt).toBeVisible({ timeout: INACTIVITY_MS + 5_000 });
  expect(Date.now() - touched).toBeGreaterThanOrEqual(INACTIVITY_MS - 1_000); // not before the inactivity ran out
  await expect(prompt.getByRole('timer')).toContainText(/\d/);
  await prompt.getByRole('button', { name: ru['moreTime.yes'] }).click();
  await expect(prompt).toBeHidden();
  await expect(heading).toHaveText(ru['start.title']); // the same screen, the same session

  // asked again, and this time nobody answers
  await expect(prompt).toBeVisible({ timeout: INACTIVITY_MS + 5_000 });
  const asked = Date.now();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: MORE_TIME_MS + 15_000 });
  expect(Date.now() - asked).toBeGreaterThanOrEqual(MORE_TIME_MS - 1_000);
  await expect(prompt).toBeHidden();
});
