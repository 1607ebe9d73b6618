/**
 * The Electron shell's wiring: one instance, the kiosk window serving the renderer from app://,
 * the core supervised in a utility process, and the IPC relay between them.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, ipcMain } from 'electron';
import { APP_ORIGIN } from './channels.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { CoreSupervisor } from './core-supervisor.js';
import { installIpcRelay } from './ipc-relay.js';
import { installWindowGuards } from './window-guards.js';
import { kioskWindowOptions } from './window-options.js';

export interface KioskAppPaths {
  /** the bundled CommonJS preload */
  preload: string;
  /** built renderer (index.html + assets) */
  renderer: string;
  /** the core's entry (kiosk/cli.js), run with --ipc */
  core: string;
}

/** Where the built files live: dist/main/main/app.js sits beside preload.cjs; the renderer is at the app root. */
export function defaultPaths(appRoot: string, here = dirname(fileURLToPath(import.meta.url))): KioskAppPaths {
  return {
    preload: join(here, 'preload.cjs'),
    renderer: join(appRoot, 'renderer', 'dist'),
    core: join(here, '..', 'kiosk', 'cli.js'),
  };
}

export function createKioskWindow(paths: KioskAppPaths, isPackaged: boolean): BrowserWindow {
  const window = new BrowserWindow(kioskWindowOptions({ preload: paths.preload, isPackaged }));
  installWindowGuards(window, { isPackaged });
  window.once('ready-to-show', () => window.show());
  // a crashed page is reloaded; the relay sends it the current state again
  window.webContents.on('render-process-gone', () => {
    if (!window.isDestroyed()) void window.loadURL(`${APP_ORIGIN}/`);
  });
  void window.loadURL(`${APP_ORIGIN}/`);
  return window;
}

/** Returns false when another instance already runs (this one quits). */
export function runKioskApp(paths: KioskAppPaths = defaultPaths(app.getAppPath())): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  registerAppScheme();
  let window: BrowserWindow | undefined;
  const core = new CoreSupervisor({ modulePath: paths.core, args: ['--ipc'], env: { ...(process.env as Record<string, string>) } });

  app.on('second-instance', () => {
    if (window && !window.isDestroyed()) window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let coreStopped = false;
  app.on('before-quit', (event) => {
    // let the core finish what it is writing before the process goes away
    if (coreStopped || !core.running) return;
    event.preventDefault();
    void core.stop().finally(() => {
      coreStopped = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    Menu.setApplicationMenu(null);
    serveRenderer(paths.renderer);
    window = createKioskWindow(paths, app.isPackaged);
    installIpcRelay(ipcMain, window, core);
    core.start();
  });
  return true;
}
