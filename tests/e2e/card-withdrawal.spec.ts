/**
 * A card visit against the real servers: the card is swiped through the card-reader simulator, the
 * code the bank texts to the card holder signs her in, 10 000 ₸ are withdrawn and taken from the
 * dispenser, and the bank's ledger shows the account lowered by the amount plus the commission.
 */
import { expect, test } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { account, device, expectNoEnglishProductName, messagesTo, newOtp, tenge, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const AIGERIM = { phone: '+77011234567', account: 'a-aigerim-cur', card: { pan: '4400430000000015', expiry: '3012', name: 'SEITKALI/AIGERIM' } };
const AMOUNT = 1_000_000; // 10 000 ₸ in tiyn
const COMMISSION = 10_000; // 0.5 % is 50 ₸, below the 100 ₸ minimum

test('card, SMS code, 10 000 ₸ withdrawn and taken; the ledger lowered by amount plus commission', async ({ page, request }) => {
  test.setTimeout(60_000);
  const heading = page.getByRole('heading', { level: 1 });
  const before = await account(request, AIGERIM.account);
  const smsBefore = (await messagesTo(request, AIGERIM.phone)).length;

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru['identify.card']}`) }).first().click();
  // the configured reader is a magnetic-stripe swipe reader: the prompt says swipe, not "chip first"
  await expect(heading).toHaveText(ru['card.swipe.title'], { timeout: 15_000 });
  await device(request, '/card-reader/insert', AIGERIM.card);

  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await typeDigits(page, await newOtp(request, AIGERIM.phone, smsBefore));
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${ru['op.withdraw']}`) }).click();
  // the wallet is never withdrawn as cash, so the current account is the only choice and is taken as chosen

  await expect(heading).toHaveText(ru['amount.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: tenge('10 000') }).click();

  await expect(heading).toHaveText(ru['confirm.title'], { timeout: 15_000 });
  await expect(page.locator('.summary-total dd')).toHaveText(tenge('10 100'));
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: ru['common.confirm'] }).click();

  await expect(heading).toHaveText(ru['takeCash.title'], { timeout: 30_000 });
  await expect(page.locator('.figure-main dd')).toHaveText(tenge('10 000'));
  await device(request, '/dispenser/take');

  await expect(heading).toHaveText(/^Снятие 10\s000\s₸ выполнено$/, { timeout: 20_000 });
  await expect(page.getByText(/^Комиссия: 100\s₸$/)).toBeVisible();
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await expect
    .poll(async () => {
      const now = await account(request, AIGERIM.account);
      return { debited: before.balance - now.balance, held: now.held - before.held };
    }, { timeout: 15_000 })
    .toEqual({ debited: AMOUNT + COMMISSION, held: 0 });

  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.none']}`) }).click();
  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
