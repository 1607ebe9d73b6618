/**
 * The bank simulator's admin API as typed calls: customers, accounts, the SMS/push outbox,
 * trusted-person approvals, QR confirmation, fault injection and the business clock.
 */
import { z } from 'zod';
import type { CustomerInput } from '../../simulators/bank/customers.js';
import type { FaultRequest } from '../../simulators/bank/faults.js';
import { jsonClient } from './http-json.js';

const AccountSummary = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  balance: z.number().int(),
  held: z.number().int(),
  status: z.string(),
}).loose();

export const CustomerView = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  accounts: z.array(AccountSummary),
  cards: z.array(z.object({ maskedPan: z.string() })),
  palmSubjects: z.array(z.object({ subject: z.string() })),
}).loose();
export type CustomerView = z.infer<typeof CustomerView>;

export const AccountView = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.string(),
  balance: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  status: z.string(),
  entries: z.array(z.object({ at: z.string(), description: z.string(), amount: z.number().int(), messageKey: z.string().nullable() }).loose()),
  holds: z.array(z.object({ id: z.string(), amount: z.number().int(), status: z.string() }).loose()),
}).loose();
export type AccountView = z.infer<typeof AccountView>;

export const SmsMessage = z.object({
  id: z.number().int(),
  phone: z.string(),
  channel: z.enum(['sms', 'push']),
  text: z.string(),
  at: z.string(),
});
export type SmsMessage = z.infer<typeof SmsMessage>;

const ActiveFault = z.object({ mode: z.string(), rate: z.number(), delayMs: z.number(), until: z.number().nullable() }).nullable();

const AppliedMessage = z.object({ key: z.string(), terminalId: z.string(), kind: z.string(), status: z.string(), reason: z.string().nullable().optional() }).loose();

export class BankAdmin {
  readonly #http;

  constructor(readonly baseUrl: string) {
    this.#http = jsonClient(baseUrl);
  }

  health(): Promise<{ ok: boolean }> {
    return this.#http.call('GET', '/healthz', z.object({ ok: z.boolean() }).loose());
  }

  createCustomer(input: CustomerInput): Promise<CustomerView> {
    return this.#http.call('POST', '/admin/customers', CustomerView, input);
  }

  customer(id: string): Promise<CustomerView> {
    return this.#http.call('GET', `/admin/customers/${encodeURIComponent(id)}`, CustomerView);
  }

  account(id: string): Promise<AccountView> {
    return this.#http.call('GET', `/admin/accounts/${encodeURIComponent(id)}`, AccountView);
  }

  async sms(phone?: string): Promise<SmsMessage[]> {
    const query = phone === undefined ? '' : `?phone=${encodeURIComponent(phone)}`;
    return (await this.#http.call('GET', `/admin/sms${query}`, z.object({ messages: z.array(SmsMessage) }))).messages;
  }

  /** the newest 6-digit code sent to the phone, waiting up to timeoutMs for it to arrive */
  async latestOtp(phone: string, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = await this.sms(phone);
      for (const m of [...messages].reverse()) {
        const code = /\b(\d{6})\b/.exec(m.text)?.[1];
        if (code !== undefined) return code;
      }
      if (Date.now() >= deadline) throw new Error(`no OTP reached ${phone} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async approve(approvalId: string, approve: boolean): Promise<string> {
    return (await this.#http.call('POST', `/admin/approvals/${encodeURIComponent(approvalId)}`, z.object({ status: z.string() }), { approve })).status;
  }

  async confirmQr(token: string, customer: string): Promise<string> {
    return (await this.#http.call('POST', `/admin/qr/${encodeURIComponent(token)}/confirm`, z.object({ status: z.string() }), { customer })).status;
  }

  async setFault(fault: FaultRequest): Promise<z.infer<typeof ActiveFault>> {
    return (await this.#http.call('POST', '/admin/faults', z.object({ fault: ActiveFault }), fault)).fault;
  }

  async fault(): Promise<z.infer<typeof ActiveFault>> {
    return (await this.#http.call('GET', '/admin/faults', z.object({ fault: ActiveFault }))).fault;
  }

  async clearFaults(): Promise<void> {
    await this.#http.call('DELETE', '/admin/faults', z.object({ fault: z.null() }));
  }

  /** moves the bank's business clock (OTP, token and approval expiry) */
  async advanceClock(ms: number): Promise<number> {
    return (await this.#http.call('POST', '/admin/clock', z.object({ now: z.number() }), { advanceMs: ms })).now;
  }

  async appliedMessages(): Promise<Array<z.infer<typeof AppliedMessage>>> {
    return (await this.#http.call('GET', '/admin/messages', z.object({ messages: z.array(AppliedMessage) }))).messages;
  }
}
