/**
 * A visit in Kazakh against the real servers: a cash-in to the wallet, then a withdrawal from the
 * current account, each ending on its outcome screen with the amount before the receipt question.
 * The bank's labels are English ("Wallet *0202", "Current account *0101"); no English product name
 * shows on any screen of the way (operations, product choice, cash-in, confirmation, outcome,
 * receipt, printed).
 */
import { expect, test } from '@playwright/test';
import { kk } from '../../renderer/src/i18n/kk.js';
import { ru } from '../../renderer/src/i18n/ru.js';
import { account, device, expectNoEnglishProductName, messagesTo, newOtp, tenge, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const PHONE = '+77011234567'; // Aigerim: a current account and a wallet, and the bank's app

test('in Kazakh: wallet topped up and cash withdrawn, each with its outcome; no English product name', async ({ page, request }) => {
  test.setTimeout(90_000);
  const heading = page.getByRole('heading', { level: 1 });
  const continueButton = page.getByRole('button', { name: kk['common.continue'] });
  const before = (await messagesTo(request, PHONE)).length;
  const wallet = await account(request, 'a-aigerim-wal');

  await page.goto(stack.uiUrl);
  // the terminal greets in its default language once the visit before has ended
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 30_000 });
  await page.getByRole('button', { name: kk['lang.kk'] }).click();
  await expect(heading).toHaveText(kk['attract.welcome']);
  await page.getByRole('button', { name: kk['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${kk['identify.phone']}`) }).first().click();
  await typeDigits(page, PHONE.slice(2), kk['keypad.label']);
  await continueButton.click();
  await expect(heading).toHaveText(kk['otp.title'], { timeout: 15_000 });
  await typeDigits(page, await newOtp(request, PHONE, before), kk['keypad.label']);
  await continueButton.click();

  // cash-in to the wallet
  await expect(heading).toHaveText(kk['operations.title'], { timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${kk['op.cashIn']}`) }).click();
  await expect(heading).toHaveText(kk['product.title'], { timeout: 15_000 });
  await expect(page.getByRole('button', { name: /^Ағымдағы шот \*0101/ })).toBeVisible();
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: /^Электрондық әмиян \*0202/ }).click();

  await expect(heading).toHaveText(kk['cashIn.title'], { timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: kk['cashIn.acceptor.accepting'] })).toBeVisible({ timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await device(request, '/cash-acceptor/insert', { denomination: 2000 });
  await expect(page.locator('.figure-main dd')).toHaveText(tenge('2 000'), { timeout: 15_000 });
  // the cash-in screen showed the total, the commission and what is credited: the one consent (5.5)
  await page.getByRole('button', { name: /^Аяқтау және 2\s000\s₸ есепке алу$/ }).click();

  await expect(heading).toHaveText(/^2\s000\s₸ есепке алынды: Электрондық әмиян \*0202$/, { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await continueButton.click();
  await expect(heading).toHaveText(kk['receipt.title'], { timeout: 20_000 });
  await expect(page.getByRole('button', { name: new RegExp(`^${kk['receipt.push']}`) })).toBeVisible();
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${kk['receipt.print']}`) }).click();
  await expect(heading).toHaveText(kk['printing.printed'], { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await continueButton.click();
  await expect.poll(async () => (await account(request, 'a-aigerim-wal')).balance - wallet.balance, { timeout: 20_000 }).toBe(200_000);

  // withdrawal from the current account (the wallet is never paid out as cash, so it is the only one)
  await expect(heading).toHaveText(kk['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: new RegExp(`^${kk['op.withdraw']}`) }).click();
  await expect(heading).toHaveText(kk['amount.title'], { timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: tenge('10 000') }).click();

  // amount, commission and total, then the one consent
  await expect(heading).toHaveText(kk['confirm.title'], { timeout: 15_000 });
  await expect(page.locator('.summary-total dd')).toHaveText(tenge('10 100'));
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: kk['common.confirm'] }).click();

  await expect(heading).toHaveText(kk['takeCash.title'], { timeout: 30_000 });
  await expect(page.locator('.figure-main dd')).toHaveText(tenge('10 000'));
  await device(request, '/dispenser/take');

  await expect(heading).toHaveText(/^10\s000\s₸ қолма-қол ақша берілді$/, { timeout: 20_000 });
  await expect(page.getByText(/^Қайдан: Ағымдағы шот \*0101$/)).toBeVisible();
  await expectNoEnglishProductName(page);
  await continueButton.click();
  await expect(heading).toHaveText(kk['receipt.title'], { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${kk['receipt.none']}`) }).click();
  await expect(heading).toHaveText(kk['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: kk['common.cancel'] }).click();
  await expect(heading).not.toHaveText(kk['operations.title'], { timeout: 20_000 });
});
