/**
 * A withdrawal visit against the real servers: a phone number two clients share is narrowed by
 * birth date, a wrong code is refused on the same screen with the reason, the right one from the
 * SMS outbox signs in; the amount, commission and total are shown before consent; the notes are
 * taken from the dispenser through the device simulator.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { expectNoEnglishProductName } from './support/customer.js';
import { stack } from './support/stack-env.js';

const SHARED_PHONE = '+77017654321'; // two seeded clients; the one born 14.03.1978 has two accounts

async function typeDigits(page: Page, digits: string): Promise<void> {
  const pad = page.getByRole('group', { name: ru['keypad.label'] });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

async function smsCount(request: APIRequestContext): Promise<string[]> {
  const res = await request.get(`${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(SHARED_PHONE)}`);
  const body = (await res.json()) as { messages: Array<{ channel: string; text: string }> };
  return body.messages.filter((m) => m.channel === 'sms').map((m) => m.text);
}

test('shared phone narrowed by birth date, wrong code refused, 10 000 ₸ withdrawn and taken', async ({ page, request }) => {
  test.setTimeout(90_000);
  const heading = page.getByRole('heading', { level: 1 });
  const continueButton = page.getByRole('button', { name: ru['common.continue'] });
  const before = (await smsCount(request)).length;

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru['identify.phone']}`) }).first().click();
  await typeDigits(page, SHARED_PHONE.slice(2));
  await continueButton.click();

  await expect(heading).toHaveText(ru['disambiguate.title'], { timeout: 15_000 });
  await typeDigits(page, '14031978');
  await continueButton.click();

  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  let code = '';
  await expect
    .poll(async () => {
      const sms = await smsCount(request);
      code = sms.length > before ? (/\b(\d{6})\b/.exec(sms.at(-1) ?? '')?.[1] ?? '') : '';
      return code;
    })
    .toMatch(/^\d{6}$/);
  const wrong = code === '000000' ? '111111' : '000000';
  await typeDigits(page, wrong);
  await continueButton.click();
  await expect(page.getByRole('alert').filter({ hasText: ru['error.otpWrong.reason'] })).toContainText(ru['error.otpWrong.next']);
  await typeDigits(page, code);
  await continueButton.click();

  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${ru['op.withdraw']}`) }).click();
  await expect(heading).toHaveText(ru['product.title']);
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: /^Текущий счёт \*0404/ }).click();

  await expect(heading).toHaveText(ru['amount.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: /^10\s000\s₸$/ }).click();

  await expect(heading).toHaveText(ru['confirm.title'], { timeout: 15_000 });
  await expect(page.locator('.summary dd').nth(1)).toHaveText(/^10\s000\s₸$/);
  await expect(page.locator('.summary-total dd')).toHaveText(/\d\s₸$/);
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: ru['common.confirm'] }).click();

  await expect(heading).toHaveText(ru['takeCash.title'], { timeout: 30_000 });
  // the amount and the countdown to the retract are on the take-cash screen
  await expect(page.locator('.figure-main dd')).toHaveText(/^10\s000\s₸$/);
  await expect(page.getByRole('timer')).toContainText(/\d/);
  const taken = await request.post(`${stack.devicesUrl}/dispenser/take`);
  expect(taken.ok(), await taken.text()).toBe(true);

  await expect(heading).toHaveText(/^Снятие 10\s000\s₸ выполнено$/, { timeout: 20_000 });
  await expect(page.getByText(/^Откуда: Текущий счёт \*0404$/)).toBeVisible();
  await expectNoEnglishProductName(page);
  await continueButton.click();
  await expect(heading).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.none']}`) }).click();
  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
