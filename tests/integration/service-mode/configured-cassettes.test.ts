/**
 * Both ends of the dispenser wire follow the configuration: with cassettes of 2 000 and 20 000
 * tenge configured, the simulated dispenser is loaded with those notes, service mode offers them
 * for replenishment, and the slip names the configured bank and BIN.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../scripts/lib/stack.js';
import { BridgeClient, http, startTestStack } from '../session/bridge-client.js';

const TOKEN = 'configured-cassettes-token-0123';
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cassettes-'));
  stack = await startTestStack('configured-cassettes', {
    dataDir,
    token: TOKEN,
    env: { KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '2000,20000', KIOSK_RECEIPT_BANK_NAME: 'Configured Bank', KIOSK_RECEIPT_BANK_BIN: '080540000120' },
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('configured cassettes', () => {
  it('load the simulated dispenser, drive the replenishment form, and the slip names the bank', async () => {
    const devices = await http<Array<{ kind: string; state: { cassettes?: Array<{ denomination: number }> } }>>('GET', `${stack.devicesUrl}/devices`);
    expect(devices.find((d) => d.kind === 'dispenser')?.state.cassettes?.map((c) => c.denomination)).toEqual([2000, 20000]);

    const ui = await BridgeClient.connect(stack.kioskUrl, TOKEN);
    try {
      await ui.screen('attract', 30_000);
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: true });
      await ui.screen('serviceLogin', 20_000);
      ui.send('serviceLogin', { code: '123456' });
      await ui.screen('serviceMenu');
      ui.send('serviceAction', { action: 'replenish', params: { locale: 'en' } });
      const form = await ui.waitFor('replenishment form', (s) => (s.service?.view as { action?: string } | undefined)?.action === 'replenish');
      expect(form.service?.view).toMatchObject({
        stage: 'enter',
        cassettes: [{ cassette: 0, denomination: 200_000 }, { cassette: 1, denomination: 2_000_000 }],
      });
      ui.send('serviceAction', { action: 'replenish', params: { locale: 'en', 'load/0': 50, 'load/1': 10 } });
      const done = await ui.waitFor('replenished', (s) => (s.service?.view as { stage?: string } | undefined)?.stage === 'done');
      const view = done.service?.view as { receiptNumber: string; slip: { printed: boolean } };
      expect(view.slip).toEqual({ printed: true });
      const printed = await http<Array<{ lines: string[] }>>('GET', `${stack.devicesUrl}/printer/receipts`);
      const slip = (printed.at(-1)?.lines ?? []).map((l) => l.trim());
      expect(slip).toEqual(expect.arrayContaining(['Configured Bank', 'BIN 080540000120', 'Cassette replenishment', view.receiptNumber]));
      await http('POST', `${stack.devicesUrl}/service-switch`, { open: false });
      await ui.screen('attract', 20_000);
    } finally {
      ui.close();
    }
  });
});
