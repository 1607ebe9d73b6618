/**
 * The screens as a customer uses them, by role and accessible name: keypad entry with masks and
 * as-typed validation, presets, the language switch, the "more time?" prompt. Intents land on
 * window.__intents in the gallery instead of going to a core.
 */
import { expect, test, type Page } from '@playwright/test';
import { en } from '../../renderer/src/i18n/en.js';
import { kk } from '../../renderer/src/i18n/kk.js';
import { ru } from '../../renderer/src/i18n/ru.js';
import { openFixture, sentIntents } from './support/gallery.js';

const catalogues = { kk, ru, en };

async function typeDigits(page: Page, digits: string, locale: keyof typeof catalogues = 'ru'): Promise<void> {
  const pad = page.getByRole('group', { name: catalogues[locale]['keypad.label'] });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}


test('phone entry masks as typed, rejects a non-mobile prefix and submits E.164', async ({ page }) => {
  await openFixture(page, 'phoneEntry', 'ru');
  const out = page.locator(`output[aria-label="${ru['phone.field']}"]`);
  const next = page.getByRole('button', { name: ru['common.continue'] });
  await typeDigits(page, '703');
  await expect(page.getByRole('alert')).toHaveText(ru['phone.notMobile']);
  await expect(next).toBeDisabled();
  await page.getByRole('button', { name: ru['keypad.clear'] }).click();
  await typeDigits(page, '7012345678');
  await expect(out).toHaveText('+7 701 234 56 78');
  await expect(page.getByRole('alert')).toHaveText('');
  await next.click();
  expect(await sentIntents(page)).toEqual([{ name: 'submitPhone', payload: { phone: '+77012345678' } }]);
});

test('IIN entry checks the control digit as typed', async ({ page }) => {
  await openFixture(page, 'iinEntry', 'kk');
  await typeDigits(page, '900101300016', 'kk');
  await expect(page.getByRole('alert')).toHaveText(kk['iin.checkDigit']);
  await expect(page.getByRole('button', { name: kk['common.continue'] })).toBeDisabled();
  await page.getByRole('button', { name: kk['keypad.delete'] }).click();
  await typeDigits(page, '7', 'kk');
  await expect(page.locator(`output[aria-label="${kk['iin.field']}"]`)).toHaveText('900101 300017');
  await page.getByRole('button', { name: kk['common.continue'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'submitIin', payload: { iin: '900101300017' } }]);
});

test('OTP digits are never shown, and resend waits for its time', async ({ page }) => {
  await openFixture(page, 'otpEntry', 'en');
  await typeDigits(page, '4829', 'en');
  const out = page.locator(`output[aria-label="${en['otp.field']}"]`);
  await expect(out).toHaveText('●●●●');
  await expect(page.getByRole('button', { name: /New code in 25 seconds/ })).toBeDisabled();
  await expect(page.getByText('2 attempts left')).toBeVisible();
  await typeDigits(page, '13', 'en');
  await page.getByRole('button', { name: en['common.continue'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'submitOtp', payload: { code: '482913' } }]);
  // the screen stays while the core checks (and when it refuses): the sent code is gone, the next one starts empty
  await expect(out).toHaveText('○○○○○○'); // the empty field's placeholder
  await expect(page.getByRole('button', { name: en['common.continue'] })).toBeDisabled();
});

test('withdrawal presets and typed amounts in integer tiyn, with the multiple rule', async ({ page }) => {
  await openFixture(page, 'amountEntry', 'ru');
  await typeDigits(page, '1234');
  await expect(page.getByRole('alert')).toContainText('Сумма должна быть кратна 1');
  await page.getByRole('button', { name: ru['keypad.clear'] }).click();
  await typeDigits(page, '15000');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await page.getByRole('button', { name: /^50\s000 ₸$/ }).click();
  expect(await sentIntents(page)).toEqual([
    { name: 'selectAmount', payload: { amount: 1_500_000 } },
    { name: 'selectAmount', payload: { amount: 5_000_000 } },
  ]);
});

test('the attract screen switches language and starts', async ({ page }) => {
  await openFixture(page, 'attract', 'kk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(kk['attract.welcome']);
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['attract.welcome']);
  await expect(page.locator('.app')).toHaveAttribute('lang', 'ru');
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  expect(await sentIntents(page)).toEqual([
    { name: 'setLocale', payload: { locale: 'ru' } },
    { name: 'start' },
  ]);
});

test('the "more time?" prompt counts down and answers', async ({ page }) => {
  await openFixture(page, 'moreTime', 'ru');
  const dialog = page.getByRole('alertdialog', { name: ru['moreTime.title'] });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('timer')).toHaveText('Сеанс завершится через 20 секунд');
  await dialog.getByRole('button', { name: ru['moreTime.yes'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'moreTime' }]);
});

test('a refusal says why and what to do next', async ({ page }) => {
  await openFixture(page, 'refusal', 'ru');
  await expect(page.getByRole('alert')).toHaveText(ru['error.insufficientFunds.reason']);
  await expect(page.getByText(ru['error.insufficientFunds.next'])).toBeVisible();
  await page.getByRole('button', { name: ru['common.toStart'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'finish' }]);
});

test('cash-in shows the running total and each note', async ({ page }) => {
  await openFixture(page, 'cashIn', 'ru');
  await expect(page.locator('.figure-main dd')).toHaveText(/^15\s000\s₸$/);
  await expect(page.locator('.note')).toHaveText([/2\s000\s₸: проверяем/, /10\s000\s₸: принята/, /2\s000\s₸: возвращена/, /5\s000\s₸: принята/]);
  // A note still in escrow: finishing must wait.
  await expect(page.getByRole('button', { name: /Завершить и зачислить/ })).toBeDisabled();
});

test('a service paid in cash: no commission figure before the bank quotes it, and finishing is not the consent', async ({ page }) => {
  for (const [locale, catalogue] of Object.entries(catalogues) as Array<[keyof typeof catalogues, typeof ru]>) {
    await openFixture(page, 'cashInOffline', locale);
    const figures = page.locator('.figures');
    await expect(figures).toContainText(catalogue['cashIn.commissionByTariff']);
    await expect(figures).not.toContainText(catalogue['cashIn.credited']);
    await expect(figures.locator('.figure dd').nth(1)).not.toHaveText(/₸/);
    await page.getByRole('button', { name: catalogue['cashIn.finishInserting'], exact: true }).click();
    expect(await sentIntents(page)).toEqual([{ name: 'finishCashIn' }]);
  }
});

test('service search filters by letters typed on screen', async ({ page }) => {
  await openFixture(page, 'serviceCatalogue', 'en');
  const list = page.locator('.service-list li');
  await expect(list).toHaveCount(6);
  for (const ch of 'TELE') await page.getByRole('button', { name: ch, exact: true }).click();
  await expect(list).toHaveCount(1);
  await list.getByRole('button').click();
  expect(await sentIntents(page)).toEqual([{ name: 'selectService', payload: { serviceId: 'tele2' } }]);
});

test('disambiguation offers birth date or personal code', async ({ page }) => {
  await openFixture(page, 'disambiguate', 'ru');
  await typeDigits(page, '31021990');
  await expect(page.getByRole('alert')).toHaveText(ru['birthDate.invalid']);
  await page.getByRole('button', { name: ru['keypad.clear'] }).click();
  await typeDigits(page, '15031990');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await page.getByRole('button', { name: ru['disambiguate.byPersonalCode'] }).click();
  await typeDigits(page, '2580');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  expect(await sentIntents(page)).toEqual([
    { name: 'submitBirthDate', payload: { birthDate: '1990-03-15' } },
    { name: 'submitPersonalCode', payload: { code: '2580' } },
  ]);
});


test('a mobile top-up reference is typed as a phone number', async ({ page }) => {
  await openFixture(page, 'serviceReference', 'ru');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru['reference.phoneTitle']);
  await typeDigits(page, '7071234567');
  await expect(page.locator(`output[aria-label="${ru['phone.field']}"]`)).toHaveText('+7 707 123 45 67');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'submitReference', payload: { reference: '+77071234567' } }]);
});

test('an error the core reports on the same screen is shown there with the next step', async ({ page }) => {
  await openFixture(page, 'otpWrong', 'ru');
  const banner = page.getByRole('alert').filter({ hasText: ru['error.otpWrong.reason'] });
  await expect(banner).toContainText(ru['error.otpWrong.next']);
  await expect(page.getByText('Осталась 1 попытка')).toBeVisible();
  await page.getByRole('button', { name: ru['otp.resend'] }).click();
  expect(await sentIntents(page)).toEqual([{ name: 'resendOtp' }]);
});
