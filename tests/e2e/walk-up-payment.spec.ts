/**
 * A walk-up payment against the real servers: without signing in, a customer pays a mobile
 * operator in cash. The reference screen asks for a phone (the service's kind comes with the
 * session snapshot), the note goes in through the cash-acceptor simulator, the commission is shown
 * before consent and the printed receipt carries the number the screen showed.
 */
import { expect, test } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { device, receipts, tenge, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const TOP_UP = '7011234567'; // a Kcell number: 701 + 7 digits

test('walk-up: Kcell paid in cash by phone number, commission before consent, printed receipt', async ({ page, request }) => {
  test.setTimeout(60_000);
  const heading = page.getByRole('heading', { level: 1 });
  const printedBefore = (await receipts(request)).length;

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await expect(heading).toHaveText(ru['start.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['start.payCash']}`) }).click();

  await expect(heading).toHaveText(ru['catalogue.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: /^Kcell \/ activ/ }).click();

  // a phone-type service: the phone mask and its title, not the account-number entry
  await expect(heading).toHaveText(ru['reference.phoneTitle'], { timeout: 15_000 });
  await expect(page.getByText(ru['reference.service'].replace('{name}', 'Kcell / activ'))).toBeVisible();
  const field = page.getByRole('status', { name: ru['phone.field'] }).or(page.getByLabel(ru['phone.field']));
  await typeDigits(page, TOP_UP);
  await expect(field).toHaveText(/^\+7\s?701\s?123\s?45\s?67$/);
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['cashIn.title'], { timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: ru['cashIn.acceptor.accepting'] })).toBeVisible({ timeout: 15_000 });
  await device(request, '/cash-acceptor/insert', { denomination: 2000 });
  await expect(page.locator('.figure-main dd')).toHaveText(tenge('2 000'), { timeout: 15_000 });
  // the commission is the bank's to quote: no made-up figure here, and "done inserting" is not the consent
  await expect(page.locator('.figures')).toContainText(ru['cashIn.commissionByTariff']);
  await expect(page.locator('.figures')).not.toContainText(ru['cashIn.credited']);
  await page.getByRole('button', { name: ru['cashIn.finishInserting'], exact: true }).click();

  // the one consent (5.5): amount, commission and total, first shown here
  await expect(heading).toHaveText(ru['confirm.title'], { timeout: 15_000 });
  // payService: 1 % of 2 000 ₸ is 20 ₸, below the 50 ₸ minimum; it comes out of the cash
  const figure = (label: string) => page.locator('.summary > div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(figure(ru['confirm.amount'])).toHaveText(tenge('1 950'));
  await expect(figure(ru['confirm.commission'])).toHaveText(tenge('50'));
  await expect(page.locator('.summary-total dd')).toHaveText(tenge('2 000'));
  await page.getByRole('button', { name: ru['common.confirm'] }).click();

  // the commission comes out of the cash: 1 950 ₸ paid
  await expect(heading).toHaveText(/^Платёж 1\s950\s₸ выполнен$/, { timeout: 20_000 });
  await expect(page.getByText(/^Куда: Kcell \/ activ/)).toBeVisible();
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  const receiptNumber = ((await page.getByText(/^Чек № /).textContent()) ?? '').replace('Чек № ', '').trim();
  expect(receiptNumber).not.toBe('');
  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.print']}`) }).click();

  await expect.poll(async () => (await receipts(request)).length, { timeout: 20_000 }).toBeGreaterThan(printedBefore);
  const printed = (await receipts(request)).at(-1)?.lines.join('\n') ?? '';
  expect(printed).toContain(receiptNumber);
  expect(printed).toMatch(new RegExp(`kcell\\s+${TOP_UP}`));
  expect(printed).toMatch(/Комиссия\s+50,00 тг/);
  await expect(heading).toHaveText(ru['printing.printed'], { timeout: 20_000 });
  // nobody signed in: the visit ends and the terminal waits for the next customer
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 30_000 });
});
