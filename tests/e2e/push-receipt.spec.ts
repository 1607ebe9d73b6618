/**
 * Receipt by push to the bank's app: a customer who has the app (Aigerim) gets her code in the app,
 * tops up, and asks for the receipt in the app while the bank is unreachable. The receipt waits in
 * the terminal's outbox and, once the bank is back, arrives in the app's inbox exactly once; the
 * simulator panel shows the same inbox.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { device, expectNoEnglishProductName, messagesTo, newOtp, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const PHONE = '+77011234567';
const CUSTOMER = 'c-aigerim';

/** the receipt itself (its printed lines as text), not the bank's one-line "credited" notice that names it */
const isReceipt = (text: string, receiptNumber: string): boolean => text.includes(receiptNumber) && text.includes('\n');

async function appInbox(request: APIRequestContext): Promise<string[]> {
  const res = await request.get(`${stack.bankUrl}/admin/push?customer=${CUSTOMER}`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { messages: Array<{ text: string }> }).messages.map((m) => m.text);
}

async function faults(request: APIRequestContext, body?: unknown): Promise<void> {
  const res = body === undefined ? await request.delete(`${stack.bankUrl}/admin/faults`) : await request.post(`${stack.bankUrl}/admin/faults`, { data: body });
  expect(res.ok(), await res.text()).toBe(true);
}

test('a receipt sent to the app while the bank is down arrives once in the app inbox', async ({ page, request, context }) => {
  test.setTimeout(120_000);
  const heading = page.getByRole('heading', { level: 1 });
  const continueButton = page.getByRole('button', { name: ru['common.continue'] });
  const before = (await messagesTo(request, PHONE)).length;

  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru['identify.phone']}`) }).first().click();
  await typeDigits(page, PHONE.slice(2));
  await continueButton.click();

  await expect(heading).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await expect(page.getByText(ru['otp.sentToApp'])).toBeVisible();
  await typeDigits(page, await newOtp(request, PHONE, before));
  await continueButton.click();

  await expect(heading).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['op.cashIn']}`) }).click();
  await expect(heading).toHaveText(ru['product.title']);
  await expectNoEnglishProductName(page);
  await page.getByRole('button', { name: /^Текущий счёт \*0101/ }).click();
  await expect(page.getByRole('status').filter({ hasText: ru['cashIn.acceptor.accepting'] })).toBeVisible({ timeout: 15_000 });
  await device(request, '/cash-acceptor/insert', { denomination: 1000 });
  await page.getByRole('button', { name: /^Завершить и зачислить 1\s000\s₸/ }).click({ timeout: 15_000 });

  await expect(heading).toHaveText(/^1\s000\s₸ зачислено: Текущий счёт \*0101$/, { timeout: 20_000 });
  await continueButton.click();
  await expect(heading).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  const receiptNumber = ((await page.getByText(/^Чек № /).textContent()) ?? '').replace('Чек № ', '').trim();
  expect(receiptNumber).not.toBe('');

  // the bank goes away; the receipt is queued on the terminal all the same
  await faults(request, { mode: 'down', durationMs: 120_000 });
  try {
    await page.getByRole('button', { name: new RegExp(`^${ru['receipt.push']}`) }).click();
    await expect(heading).toHaveText(ru['operations.title'], { timeout: 20_000 });
    expect((await appInbox(request)).filter((t) => isReceipt(t, receiptNumber))).toEqual([]);
  } finally {
    await faults(request);
  }

  // back: the terminal's outbox delivers it, and the bank pushes it once
  await expect.poll(async () => (await appInbox(request)).filter((t) => isReceipt(t, receiptNumber)).length, { timeout: 60_000 }).toBe(1);
  const applied = await request.get(`${stack.bankUrl}/admin/messages`);
  const pushes = ((await applied.json()) as { messages: Array<{ kind: string; status: string }> }).messages.filter((m) => m.kind === 'receiptPush' && m.status === 'applied');
  expect(pushes.length).toBeGreaterThanOrEqual(1);
  expect((await appInbox(request)).filter((t) => isReceipt(t, receiptNumber))).toHaveLength(1);

  // the simulator panel shows the app's inbox
  const panel = await context.newPage();
  await panel.goto(`${stack.devicesUrl}/`);
  await panel.locator('#bank-url').fill(stack.bankUrl);
  await panel.locator('#bank-url').dispatchEvent('change');
  await expect(panel.locator('#app-customer')).toHaveValue(CUSTOMER, { timeout: 10_000 });
  await expect(panel.locator('#app-inbox li').filter({ hasText: receiptNumber })).toHaveCount(2, { timeout: 10_000 }); // the notice and the receipt

  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
});
