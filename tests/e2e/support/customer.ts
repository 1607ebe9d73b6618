/**
 * What a customer does at the kiosk in every flow (types on the on-screen keypad, reads the SMS the
 * bank sent), and what the test reads back from the simulators' admin routes.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { en } from '../../../renderer/src/i18n/en.js';
import { ru } from '../../../renderer/src/i18n/ru.js';
import { stack } from './stack-env.js';

/** presses the digits on the on-screen keypad (its group is named in the screen's language) */
export async function typeDigits(page: Page, digits: string, keypadLabel: string = ru['keypad.label']): Promise<void> {
  const pad = page.getByRole('group', { name: keypadLabel });
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

/** the texts of the SMS the bank simulator has sent to the phone, oldest first */
export async function smsTo(request: APIRequestContext, phone: string): Promise<string[]> {
  const res = await request.get(`${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as { messages: Array<{ channel: string; text: string }> };
  return body.messages.filter((m) => m.channel === 'sms').map((m) => m.text);
}

/**
 * everything the bank sent to the phone, by SMS or by push to its app, oldest first: the bank sends a
 * one-time code to the app of a customer who has it and by SMS otherwise (8.11)
 */
export async function messagesTo(request: APIRequestContext, phone: string): Promise<string[]> {
  const res = await request.get(`${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as { messages: Array<{ channel: string; text: string }> };
  return body.messages.map((m) => m.text);
}

/** waits for a message (SMS or push) newer than the first `before` ones and returns the one-time code in it */
export async function newOtp(request: APIRequestContext, phone: string, before: number): Promise<string> {
  let code = '';
  await expect
    .poll(
      async () => {
        const sms = await messagesTo(request, phone);
        code = sms.length > before ? (/\b(\d{6})\b/.exec(sms.at(-1) ?? '')?.[1] ?? '') : '';
        return code;
      },
      { timeout: 15_000 },
    )
    .toMatch(/^\d{6}$/);
  return code;
}

export interface AdminAccount {
  id: string;
  balance: number;
  held: number;
  available: number;
}

/** an account as the bank's ledger has it, amounts in tiyn */
export async function account(request: APIRequestContext, id: string): Promise<AdminAccount> {
  const res = await request.get(`${stack.bankUrl}/admin/accounts/${encodeURIComponent(id)}`);
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as AdminAccount;
}

/** the receipts the printer simulator has printed, oldest first */
export async function receipts(request: APIRequestContext): Promise<Array<{ lines: string[] }>> {
  const res = await request.get(`${stack.devicesUrl}/printer/receipts`);
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as Array<{ lines: string[] }>;
}

/** a device simulator action that must succeed */
export async function device(request: APIRequestContext, path: string, data?: unknown): Promise<void> {
  const res = await request.post(`${stack.devicesUrl}${path}`, data === undefined ? {} : { data });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
}

/** the thin spaces and no-break spaces of formatted money, matched as any whitespace */
export const tenge = (formatted: string): RegExp => new RegExp(`^${formatted.replace(/\s/g, '\\s')}\\s₸$`);

/**
 * English product names: the kiosk's own English catalogue (`product.kind.*`), the bank simulator's
 * labels ("Current account *0101", "Wallet *0202") and the names banks commonly give products
 */
const englishProductNames = [
  ...Object.entries(en)
    .filter(([key]) => key.startsWith('product.kind.'))
    .map(([, name]) => name),
  'Current account',
  'Savings account',
  'Card account',
  'Deposit',
  'Wallet',
  'Loan',
];
const englishProductName = new RegExp(`\\b(${[...new Set(englishProductNames)].map((n) => n.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})\\b`, 'i');

/** no English product name anywhere on a kk or ru screen: the kiosk names the bank's products in the screen's language */
export async function expectNoEnglishProductName(page: Page): Promise<void> {
  await expect(page.locator('#root')).not.toContainText(englishProductName);
}
