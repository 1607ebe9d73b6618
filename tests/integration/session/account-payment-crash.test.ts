/**
 * The core is killed (SIGKILL) while a service payment from an account waits for the customer's
 * trusted person: the bank holds amount + commission, the store has the payment `authorised`, no
 * receipt was given. Started again on the same data directory, start-up reconciliation reverses it
 * and the sync worker releases the hold; the trusted person approving afterwards moves nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, KIOSK_CLI, type Stack } from '../../../scripts/lib/stack.js';
import { spawnTsx, waitForHttp, type Service } from '../../../scripts/lib/services.js';
import { dbPath } from '../../../kiosk/store/db.js';
import { BridgeClient, eventually, http } from './bridge-client.js';
import { freePorts } from '../../support/ports.js';
import { suiteDir } from '../../support/artifacts.js';

const TOKEN = 'account-payment-crash-token-0123456789';

let stack: Stack;
let dataDir: string;
let kioskPort: number;
let core: Service | undefined;

async function startCore(): Promise<string> {
  const kioskUrl = `http://127.0.0.1:${kioskPort}`;
  core = spawnTsx('kiosk', join(process.cwd(), KIOSK_CLI), {
    ...process.env,
    KIOSK_WEB_HOST: '127.0.0.1',
    KIOSK_WEB_PORT: String(kioskPort),
    KIOSK_BANK_URL: stack.bankUrl,
    KIOSK_DATA_DIR: dataDir,
    KIOSK_BRIDGE_TOKEN: TOKEN,
  }, 'quiet');
  await waitForHttp(`${kioskUrl}/healthz`, { service: core, timeoutMs: 60_000 });
  return kioskUrl;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-acct-crash-'));
  const [bankPort, devicesPort, corePort] = await freePorts(3);
  if (bankPort === undefined || devicesPort === undefined || corePort === undefined) throw new Error('no free ports');
  kioskPort = corePort;
  stack = await startStack({ root: process.cwd(), bankPort, devicesPort, kioskPort, dataDir, token: TOKEN, startCore: false, output: 'quiet', logDir: suiteDir('account-payment-crash-logs') });
}, 90_000);

afterAll(async () => {
  await core?.stop();
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Account { balance: number; held: number; entries: unknown[] }
const account = (id: string) => http<Account>('GET', `${stack.bankUrl}/admin/accounts/${id}`);
const sms = async (phone: string) => (await http<{ messages: Array<{ text: string }> }>('GET', `${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`)).messages;

/** the kiosk's own record of its payments from an account, read from its SQLite file */
function payments(): Array<{ state: string; hold_id: string | null; end_reason: string | null }> {
  const db = new Database(dbPath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT state, hold_id, end_reason FROM account_payments ORDER BY started_at').all() as Array<{ state: string; hold_id: string | null; end_reason: string | null }>;
  } finally {
    db.close();
  }
}

describe('a payment from an account when the core dies', () => {
  it('killed while waiting for the trusted person: reversed at start-up, the hold released, a late approval moves nothing', async () => {
    let ui = await BridgeClient.connect(await startCore(), TOKEN);
    const before = await account('a-dauren-cur');
    let approvalId = '';
    try {
      await ui.screen('attract', 30_000);
      ui.send('start');
      await ui.screen('start');
      ui.send('chooseIdentification', { method: 'phone' });
      await ui.screen('phoneEntry');
      ui.send('submitPhone', { phone: '87021112233' });
      await ui.screen('otpEntry');
      const code = /\b(\d{6})\b/.exec((await sms('+77021112233')).at(-1)?.text ?? '')?.[1] ?? '';
      ui.send('submitOtp', { code });
      await ui.waitFor('menu', (s) => s.screen === 'operations' && s.operations.includes('payService'));
      ui.send('chooseOperation', { operation: 'payService' });
      await ui.screen('serviceCatalogue');
      ui.send('selectService', { serviceId: 'kcell' });
      await ui.screen('serviceReference');
      ui.send('submitReference', { reference: '7011234567' });
      await ui.screen('paymentSource');
      ui.send('selectPaymentSource', { source: 'product', productId: 'a-dauren-cur' });
      await ui.screen('amountEntry');
      ui.send('selectAmount', { amount: 100_000 });
      await ui.screen('confirm');
      ui.send('confirm');
      await ui.screen('approvalWait');
      approvalId = await eventually('the approval request', async () => /request (ap-[\w-]+)/.exec((await sms('+77059998877')).at(-1)?.text ?? '')?.[1]);
      expect((await account('a-dauren-cur')).held).toBe(105_000);
      expect(payments().map((p) => p.state)).toEqual(['authorised']);
    } finally {
      ui.close();
    }
    core?.child.kill('SIGKILL');
    await core?.exited;
    core = undefined;

    ui = await BridgeClient.connect(await startCore(), TOKEN);
    try {
      await ui.screen('attract', 30_000);
      expect(payments()).toEqual([expect.objectContaining({ state: 'reversed', end_reason: 'not completed before restart' })]);
      const released = await eventually('the hold released at the bank', async () => {
        const a = await account('a-dauren-cur');
        return a.held === 0 ? a : undefined;
      }, 20_000);
      expect(released.balance).toBe(before.balance);
      // the trusted person answers late: nothing is held any more, nothing is debited
      await http('POST', `${stack.bankUrl}/admin/approvals/${approvalId}`, { approve: true });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await account('a-dauren-cur')).toMatchObject({ balance: before.balance, held: 0 });
      expect((await account('a-dauren-cur')).entries).toHaveLength(before.entries.length);
    } finally {
      ui.close();
    }
  });
});
