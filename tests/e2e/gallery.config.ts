/**
 * Playwright config for the renderer on its own (no core needed): the fixture gallery, the
 * production build over a stand-in bridge, and the simulator panel.
 * `npx playwright test -c tests/e2e/gallery.config.ts`.
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunch, PORTRAIT } from './support/chromium.js';

export default defineConfig({
  testDir: '.',
  testMatch: ['gallery-*.spec.ts', 'panel*.spec.ts', 'renderer-bridge.spec.ts'],
  globalSetup: './support/gallery-setup.ts',
  outputDir: '../../test-results/gallery',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
    viewport: PORTRAIT,
    hasTouch: true,
    actionTimeout: 10_000,
  },
});
