/**
 * The kiosk core, Electron-free: logging, metrics, the session host and the web shell, started in
 * that order and stopped in reverse. `kiosk/cli.ts` runs it from a terminal or as Electron's
 * utility process (IPC mode).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskConfig } from './config/schema.js';
import { createLogger, type Logger } from './log/logger.js';
import { createMetrics, type KioskMetrics } from './metrics/metrics.js';
import { IdleSessionHost } from './bridge/idle-session-host.js';
import { attachParentPort, type ParentPortLike } from './bridge/ipc-bridge.js';
import type { SessionHost } from './bridge/session-host.js';
import { buildWebShell } from './web-shell/server.js';
import { newBridgeToken } from './web-shell/token.js';
import { startupWarnings } from './config/startup-checks.js';
import { makeDirs } from './store/make-dirs.js';

export type StoppableSessionHost = SessionHost & { stop?(): Promise<void> | void };

export interface CoreContext {
  config: KioskConfig;
  logger: Logger;
  metrics: KioskMetrics;
}

export interface CoreOptions {
  /**
   * The session runtime. Absent: the idle host (attract screen, language, start) so the UI can be
   * exercised end to end. The session machine plugs in here (cli.ts passes it).
   */
  sessionHost?: (ctx: CoreContext) => StoppableSessionHost | Promise<StoppableSessionHost>;
  logger?: Logger;
  /** Electron utility-process port: the bridge is also served over it */
  ipc?: ParentPortLike;
}

export interface Core {
  /** web shell origin, e.g. http://127.0.0.1:7300 */
  readonly url: string;
  /** the URL to open the UI with, token included */
  readonly uiUrl: string;
  readonly token: string;
  readonly logger: Logger;
  readonly metrics: KioskMetrics;
  readonly sessionHost: SessionHost;
  stop(): Promise<void>;
}

/** the app's version from the nearest package.json above this module (source tree or dist/) */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'kiosk-terminal' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export async function startCore(config: KioskConfig, options: CoreOptions = {}): Promise<Core> {
  const logger = options.logger ?? createLogger({ level: config.log.level, name: 'kiosk-core', ...(config.log.file ? { file: config.log.file } : {}) });
  for (const warning of startupWarnings(config)) logger.warn({ config: true }, warning);
  makeDirs(config.dataDir);
  const metrics = createMetrics({ terminalId: config.terminalId, version: packageVersion() });
  const ctx: CoreContext = { config, logger, metrics };
  const sessionHost: StoppableSessionHost = options.sessionHost ? await options.sessionHost(ctx) : new IdleSessionHost(config.locale);
  const token = config.web.bridgeToken ?? newBridgeToken();

  const shell = buildWebShell({
    host: config.web.host,
    port: config.web.port,
    token,
    sessionHost,
    metrics,
    logger,
    rendererDir: config.web.rendererDir,
    allowedOrigins: config.web.allowedOrigins,
    health: () => ({ terminalId: config.terminalId }),
  });
  try {
    await shell.listen();
  } catch (err) {
    await sessionHost.stop?.();
    throw err;
  }

  const detachIpc = options.ipc
    ? attachParentPort(options.ipc, sessionHost, {
        onIntent: (intent) => metrics.bridgeIntents.inc({ name: intent.name }),
        onRejected: (reason) => {
          metrics.bridgeRejected.inc({ transport: 'ipc' });
          logger.warn({ reason }, 'ipc bridge message rejected');
        },
        onInvalidSnapshot: (reason) => logger.error({ reason }, 'core produced a snapshot outside the bridge contract; not sent'),
        onNotAllowed: (intent, reason) => logger.info({ intent: intent.name, reason }, 'intent not allowed in the current state; answered rejected'),
        onDispatchError: (err) => logger.error({ err }, 'session host failed on an intent'),
      })
    : undefined;

  logger.info({ url: shell.url, terminalId: config.terminalId, ipc: Boolean(options.ipc) }, 'kiosk core started');

  let stopping: Promise<void> | undefined;
  return {
    url: shell.url,
    uiUrl: `${shell.url}/?token=${encodeURIComponent(token)}`,
    token,
    logger,
    metrics,
    sessionHost,
    stop() {
      stopping ??= (async () => {
        detachIpc?.();
        await shell.close();
        await sessionHost.stop?.();
        logger.info('kiosk core stopped');
      })();
      return stopping;
    },
  };
}

/** Stops the core once on SIGINT/SIGTERM, then exits; a second signal exits at once. */
export function stopOnSignals(core: Core, exit: (code: number) => void = (code) => process.exit(code)): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) return exit(130);
    signalled = true;
    core.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => exit(1), 10_000);
    force.unref();
    core.stop().then(
      () => exit(0),
      (err: unknown) => {
        core.logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
