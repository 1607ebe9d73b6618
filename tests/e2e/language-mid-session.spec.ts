/**
 * Against the real servers: a signed-in customer switches language in the header, Kazakh then
 * English; every text changes with the core's snapshot and the session goes on where it was
 * (still signed in, the next operation answered in English). The Kazakh screens name the
 * customer's products in Kazakh.
 */
import { expect, test } from '@playwright/test';
import { en } from '../../renderer/src/i18n/en.js';
import { kk } from '../../renderer/src/i18n/kk.js';
import { ru } from '../../renderer/src/i18n/ru.js';
import { expectNoEnglishProductName, messagesTo, newOtp, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const PHONE = '+77011234567'; // Aigerim: a current account and a wallet

test('signed in, switched to Kazakh then English in the header; the session carries on', async ({ page, request }) => {
  test.setTimeout(60_000);
  const heading = page.getByRole('heading', { level: 1 });
  const before = (await messagesTo(request, PHONE)).length;

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru['identify.phone']}`) }).first().click();
  await typeDigits(page, PHONE.slice(2));
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await typeDigits(page, await newOtp(request, PHONE, before));
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  const customer = page.locator('.topbar .customer');
  const maskedName = (await customer.textContent()) ?? '';
  expect(maskedName).not.toBe('');

  for (const [locale, catalogue, previous] of [['kk', kk, ru], ['en', en, kk]] as const) {
    const header = page.getByRole('navigation', { name: previous['app.language'] });
    await header.getByRole('button', { name: catalogue[`lang.${locale}`] }).click();
    await expect(heading).toHaveText(catalogue['operations.title']);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.getByRole('button', { name: catalogue['common.cancel'] })).toBeVisible();
    await expect(page.getByRole('navigation', { name: catalogue['app.language'] }).getByRole('button', { name: catalogue[`lang.${locale}`] })).toHaveAttribute('aria-pressed', 'true');
    await expect(customer).toHaveText(maskedName); // still the same signed-in customer
    if (locale === 'kk') {
      // the bank's English labels are named in Kazakh: "Ағымдағы шот *0101", never "Current account"
      await page.getByRole('button', { name: new RegExp(`^${kk['op.balance']}`) }).click();
      await expect(heading).toHaveText(kk['product.title'], { timeout: 15_000 });
      await expect(page.getByRole('button', { name: /^Ағымдағы шот \*0101/ })).toBeVisible();
      await expectNoEnglishProductName(page);
      await page.getByRole('button', { name: kk['common.back'] }).click();
      await expect(heading).toHaveText(kk['operations.title'], { timeout: 15_000 });
    }
  }

  // the session carries on in English: the balance of the current account
  await page.getByRole('button', { name: new RegExp(`^${en['op.balance']}`) }).click();
  await expect(heading).toHaveText(en['product.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: /^Current account \*0101/ }).click();
  await expect(heading).toHaveText(en['balance.title'], { timeout: 15_000 });
  await expect(page.getByText(en['balance.available'], { exact: true })).toBeVisible();

  await page.getByRole('button', { name: en['common.back'] }).click();
  await expect(heading).toHaveText(en['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: en['common.cancel'] }).click();
  await expect(heading).toHaveText(en['goodbye.title'], { timeout: 15_000 });
  // the next customer is greeted in the terminal's default language again
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
