/**
 * Playwright's global setup: the three servers on the e2e ports with a fresh data folder, torn
 * down (and the folder removed) after the run. Specs read the URLs from E2E or the environment.
 * Under `npm test` (KIOSK_TEST_ARTIFACTS set) the data folder and the servers' logs are kept in the
 * run's artefact folder instead, for the card-data leak scan that ends the run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E } from './e2e-env.js';
import { startStack } from './lib/stack.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const artifacts = process.env.KIOSK_TEST_ARTIFACTS;
  const keep = artifacts !== undefined && artifacts.length > 0;
  if (keep) mkdirSync(artifacts, { recursive: true });
  const dataDir = mkdtempSync(keep ? join(resolve(artifacts), 'e2e-') : join(tmpdir(), 'kiosk-e2e-'));
  const logDir = keep ? join(dataDir, 'logs') : undefined;
  if (logDir) mkdirSync(logDir);
  const stack = await startStack({
    root,
    bankPort: E2E.bankPort,
    devicesPort: E2E.devicesPort,
    kioskPort: E2E.kioskPort,
    dataDir,
    token: E2E.token,
    output: process.env.E2E_SERVER_LOGS ? 'prefix' : 'quiet',
    // the specs take cash through the presenter's taken sensor; a stock dispenser is covered by the integration tests
    // service crews come from the bank's list (T001 technician, C001 collector); a lock-out lasts one minute
    env: { KIOSK_LOG_LEVEL: keep ? 'info' : 'warn', KIOSK_DEVICES_DISPENSER_PRESENTER: 'true', KIOSK_SERVICE_USERS_FROM_BANK: 'true', KIOSK_SERVICE_LOCKOUT_MINUTES: '1' },
    ...(logDir ? { logDir } : {}),
  });
  for (const note of stack.notes) console.log(`e2e: ${note}`);
  process.env.KIOSK_E2E_UI_URL = stack.uiUrl;
  process.env.KIOSK_E2E_BANK_URL = stack.bankUrl;
  process.env.KIOSK_E2E_DEVICES_URL = stack.devicesUrl;
  return async () => {
    await stack.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  };
}
