/**
 * Playwright's global setup: the three servers on the e2e ports with a fresh data folder, torn
 * down (and the folder removed) after the run. Specs read the URLs from E2E or the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E } from './e2e-env.js';
import { startStack } from './lib/stack.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  const stack = await startStack({
    root,
    bankPort: E2E.bankPort,
    devicesPort: E2E.devicesPort,
    kioskPort: E2E.kioskPort,
    dataDir,
    token: E2E.token,
    output: process.env.E2E_SERVER_LOGS ? 'prefix' : 'quiet',
    env: { KIOSK_LOG_LEVEL: 'warn' },
  });
  for (const note of stack.notes) console.log(`e2e: ${note}`);
  process.env.KIOSK_E2E_UI_URL = stack.uiUrl;
  process.env.KIOSK_E2E_BANK_URL = stack.bankUrl;
  process.env.KIOSK_E2E_DEVICES_URL = stack.devicesUrl;
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
