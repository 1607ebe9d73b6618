import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, FakeBrowserWindow, resetElectronMock } from './electron-mock.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock);

const { createKioskWindow } = await import('../../../main/app.js');
const { kioskWindowOptions } = await import('../../../main/window-options.js');
const { APP_ORIGIN } = await import('../../../main/channels.js');

const paths = { preload: '/app/preload.cjs', renderer: '/app/renderer/dist', core: '/app/kiosk/cli.js' };

beforeEach(() => resetElectronMock());

function event() {
  return { preventDefault: vi.fn() };
}

describe('kiosk window options', () => {
  it('locks the page down', () => {
    const o = kioskWindowOptions({ preload: '/p.cjs', isPackaged: true });
    expect(o).toMatchObject({ kiosk: true, fullscreen: true, frame: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('allows devtools only when not packaged', () => {
    expect(kioskWindowOptions({ preload: '/p.cjs', isPackaged: false }).webPreferences?.devTools).toBe(true);
  });
});

describe('createKioskWindow', () => {
  it('creates the window with those options and loads the app origin', () => {
    createKioskWindow(paths, true);
    const win = FakeBrowserWindow.instances[0];
    expect(win?.options).toEqual(kioskWindowOptions({ preload: paths.preload, isPackaged: true }));
    expect(win?.loadURL).toHaveBeenCalledWith(`${APP_ORIGIN}/`);
  });

  it('denies navigation away from the app, and allows it within', () => {
    createKioskWindow(paths, true);
    const wc = FakeBrowserWindow.instances[0]!.webContents;
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = event();
      wc.emit(name, away, 'https://evil.example/');
      expect(away.preventDefault).toHaveBeenCalled();
      const fileUrl = event();
      wc.emit(name, fileUrl, 'file:///etc/passwd');
      expect(fileUrl.preventDefault).toHaveBeenCalled();
      const inside = event();
      wc.emit(name, inside, `${APP_ORIGIN}/service`);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    const frame = { ...event(), url: 'https://evil.example/' };
    wc.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
  });

  it('denies new windows, webviews and every permission', () => {
    createKioskWindow(paths, true);
    const wc = FakeBrowserWindow.instances[0]!.webContents;
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const attach = event();
    wc.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
    for (const permission of ['media', 'notifications', 'geolocation', 'hid', 'serial']) {
      const cb = vi.fn();
      wc.session.permissionRequestHandler?.(wc, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(wc.session.permissionCheckHandler?.()).toBe(false);
    expect(wc.session.devicePermissionHandler?.()).toBe(false);
    const download = event();
    wc.session.emit('will-download', download);
    expect(download.preventDefault).toHaveBeenCalled();
  });

  it('closes devtools in a packaged build, leaves them in development', () => {
    createKioskWindow(paths, true);
    createKioskWindow(paths, false);
    const [packaged, dev] = FakeBrowserWindow.instances;
    packaged!.webContents.emit('devtools-opened');
    dev!.webContents.emit('devtools-opened');
    expect(packaged!.webContents.closeDevTools).toHaveBeenCalled();
    expect(dev!.webContents.closeDevTools).not.toHaveBeenCalled();
  });

  it('reloads a crashed page', () => {
    createKioskWindow(paths, true);
    const win = FakeBrowserWindow.instances[0]!;
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(win.loadURL).toHaveBeenCalledTimes(2);
  });
});

describe('core environment', () => {
  it('puts data under userData and uses the site config unless told otherwise', async () => {
    const { coreEnv, SITE_CONFIG } = await import('../../../main/app.js');
    expect(coreEnv({ PATH: '/usr/bin' }, '/u', true)).toEqual({ PATH: '/usr/bin', KIOSK_DATA_DIR: '/u/data', KIOSK_CONFIG: SITE_CONFIG });
    expect(coreEnv({ KIOSK_DATA_DIR: '/srv/k', KIOSK_CONFIG: '/x.json' }, '/u', true)).toEqual({ KIOSK_DATA_DIR: '/srv/k', KIOSK_CONFIG: '/x.json' });
    expect(coreEnv({}, '/u', false)).toEqual({ KIOSK_DATA_DIR: '/u/data' });
  });
});

describe('runKioskApp', () => {
  it('quits when another instance holds the lock', async () => {
    const { runKioskApp } = await import('../../../main/app.js');
    electronMock.app.requestSingleInstanceLock.mockImplementation(() => false);
    expect(runKioskApp(paths)).toBe(false);
    expect(electronMock.app.quit).toHaveBeenCalled();
    expect(electronMock.utilityProcess.fork).not.toHaveBeenCalled();
  });

  it('registers app://, opens the window, relays IPC and forks the core with --ipc', async () => {
    const { runKioskApp } = await import('../../../main/app.js');
    expect(runKioskApp(paths)).toBe(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(electronMock.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(electronMock.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(electronMock.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(electronMock.ipcMain.listenerCount('kiosk:intent')).toBe(1);
    expect(electronMock.utilityProcess.fork).toHaveBeenCalledWith(paths.core, ['--ipc'], expect.objectContaining({ serviceName: 'kiosk-core' }));
    const env = (electronMock.utilityProcess.fork.mock.calls[0]?.[2] as { env: Record<string, string> }).env;
    expect(env.KIOSK_DATA_DIR).toBe(process.env.KIOSK_DATA_DIR ?? '/home/kiosk/.config/kiosk-terminal/data');
    electronMock.app.emit('second-instance');
    expect(FakeBrowserWindow.instances[0]!.focus).toHaveBeenCalled();
  });

  it('lets the core stop before the app quits', async () => {
    const { runKioskApp } = await import('../../../main/app.js');
    const { FakeUtilityProcess } = await import('./electron-mock.js');
    runKioskApp(paths);
    await Promise.resolve();
    await Promise.resolve();
    const child = FakeUtilityProcess.forks[0]!;
    const quit = { preventDefault: vi.fn() };
    electronMock.app.emit('before-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    expect(child.killed).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(electronMock.app.quit).toHaveBeenCalled();
    // the second round of before-quit goes through
    const again = { preventDefault: vi.fn() };
    electronMock.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
