/**
 * What the kiosk window may never do: navigate away, open windows, attach webviews, or be granted
 * any permission (camera, USB, notifications ...). Devtools are closed in packaged builds even if
 * something opens them.
 */
import type { BrowserWindow, Session } from 'electron';
import { APP_ORIGIN } from './channels.js';

export function isAppUrl(url: string): boolean {
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // downloads have no place on a cash terminal
  session.on('will-download', (event) => event.preventDefault());
}

export function installWindowGuards(window: BrowserWindow, options: { isPackaged: boolean }): void {
  const contents = window.webContents;
  const denyNavigation = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', denyNavigation);
  contents.on('will-redirect', denyNavigation);
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (options.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
  lockDownSession(contents.session);
}
