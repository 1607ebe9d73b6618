/** Playwright configs besides the main one: `tests/e2e/*.config.ts`, each run on its own by `npm test`. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** absolute paths, sorted */
export function extraE2eConfigs(dir = join(root, 'tests', 'e2e')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.config.ts'))
    .sort()
    .map((f) => join(dir, f));
}
