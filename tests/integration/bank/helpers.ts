import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { BankClient } from '../../../kiosk/bank/client.js';
import { startBankServer, type BankServer, type BankServerOptions } from '../../../simulators/bank/server.js';

export interface TestBank {
  bank: BankServer;
  dir: string;
  admin<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** newest SMS text sent to a phone */
  lastSms(phone: string): Promise<string>;
  /** the 6-digit code in the newest SMS to a phone */
  lastOtp(phone: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestBank(options: Partial<BankServerOptions> = {}): Promise<TestBank> {
  const dir = await mkdtemp(join(tmpdir(), 'bank-it-'));
  const bank = await startBankServer({ dbFile: join(dir, 'bank.sqlite'), ...options });
  const admin = async <T,>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${bank.url}${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const lastSms = async (phone: string): Promise<string> => {
    const { messages } = await admin<{ messages: Array<{ text: string; channel: string }> }>('GET', `/admin/sms?phone=${encodeURIComponent(phone)}`);
    const sms = messages.filter((m) => m.channel === 'sms');
    const last = sms[sms.length - 1];
    if (last === undefined) throw new Error(`no SMS to ${phone}`);
    return last.text;
  };
  return {
    bank, dir, admin, lastSms,
    // the code goes to the app of a customer who has it, by SMS otherwise (8.11): read either
    async lastOtp(phone) {
      const { messages } = await admin<{ messages: Array<{ text: string }> }>('GET', `/admin/sms?phone=${encodeURIComponent(phone)}`);
      const match = /\b(\d{6})\b/.exec(messages.at(-1)?.text ?? '');
      if (match?.[1] === undefined) throw new Error(`no code in the last message to ${phone}`);
      return match[1];
    },
    async close() {
      await bank.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** a bank of its own for each test, and the kiosk's client to it */
export interface BankPerTest {
  readonly t: TestBank;
  readonly client: BankClient;
}

/** a bank of its own for each test, on a clock the test moves, and the kiosk's client to it */
export interface ClockedBank extends BankPerTest {
  /** the bank's business time (ms); assign to move it */
  now: number;
}

/** beforeEach/afterEach: a fresh bank started with `options` and a BankClient (2 s timeout) pointed at it */
function useBankPerTest(options: Partial<BankServerOptions>): BankPerTest {
  let t: TestBank | undefined;
  let client: BankClient | undefined;
  beforeEach(async () => {
    t = await startTestBank(options);
    client = new BankClient({ baseUrl: t.bank.url, timeoutMs: 2000 });
  });
  afterEach(async () => {
    client?.close();
    await t?.close();
    client = undefined;
    t = undefined;
  });
  const running = <T,>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the test bank runs only inside a test');
    return v;
  };
  return {
    get t() {
      return running(t);
    },
    get client() {
      return running(client);
    },
  };
}

/** Registers beforeEach/afterEach: every test gets a fresh ledger on the wall clock and a BankClient (2 s timeout) pointed at it. */
export function useTestBank(): BankPerTest {
  return useBankPerTest({});
}

/**
 * Registers beforeEach/afterEach: every test gets a fresh ledger whose clock starts at `startIso`
 * and moves only when the test moves it, and a BankClient (2 s timeout) pointed at it.
 */
export function useClockedBank(startIso = '2026-11-25T09:00:00Z'): ClockedBank {
  const state = { now: Date.parse(startIso) };
  beforeEach(() => {
    state.now = Date.parse(startIso);
  });
  const bank = useBankPerTest({ now: () => state.now });
  return {
    get now() {
      return state.now;
    },
    set now(ms: number) {
      state.now = ms;
    },
    get t() {
      return bank.t;
    },
    get client() {
      return bank.client;
    },
  };
}

/** a customer signed in with the OTP the bank sent to `phone`: the access token */
export async function login(bank: BankPerTest, customerId: string, phone: string, sessionId = 's-1'): Promise<string> {
  const sent = await bank.client.requestOtp(sessionId, customerId);
  if (!sent.ok) throw new Error(`otp refused: ${sent.reason}`);
  const verified = await bank.client.verifyOtp(sessionId, customerId, await bank.t.lastOtp(phone));
  if (!verified.ok) throw new Error(`verify refused: ${verified.reason}`);
  return verified.accessToken;
}
