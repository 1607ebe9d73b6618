/**
 * `npm test`: the whole gate, in order, stopping at the first failure: tools present, lint,
 * typecheck, alert rules (promtool), unit, integration, renderer build, Electron security scan, Playwright, then the card-data
 * leak scan of everything the run left in its artefact folder (KIOSK_TEST_ARTIFACTS, set here for every
 * child: system-test and end-to-end servers keep their databases and logs there). The last line
 * is always `tests: N passed, M failed`, taken from the runners' JSON reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { add, noTestsFound, playwrightCounts, reconcile, summaryLine, vitestCounts, zero, type Counts } from './lib/counts.js';
import { extraE2eConfigs } from './lib/e2e-configs.js';
import { electronBinary, which } from './lib/tools.js';
import { KILL_NAMES } from './lib/chaos/points.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const reports = mkdtempSync(join(tmpdir(), 'kiosk-test-reports-'));
// outside test-results/, which Playwright empties when it starts
const artifacts = process.env.KIOSK_TEST_ARTIFACTS || join(root, 'test-artifacts', new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15));
mkdirSync(artifacts, { recursive: true });
process.env.KIOSK_TEST_ARTIFACTS = artifacts;
let total: Counts = zero();
/** one cycle per kill point */
const CHAOS_CYCLES = KILL_NAMES.length;
const notes: string[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) console.error(`test: cannot run ${command}: ${r.error.message}`);
  return r.status ?? 1;
}

function finish(code: number, stoppedAt?: string): never {
  rmSync(reports, { recursive: true, force: true });
  console.log('');
  for (const n of notes) console.log(`note: ${n}`);
  if (stoppedAt) console.log(`stopped at: ${stoppedAt}`);
  console.log(`skipped: ${total.skipped}${total.flaky ? `, flaky (passed on retry): ${total.flaky}` : ''}`);
  console.log(summaryLine(total));
  process.exit(code);
}

/** a step that is not a test run: its failure counts as one failed check */
function step(name: string, command: string, args: string[]): void {
  const code = run(command, args);
  if (code !== 0) {
    total = add(total, { ...zero(), failed: 1 });
    finish(code, name);
  }
}

function ensureSystemTools(): void {
  // command -> Debian package; Xvfb gives the npm-start test a display to open its windows on
  const packages: Record<string, string> = { socat: 'socat', chromium: 'chromium', Xvfb: 'xvfb' };
  const missing = Object.keys(packages)
    .filter((t) => (t === 'chromium' ? !existsSync('/usr/bin/chromium') && !which('chromium') : !which(t)))
    .map((t) => packages[t] ?? t);
  if (missing.length === 0) return;
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!isRoot && !sudo) {
    console.error(`test: missing ${missing.join(', ')}; install with:\n  sudo apt-get update && sudo ${install.join(' ')}`);
    total = add(total, { ...zero(), failed: 1 });
    finish(1, 'system tools');
  }
  const exec = (args: string[]): number => {
    const [command, ...rest] = isRoot ? args : ['sudo', '-n', ...args];
    return run(command ?? 'true', rest, { DEBIAN_FRONTEND: 'noninteractive' });
  };
  if (exec(['apt-get', 'update', '-qq']) !== 0 || exec(install) !== 0) {
    total = add(total, { ...zero(), failed: 1 });
    finish(1, 'system tools');
  }
}

/** promtool for the alert-rule step: only the binary, taken out of Debian's package (.ci/install-promtool) */
function ensurePromtool(): void {
  if (which('promtool')) return;
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!isRoot && !sudo) {
    console.error('test: missing promtool; install it with:\n  sudo .ci/install-promtool');
    total = add(total, { ...zero(), failed: 1 });
    finish(1, 'system tools');
  }
  const code = isRoot ? run('.ci/install-promtool', []) : run('sudo', ['-n', '.ci/install-promtool']);
  if (code !== 0) {
    total = add(total, { ...zero(), failed: 1 });
    finish(1, 'system tools');
  }
}

function vitest(project: 'unit' | 'integration'): void {
  const out = join(reports, `vitest-${project}.json`);
  const code = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  const counts = reconcile(vitestCounts(out), code);
  total = add(total, counts);
  console.log(`test: ${project}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  if (code !== 0) finish(code, `vitest ${project}`);
}

/**
 * The chaos harness, short and with a fixed seed: the kill points in rotation, so each one is hit
 * once (about 3 minutes); one check, passed only with zero discrepancies.
 * `npm run chaos -- --cycles 1000 --seed 42` is the long run.
 */
function chaos(): void {
  const out = join(reports, 'chaos.json');
  const code = run('npm', ['run', 'chaos', '--', '--cycles', String(CHAOS_CYCLES), '--seed', '1', '--rotate', '--quiet', '--out', out]);
  total = add(total, { ...zero(), ...(code === 0 ? { passed: 1 } : { failed: 1 }) });
  console.log(`test: chaos: ${code === 0 ? 'no discrepancies' : 'FAILED'} (${relative(root, out)})`);
  if (code !== 0) finish(code, 'chaos');
}

function hasSpecs(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => /\.(spec|test)\.[cm]?[jt]sx?$/.test(f));
}

function playwright(): void {
  if (!hasSpecs(join(root, 'tests', 'e2e'))) {
    notes.push('playwright: no specs in tests/e2e yet; nothing ran');
    return;
  }
  if (!electronBinary()) notes.push('playwright: electron project not run (no Electron binary; `node node_modules/electron/install.js` where there is internet)');
  // the main config first, then each extra config in tests/e2e (their specs are left out of the main one)
  const configs = [undefined, ...extraE2eConfigs()];
  for (const [i, config] of configs.entries()) {
    const label = config ? `playwright ${relative(root, config)}` : 'playwright';
    const out = join(reports, `playwright-${i}.json`);
    const args = ['playwright', 'test', ...(config ? ['-c', config] : []), '--reporter=list,json'];
    const code = run('npx', args, { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
    // a config whose specs are all claimed elsewhere finds nothing to run: not a failure, and nothing counted
    const counts = reconcile(playwrightCounts(out), code === 1 && noTestsFound(out) ? 0 : code);
    total = add(total, counts);
    console.log(`test: ${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    if (code !== 0 && counts.failed > 0) finish(code, label);
  }
}

ensureSystemTools();
ensurePromtool();
step('lint', 'npm', ['run', 'lint']);
step('typecheck', 'npm', ['run', 'typecheck']);
// cheap: alert rules checked and unit-tested with the real promtool before the long runs
step('promtool rules', process.execPath, ['--import', 'tsx', 'scripts/promtool.ts']);
vitest('unit');
vitest('integration');
chaos();
if (existsSync(join(root, 'renderer', 'vite.config.ts'))) step('build:renderer', 'npm', ['run', 'build:renderer']);
else notes.push('renderer build skipped: renderer/vite.config.ts does not exist yet');
step('scan:electron', 'npm', ['run', 'scan:electron']);
playwright();
step('leak scan', process.execPath, ['--import', 'tsx', 'tests/security/scan-artifacts.ts', artifacts]);
notes.push(`artefacts (logs, databases) of this run: ${relative(root, artifacts) || artifacts}`);
finish(total.failed > 0 ? 1 : 0);
