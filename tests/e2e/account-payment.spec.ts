/**
 * A service paid from an account against the real servers: signed in by phone and the code from
 * the SMS outbox, the customer picks Kcell, types the number, chooses the current account on the
 * "how to pay" screen, enters 2 000 ₸, sees the 50 ₸ commission and the total and the account it
 * is paid from before consenting, and gets a printed receipt; the ledger is lowered once.
 */
import { expect, test } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { account, expectNoEnglishProductName, messagesTo, newOtp, receipts, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const PHONE = '+77011234567';
const TOP_UP = '7011234567';

test('Kcell 2 000 ₸ paid from the current account: commission and source before consent, one debit, printed receipt', async ({ page, request }) => {
  test.setTimeout(60_000);
  const heading = page.getByRole('heading', { level: 1 });
  const continueButton = page.getByRole('button', { name: ru['common.continue'] });
  const before = await account(request, 'a-aigerim-cur');
  const smsBefore = (await messagesTo(request, PHONE)).length;
  const printedBefore = (await receipts(request)).length;

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru['identify.phone']}`) }).first().click();
  await typeDigits(page, PHONE.slice(2));
  await continueButton.click();
  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await typeDigits(page, await newOtp(request, PHONE, smsBefore));
  await continueButton.click();

  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${ru['op.payService']}`) }).click();
  await expect(heading).toHaveText(ru['catalogue.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: /^Kcell \/ activ/ }).click();
  await expect(heading).toHaveText(ru['reference.phoneTitle'], { timeout: 15_000 });
  await typeDigits(page, TOP_UP);
  await continueButton.click();

  await expect(heading).toHaveText(ru['source.title'], { timeout: 15_000 });
  await expect(page.getByRole('button', { name: new RegExp(`^${ru['source.cash']}`) })).toBeEnabled();
  await expect(page.getByRole('button', { name: /^Loan/ })).toHaveCount(0);
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: /^Текущий счёт \*0101/ }).click();

  await expect(heading).toHaveText(ru['amount.payTitle'], { timeout: 15_000 });
  await typeDigits(page, '2000');
  await continueButton.click();

  await expect(heading).toHaveText(ru['confirm.title'], { timeout: 15_000 });
  const summary = page.locator('.summary');
  await expect(summary).toContainText(ru['confirm.from']);
  await expect(summary).toContainText('Текущий счёт *0101');
  await expect(summary).toContainText(/50\s₸/);
  await expect(page.locator('.summary-total dd')).toHaveText(/^2\s050\s₸$/);
  expect((await account(request, 'a-aigerim-cur')).held).toBe(0);
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: ru['common.confirm'] }).click();

  await expect(heading).toHaveText(/^Платёж 2\s000\s₸ выполнен$/, { timeout: 20_000 });
  await expect(page.getByText(/^Комиссия: 50\s₸$/)).toBeVisible();
  await expectNoEnglishProductName(page);
  await continueButton.click();
  await expect(heading).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  const receiptNumber = ((await page.getByText(/^Чек № /).textContent()) ?? '').replace('Чек № ', '').trim();
  expect(receiptNumber).not.toBe('');
  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.print']}`) }).click();
  await expect.poll(async () => (await receipts(request)).length, { timeout: 20_000 }).toBeGreaterThan(printedBefore);
  const printed = (await receipts(request)).at(-1)?.lines.join('\n') ?? '';
  expect(printed).toContain(receiptNumber);
  expect(printed).toMatch(new RegExp(`Kcell / activ\\s+${TOP_UP}`));
  expect(printed).toMatch(/Комиссия\s+50,00 тг/);

  await expect.poll(async () => before.balance - (await account(request, 'a-aigerim-cur')).balance, { timeout: 20_000 }).toBe(205_000);
  await expect(heading).toHaveText(ru['printing.printed'], { timeout: 15_000 });
  await continueButton.click();
  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
