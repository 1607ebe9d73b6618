/**
 * Service mode against the real servers: opening the cabinet's service switch brings up the
 * technician's login, the code opens the menu, an action's answer is shown, and leaving with the
 * switch closed returns the terminal to customers. Then the entry screens: a replenishment typed
 * on the keypad (the counters show the load afterwards), and that replenishment's receipt looked up
 * by its number and reprinted as a copy. Portrait only (playwright.config.ts): the screens' landscape
 * layout is covered by the fixture gallery.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { stack } from './support/stack-env.js';

const TECHNICIAN_CODE = '123456'; // the core's default technician code (kiosk config)

async function typeDigits(page: Page, digits: string): Promise<void> {
  const pad = page.getByRole('group', { name: ru['keypad.label'] });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

/** opens the switch and logs in; returns the way out (switch closed, terminal back to customers) */
async function openServiceMenu(page: Page, request: APIRequestContext): Promise<() => Promise<void>> {
  const heading = page.getByRole('heading', { level: 1 });
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome']);
  const opened = await request.post(`${stack.devicesUrl}/service-switch`, { data: { open: true } });
  expect(opened.ok()).toBe(true);
  const close = async (): Promise<void> => {
    await request.post(`${stack.devicesUrl}/service-switch`, { data: { open: false } });
  };
  try {
    await expect(heading).toHaveText(ru['service.loginTitle'], { timeout: 15_000 });
    await typeDigits(page, TECHNICIAN_CODE);
    await expect(page.locator(`output[aria-label="${ru['service.code']}"]`)).toHaveText('●●●●●●');
    await page.getByRole('button', { name: ru['common.continue'] }).click();
    await expect(heading).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
  } catch (err) {
    await close();
    throw err;
  }
  return close;
}

test('service switch, technician login, diagnostics, exit', async ({ page, request }) => {
  const heading = page.getByRole('heading', { level: 1 });
  const close = await openServiceMenu(page, request);
  try {
    await page.getByRole('button', { name: ru['service.action.diagnostics'] }).click();
    await expect(page.locator('.service-result')).toContainText('"action": "diagnostics"', { timeout: 15_000 });
    await page.getByRole('button', { name: ru['service.action.exit'] }).click();
  } finally {
    await close();
  }
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});

test('replenishment on the keypad, then its receipt found by number and copied', async ({ page, request }) => {
  const heading = page.getByRole('heading', { level: 1 });
  const close = await openServiceMenu(page, request);
  try {
    await page.getByRole('button', { name: ru['service.action.replenish'] }).click();
    await expect(heading).toHaveText(ru['service.replenish.title'], { timeout: 15_000 });
    await page.locator('button[data-field="load/0"]').click();
    await typeDigits(page, '120');
    await page.locator('button[data-field="load/1"]').click();
    await typeDigits(page, '80');
    await expect(page.locator('button[data-field="load/1"] output')).toHaveText('80');
    await page.getByRole('button', { name: ru['service.replenish.submit'] }).click();
    await expect(heading).toHaveText(ru['service.replenish.done'], { timeout: 15_000 });
    const numberText = (await page.locator('.service-receipt-number').textContent()) ?? '';
    const receiptNumber = /(\S+-\d{8}-\d{6})/.exec(numberText)?.[1];
    expect(receiptNumber, numberText).toBeDefined();

    // the counters now say what was loaded
    await page.getByRole('button', { name: ru['service.backToMenu'] }).click();
    await page.getByRole('button', { name: ru['service.action.cashUnits'] }).click();
    const result = page.locator('.service-result');
    await expect(result).toContainText('"cashUnits"', { timeout: 15_000 });
    const counters = (JSON.parse((await result.textContent()) ?? '{}') as { counters: Array<{ unit: string; denomination: number; count: number }> }).counters;
    expect(counters.filter((c) => c.unit.startsWith('cassette:') && c.count !== 0)).toEqual([
      { unit: 'cassette:0', denomination: 500_000, count: 120 },
      { unit: 'cassette:1', denomination: 1_000_000, count: 80 },
    ]);

    // the receipt, by its sequence digits, reads as printed; a copy comes out marked as one
    await page.getByRole('button', { name: ru['service.action.lookupReceipt'] }).click();
    await expect(heading).toHaveText(ru['service.lookup.title'], { timeout: 15_000 });
    await typeDigits(page, (receiptNumber ?? '').slice(-6));
    await page.getByRole('button', { name: ru['service.lookup.find'] }).click();
    await expect(heading).toHaveText(`Чек № ${receiptNumber}`, { timeout: 15_000 });
    await expect(page.locator('.receipt-paper')).toContainText('Загрузка кассет');
    await page.getByRole('button', { name: ru['service.lookup.printCopy'] }).click();
    await expect(page.getByText(ru['service.lookup.copyPrinted'])).toBeVisible({ timeout: 15_000 });
    const printed = (await (await request.get(`${stack.devicesUrl}/printer/receipts`)).json()) as Array<{ lines: string[] }>;
    const copy = printed.at(-1)?.lines.map((l) => l.trim()) ?? [];
    expect(copy[0]).toBe('КОПИЯ (ДУБЛИКАТ)');
    expect(copy).toContain(receiptNumber);

    // reopening the look-up shows a fresh field, never the receipt found before, not even for a frame
    await page.getByRole('button', { name: ru['service.backToMenu'] }).click();
    await expect(heading).toHaveText(ru['service.menuTitle']);
    await page.evaluate(`(() => {
      const seen = (window.__headings = []);
      new MutationObserver(() => seen.push(document.querySelector('h1')?.textContent ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('button', { name: ru['service.action.lookupReceipt'] }).click();
    await expect(heading).toHaveText(ru['service.lookup.title'], { timeout: 15_000 });
    await expect(page.locator(`output[aria-label="${ru['service.lookup.field']}"] .placeholder`)).toHaveText('000123');
    const headings = (await page.evaluate('window.__headings')) as string[];
    expect(headings.filter((h) => h.startsWith('Чек №'))).toEqual([]);

    await page.getByRole('button', { name: ru['service.backToMenu'] }).click();
    await page.getByRole('button', { name: ru['service.action.exit'] }).click();
  } finally {
    await close();
  }
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
