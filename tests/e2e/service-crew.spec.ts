/**
 * Service crews in the browser against the real servers: a collector enters with the service switch
 * and their own PIN, collects after three customer cash-ins (the screen's counts, the counters and
 * the journal agree) and is offered none of the technician's functions; a technician runs every
 * device test, each moving the emulated hardware with its outcome on screen, and closes a message
 * the bank refused (a receipt pushed to an app the customer has since removed) with a comment, the
 * bank receiving the resolution; a third wrong PIN
 * locks entry for the configured time (one minute here) and the bank's /admin/terminals shows it,
 * after which the right PIN opens service mode again. Portrait only (playwright.config.ts).
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ru } from '../../renderer/src/i18n/ru.js';
import { testCards } from '../../simulators/common/test-cards.js';
import { device, messagesTo, newOtp, tenge, typeDigits } from './support/customer.js';
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
  await expect(page.locator('.figure-main dd')).toHaveText(tenge('2 000'), { timeout: 15_000 });
  await page.getByRole('button', { name: ru['cashIn.finishInserting'], exact: true }).click();
  await expect(heading(page)).toHaveText(ru['confirm.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: ru['common.confirm'] }).click();
  await expect(heading(page)).toHaveText(/^Платёж 1\s950\s₸ выполнен$/, { timeout: 20_000 });
  await page.getByRole('button', { name: ru['common.continue'] }).click();
  await expect(heading(page)).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['receipt.print']}`) }).click();
  await expect(heading(page)).toHaveText(ru['printing.printed'], { timeout: 20_000 });
  await expect(heading(page)).toHaveText(ru['attract.welcome'], { timeout: 30_000 });
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

/** what the bank made of the messages it was sent, oldest first */
async function bankMessages(request: APIRequestContext): Promise<Array<{ key: string; kind: string; status: string; reason: string | null }>> {
  const res = await request.get(`${stack.bankUrl}/admin/messages`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { messages: Array<{ key: string; kind: string; status: string; reason: string | null }> }).messages;
}

async function setBankApp(request: APIRequestContext, customer: string, hasApp: boolean): Promise<void> {
  const res = await request.post(`${stack.bankUrl}/admin/customers/${customer}/app`, { data: { hasApp } });
  expect(res.ok(), await res.text()).toBe(true);
}

test('a technician closes a message the bank refused with a comment and its slip; the bank receives the resolution', async ({ page, request }) => {
  test.setTimeout(150_000);
  const PHONE = '+77011234567'; // Aigerim, who has the bank's app
  const CUSTOMER = 'c-aigerim';
  const continueButton = page.getByRole('button', { name: ru['common.continue'] });
  const refusedBefore = (await bankMessages(request)).filter((m) => m.kind === 'receiptPush' && m.status === 'rejected').length;

  // a customer tops up and asks for the receipt in the app, which she has removed since signing in: the bank refuses it
  const before = (await messagesTo(request, PHONE)).length;
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: ru['lang.ru'] }).click();
  await page.getByRole('button', { name: ru['attract.touch'] }).click();
  await page.getByRole('button', { name: new RegExp(`^${ru['identify.phone']}`) }).first().click();
  await typeDigits(page, PHONE.slice(2));
  await continueButton.click();
  await expect(heading(page)).toHaveText(ru['otp.title'], { timeout: 15_000 });
  await typeDigits(page, await newOtp(request, PHONE, before));
  await continueButton.click();
  await expect(heading(page)).toHaveText(ru['operations.title'], { timeout: 15_000 });
  await page.getByRole('button', { name: new RegExp(`^${ru['op.cashIn']}`) }).click();
  await expect(heading(page)).toHaveText(ru['product.title']);
  await page.getByRole('button', { name: /^Текущий счёт \*0101/ }).click();
  await expect(page.getByRole('status').filter({ hasText: ru['cashIn.acceptor.accepting'] })).toBeVisible({ timeout: 15_000 });
  await device(request, '/cash-acceptor/insert', { denomination: 1000 });
  await page.getByRole('button', { name: /^Завершить и зачислить 1\s000\s₸/ }).click({ timeout: 15_000 });
  await expect(heading(page)).toHaveText(/^1\s000\s₸ зачислено: Текущий счёт \*0101$/, { timeout: 20_000 });
  await continueButton.click();
  await expect(heading(page)).toHaveText(ru['receipt.title'], { timeout: 20_000 });
  const receiptNumber = ((await page.getByText(/^Чек № /).textContent()) ?? '').replace('Чек № ', '').trim();
  expect(receiptNumber).not.toBe('');
  await setBankApp(request, CUSTOMER, false);
  try {
    await page.getByRole('button', { name: new RegExp(`^${ru['receipt.push']}`) }).click();
    await expect(heading(page)).toHaveText(ru['operations.title'], { timeout: 20_000 });
    await expect
      .poll(async () => (await bankMessages(request)).filter((m) => m.kind === 'receiptPush' && m.status === 'rejected' && m.reason === 'noBankApp').length, { timeout: 30_000 })
      .toBe(refusedBefore + 1);
  } finally {
    await setBankApp(request, CUSTOMER, true);
  }
  await page.getByRole('button', { name: ru['common.cancel'] }).click();
  await expect(heading(page)).toHaveText(ru['attract.welcome'], { timeout: 20_000 });

  await openSwitch(page, request);
  try {
    await typeLogin(page, 'T001', '1357');
    await expect(heading(page)).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
    const resolvedBefore = (await bankMessages(request)).filter((m) => m.kind === 'deadLetterResolution' && m.status === 'applied').length;
    await page.getByRole('button', { name: ru['service.action.deadLetters'] }).click();
    await expect(heading(page)).toHaveText(ru['service.deadLetters.title'], { timeout: 15_000 });
    // the terminal marks it refused once the bank's answer is in; the screen lists what the terminal held when it was opened
    const letter = page.locator('li.dead-letter[data-state="deadLetter"]').filter({ hasText: receiptNumber });
    await expect(letter).toContainText('noBankApp', { timeout: 15_000 });
    const close = letter.getByRole('button', { name: ru['service.deadLetters.close'] });
    await expect(close).toBeDisabled();
    const comment = 'Customer removed the app; receipt printed and handed over';
    await letter.getByLabel(ru['service.deadLetters.comment']).fill(comment);
    await close.click();
    await expect(page.getByText(ru['service.deadLetters.done.closed'], { exact: true })).toBeVisible({ timeout: 15_000 });
    // the money row is never deleted: the message stays refused, now with who closed it and why
    const closed = page.locator('li.dead-letter[data-state="deadLetter"]').filter({ hasText: receiptNumber });
    await expect(closed.locator('.dead-letter-resolutions')).toContainText(`${ru['service.deadLetters.done.closed']} · T001 ·`);
    await expect(closed.locator('.dead-letter-resolutions')).toContainText(comment);
    // its slip, printed
    const printed = (await (await request.get(`${stack.devicesUrl}/printer/receipts`)).json()) as Array<{ lines: string[] }>;
    await closed.getByRole('button', { name: ru['service.deadLetters.print'] }).click();
    await expect(page.getByText(ru['service.slipPrinted'], { exact: true })).toBeVisible({ timeout: 15_000 });
    const slips = (await (await request.get(`${stack.devicesUrl}/printer/receipts`)).json()) as Array<{ lines: string[] }>;
    expect(slips.length).toBe(printed.length + 1);
    const slip = slips.at(-1)?.lines.join('\n') ?? '';
    expect(slip).toContain(receiptNumber);
    expect(slip).toMatch(/ T001: /);
    // and the bank receives the resolution
    await expect
      .poll(async () => (await bankMessages(request)).filter((m) => m.kind === 'deadLetterResolution' && m.status === 'applied').length, { timeout: 30_000 })
      .toBe(resolvedBefore + 1);
  } finally {
    await leave(page, request);
  }
});

/** the lock the bank's operations centre shows for this terminal, with its end as the terminal reported it */
async function lockAtBank(request: APIRequestContext): Promise<Date | undefined> {
  const view = (await (await request.get(`${stack.bankUrl}/admin/terminals`)).json()) as { terminals: Array<{ attention: string[] }> };
  const line = view.terminals.flatMap((t) => t.attention).find((a) => a.startsWith('service entry locked after wrong PINs until '));
  return line === undefined ? undefined : new Date(line.slice('service entry locked after wrong PINs until '.length));
}

test('a third wrong PIN locks entry for the configured minute, reported to the bank; then the PIN opens again', async ({ page, request }) => {
  test.setTimeout(180_000);
  const LOCK_MS = 60_000; // KIOSK_SERVICE_LOCKOUT_MINUTES=1 (scripts/e2e-global-setup.ts)
  // Each try on a freshly opened login screen, so the refusal shown is that try's answer (the screen stays the same
  // and a refusal like the one before it would be on screen already). Closing the door does not forgive a wrong PIN.
  for (const pin of ['90901', '90902']) {
    await openSwitch(page, request);
    await typeLogin(page, 'T001', pin);
    await expect(page.getByText(ru['error.notIdentified.reason'])).toBeVisible({ timeout: 15_000 });
    await leave(page, request);
  }
  await openSwitch(page, request);
  try {
    const sent = Date.now();
    await typeLogin(page, 'T001', '90903');
    await expect(page.getByText(ru['error.serviceLocked.reason'])).toBeVisible({ timeout: 15_000 });
    const answered = Date.now();
    // the bank's operations centre sees the lock, for the configured minute from the third wrong PIN
    await expect.poll(() => lockAtBank(request), { timeout: 30_000 }).toBeDefined();
    const until = (await lockAtBank(request))!;
    expect(until.getTime()).toBeGreaterThanOrEqual(sent + LOCK_MS - 1_000);
    expect(until.getTime()).toBeLessThanOrEqual(answered + LOCK_MS + 1_000);
    await leave(page, request);

    // the right PIN is refused while the lock holds
    await openSwitch(page, request);
    await typeLogin(page, 'T001', '1357');
    await expect(page.getByText(ru['error.serviceLocked.reason'])).toBeVisible({ timeout: 15_000 });
    await expect(heading(page)).toHaveText(ru['service.loginTitle']);

    // and opens once the configured minute is over (the lock ends at the time the terminal reported)
    await page.waitForTimeout(Math.max(0, until.getTime() - Date.now()) + 500);
    await typeLogin(page, 'T001', '1357');
    await expect(heading(page)).toHaveText(ru['service.menuTitle'], { timeout: 15_000 });
  } finally {
    await leave(page, request);
  }
});
