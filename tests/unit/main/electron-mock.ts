/**
 * A stand-in for the `electron` module (the one system edge these tests fake): just enough of
 * BrowserWindow, webContents, session, ipcMain, utilityProcess, app and protocol to observe what
 * main installs. Each test file wires it with vi.mock('electron', () => electronMock).
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeSession extends EventEmitter {
  permissionRequestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | undefined;
  setPermissionRequestHandler(h: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermissionHandler']) {
    this.devicePermissionHandler = h;
  }
}

export class FakeWebContents extends EventEmitter {
  session = new FakeSession();
  sent: { channel: string; message: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  closeDevTools = vi.fn();
  send(channel: string, message: unknown) {
    this.sent.push({ channel, message });
  }
  setWindowOpenHandler(h: FakeWebContents['windowOpenHandler']) {
    this.windowOpenHandler = h;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadURL = vi.fn(async (_url: string) => undefined);
  show = vi.fn();
  focus = vi.fn();
  destroyed = false;
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static forks: FakeUtilityProcess[] = [];
  posted: unknown[] = [];
  killed = false;
  pid = 4000 + FakeUtilityProcess.forks.length;
  constructor(
    public modulePath: string,
    public args: string[] | undefined,
    public options: Record<string, unknown> | undefined,
  ) {
    super();
    FakeUtilityProcess.forks.push(this);
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.killed = true;
    setImmediate(() => this.emit('exit', 0));
    return true;
  }
}

export const electronMock = {
  BrowserWindow: FakeBrowserWindow,
  ipcMain: new EventEmitter(),
  utilityProcess: {
    fork: vi.fn((modulePath: string, args?: string[], options?: Record<string, unknown>) => new FakeUtilityProcess(modulePath, args, options)),
  },
  Menu: { setApplicationMenu: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  app: Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    getAppPath: vi.fn(() => '/opt/kiosk'),
    getPath: vi.fn((_name: string) => '/home/kiosk/.config/kiosk-terminal'),
    whenReady: vi.fn(() => Promise.resolve()),
  }),
};

export function resetElectronMock(): void {
  FakeBrowserWindow.instances = [];
  FakeUtilityProcess.forks = [];
  electronMock.ipcMain.removeAllListeners();
  electronMock.app.removeAllListeners();
  electronMock.app.isPackaged = false;
  vi.clearAllMocks();
  electronMock.app.requestSingleInstanceLock.mockImplementation(() => true);
}
