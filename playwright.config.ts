/**
 * End-to-end tests in the system's Chromium against the real servers (started by the global
 * setup on the e2e ports). Portrait and landscape kiosk screens; the Electron project exists only
 * where an Electron binary is installed, and says so when it is left out.
 */
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { E2E } from './scripts/e2e-env.js';
import { extraE2eConfigs } from './scripts/lib/e2e-configs.js';
import { electronBinary } from './scripts/lib/tools.js';

// specs that another config in tests/e2e owns (e.g. a fixture gallery with its own setup) run there, not here
const claimed = (await Promise.all(extraE2eConfigs().map(async (file) => (await import(file)) as { default?: PlaywrightTestConfig })))
  .map((m) => m.default?.testMatch)
  .flatMap((m) => (m === undefined ? [] : Array.isArray(m) ? m : [m]));
const ignore = [/\.electron\.spec\.ts$/, ...claimed];
// customer flows whose logic does not depend on the screen's shape: once, in portrait, to keep CI short
const portraitOnly = [/account-payment\.spec\.ts$/, /push-receipt\.spec\.ts$/, /card-withdrawal\.spec\.ts$/, /service-mode\.spec\.ts$/, /service-crew\.spec\.ts$/, /walk-up-payment\.spec\.ts$/, /refusals\.spec\.ts$/, /language-mid-session\.spec\.ts$/, /inactivity\.spec\.ts$/, /kazakh-visit\.spec\.ts$/];

const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  },
};

const projects: NonNullable<PlaywrightTestConfig['projects']> = [
  { name: 'portrait', testIgnore: ignore, use: { ...chromium, viewport: { width: 1080, height: 1920 } } },
  { name: 'landscape', testIgnore: [...ignore, ...portraitOnly], use: { ...chromium, viewport: { width: 1920, height: 1080 } } },
];

const electron = electronBinary();
if (electron) {
  // specs named *.electron.spec.ts drive the packaged shell through Playwright's _electron API
  projects.push({ name: 'electron', testMatch: /\.electron\.spec\.ts$/, metadata: { electron } });
} else if (process.env.TEST_WORKER_INDEX === undefined) {
  // printed once by the runner, not again by every worker that loads this file
  console.log('playwright: electron project NOT RUN: no Electron binary (run `node node_modules/electron/install.js` where there is internet)');
}

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  globalSetup: './scripts/e2e-global-setup.ts',
  outputDir: 'test-results',
  reporter: [['list']],
  use: {
    baseURL: E2E.kioskUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects,
});
