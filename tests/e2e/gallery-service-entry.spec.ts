/**
 * The technician's entry screens as a technician uses them, from their gallery fixtures: what is
 * typed on the keypad goes out as integers in `serviceAction.params`, a count over the cassette's
 * capacity is caught as typed, and "back to menu" leaves the entry screen without a word to the core.
 * The login forgets a PIN once sent, so a retry after a refusal is typed from an empty field.
 */
import { expect, test, type Page } from '@playwright/test';
import { en } from '../../renderer/src/i18n/en.js';
import { kk } from '../../renderer/src/i18n/kk.js';
import { ru } from '../../renderer/src/i18n/ru.js';
import { openFixture, sentIntents } from './support/gallery.js';

const catalogues = { kk, ru, en };

async function typeDigits(page: Page, digits: string, locale: keyof typeof catalogues): Promise<void> {
  const pad = page.getByRole('group', { name: catalogues[locale]['keypad.label'] });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

test('service login sends the id and PIN, then forgets the PIN: a retry after a refusal starts from an empty field', async ({ page }) => {
  await openFixture(page, 'serviceLogin', 'ru');
  const pin = page.locator(`output[aria-label="${ru['service.code']}"]`);
  const go = page.getByRole('button', { name: ru['common.continue'] });
  await page.getByLabel(ru['service.userId']).fill('T001');
  await typeDigits(page, '90901', 'ru');
  await expect(pin).toHaveText('●●●●●');
  await go.click();
  await expect(pin).toHaveText('');
  await expect(go).toBeDisabled();
  // the id stays (it is no secret); only the new PIN goes out, not the refused one's digits before it
  await typeDigits(page, '1357', 'ru');
  await go.click();
  expect(await sentIntents(page)).toEqual([
    { name: 'serviceLogin', payload: { code: '90901', userId: 'T001' } },
    { name: 'serviceLogin', payload: { code: '1357', userId: 'T001' } },
  ]);
});

test('receipt look-up sends the typed digits; an unknown number is named', async ({ page }) => {
  await openFixture(page, 'serviceLookupUnknown', 'en');
  await expect(page.getByRole('alert').filter({ hasText: 'No receipt 999 on this terminal' })).toBeVisible();
  const find = page.getByRole('button', { name: en['service.lookup.find'] });
  await expect(find).toBeDisabled();
  await typeDigits(page, '000123', 'en');
  await expect(page.locator(`output[aria-label="${en['service.lookup.field']}"]`)).toHaveText('000123');
  await find.click();
  expect(await sentIntents(page)).toEqual([{ name: 'serviceAction', payload: { action: 'lookupReceipt', params: { receiptNumber: '000123', locale: 'en' } } }]);
});

test('a found receipt reads as printed and asks for a copy by its number', async ({ page }) => {
  await openFixture(page, 'serviceLookupFound', 'ru');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Чек № T0001-000123');
  await expect(page.getByRole('region', { name: ru['service.lookup.paper'] })).toContainText('Пополнение счёта');
  await page.getByRole('button', { name: ru['service.lookup.printCopy'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'serviceAction', payload: { action: 'printReceiptCopy', params: { receiptNumber: 'T0001-000123', locale: 'ru' } } }]);
});

test('lost receipts name how each was lost and whether an SMS went instead; a copy is asked for by number', async ({ page }) => {
  await openFixture(page, 'serviceLostReceipts', 'kk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk['service.lost.title']);
  const lost = page.locator('li[data-receipt="T0001-000123"]');
  await expect(lost).toContainText(kk['service.lost.state.lost']);
  await expect(lost).toContainText(kk['service.lost.sms.delivered']);
  await expect(page.locator('li[data-receipt="T0001-000125"]')).toContainText(kk['service.lost.noSms']);
  await lost.getByRole('button', { name: kk['service.lookup.printCopy'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'serviceAction', payload: { action: 'lostReceipts', params: { receiptNumber: 'T0001-000123', locale: 'kk' } } }]);
});

test('withdrawals left open say what was known; a decision waits for a comment and goes out with it, by withdrawal id', async ({ page }) => {
  await openFixture(page, 'serviceOpenWithdrawals', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['service.open.title']);
  await expect(page.locator('li[data-withdrawal="wd-7f3a"]')).toContainText(en['service.open.known.notCounted']);
  const perhaps = page.locator('li[data-withdrawal="wd-81c2"]');
  await expect(perhaps).toContainText('3 notes counted into the presenter, perhaps presented');
  const released = perhaps.getByRole('button', { name: en['service.open.notDispensed'] });
  await expect(released).toBeDisabled();
  await perhaps.getByLabel(en['service.open.comment']).fill('Presenter empty; the customer says no cash came out');
  await released.click();
  expect(await sentIntents(page)).toEqual([
    {
      name: 'serviceAction',
      payload: { action: 'openWithdrawals', params: { withdrawalId: 'wd-81c2', decision: 'notDispensed', comment: 'Presenter empty; the customer says no cash came out', locale: 'en' } },
    },
  ]);
});

test('collection sends only the lines counted differently, as integers', async ({ page }) => {
  await openFixture(page, 'serviceCollectCount', 'kk');
  // the first line is selected; the keypad types into it
  await typeDigits(page, '40', 'kk');
  await page.locator('button[data-field="reject/1000000"]').click();
  await typeDigits(page, '0', 'kk');
  await page.getByRole('button', { name: kk['service.collect.confirm'] }).click();
  expect(await sentIntents(page)).toEqual([
    { name: 'serviceAction', payload: { action: 'collect', params: { confirm: 1, 'cashBox/200000': 40, 'reject/1000000': 0, locale: 'kk' } } },
  ]);
});

test('replenishment catches a count over capacity as typed, then sends loaded and taken-out notes', async ({ page }) => {
  await openFixture(page, 'serviceReplenishEnter', 'en');
  const submit = page.getByRole('button', { name: en['service.replenish.submit'] });
  await typeDigits(page, '3000', 'en');
  await expect(page.getByRole('alert').filter({ hasText: 'At most 2500 notes' })).toBeVisible();
  await expect(submit).toBeDisabled();
  await page.getByRole('button', { name: en['keypad.delete'] }).click();
  await page.getByRole('button', { name: en['keypad.delete'] }).click();
  await page.locator('button[data-field="removed/0"]').click();
  await typeDigits(page, '36', 'en');
  await expect(page.locator('button[data-field="load/0"] output')).toHaveText('30');
  await submit.click();
  expect(await sentIntents(page)).toEqual([{ name: 'serviceAction', payload: { action: 'replenish', params: { 'load/0': 30, 'removed/0': 36, locale: 'en' } } }]);
});

test('back to menu shows the menu again without asking the core', async ({ page }) => {
  await openFixture(page, 'serviceReplenishDone', 'ru');
  await expect(page.getByText(ru['service.slipNotPrinted'])).toBeVisible();
  await page.getByRole('button', { name: ru['service.backToMenu'] }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['service.menuTitle']);
  expect(await sentIntents(page)).toEqual([]);
  await page.getByRole('button', { name: ru['service.action.collect'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'serviceAction', payload: { action: 'collect', params: { locale: 'ru' } } }]);
  // the fixture never answers: the previous action's answer stays stale, so the menu waits instead
  await expect(page.getByRole('status').filter({ hasText: ru['service.working'] })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['service.menuTitle']);
  await expect(page.getByText(ru['service.slipNotPrinted'])).toHaveCount(0);
});

test('reopening an action never shows the previous action\'s answer while the new one is awaited', async ({ page }) => {
  await openFixture(page, 'serviceLookupFound', 'en');
  await page.getByRole('button', { name: en['service.backToMenu'] }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['service.menuTitle']);
  await page.getByRole('button', { name: en['service.action.lookupReceipt'] }).click();
  await expect(page.getByRole('status').filter({ hasText: en['service.working'] })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['service.menuTitle']);
  await expect(page.getByRole('region', { name: en['service.lookup.paper'] })).toHaveCount(0);
});

test('a free-form answer is not shown under the menu once another action is asked for', async ({ page }) => {
  await openFixture(page, 'serviceMenu', 'ru');
  await expect(page.locator('.service-result')).toContainText('"action": "cashUnits"');
  await page.getByRole('button', { name: ru['service.action.diagnostics'] }).click();
  await expect(page.locator('.service-result')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: ru['service.working'] })).toBeVisible();
  expect(await sentIntents(page)).toEqual([{ name: 'serviceAction', payload: { action: 'diagnostics' } }]);
});
