/**
 * Service mode against the real servers: opening the cabinet's service switch brings up the
 * technician's login, the code opens the menu, an action's answer is shown, and leaving with the
 * switch closed returns the terminal to customers.
 */
import { expect, test, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { stack } from './support/stack-env.js';

const TECHNICIAN_CODE = '123456'; // the core's default technician code (kiosk config)

async function typeDigits(page: Page, digits: string): Promise<void> {
  const pad = page.getByRole('group', { name: ru['keypad.label'] });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

test('service switch, technician login, diagnostics, exit', async ({ page, request }) => {
  const heading = page.getByRole('heading', { level: 1 });
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome']);

  const opened = await request.post(`${stack.devicesUrl}/service-switch`, { data: { open: true } });
  expect(opened.ok()).toBe(true);
  try {
    await expect(heading).toHaveText(ru['service.loginTitle'], { timeout: 15_000 });
    await typeDigits(page, TECHNICIAN_CODE);
    await expect(page.locator(`output[aria-label="${ru['service.code']}"]`)).toHaveText('●●●●●●');
    await page.getByRole('button', { name: ru['common.continue'] }).click();

    await expect(heading).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
    await page.getByRole('button', { name: ru['service.action.diagnostics'] }).click();
    await expect(page.locator('.service-result')).toContainText('"action": "diagnostics"', { timeout: 15_000 });
    await page.getByRole('button', { name: ru['service.action.exit'] }).click();
  } finally {
    await request.post(`${stack.devicesUrl}/service-switch`, { data: { open: false } });
  }
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
