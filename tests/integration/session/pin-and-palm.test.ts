/**
 * PIN change and palm sign-in from the attract screen over real processes: bank simulator, device
 * simulators (ptys and HID sockets) and the kiosk core on ephemeral ports with a temporary data
 * directory. The customer acts through the bridge and the simulators' control API; the bank's app
 * is played through its admin route. The kiosk never sees a PIN: its data and logs must hold
 * nothing PIN-like, no card number and no palm template.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import { dbPath } from '../../../kiosk/store/db.js';
import { scanArtifacts } from '../../security/scan-artifacts.js';
import { artifactsRoot } from '../../support/artifacts.js';
import { eventually, http, useTestStack, visit, type BridgeClient } from './bridge-client.js';

const AIGERIM_PAN = '4400430000000015';

const stack = useTestStack('pin-and-palm', { token: 'pin-and-palm-token-0123456789abcdef' });

async function latestOtp(phone: string): Promise<string> {
  const { messages } = await http<{ messages: Array<{ text: string }> }>('GET', `${stack.bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
  for (const m of [...messages].reverse()) {
    const code = /\b(\d{6})\b/.exec(m.text)?.[1];
    if (code) return code;
  }
  throw new Error(`no OTP in the outbox for ${phone}`);
}

interface PinChangeView { id: string; status: string; maskedPan: string; completedAt?: string }
const pinChanges = async (customer: string): Promise<PinChangeView[]> =>
  (await http<{ pinChanges: PinChangeView[] }>('GET', `${stack.bankUrl}/admin/pin-changes?customer=${customer}`)).pinChanges;

/** this run's child logs (startTestStack keeps them in a fresh folder under the artefacts root) */
function logDir(): string {
  const root = artifactsRoot();
  const dirs = readdirSync(root).filter((d) => d.startsWith('pin-and-palm-logs-')).map((d) => join(root, d));
  const newest = dirs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`no pin-and-palm logs under ${root}`);
  return newest;
}

/** the attract screen with the palm scanner armed */
const palmArmed = (ui: BridgeClient): Promise<Snapshot> => ui.waitFor('palm armed on the attract screen', (s) => s.screen === 'attract' && s.attract?.palm === true, 30_000);

/** a hand held over the scanner: the palm's customer is found and asked for the OTP */
async function presentPalm(ui: BridgeClient, subject: string): Promise<Snapshot> {
  await http('POST', `${stack.devicesUrl}/palm/present`, { subject });
  return ui.screen('otpEntry', 30_000);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = statSync(path);
    // sockets and pseudo-terminals of the simulators are not data
    return st.isDirectory() ? filesUnder(path) : st.isFile() ? [path] : [];
  });
}

describe('PIN change and palm on the attract screen, against the simulators', () => {
  it('card + OTP -> change PIN -> the app completes it: success, slip, card returned, one change at the bank, no PIN anywhere', async () => {
    await visit(stack, async (ui) => {
      const printedBefore = (await http<unknown[]>('GET', `${stack.devicesUrl}/printer/receipts`)).length;
      await http('POST', `${stack.devicesUrl}/card-reader/insert`, { pan: AIGERIM_PAN, expiry: '3012', name: 'AIGERIM SEITKALI' });
      await ui.screen('otpEntry', 20_000);
      ui.send('submitOtp', { code: await latestOtp('+77011234567') });
      await ui.waitFor('PIN change on the menu', (s) => s.screen === 'operations' && s.operations.includes('changePin'));

      ui.send('chooseOperation', { operation: 'changePin' });
      const waiting = await ui.screen('pinChangeWait');
      expect(waiting.pinChange).toMatchObject({ channel: 'push', status: 'waiting' });
      expect(waiting.pinChange?.deadline ?? 0).toBeGreaterThan(Date.now());

      const [change] = await eventually('the change at the bank', async () => {
        const list = await pinChanges('c-aigerim');
        return list.length > 0 ? list : undefined;
      });
      expect(change).toMatchObject({ status: 'pending', maskedPan: '440043******0015' });
      await http('POST', `${stack.bankUrl}/admin/pin-changes/${change?.id}`, { done: true });

      const done = await ui.screen('receiptChoice', 20_000);
      expect(done.pinChange?.status).toBe('done');
      const receiptNumber = done.receipt?.number ?? '';
      expect(receiptNumber).not.toBe('');
      ui.send('chooseReceipt', { choice: 'print' });
      await ui.waitFor('take your receipt', (s) => s.screen === 'printing' && s.receipt?.status === 'printed', 20_000);
      ui.send('finish');
      await ui.screen('operations', 20_000);
      const receipts = await http<Array<{ text?: string }>>('GET', `${stack.devicesUrl}/printer/receipts`);
      expect(receipts.length).toBe(printedBefore + 1);
      const slip = JSON.stringify(receipts.at(-1));
      expect(slip).toContain('440043******0015');
      expect(slip).toContain(receiptNumber);
      expect(slip).not.toContain(AIGERIM_PAN);

      ui.send('finish');
      await ui.screen('goodbye');
      await http('POST', `${stack.devicesUrl}/card-reader/remove`, {});
      await ui.screen('attract', 20_000);

      const atBank = await pinChanges('c-aigerim');
      expect(atBank.filter((c) => c.status === 'done')).toHaveLength(1);
      expect(atBank[0]?.completedAt).toBeTruthy();

      // the journal has the change (non-financial, audit trail) with its receipt number
      const db = new Database(dbPath(stack.dataDir), { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare("SELECT payload, receipt_number AS receiptNumber FROM journal WHERE type = 'pinChange'").all() as Array<{ payload: string; receiptNumber: string }>;
        expect(rows).toHaveLength(1);
        expect(rows[0]?.receiptNumber).toBe(receiptNumber);
        expect(JSON.parse(rows[0]?.payload ?? '{}')).toMatchObject({ outcome: 'done', card: '440043******0015', channel: 'push' });
      } finally {
        db.close();
      }

      // nothing PIN-like, no card number, no template: in the kiosk's data and in every log
      const kioskFiles = filesUnder(stack.dataDir).filter((f) => !f.includes(`${join(stack.dataDir, 'bank')}`));
      const pinKey = /"(pin|newPin|pinBlock|pin_block|oldPin)"\s*:/i;
      for (const file of kioskFiles) {
        const text = readFileSync(file).toString('latin1');
        expect(pinKey.test(text), `${file} holds a PIN field`).toBe(false);
        expect(text.includes(AIGERIM_PAN), `${file} holds the PAN`).toBe(false);
      }
      const logs = filesUnder(logDir());
      expect(logs.map((f) => basename(f)).sort()).toEqual(['bank.log', 'devices.log', 'kiosk.log']);
      for (const log of logs) {
        const text = readFileSync(log, 'utf8');
        expect(pinKey.test(text), `${log} holds a PIN field`).toBe(false);
        expect(text.includes(AIGERIM_PAN), `${log} holds the PAN`).toBe(false);
      }
      const scan = scanArtifacts([stack.dataDir, logDir()]);
      expect(scan.errors).toEqual([]);
      expect(scan.findings).toEqual([]);
    });
  }, 90_000);

  it('a palm presented on the attract screen signs the enrolled customer in, in the language chosen there', async () => {
    await visit(stack, async (ui) => {
      ui.send('setLocale', { locale: 'en' });
      await ui.waitFor('English', (s) => s.screen === 'attract' && s.locale === 'en');
      const otp = await presentPalm(ui, 'palm-aigerim');
      expect(otp.locale).toBe('en');
      expect(otp.customer?.maskedName).toBe('Aigerim S.');
      expect(ui.snapshots.some((s) => s.screen === 'palmScan')).toBe(true);
      ui.send('cancel');
      await ui.screen('attract', 20_000);
      const scan = scanArtifacts([stack.dataDir, logDir()]);
      expect(scan.errors).toEqual([]);
      expect(scan.findings).toEqual([]);
    }, palmArmed);
  }, 90_000);

  it('the scanner unplugged on the attract screen disarms it; plugged back, a palm signs in again', async () => {
    await visit(stack, async (ui) => {
      await http('POST', `${stack.devicesUrl}/faults`, { device: 'palm', fault: 'unplugged' });
      await ui.waitFor('palm disarmed', (s) => s.screen === 'attract' && s.attract?.palm === false && s.devices.palm !== 'ok', 20_000);
      await http('DELETE', `${stack.devicesUrl}/faults`);
      await ui.waitFor('palm armed again', (s) => s.screen === 'attract' && s.attract?.palm === true, 30_000);
      const otp = await presentPalm(ui, 'palm-dauren');
      expect(otp.customer?.maskedName).toBe('Dauren N.');
      ui.send('cancel');
      await ui.screen('attract', 20_000);
    }, palmArmed);
  }, 90_000);
});
