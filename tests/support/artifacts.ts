/**
 * Where a test run keeps what it leaves behind: process logs, SQLite files, run folders. Everything
 * a system test writes goes under one folder so the card-data leak scan can read all of it after
 * the suites: `KIOSK_TEST_ARTIFACTS` when set (npm test sets it once for the whole run), otherwise
 * `test-results/artifacts/<run>` in the repository.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS_ENV = 'KIOSK_TEST_ARTIFACTS';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

let defaultRun: string | undefined;

/** the run's artefact folder, created on first use */
export function artifactsRoot(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[ARTIFACTS_ENV];
  if (explicit !== undefined && explicit.length > 0) {
    const dir = resolve(repoRoot, explicit);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  if (defaultRun === undefined) {
    // short: the e2e stack puts Unix sockets below this folder, and their paths must stay under 108 bytes
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    defaultRun = join(repoRoot, 'test-results', 'artifacts', `${stamp}-${process.pid}`);
    mkdirSync(defaultRun, { recursive: true });
  }
  return defaultRun;
}

/** a fresh folder for one suite, e.g. `<artefacts>/harness-Ab12Cd` */
export function suiteDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60) || 'suite';
  return mkdtempSync(join(artifactsRoot(env), `${safe}-`));
}
