/**
 * Refusals against the real servers say why, on screen, in the customer's language: a customer
 * whose access the bank blocked, an IIN whose control digit does not match (caught as it is typed,
 * before anything is sent), and a wrong one-time code refused on the same screen.
 */
import { expect, test, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { messagesTo, newOtp, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

async function signInBy(page: Page, method: 'identify.phone' | 'identify.iin'): Promise<void> {
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru[method]}`) }).first().click();
}

test('a blocked customer is refused with the reason and what to do next', async ({ page }) => {
  const heading = page.getByRole('heading', { level: 1 });
  await signInBy(page, 'identify.phone');
  await expect(heading).toHaveText(ru['phone.title']);
  await typeDigits(page, '7771234000'); // Timur, blocked by the bank
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['refusal.title'], { timeout: 15_000 });
  await expect(page.getByRole('alert')).toHaveText(ru['error.blocked.reason']);
  await expect(page.getByText(ru['error.blocked.next'])).toBeVisible();
  await page.getByRole('button', { name: ru['common.toStart'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});

test('an IIN with a wrong control digit is refused as typed and cannot be sent', async ({ page }) => {
  const heading = page.getByRole('heading', { level: 1 });
  const continueButton = page.getByRole('button', { name: ru['common.continue'] });
  await signInBy(page, 'identify.iin');
  await expect(heading).toHaveText(ru['iin.title'], { timeout: 15_000 });
  await typeDigits(page, '92121540123');
  await expect(page.getByRole('alert')).toHaveText('');
  await typeDigits(page, '7'); // Aigerim's IIN ends in 6
  await expect(page.getByRole('alert')).toHaveText(ru['iin.checkDigit']);
  await expect(continueButton).toBeDisabled();

  // corrected, the same IIN goes through to the code
  await page.getByRole('button', { name: ru['keypad.delete'] }).click();
  await expect(page.getByRole('alert')).toHaveText('');
  await typeDigits(page, '6');
  await continueButton.click();
  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});

test('a wrong one-time code is refused on the same screen with the reason', async ({ page, request }) => {
  const phone = '+77021112233'; // Dauren
  const heading = page.getByRole('heading', { level: 1 });
  const before = (await messagesTo(request, phone)).length;
  await signInBy(page, 'identify.phone');
  await typeDigits(page, phone.slice(2));
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  const code = await newOtp(request, phone, before);
  await typeDigits(page, code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  const banner = page.getByRole('alert').filter({ hasText: ru['error.otpWrong.reason'] });
  await expect(banner).toContainText(ru['error.otpWrong.next']);
  await expect(heading).toHaveText(ru['otp.title']);
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
