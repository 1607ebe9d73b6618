/**
 * The kiosk window: fullscreen, frameless, and locked down. The page gets no Node, runs sandboxed
 * and isolated from the preload, and devtools exist only in development builds.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function kioskWindowOptions(options: { preload: string; isPackaged: boolean }): BrowserWindowConstructorOptions {
  return {
    show: false,
    fullscreen: true,
    kiosk: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableDialogs: true,
      devTools: !options.isPackaged,
    },
  };
}
