/**
 * `npm run kiosk`: loads the configuration and runs the core. With `--ipc` (or when started as an
 * Electron utility process) the bridge is also served to the Electron main process.
 * A configuration problem is one line on stderr and exit code 2.
 */
import { ConfigError, configEnvNames, loadConfig } from './config/load.js';
import { checkStartup } from './config/startup-checks.js';
import { startCore, stopOnSignals } from './core.js';
import { electronParentPort } from './bridge/ipc-bridge.js';
import { createSessionRuntime } from './runtime/session-runtime.js';

const EXIT_CONFIG = 2;

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log('usage: npm run kiosk [-- --ipc] [-- --print-token]\nconfig file: KIOSK_CONFIG or config/kiosk.json; environment overrides:');
    for (const name of configEnvNames()) console.log(`  ${name}`);
    return;
  }
  let config;
  try {
    config = loadConfig();
    checkStartup(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
  const port = electronParentPort();
  if (argv.includes('--ipc') && !port) {
    console.error('kiosk: --ipc needs to run as an Electron utility process (no process.parentPort)');
    process.exit(EXIT_CONFIG);
  }
  const core = await startCore(config, { sessionHost: (ctx) => createSessionRuntime(ctx), ...(port ? { ipc: port } : {}) });
  stopOnSignals(core);
  // the token opens the bridge: it goes to stdout (and so into logs) only when asked for
  if (!port) console.log(argv.includes('--print-token') ? `kiosk core: open ${core.uiUrl}` : `kiosk core: open ${core.url}/ (bridge token: KIOSK_BRIDGE_TOKEN, or run with --print-token)`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`kiosk core failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
