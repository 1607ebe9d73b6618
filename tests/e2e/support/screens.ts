/**
 * Screenshots of the real core for docs/screens/: every run keeps them with the test's results;
 * with UPDATE_SCREENS=1 they also replace the tracked copies (kept out of ordinary runs so a test
 * run never rewrites tracked files).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

const docs = resolve(import.meta.dirname, '../../../docs/screens');

/** photographs the screen as `real-core-<name>-<project>.png` */
export async function realCoreShot(page: Page, info: TestInfo, name: string): Promise<void> {
  const file = `real-core-${name}-${info.project.name}.png`;
  const path = info.outputPath(file);
  await page.screenshot({ path, animations: 'disabled' });
  if (process.env.UPDATE_SCREENS === '1') {
    mkdirSync(docs, { recursive: true });
    copyFileSync(path, resolve(docs, file));
  }
}
