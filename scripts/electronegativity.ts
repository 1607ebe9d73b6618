/**
 * Electron security scan (`npm run scan:electron`, a step of `npm test`): Electronegativity over the
 * Electron shell's sources, plus the configuration main really applies, resolved.
 *
 * Electronegativity judges `new BrowserWindow(...)` only by the literal written at the call site and
 * finds a CSP only in a few code shapes. Ours are built elsewhere (`kioskWindowOptions`, the CSP
 * constant sent on every app:// response), so the scan also writes them out resolved, as the scanner
 * can read them: the window options for packaged and development builds as `new BrowserWindow({...})`,
 * and the served page's CSP as a meta tag. A weakened option or CSP is then a finding like any other.
 *
 * Every finding fails the scan unless the line (or the file's first line) silences it with
 * `eng-disable CHECK_NAME -- reason`; a silencing comment without a reason is itself a failure.
 * Exit codes: 0 clean, 1 findings, 2 the scan could not run.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTENT_SECURITY_POLICY } from '../kiosk/web-shell/security-headers.js';
import { kioskWindowOptions } from '../main/window-options.js';

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  sample?: string;
  description: string;
  severity: { name?: string; value: number };
  confidence: { name?: string; value: number };
  manualReview: boolean;
}
interface RunOptions {
  input: string;
  output?: string;
  isRelative?: boolean;
  isSarif?: boolean;
  customScan?: string[];
  excludeFromScan?: string[];
  electronVersionOverride?: string;
  parserPlugins?: string[];
}
interface RunResult {
  issues: RawIssue[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  globalChecks: number;
  atomicChecks: number;
}

export interface Finding {
  check: string;
  /** relative to the scanned folder; `N/A` for whole-application checks */
  file: string;
  line: number;
  column: number;
  severity: string;
  confidence: string;
  description: string;
  sample?: string;
}

export interface ScanReport {
  findings: Finding[];
  /** files the scanner could not parse: a scan that skipped a file proves nothing about it */
  parseErrors: Array<{ file: string; message: string }>;
  /** `eng-disable` comments that give no reason */
  unexplained: Array<{ file: string; line: number; text: string }>;
  checks: number;
  files: number;
}

/**
 * Checks left out, and why:
 * - AvailableSecurityFixesGlobalCheck downloads Electron's release list from raw.githubusercontent.com
 *   on every run and has no offline source; CI and the build machines reach only the npm registry, where
 *   it would always report "no connectivity" instead of a verdict. Its place is taken by
 *   `electronCurrency`, which asks the npm registry (the one CI reaches) for Electron's latest release.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);

function loadRunner(): (options: RunOptions) => Promise<RunResult> {
  return require('@doyensec/electronegativity') as (options: RunOptions) => Promise<RunResult>;
}

/** the installed Electron's version, else the one package.json asks for */
export function electronVersion(projectRoot = root): string {
  const installed = join(projectRoot, 'node_modules', 'electron', 'package.json');
  if (existsSync(installed)) return (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version;
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string>; dependencies?: Record<string, string> };
  const spec = pkg.dependencies?.electron ?? pkg.devDependencies?.electron;
  const version = spec?.match(/\d+\.\d+\.\d+/)?.[0];
  if (!version) throw new Error('cannot tell the Electron version: not installed and not in package.json');
  return version;
}

/**
 * Findings on the resolved configuration that are reviewed and accepted, each with its reason. They are
 * silenced only on the line that carries them, so any other weakening still fails the scan.
 */
const ACCEPTED = {
  // The middle-click risk is a new window opening on a link: every window.open and middle-click is
  // denied by setWindowOpenHandler and navigation off app:// is blocked (main/window-guards.ts,
  // tests/unit/main/window.test.ts); the terminal has a touch screen and no mouse.
  auxclick: 'AUXCLICK_JS_CHECK -- new windows denied by setWindowOpenHandler, navigation off app:// blocked',
  // The preload is reviewed: sandboxed, bundled alone, exposes only send/onMessage through contextBridge,
  // never ipcRenderer; main validates every message it relays (tests/unit/main/preload.test.ts).
  preload: 'PRELOAD_JS_CHECK -- reviewed: sandboxed preload exposing only send/onMessage, main validates',
  // The evaluator warns that script-src 'self' is weak where an origin hosts JSONP or user uploads; app://
  // serves only the built renderer files and resolveAppPath confines every request to renderer/dist.
  // (Electronegativity's HTML directive allows no reason text inside the comment, so it stands here.)
  csp: 'CSP_GLOBAL_CHECK',
};

/** The configuration main applies, written where the scanner can judge it. */
export function writeResolvedConfig(dir: string): void {
  const lines = ['// generated by scripts/electronegativity.ts: the options main/app.ts passes, resolved', "import { BrowserWindow } from 'electron';"];
  for (const isPackaged of [true, false]) {
    const options = kioskWindowOptions({ preload: '/app/dist/main/main/preload.cjs', isPackaged });
    const literal = JSON.stringify(options, null, 2)
      .split('\n')
      .map((l) => (/^\s*"preload":/.test(l) ? `${l} // eng-disable ${ACCEPTED.preload}` : l))
      .join('\n');
    lines.push(`// ${isPackaged ? 'packaged' : 'development'} build`, `new BrowserWindow(${literal}); // eng-disable ${ACCEPTED.auxclick}`);
  }
  // the call's own line is where whole-call checks report, so the literal starts on it
  const source = lines.join('\n').replace(/new BrowserWindow\(\{\n([\s\S]*?)\n\}\); (\/\/ eng-disable [^\n]*)/g, 'new BrowserWindow({ $2\n$1\n});');
  writeFileSync(join(dir, 'kiosk-window.resolved.js'), `${source}\n`);
  const csp = CONTENT_SECURITY_POLICY.replace(/"/g, '&quot;');
  const silence = onlySelfScriptWarning(CONTENT_SECURITY_POLICY) ? `<!-- eng-disable ${ACCEPTED.csp} -->` : '';
  writeFileSync(
    join(dir, 'app-page.resolved.html'),
    `<!-- generated by scripts/electronegativity.ts: the CSP every app:// response carries -->\n<html><head><meta http-equiv="Content-Security-Policy" content="${csp}">${silence}</head><body></body></html>\n`,
  );
}

interface CspFinding { directive: string; value?: string; severity: number }
interface CspEvaluatorModule {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): CspFinding[] };
  Version: { CSP3: unknown };
  severities: Record<string, number>;
}

/**
 * The CSP silencing holds only while the evaluator's sole complaint is script-src 'self' (the same
 * evaluator Electronegativity runs), so any weakening of the policy is reported again.
 */
export function onlySelfScriptWarning(policy: string): boolean {
  const csp = require('@doyensec/csp-evaluator') as CspEvaluatorModule;
  const findings = new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();
  const worrying = findings.filter((f) => f.severity < (csp.severities.INFO ?? 60));
  return worrying.length > 0 && worrying.every((f) => f.directive === 'script-src' && f.value === "'self'");
}

const SOURCE = /\.(?:[cm]?[jt]sx?|html?)$/;

function listSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => SOURCE.test(f) && !f.includes('node_modules'));
}

/** `eng-disable` comments must say why: `eng-disable CHECK_NAME -- reason` */
export function unexplainedSilencing(dir: string): ScanReport['unexplained'] {
  const out: ScanReport['unexplained'] = [];
  // the generated files carry their reasons in this script (ACCEPTED)
  for (const file of listSources(dir).filter((f) => !f.includes('.resolved.'))) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const m = /eng-disable\b([^\n]*)/.exec(text);
      if (!m) return;
      const reason = /--\s*(.*?)\s*(?:\*\/|-->|$)/.exec(m[1] ?? '')?.[1] ?? '';
      if (reason.replace(/[\s*/]/g, '').length < 10) out.push({ file, line: i + 1, text: text.trim() });
    });
  }
  return out;
}

/**
 * Scans `inputs` (folders, copied side by side into one temporary folder under their own names) and,
 * unless `resolved` is false, the resolved window options and CSP.
 */
export async function scanElectron(options: { inputs: string[]; resolved?: boolean; csvOutput?: string }): Promise<ScanReport> {
  const stage = mkdtempSync(join(tmpdir(), 'kiosk-electron-scan-'));
  try {
    for (const input of options.inputs) {
      const abs = resolve(input);
      if (!existsSync(abs)) throw new Error(`scan input ${input} does not exist`);
      cpSync(abs, join(stage, basename(abs)), {
        recursive: true,
        filter: (src) => !src.includes('node_modules'),
      });
    }
    if (options.resolved !== false) writeResolvedConfig(stage);
    const run = loadRunner();
    const result = await quietly(() =>
      run({
        input: stage,
        isRelative: true,
        excludeFromScan: EXCLUDED_CHECKS,
        electronVersionOverride: electronVersion(),
        ...(options.csvOutput ? { output: resolve(options.csvOutput) } : {}),
      }),
    );
    return {
      findings: result.issues.map((i) => ({
        check: i.id,
        file: i.file,
        line: i.location.line,
        column: i.location.column,
        severity: i.severity.name ?? String(i.severity.value),
        confidence: i.confidence.name ?? String(i.confidence.value),
        description: i.description,
        ...(i.sample ? { sample: i.sample.trim() } : {}),
      })),
      parseErrors: result.errors.filter((e) => !e.tolerable).map((e) => ({ file: relative(stage, e.file), message: e.message })),
      unexplained: unexplainedSilencing(stage),
      checks: result.globalChecks + result.atomicChecks,
      files: listSources(stage).length,
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * The scanner tries to download translations on every run (about 3 s of retries offline) and says so
 * on stdout when it cannot; offline that is noise, not a result. Its console output is held back and
 * shown only on failure. Counted, so scans may overlap (their waits are only network timeouts).
 */
let quietDepth = 0;
let realLog: typeof console.log = console.log;
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const held: unknown[][] = [];
  if (quietDepth++ === 0) {
    realLog = console.log;
    console.log = (...args: unknown[]) => void held.push(args);
  }
  try {
    return await fn();
  } catch (err) {
    for (const args of held) realLog(...args);
    throw err;
  } finally {
    if (--quietDepth === 0) console.log = realLog;
  }
}

export function formatReport(report: ScanReport): string {
  const out: string[] = [];
  for (const f of report.findings) {
    out.push(`${f.check} ${f.severity}/${f.confidence} ${f.file}:${f.line}:${f.column}\n  ${f.description}${f.sample ? `\n  > ${f.sample}` : ''}`);
  }
  for (const e of report.parseErrors) out.push(`cannot parse ${e.file}: ${e.message}`);
  for (const u of report.unexplained) out.push(`eng-disable without a reason (write "-- why") at ${u.file}:${u.line}: ${u.text}`);
  const failed = report.findings.length + report.parseErrors.length + report.unexplained.length;
  out.push(
    failed === 0
      ? `electron scan: ${report.files} files, ${report.checks} checks, no findings`
      : `electron scan: ${report.findings.length} finding(s), ${report.parseErrors.length} unparsable file(s), ${report.unexplained.length} unexplained silencing(s)`,
  );
  return out.join('\n');
}

/** the verdict on the Electron in use against the latest release: behind by a major is a finding */
export function electronCurrencyVerdict(inUse: string, latest: string): { ok: boolean; text: string } {
  const major = (v: string): number => Number(/^(\d+)\./.exec(v)?.[1] ?? Number.NaN);
  if (Number.isNaN(major(inUse)) || Number.isNaN(major(latest))) return { ok: false, text: `cannot compare Electron ${inUse} with the latest release ${latest}` };
  return major(inUse) >= major(latest)
    ? { ok: true, text: `Electron ${inUse} is on the current major (latest ${latest})` }
    : { ok: false, text: `Electron ${inUse} is behind the current major: the latest release is ${latest} (move package.json and the lockfile)` };
}

/**
 * Electron's latest release from the npm registry. Without an answer (no network) the check is said
 * NOT RUN, never passed; the scan's own findings still decide the exit code.
 */
async function electronCurrency(): Promise<{ ok: boolean; text: string }> {
  const latest = await new Promise<string | undefined>((done) => {
    execFile('npm', ['view', 'electron', 'version'], { timeout: 30_000 }, (err, stdout) => done(err ? undefined : stdout.trim()));
  });
  if (!latest) return { ok: true, text: 'electron scan: current-release check NOT RUN: the npm registry did not answer `npm view electron version`' };
  const verdict = electronCurrencyVerdict(electronVersion(), latest);
  return { ok: verdict.ok, text: `electron scan: ${verdict.text}` };
}

export const isClean = (r: ScanReport): boolean => r.findings.length + r.parseErrors.length + r.unexplained.length === 0;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { input: { type: 'string', multiple: true, short: 'i' }, output: { type: 'string', short: 'o' }, 'no-resolved': { type: 'boolean' } },
  });
  const inputs = values.input ?? [join(root, 'main')];
  const report = await scanElectron({ inputs, resolved: !values['no-resolved'], ...(values.output ? { csvOutput: values.output } : {}) });
  console.log(formatReport(report));
  const currency = await electronCurrency();
  console.log(currency.text);
  process.exitCode = isClean(report) && currency.ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`electron scan could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  });
}
