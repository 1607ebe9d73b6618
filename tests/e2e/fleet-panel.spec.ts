/**
 * The simulator panel's bank fleet view against the real servers of the end-to-end run: the core
 * reports its status to the bank simulator, and the panel shows the bank's view of the terminal.
 */
import { expect, test } from '@playwright/test';
import { E2E } from '../../scripts/e2e-env.js';

const devicesUrl = process.env.KIOSK_E2E_DEVICES_URL ?? E2E.devicesUrl;
const bankUrl = process.env.KIOSK_E2E_BANK_URL ?? E2E.bankUrl;
const kioskUrl = process.env.KIOSK_E2E_UI_URL ? new URL(process.env.KIOSK_E2E_UI_URL).origin : E2E.kioskUrl;

test('the panel shows the terminal as the bank sees it', async ({ page, request }) => {
  const health = (await (await request.get(`${kioskUrl}/healthz`)).json()) as { terminalId: string };
  await page.goto(`${devicesUrl}/panel/`);
  await page.waitForFunction(() => (globalThis as unknown as { panelReady?: boolean }).panelReady === true);
  await page.locator('#bank-url').fill(bankUrl);
  await page.locator('#bank-url').dispatchEvent('change');
  const fleet = page.getByRole('table');
  await expect(page.getByRole('heading', { name: 'Bank fleet view' })).toBeVisible();
  const row = fleet.locator('tbody tr', { hasText: health.terminalId });
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toContainText('dispenser: ok');
  await expect(row).toContainText(/5000: \d+\/2500/);
  // what the panel shows is the bank's own record
  const view = (await (await request.get(`${bankUrl}/admin/terminals`)).json()) as { terminals: Array<{ terminalId: string; status: { version: string } }> };
  const mine = view.terminals.find((t) => t.terminalId === health.terminalId);
  expect(mine).toBeDefined();
  await expect(row).toContainText(`(v${mine?.status.version ?? ''})`);
});
