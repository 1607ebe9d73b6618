/**
 * `npm start`: bank simulator (7070), device simulators (7400) and the kiosk core (7300) on
 * loopback, then the kiosk screen: Electron when its binary is installed, else Chromium in kiosk
 * mode when there is a display, else the URL to open. Ctrl-C stops everything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newBridgeToken } from '../kiosk/web-shell/token.js';
import { spawnService, type Service } from './lib/services.js';
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

async function main(): Promise<void> {
  const ports = { bank: port('SIM_BANK_PORT', 7070, 'BANK_PORT'), devices: port('SIM_DEVICES_PORT', 7400), kiosk: port('KIOSK_WEB_PORT', 7300) };
  const dataDir = resolve(root, process.env.KIOSK_DATA_DIR ?? 'data');
  const token = process.env.KIOSK_BRIDGE_TOKEN ?? newBridgeToken();

  if (!existsSync(join(root, 'renderer', 'dist', 'index.html'))) {
    if (existsSync(join(root, 'renderer', 'vite.config.ts'))) npmRun('build:renderer');
    else console.log('start: renderer/vite.config.ts does not exist yet; the kiosk serves a placeholder page');
  }

  const electron = electronBinary();
  if (electron) npmRun('build');

  const extra: Service[] = [];
  let stack: Stack | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping');
    for (const s of extra) await s.stop();
    await stack?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    stack = await startStack({
      root,
      bankPort: ports.bank,
      devicesPort: ports.devices,
      kioskPort: ports.kiosk,
      dataDir,
      token,
      startCore: !electron,
    });
  } catch (err) {
    console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
    return;
  }
  for (const note of stack.notes) console.log(`start: ${note}`);

  const panelUrl = `${stack.devicesUrl}/`;
  const chromium = chromiumBinary();
  if (electron) {
    // Electron's main forks the core itself; the simulators above are shared with it
    extra.push(
      spawnService({
        name: 'electron',
        command: electron,
        args: [root],
        env: { ...process.env, KIOSK_WEB_PORT: String(ports.kiosk), KIOSK_BANK_URL: stack.bankUrl, KIOSK_DATA_DIR: dataDir, KIOSK_BRIDGE_TOKEN: token },
      }),
    );
  } else if (chromium && hasDisplay()) {
    const profile = (name: string): string => mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
    const common = ['--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-component-update'];
    extra.push(
      spawnService({ name: 'screen', command: chromium, args: [...common, `--user-data-dir=${profile('screen')}`, '--kiosk', `--app=${stack.uiUrl}`] }),
      spawnService({ name: 'panel', command: chromium, args: [...common, `--user-data-dir=${profile('panel')}`, `--app=${panelUrl}`, '--window-size=900,1000'] }),
    );
  } else {
    console.log(`start: no Electron binary and no display with Chromium; open these yourself:`);
  }
  console.log(`\n  kiosk screen:     ${stack.uiUrl}\n  simulator panel:  ${panelUrl}\n  bank simulator:   ${stack.bankUrl}\n  metrics:          ${stack.kioskUrl}/metrics\n\nCtrl-C stops everything.`);

  // a service that dies on its own takes the demo down with a clear reason instead of a half-running kiosk
  for (const s of [...stack.services, ...extra.filter((e) => e.name === 'electron')]) {
    void s.exited.then((code) => {
      if (stopping) return;
      console.error(`start: ${s.name} exited (${code}); stopping the rest`);
      void stop(1);
    });
  }
}

void main();
