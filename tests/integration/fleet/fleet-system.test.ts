/**
 * Fleet operations over real processes (bank simulator, device simulators, kiosk core): the core's
 * /metrics after a customer session and through a bank outage (checked by the real `promtool check
 * metrics`), and device faults reaching the bank's fleet view within one status heartbeat.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually, http, useTestStack, visit } from '../session/bridge-client.js';

const TERMINAL = 'ALA-FLEET-01';
const HEARTBEAT_MS = 3_000;

const stack = useTestStack('fleet', {
  token: 'fleet-system-token-0123456789abcdef',
  env: { KIOSK_TERMINAL_ID: TERMINAL, KIOSK_FLEET_STATUS_HEARTBEAT_MS: String(HEARTBEAT_MS), KIOSK_FLEET_STATUS_MIN_INTERVAL_MS: '200' },
});

async function metricsText(): Promise<string> {
  const res = await fetch(`${stack.kioskUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return res.text();
}

/** one sample's value; labels given as they appear, e.g. 'outcome="completed"' */
function sample(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const metric = async (name: string, labels = ''): Promise<number | undefined> => sample(await metricsText(), name, labels);
const healthBank = async (): Promise<string> => ((await http<{ devices: { bank: string } }>('GET', `${stack.kioskUrl}/healthz`)).devices.bank);

interface Terminal {
  terminalId: string;
  receivedAt: number;
  attention: string[];
  status: {
    version: string;
    devices: Array<{ device: string; health: string; fault?: string }>;
    cassettes: Array<{ index: number; notes: number; capacity: number }>;
    cashBox: { notes: number; capacity: number; full: boolean };
    paper: string;
    queue: { depth: number };
    journal: { headSeq: number; anchoredSeq: number };
  };
}
const fleetTerminal = async (): Promise<Terminal | undefined> =>
  (await http<{ terminals: Terminal[] }>('GET', `${stack.bankUrl}/admin/terminals`)).terminals.find((t) => t.terminalId === TERMINAL);
const coreDevice = async (device: string): Promise<string> => (await http<{ devices: Record<string, string> }>('GET', `${stack.kioskUrl}/healthz`)).devices[device] ?? '';

describe('fleet operations against the simulators', () => {
  it('after a session /metrics says the bank is online and counts it; promtool check metrics has nothing to report', async () => {
    const deliveredBefore = await eventually('outbox metrics', () => metric('kiosk_outbox_delivered_total'));
    await visit(stack, async (ui) => {
      await ui.begin();
      ui.send('payWithoutIdentification');
      await ui.screen('serviceCatalogue');
      ui.send('selectService', { serviceId: 'kcell' });
      await ui.screen('serviceReference');
      ui.send('submitReference', { reference: '7011234567' });
      await ui.waitFor('acceptor accepting', (s) => s.screen === 'cashIn' && s.cashIn?.acceptor === 'accepting');
      await http('POST', `${stack.devicesUrl}/cash-acceptor/insert`, { denomination: 2000 });
      await ui.waitFor('total', (s) => s.cashIn?.total === 200_000 && s.cashIn.acceptor === 'accepting');
      ui.send('finishCashIn');
      await ui.screen('confirm'); // the service's commission is first shown here (5.5)
      ui.send('confirm');
      await ui.screen('outcome');
      ui.send('chooseReceipt', { choice: 'none' });
      await ui.screen('attract', 30_000);
    });
    expect(await healthBank()).toBe('online');
    const text = await eventually('the payment delivered', async () => {
      const t = await metricsText();
      return sample(t, 'kiosk_outbox_queue_depth') === 0 && (sample(t, 'kiosk_outbox_delivered_total') ?? 0) > (deliveredBefore ?? 0) ? t : undefined;
    }, 30_000);
    expect(sample(text, 'kiosk_bank_online')).toBe(1);
    expect(sample(text, 'kiosk_sessions_total', 'outcome="completed"')).toBe(1);
    expect(sample(text, 'kiosk_notes_total', 'outcome="stacked"')).toBe(1);
    expect(sample(text, 'kiosk_cash_box_notes')).toBe(1);
    expect(sample(text, 'kiosk_outbox_sync_attempts_total')).toBeGreaterThan(0);
    expect(sample(text, 'kiosk_journal_entries')).toBeGreaterThan(0);
    expect(sample(text, 'kiosk_device_health', 'device="dispenser",health="ok"')).toBe(1);
    expect(text).toMatch(new RegExp(`^kiosk_build_info\\{version="[^"]+",terminal="${TERMINAL}"\\} 1$`, 'm'));
    // the customer's phone, reference or amount never appear (as a whole number: process figures such as
    // 0.4537720000000006 CPU seconds may hold the same digits inside them)
    expect(text).not.toContain('7011234567');
    expect(text).not.toMatch(/(?<![\d.])(200000|195000)(?![\d.])/);

    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  }, 120_000);

  it('through a bank outage the outbox metrics move and kiosk_bank_online follows /healthz', async () => {
    const failedBefore = (await metric('kiosk_outbox_failed_total')) ?? 0;
    await http('POST', `${stack.bankUrl}/admin/faults`, { mode: 'down' });
    try {
      // the next status heartbeat is queued and cannot be delivered
      await eventually('a failed delivery and a waiting message', async () => {
        const t = await metricsText();
        return (sample(t, 'kiosk_outbox_failed_total') ?? 0) >= failedBefore + 2 && (sample(t, 'kiosk_outbox_queue_depth') ?? 0) >= 1 ? true : undefined;
      }, 30_000);
      await eventually('the bank offline in /healthz', async () => ((await healthBank()) === 'offline' ? true : undefined), 10_000);
      expect(await metric('kiosk_bank_online')).toBe(0);
      expect(await metric('kiosk_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);
    } finally {
      await http('DELETE', `${stack.bankUrl}/admin/faults`);
    }
    await eventually('the queue drained', async () => ((await metric('kiosk_outbox_queue_depth')) === 0 ? true : undefined), 90_000);
    await eventually('the bank online again', async () => ((await healthBank()) === 'online' ? true : undefined), 10_000);
    expect(await metric('kiosk_bank_online')).toBe(1);
    expect(await metric('kiosk_outbox_oldest_pending_age_seconds')).toBe(0);
  }, 150_000);

  it('a dispenser fault and a full cash box reach the bank\'s fleet view within one heartbeat', async () => {
    const first = await eventually('the terminal in the fleet view', fleetTerminal, 15_000);
    expect(first.status.cassettes).toHaveLength(2);
    expect(first.status.paper).toBe('ok');
    // the heartbeat alone keeps the view fresh
    await eventually('a heartbeat', async () => ((await fleetTerminal())?.receivedAt ?? 0) > first.receivedAt ? true : undefined, HEARTBEAT_MS * 3);

    const within = async (what: string, core: () => Promise<boolean>, bank: (t: Terminal) => boolean): Promise<Terminal> => {
      await eventually(`the core to notice ${what}`, async () => ((await core()) ? true : undefined), 45_000, 100);
      const noticed = Date.now();
      const seen = await eventually(`the bank to show ${what}`, async () => {
        const t = await fleetTerminal();
        return t && bank(t) ? t : undefined;
      }, HEARTBEAT_MS * 3, 100);
      // on change the status goes at once; a heartbeat is the longest it may take
      expect(Date.now() - noticed).toBeLessThanOrEqual(HEARTBEAT_MS);
      return seen;
    };

    await http('POST', `${stack.devicesUrl}/faults`, { device: 'dispenser', fault: 'noResponse' });
    const faulted = await within('the dispenser fault', async () => (await coreDevice('dispenser')) === 'offline',
      (t) => t.status.devices.some((d) => d.device === 'dispenser' && d.health === 'offline'));
    expect(faulted.status.devices.find((d) => d.device === 'dispenser')?.fault).toBeTruthy();
    expect(faulted.attention.some((a) => a.startsWith('dispenser offline'))).toBe(true);
    await http('DELETE', `${stack.devicesUrl}/faults`);
    await within('the dispenser back', async () => (await coreDevice('dispenser')) === 'ok',
      (t) => t.status.devices.some((d) => d.device === 'dispenser' && d.health === 'ok'));

    await http('POST', `${stack.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'cassetteFull' });
    try {
      const full = await within('the full cash box', async () => (await coreDevice('cashAcceptor')) === 'offline', (t) => t.status.cashBox.full);
      expect(full.status.devices.find((d) => d.device === 'cashAcceptor')?.health).toBe('offline');
      expect(full.attention.some((a) => a.startsWith('cash box full'))).toBe(true);
    } finally {
      await http('DELETE', `${stack.devicesUrl}/faults`);
    }
  }, 180_000);
});
