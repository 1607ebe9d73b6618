/**
 * The simulator panel against a real control server on an ephemeral port: every control posts
 * the documented body to its route, receipts show as paper and the bank's SMS outbox is read
 * cross-origin. The emulator here records the calls it gets (the real ones live in their own
 * device folders and are tested there).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { buildControlServer } from '../../simulators/devices/control-server.js';
import type { DeviceEmulator } from '../../simulators/devices/emulator.js';
import { testCards } from '../../simulators/common/test-cards.js';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

function recordingEmulator(calls: Call[]): DeviceEmulator {
  const faults = new Set<string>();
  return {
    kind: 'cashAcceptor',
    protocol: 'recording',
    endpoint: { type: 'serial', path: '/dev/null', baudRate: 9600 },
    faults: ['jam', 'stackerFull'],
    start: async () => undefined,
    stop: async () => undefined,
    state: () => ({ faults: [...faults] }),
    setFault: (f) => void faults.add(f),
    clearFaults: () => faults.clear(),
    routes(app: FastifyInstance) {
      for (const url of ['/cash-acceptor/insert', '/dispenser/take', '/card-reader/insert', '/card-reader/remove', '/palm/present', '/service-switch', '/cabinet/door']) {
        app.post(url, async (req) => {
          calls.push({ method: 'POST', url, body: req.body ?? null });
          return { ok: true };
        });
      }
      app.get('/printer/receipts', async () => [{ index: 0, lines: ['BANK TERMINAL T0001', 'Cash-in 15 000 KZT', 'Receipt T0001-000123'], truncated: false, time: '2026-11-25T09:30:00Z' }]);
    },
  };
}

let control: FastifyInstance;
let bank: Server;
let controlUrl = '';
let bankUrl = '';
const calls: Call[] = [];

test.beforeAll(async () => {
  control = buildControlServer({ emulators: [recordingEmulator(calls)] });
  await control.listen({ host: '127.0.0.1', port: 0 });
  controlUrl = `http://127.0.0.1:${(control.server.address() as AddressInfo).port}`;
  bank = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/admin/sms') return void res.writeHead(404).end();
    const phone = url.searchParams.get('phone');
    const all = [
      { id: 1, phone: '+77012345678', channel: 'sms', text: 'Код входа: 482913', at: '2026-11-25T09:30:00Z' },
      { id: 2, phone: '+77770000001', channel: 'sms', text: 'Чек T0001-000123', at: '2026-11-25T09:31:00Z' },
    ];
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify({ messages: phone ? all.filter((m) => m.phone === phone) : all }));
  });
  await new Promise<void>((ok) => bank.listen(0, '127.0.0.1', ok));
  bankUrl = `http://127.0.0.1:${(bank.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await control?.close();
  await new Promise<void>((ok) => (bank ? bank.close(() => ok()) : ok()));
});

const last = (): Call | undefined => calls.at(-1);

test('every control posts its documented body', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${controlUrl}/`);
  await expect(page.getByRole('heading', { name: 'Kiosk simulator panel' })).toBeVisible();

  await page.getByRole('button', { name: /^5\s000 ₸$/ }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/cash-acceptor/insert', body: { denomination: 5000 } });
  await page.getByRole('button', { name: /^20\s000 ₸$/ }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/cash-acceptor/insert', body: { denomination: 20000 } });
  await page.getByRole('button', { name: 'Counterfeit note' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/cash-acceptor/insert', body: { counterfeit: true } });

  const card = testCards[0]!;
  const row = page.getByRole('listitem').filter({ hasText: card.name });
  await expect(row).toContainText(`${card.pan.slice(0, 6)}******${card.pan.slice(-4)}`);
  await row.getByRole('button', { name: 'Insert' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/card-reader/insert', body: { pan: card.pan, expiry: card.expiry, name: card.name } });
  await page.getByRole('button', { name: 'Remove card' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/card-reader/remove', body: null });

  await page.getByRole('button', { name: /Present palm-aigerim/ }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/palm/present', body: { subject: 'palm-aigerim' } });
  await page.getByRole('button', { name: 'Present fake palm' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/palm/present', body: { fake: true } });

  await page.getByRole('button', { name: 'Take presented cash' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/dispenser/take', body: null });
  await page.getByRole('button', { name: 'Open service switch' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/service-switch', body: { open: true } });
  await page.getByRole('button', { name: 'Close service switch' }).click();
  await expect.poll(last).toEqual({ method: 'POST', url: '/service-switch', body: { open: false } });
});

test('faults are set and cleared through the control API', async ({ page }) => {
  await page.goto(`${controlUrl}/panel/`);
  await page.getByRole('button', { name: 'Set fault jam on cashAcceptor' }).click();
  await expect(page.locator('#devices')).toContainText('"jam"');
  await page.getByRole('button', { name: 'Clear all faults' }).click();
  await expect(page.locator('#devices')).not.toContainText('"jam"');
});

test('shows printed receipts as paper and the bank SMS outbox', async ({ page }) => {
  await page.goto(`${controlUrl}/`);
  // No image route on this control server: the paper falls back to the printed lines.
  await expect(page.locator('#receipts .paper')).toContainText('Receipt T0001-000123');
  await page.getByLabel('Bank simulator URL').fill(bankUrl);
  await page.getByLabel('Bank simulator URL').dispatchEvent('change');
  await expect(page.locator('#sms li')).toHaveCount(2);
  await page.getByLabel(/Phone filter/).fill('+77012345678');
  await page.getByLabel(/Phone filter/).dispatchEvent('change');
  await expect(page.locator('#sms li')).toHaveCount(1);
  await expect(page.locator('#sms')).toContainText('482913');
});
