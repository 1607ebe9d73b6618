/**
 * `npm start`: bank simulator (7070), device simulators (7400) and the kiosk core (7300) on
 * loopback, then the kiosk screen: Electron when its binary is installed, else Chromium in kiosk
 * mode when there is a display, else the URL to open. Ctrl-C, SIGINT or SIGTERM stops everything
 * within a few seconds and removes the browser profiles. `--fresh` deletes the data first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newBridgeToken } from '../kiosk/web-shell/token.js';
import { spawnService, stopAll, type Service } from './lib/services.js';
import { startStack, type Stack } from './lib/stack.js';
import { chromiumBinary, electronBinary, hasDisplay } from './lib/tools.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const port = (name: string, fallback: number, alias?: string): number => {
  const raw = process.env[name] ?? (alias ? process.env[alias] : undefined);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`start: ${name} must be an integer 1-65535 (got "${raw}")`);
    process.exit(2);
  }
  return n;
};

function npmRun(script: string): void {
  console.log(`start: npm run ${script}`);
  const r = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: npm run ${script} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const USAGE = `usage: npm start [-- --fresh]
  --fresh   delete the bank simulator's ledger (re-seeded on start), the terminal's database and the
            emulated cash acceptor's cash box first`;

/** a window that closes this soon after it opened did not start, rather than being closed by a person */
const EARLY_EXIT_MS = 5_000;
/** everything started is gone this long after a stop signal, whatever a child does with SIGTERM */
const STOP_DEADLINE_MS = 4_000;

function parseArgs(argv: string[]): { fresh: boolean } {
  let fresh = false;
  for (const a of argv) {
    if (a === '--fresh') fresh = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`start: unknown argument "${a}"\n${USAGE}`);
      process.exit(2);
    }
  }
  return { fresh };
}

/**
 * the bank ledger folder, the kiosk's SQLite files (with their WAL side files) and the emulated
 * acceptor's cash box (kept across simulator restarts), so the terminal's counters and the box agree
 */
function freshStart(dataDir: string): void {
  const targets = [
    join(dataDir, 'bank'),
    ...['', '-wal', '-shm'].map((s) => join(dataDir, `kiosk.sqlite${s}`)),
    join(dataDir, 'run', 'cash-acceptor.state.json'),
  ].filter((p) => existsSync(p));
  if (targets.length === 0) {
    console.log(`start: --fresh: nothing to delete in ${dataDir}`);
    return;
  }
  console.log(`start: --fresh deletes the bank simulator's ledger (re-seeded on start), the terminal database and the emulated acceptor's cash box:`);
  for (const t of targets) {
    console.log(`  ${t}`);
    rmSync(t, { recursive: true, force: true });
  }
}

/** the lines of a browser's output that say why it gave up, else its last lines */
function why(lines: string[]): string {
  const telling = lines.filter((l) => /fatal|error|not supported|cannot|failed|missing/i.test(l));
  return (telling.length > 0 ? telling.slice(-3) : lines.slice(-3)).join('\n    ') || '(it printed nothing)';
}

async function main(): Promise<void> {
  const { fresh } = parseArgs(process.argv.slice(2));
  const ports = { bank: port('SIM_BANK_PORT', 7070, 'BANK_PORT'), devices: port('SIM_DEVICES_PORT', 7400), kiosk: port('KIOSK_WEB_PORT', 7300) };
  const dataDir = resolve(root, process.env.KIOSK_DATA_DIR ?? 'data');
  const token = process.env.KIOSK_BRIDGE_TOKEN ?? newBridgeToken();
  const asRoot = process.getuid?.() === 0;

  const extra: Service[] = [];
  const servers: Service[] = [];
  const profiles: string[] = [];
  let stack: Stack | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping');
    const all = (): Service[] => [...extra, ...servers];
    const deadline = setTimeout(() => {
      for (const s of all()) s.kill();
    }, STOP_DEADLINE_MS);
    // windows first, then the servers in reverse start order (the kiosk lets go of devices and bank first)
    await Promise.all(extra.map((s) => s.stop(STOP_DEADLINE_MS)));
    await stopAll(servers);
    clearTimeout(deadline);
    for (const p of profiles) rmSync(p, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));

  if (fresh) freshStart(dataDir);

  if (!existsSync(join(root, 'renderer', 'dist', 'index.html'))) {
    if (existsSync(join(root, 'renderer', 'vite.config.ts'))) npmRun('build:renderer');
    else console.log('start: renderer/vite.config.ts does not exist yet; the kiosk serves a placeholder page');
  }

  const electron = electronBinary();
  if (electron) npmRun('build');
  if (stopping) return;

  try {
    stack = await startStack({
      root,
      bankPort: ports.bank,
      devicesPort: ports.devices,
      kioskPort: ports.kiosk,
      dataDir,
      token,
      startCore: !electron,
      onSpawn: (s) => servers.push(s),
    });
  } catch (err) {
    console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
    return;
  }
  if (stopping) return;
  for (const note of stack.notes) console.log(`start: ${note}`);

  const panelUrl = `${stack.devicesUrl}/`;
  const chromium = chromiumBinary();
  // Chromium's (and Electron's) sandbox refuses to run as root; a user keeps it
  const sandbox = asRoot ? ['--no-sandbox'] : [];
  const windows: { service: Service; url: string; startedAt: number }[] = [];
  if ((electron || (chromium && hasDisplay())) && asRoot) console.log('start: running as root, so the windows start with --no-sandbox');
  if (electron) {
    // Electron's main forks the core itself; the simulators above are shared with it
    const service = spawnService({
      name: 'electron',
      command: electron,
      args: [root, ...sandbox],
      env: { ...process.env, KIOSK_WEB_PORT: String(ports.kiosk), KIOSK_BANK_URL: stack.bankUrl, KIOSK_DATA_DIR: dataDir, KIOSK_BRIDGE_TOKEN: token },
      processGroup: true,
    });
    extra.push(service);
  } else if (chromium && hasDisplay()) {
    const profile = (name: string): string => {
      const dir = mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
      profiles.push(dir);
      return dir;
    };
    const common = ['--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-component-update', ...sandbox];
    const open = (name: string, url: string, args: string[]): void => {
      // quiet: a browser's console chatter would drown the servers' lines; kept for the early-exit reason
      const service = spawnService({ name, command: chromium, args: [...common, `--user-data-dir=${profile(name)}`, ...args, `--app=${url}`], output: 'quiet', processGroup: true });
      extra.push(service);
      windows.push({ service, url, startedAt: Date.now() });
    };
    open('screen', stack.uiUrl, ['--kiosk']);
    open('panel', panelUrl, ['--window-size=900,1000']);
  } else {
    console.log(`start: no Electron binary and no display with Chromium; open these yourself:`);
  }
  console.log(`\n  kiosk screen:     ${stack.uiUrl}\n  simulator panel:  ${panelUrl}\n  bank simulator:   ${stack.bankUrl}\n  metrics:          ${stack.kioskUrl}/metrics\n\nCtrl-C stops everything.`);

  // a window that does not come up says why and leaves the servers running for a browser opened by hand
  for (const w of windows) {
    void w.service.exited.then((code) => {
      if (stopping) return;
      const after = Date.now() - w.startedAt;
      if (after < EARLY_EXIT_MS) {
        console.error(`start: the ${w.service.name} window exited after ${(after / 1000).toFixed(1)} s (${code}):\n    ${why(w.service.recentOutput())}\n  open it by hand: ${w.url}`);
      } else {
        console.log(`start: the ${w.service.name} window closed (${code}); reopen it at ${w.url}`);
      }
    });
  }

  // a service that dies on its own takes the demo down with a clear reason instead of a half-running kiosk
  for (const s of [...stack.services, ...extra.filter((e) => e.name === 'electron')]) {
    void s.exited.then((code) => {
      if (stopping) return;
      console.error(`start: ${s.name} exited (${code}); stopping the rest\n    ${why(s.recentOutput())}`);
      void stop(1);
    });
  }
}

void main();
