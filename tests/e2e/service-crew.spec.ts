/**
 * Service crews in the browser against the real servers: a collector enters with the service switch
 * and their own PIN, collects after three customer cash-ins (the screen's counts, the counters and
 * the journal agree) and is offered none of the technician's functions; a technician runs every
 * device test, each moving the emulated hardware with its outcome on screen; a third wrong PIN
 * locks entry for the configured time (one minute here) and the bank's /admin/terminals shows it,
 * after which the right PIN opens service mode again. Portrait only (playwright.config.ts).
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { testCards } from '../../simulators/common/test-cards.js';
import { device, typeDigits } from './support/customer.js';
import { stack } from './support/stack-env.js';

const heading = (page: Page) => page.getByRole('heading', { level: 1 });

async function openSwitch(page: Page, request: APIRequestContext): Promise<void> {
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await expect(heading(page)).toHaveText(ru['attract.welcome'], { timeout: 15_000 });
  await device(request, '/service-switch', { open: true });
  await expect(heading(page)).toHaveText(ru['service.loginTitle'], { timeout: 15_000 });
}

async function typeLogin(page: Page, userId: string, pin: string): Promise<void> {
  await page.getByLabel(ru['service.userId']).fill(userId);
  await typeDigits(page, pin);
  await page.getByRole('button', { name: ru['common.continue'] }).click();
}

async function leave(page: Page, request: APIRequestContext): Promise<void> {
  const exit = page.getByRole('button', { name: ru['service.action.exit'] });
  if (await exit.isVisible()) await exit.click();
  await device(request, '/service-switch', { open: false });
  await expect(heading(page)).toHaveText(ru['attract.welcome'], { timeout: 20_000 });
}

/** a walk-up payment of one 2 000 tenge note to a mobile operator, as a customer does it */
async function cashIn(page: Page, request: APIRequestContext): Promise<void> {
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await expect(heading(page)).toHaveText(ru['start.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['start.payCash']}`) }).click();
  await expect(heading(page)).toHaveText(ru['catalogue.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: /^Kcell \/ activ/ }).click();
  await expect(heading(page)).toHaveText(ru['reference.phoneTitle'], { timeout: 15_000 });
  await typeDigits(page, '7011234567');
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading(page)).toHaveText(ru['cashIn.title'], { timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: ru['cashIn.acceptor.accepting'] })).toBeVisible({ timeout: 15_000 });
  await device(request, '/cash-acceptor/insert', { denomination: 2000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['cashIn.finish'].replace(' {amount}', '')}`) }).click();
  await expect(heading(page)).toHaveText(ru['confirm.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['common.confirm'] }).click();
  await expect(heading(page)).toHaveText(/^Платёж 1\s950\s₸ выполнен$/, { timeout: 20_000 });
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading(page)).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.print']}`) }).click();
  await expect(heading(page)).toHaveText(ru['attract.welcome'], { timeout: 40_000 });
}

type Counter = { unit: string; denomination: number; count: number };

async function cashUnits(page: Page): Promise<{ counters: Counter[]; journalAgrees: boolean }> {
  await page.getByRole('button', { name: ru['service.action.cashUnits'] }).click();
  const result = page.locator('.service-result');
  await expect(result).toContainText('"journalAgrees"', { timeout: 15_000 });
  return JSON.parse((await result.textContent()) ?? '{}') as { counters: Counter[]; journalAgrees: boolean };
}

const TECHNICIAN_ONLY = ['diagnostics', 'testAcceptor', 'testDispense', 'testCardRead', 'testPalm', 'testPresenter', 'testPrint', 'resetDevice', 'deadLetters', 'verifyJournal', 'outOfService', 'configuration', 'exportLogs'] as const;

test('a collector collects after three cash-ins: screen = counters = journal; no technician functions', async ({ page, request }) => {
  test.setTimeout(180_000);
  // what earlier visits left in the box is collected first, so the three notes stand alone
  await openSwitch(page, request);
  await typeLogin(page, 'C001', '2468');
  await expect(heading(page)).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
  for (const a of TECHNICIAN_ONLY) await expect(page.getByRole('button', { name: ru[`service.action.${a}`] })).toHaveCount(0);
  await page.getByRole('button', { name: ru['service.action.collect'] }).click();
  await expect(heading(page)).toHaveText(ru['service.collect.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['service.collect.confirm'] }).click();
  await expect(heading(page)).toHaveText(ru['service.collect.done'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['service.backToMenu'] }).click();
  await leave(page, request);

  for (let i = 0; i < 3; i++) await cashIn(page, request);

  await openSwitch(page, request);
  await typeLogin(page, 'C001', '2468');
  await expect(heading(page)).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
  const before = await cashUnits(page);
  expect(before.journalAgrees).toBe(true);
  expect(before.counters.filter((c) => c.unit === 'cashBox' && c.count !== 0)).toEqual([{ unit: 'cashBox', denomination: 200_000, count: 3 }]);

  await page.getByRole('button', { name: ru['service.action.collect'] }).click();
  await expect(heading(page)).toHaveText(ru['service.collect.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['service.collect.confirm'] }).click();
  await expect(heading(page)).toHaveText(ru['service.collect.done'], { timeout: 15_000 });
  await expect(page.locator('main, #root').first()).toContainText('3 купюры');
  const numberText = (await page.locator('.service-receipt-number').textContent()) ?? '';
  const receiptNumber = /(\S+-\d{8}-\d{6})/.exec(numberText)?.[1] ?? '';
  expect(receiptNumber).not.toBe('');
  // the slip as printed names the collection and its three notes
  const printed = (await (await request.get(`${stack.devicesUrl}/printer/receipts`)).json()) as Array<{ lines: string[] }>;
  const slip = printed.at(-1)?.lines.join('\n') ?? '';
  expect(slip).toContain(receiptNumber);
  // the counter line of the cash box: 3 notes of 2 000 tenge
  expect(slip).toMatch(/\s3 = 6[\s\u00a0\u202f]?000/);

  await page.getByRole('button', { name: ru['service.backToMenu'] }).click();
  const after = await cashUnits(page);
  expect(after.journalAgrees).toBe(true);
  expect(after.counters.filter((c) => c.unit === 'cashBox' && c.count !== 0)).toEqual([]);
  await leave(page, request);
});

test('a technician runs every device test, each with its outcome on screen', async ({ page, request }) => {
  test.setTimeout(120_000);
  await openSwitch(page, request);
  try {
    await typeLogin(page, 'T001', '1357');
    await expect(heading(page)).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
    const outcome = page.locator('.service-outcome[data-outcome]');
    const run = async (action: (typeof TECHNICIAN_ONLY)[number], expected: string, during?: () => Promise<void>): Promise<void> => {
      await page.getByRole('button', { name: ru[`service.action.${action}`] }).click();
      await during?.();
      await expect(outcome).toHaveAttribute('data-outcome', expected, { timeout: 30_000 });
      await expect(outcome).toHaveText(ru[`service.outcome.${expected}` as keyof typeof ru]);
    };
    // the acceptor takes the note only once the test has enabled it
    await run('testAcceptor', 'returned', async () => {
      await expect.poll(async () => (await request.post(`${stack.devicesUrl}/cash-acceptor/insert`, { data: { denomination: 1000 } })).ok(), { timeout: 15_000 }).toBe(true);
    });
    await run('testDispense', 'rejectBin');
    const card = testCards[0]!;
    await run('testCardRead', 'read', () => device(request, '/card-reader/insert', { pan: card.pan, expiry: card.expiry, name: card.name }));
    await expect(page.locator('.service-result')).toContainText(`${card.pan.slice(0, 6)}******${card.pan.slice(-4)}`);
    await expect(page.locator('.service-result')).not.toContainText(card.pan);
    await device(request, '/card-reader/remove');
    await run('testPalm', 'captured', async () => {
      await expect.poll(async () => ((await (await request.post(`${stack.devicesUrl}/palm/present`, { data: { subject: 'palm-stranger' } })).json()) as { capturing?: boolean }).capturing, { timeout: 15_000 }).toBe(true);
    });
    await run('testPresenter', 'cycled');
    await page.getByRole('button', { name: ru['service.action.testPrint'] }).click();
    await expect(page.locator('.service-result')).toContainText('"testPrint"', { timeout: 15_000 });
    await expect(page.locator('.service-result')).toContainText('"ok": true');
    const counters = await cashUnits(page);
    expect(counters.journalAgrees).toBe(true);
  } finally {
    await leave(page, request);
  }
});

test('a third wrong PIN locks entry for the configured minute, reported to the bank; then the PIN opens again', async ({ page, request }) => {
  test.setTimeout(150_000);
  await openSwitch(page, request);
  try {
    for (const pin of ['90901', '90902']) {
      await typeLogin(page, 'T001', pin);
      await expect(page.getByText(ru['error.notIdentified.reason'])).toBeVisible({ timeout: 15_000 });
    }
    await typeLogin(page, 'T001', '90903');
    await expect(page.getByText(ru['error.serviceLocked.reason'])).toBeVisible({ timeout: 15_000 });
    // the bank's operations centre sees the lock
    await expect
      .poll(async () => {
        const view = (await (await request.get(`${stack.bankUrl}/admin/terminals`)).json()) as { terminals: Array<{ attention: string[] }> };
        return view.terminals.some((t) => t.attention.some((a) => a.startsWith('service entry locked after wrong PINs until')));
      }, { timeout: 30_000 })
      .toBe(true);
    // the right PIN is refused while the lock holds, and opens once the configured minute is over
    await typeLogin(page, 'T001', '1357');
    await expect(heading(page)).toHaveText(ru['service.loginTitle']);
    await expect(async () => {
      await typeLogin(page, 'T001', '1357');
      await expect(heading(page)).toHaveText(ru['service.menuTitle'], { timeout: 5_000 });
    }).toPass({ timeout: 90_000, intervals: [5_000] });
  } finally {
    await leave(page, request);
  }
});
