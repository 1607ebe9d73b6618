/**
 * A whole customer visit against the real servers, by role and accessible name: sign in by
 * phone, read the OTP the bank pushed to the customer's app, top up with several notes inserted
 * through the device simulator ("finish and credit" is the one consent), see the outcome with the
 * amount, print the receipt, take it, and read it back from the printer. No English product name
 * on the Russian screens.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { expectNoEnglishProductName } from './support/customer.js';
import { realCoreShot } from './support/screens.js';
import { stack } from './support/stack-env.js';

const PHONE = '+77011234567'; // seeded customer with a current account and a wallet

async function typeDigits(page: Page, digits: string): Promise<void> {
  const pad = page.getByRole('group', { name: ru['keypad.label'] });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

/** what the bank sent the phone: by SMS, or by push to the app of a customer who has it */
async function smsTo(request: APIRequestContext, phone: string): Promise<Array<{ channel: string; text: string }>> {
  const res = await request.get(`${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { messages: Array<{ channel: string; text: string }> }).messages;
}

async function receipts(request: APIRequestContext): Promise<Array<{ lines: string[] }>> {
  const res = await request.get(`${stack.devicesUrl}/printer/receipts`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as Array<{ lines: string[] }>;
}

const tenge = (n: string) => new RegExp(`^${n.replace(' ', '\\s')}\\s₸$`);

test('phone + code in the bank app, cash-in of three notes, outcome, printed receipt taken', async ({ page, request }, info) => {
  test.setTimeout(90_000);
  const smsBefore = (await smsTo(request, PHONE)).length;
  const printedBefore = (await receipts(request)).length;
  const heading = page.getByRole('heading', { level: 1 });

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome']);
  await page.getByRole('button', { name: ru['attract.touch'] }).click();

  await page.getByRole('button', { name: new RegExp(`^${ru['identify.phone']}`) }).first().click();
  await expect(heading).toHaveText(ru['phone.title']);
  await typeDigits(page, PHONE.slice(2));
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await expect(page.getByText(ru['otp.sentToApp'])).toBeVisible(); // she has the bank's app (8.11)
  let code = '';
  await expect
    .poll(async () => {
      const sms = await smsTo(request, PHONE);
      code = sms.length > smsBefore ? (/\b(\d{4,8})\b/.exec(sms.at(-1)?.text ?? '')?.[1] ?? '') : '';
      return code;
    })
    .toMatch(/^\d{4,8}$/);
  await typeDigits(page, code);
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: new RegExp(`^${ru['op.cashIn']}`) }).click();
  await expect(heading).toHaveText(ru['product.title']);
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: /^Текущий счёт \*0101/ }).click();

  await expect(heading).toHaveText(ru['cashIn.title'], { timeout: 15_000 });
  const total = page.locator('.figure-main dd');
  let expected = 0;
  for (const note of [1000, 5000, 2000]) {
    await expect(page.getByRole('status').filter({ hasText: ru['cashIn.acceptor.accepting'] })).toBeVisible({ timeout: 15_000 });
    const res = await request.post(`${stack.devicesUrl}/cash-acceptor/insert`, { data: { denomination: note } });
    expect(res.ok(), await res.text()).toBe(true);
    expected += note;
    await expect(total).toHaveText(tenge(expected.toLocaleString('ru-RU').replace(/\s/g, ' ')), { timeout: 15_000 });
  }
  await expect(page.locator('.note-stacked')).toHaveCount(3);
  await expectNoEnglishProductName(page);
  await realCoreShot(page, info, 'cash-in-ru');
  // the cash-in screen showed total, commission and what is credited: this press is the consent (5.5)
  await page.getByRole('button', { name: /^Завершить и зачислить 8\s000\s₸/ }).click();

  await expect(heading).toHaveText(/^8\s000\s₸ зачислено: Текущий счёт \*0101$/, { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await realCoreShot(page, info, 'outcome-ru');
  await page.getByRole('button', { name: ru['common.continue'] }).click();

  await expect(heading).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  await expect(page.getByRole('button', { name: new RegExp(`^${ru['receipt.push']}`) })).toBeVisible();
  await expectNoEnglishProductName(page);
  await realCoreShot(page, info, 'receipt-ru');
  const numberText = (await page.getByText(/^Чек № /).textContent()) ?? '';
  const receiptNumber = numberText.replace('Чек № ', '').trim();
  expect(receiptNumber).not.toBe('');
  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.print']}`) }).click();

  // Printed: "take your receipt", then the customer, still signed in, is offered the operations again.
  await expect(heading).toHaveText(ru['printing.printed'], { timeout: 20_000 });
  await expectNoEnglishProductName(page);
  await realCoreShot(page, info, 'printed-ru');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading).toHaveText(ru['operations.title'], { timeout: 20_000 });
  await expect.poll(async () => (await receipts(request)).length).toBeGreaterThan(printedBefore);
  const printed = (await receipts(request)).at(-1)?.lines.join('\n') ?? '';
  expect(printed).toContain(receiptNumber);

  // Leave as a customer does; the terminal returns to the attract screen for the next one.
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
