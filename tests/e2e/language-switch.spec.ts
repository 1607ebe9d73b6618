/**
 * Against the real core through the web shell: switching language on the attract screen changes
 * what the screen says, because the core's snapshot says so.
 */
import { expect, test } from '@playwright/test';
import { en } from '../../renderer/src/i18n/en.js';
import { kk } from '../../renderer/src/i18n/kk.js';
import { ru } from '../../renderer/src/i18n/ru.js';
import { realCoreShot } from './support/screens.js';
import { stack } from './support/stack-env.js';

test('switching language on the attract screen', async ({ page }, info) => {
  await page.goto(stack.uiUrl);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(page.locator('.app')).toHaveAttribute('data-screen', 'attract');
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  for (const [locale, catalogue] of [['kk', kk], ['en', en], ['ru', ru]] as const) {
    const button = page.getByRole('button', { name: catalogue[`lang.${locale}`] });
    await button.click();
    await expect(heading).toHaveText(catalogue['attract.welcome']);
    await expect(page.getByRole('button', { name: catalogue['attract.touch'] })).toBeVisible();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
  }
  await realCoreShot(page, info, 'attract-ru');
});
