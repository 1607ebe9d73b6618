/**
 * The Electron security scan: clean on the real shell, and it catches what it exists to catch.
 * Each case scans real files with the real Electronegativity.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronCurrencyVerdict, onlySelfScriptWarning, scanElectron, unexplainedSilencing, writeResolvedConfig, type ScanReport } from '../../../scripts/electronegativity.js';
import { CONTENT_SECURITY_POLICY } from '../../../kiosk/web-shell/security-headers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'electron-scan-test-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** a small Electron main with the given webPreferences, named `name` in the scan */
function plantedApp(name: string, webPreferences: string, trailer = ''): string {
  const dir = join(tempDir(), name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'window.ts'),
    `import { BrowserWindow, session } from 'electron';
export function open(): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((_wc, _p, cb) => cb(false));
  const w = new BrowserWindow({ webPreferences: { ${webPreferences} } });${trailer}
  w.webContents.on('will-navigate', (e) => e.preventDefault());
  return w;
}
`,
  );
  return dir;
}

function weakenedResolvedOptions(): string {
  const dir = join(tempDir(), 'weakened');
  mkdirSync(dir);
  writeResolvedConfig(dir);
  const file = join(dir, 'kiosk-window.resolved.js');
  writeFileSync(file, readFileSync(file, 'utf8').replace('"contextIsolation": true', '"contextIsolation": false'));
  return dir;
}

const ownFile = fileURLToPath(new URL('../../../scripts/electronegativity.ts', import.meta.url));
function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((res) => {
    execFile(process.execPath, ['--import', 'tsx', ownFile, ...args], { encoding: 'utf8', timeout: 60_000 }, (err, stdout) =>
      res({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout }),
    );
  });
}

// Every scan waits about 3 s on the scanner's offline translation download; they run side by side.
let real: ScanReport;
let planted: ScanReport;
let command: { code: number | null; stdout: string };
const silenced = plantedApp('silenced', 'nodeIntegration: true', ' // eng-disable NODE_INTEGRATION_JS_CHECK SANDBOX_JS_CHECK');
const explained = plantedApp('explained', 'nodeIntegration: true', ' // eng-disable NODE_INTEGRATION_JS_CHECK -- a fixture of this test only');
const bare = plantedApp('bare', 'nodeIntegration: true, contextIsolation: true');

beforeAll(async () => {
  [real, planted, command] = await Promise.all([
    scanElectron({ inputs: ['main'] }),
    scanElectron({ inputs: [bare, weakenedResolvedOptions(), silenced, explained], resolved: false }),
    cli(['--input', plantedApp('cli', 'nodeIntegration: true'), '--no-resolved']),
  ]);
}, 60_000);

const at = (file: string) => planted.findings.filter((f) => f.file === file).map((f) => f.check);

describe('electron scan', () => {
  it('finds nothing unexplained in main/ and the resolved window options and CSP', () => {
    expect(real.findings).toEqual([]);
    expect(real.parseErrors).toEqual([]);
    expect(real.unexplained).toEqual([]);
    expect(real.files).toBeGreaterThanOrEqual(10);
  });

  it('catches a planted nodeIntegration: true', () => {
    expect(at('bare/window.ts')).toContain('NODE_INTEGRATION_JS_CHECK');
    expect(at('bare/window.ts')).toContain('SANDBOX_JS_CHECK');
  });

  it('catches a weakened kiosk window option through the resolved options', () => {
    expect(at('weakened/kiosk-window.resolved.js')).toContain('CONTEXT_ISOLATION_JS_CHECK');
  });

  it('fails a silencing comment that gives no reason, and accepts one that does', () => {
    expect(at('silenced/window.ts')).not.toContain('NODE_INTEGRATION_JS_CHECK');
    expect(at('explained/window.ts')).not.toContain('NODE_INTEGRATION_JS_CHECK');
    expect(planted.unexplained).toEqual([expect.objectContaining({ file: join('silenced', 'window.ts'), line: 4 })]);
    expect(unexplainedSilencing(explained)).toEqual([]);
  });

  it('silences the CSP warning only while script-src self is its sole complaint', () => {
    expect(onlySelfScriptWarning(CONTENT_SECURITY_POLICY)).toBe(true);
    expect(onlySelfScriptWarning(CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"))).toBe(false);
    expect(onlySelfScriptWarning(CONTENT_SECURITY_POLICY.replace("object-src 'none'", 'object-src *'))).toBe(false);
  });

  it('as a command: exit 1 and the check named on a planted finding', () => {
    expect(command.code).toBe(1);
    expect(command.stdout).toContain('NODE_INTEGRATION_JS_CHECK');
    expect(command.stdout).toMatch(/electron scan: \d+ finding/);
  });
});

describe('Electron on the current major (in place of the left-out AvailableSecurityFixesGlobalCheck)', () => {
  it('passes the current major and fails one behind', () => {
    expect(electronCurrencyVerdict('45.6.1', '45.7.0').ok).toBe(true);
    expect(electronCurrencyVerdict('46.0.0', '45.7.0').ok).toBe(true);
    const behind = electronCurrencyVerdict('39.2.3', '45.7.0');
    expect(behind.ok).toBe(false);
    expect(behind.text).toContain('45.7.0');
    expect(electronCurrencyVerdict('45.6.1', 'garbage').ok).toBe(false);
  });
});
