import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, FakeBrowserWindow, FakeUtilityProcess, resetElectronMock } from './electron-mock.js';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock);

const { CoreSupervisor } = await import('../../../main/core-supervisor.js');
const { installIpcRelay } = await import('../../../main/ipc-relay.js');

const attract: Snapshot = {
  state: 'idle',
  screen: 'attract',
  locale: 'kk',
  operations: [],
  devices: { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' },
};

function setup(options: { backoffMs?: number } = {}) {
  const window = new FakeBrowserWindow({});
  const supervisor = new CoreSupervisor({ modulePath: '/app/kiosk/cli.js', backoffMs: options.backoffMs ?? 500, maxBackoffMs: 4000, stableMs: 60_000 });
  const warnings: string[] = [];
  const dispose = installIpcRelay(electronMock.ipcMain as never, window as never, supervisor, { warn: (m) => warnings.push(m) });
  supervisor.start();
  const child = () => FakeUtilityProcess.forks.at(-1)!;
  const toWindow = () => window.webContents.sent.map((s) => s.message);
  const fromWindow = (message: unknown, sender: unknown = window.webContents) =>
    electronMock.ipcMain.emit('kiosk:intent', { sender }, message);
  return { window, supervisor, warnings, dispose, child, toWindow, fromWindow };
}

beforeEach(() => resetElectronMock());
afterEach(() => vi.useRealTimers());

describe('IPC relay', () => {
  it('relays a valid intent to the core process', () => {
    const t = setup();
    t.fromWindow({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'en' } } });
    expect(t.child().posted).toEqual([{ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'en' } } }]);
  });

  it('rejects an invalid intent in main: the core never sees it', () => {
    const t = setup();
    t.fromWindow({ type: 'intent', intent: { name: 'submitOtp', payload: { code: 'abc' } } });
    t.fromWindow({ type: 'intent', intent: { name: 'dispenseEverything', payload: {} } });
    t.fromWindow('{"type":"intent"}');
    expect(t.child().posted).toEqual([]);
    const rejected = t.window.webContents.sent.filter((s) => (s.message as { type: string }).type === 'rejected');
    expect(rejected).toHaveLength(3);
    expect(rejected[0]?.channel).toBe('kiosk:message');
    expect(JSON.stringify(rejected)).not.toContain('abc');
  });

  it('drops messages from any other sender', () => {
    const t = setup();
    t.fromWindow({ type: 'intent', intent: { name: 'start' } }, { id: 99, send: vi.fn() });
    expect(t.child().posted).toEqual([]);
    expect(t.warnings.join()).toMatch(/unknown sender/);
  });

  it('relays valid core messages to the window and drops ones outside the contract', () => {
    const t = setup();
    t.child().emit('message', { type: 'hello', protocol: 1 });
    t.child().emit('message', { type: 'snapshot', snapshot: attract });
    t.child().emit('message', { type: 'snapshot', snapshot: { ...attract, screen: 'nowhere' } });
    t.child().emit('message', { type: 'debug', anything: true });
    expect(t.toWindow()).toEqual([{ type: 'hello', protocol: 1 }, { type: 'snapshot', snapshot: attract }]);
    expect(t.warnings.filter((w) => /outside the contract/.test(w))).toHaveLength(2);
  });

  it('sends hello and the latest snapshot again when the page reloads', () => {
    const t = setup();
    t.child().emit('message', { type: 'snapshot', snapshot: attract });
    t.window.webContents.sent = [];
    t.window.webContents.emit('did-finish-load');
    expect(t.toWindow()).toEqual([{ type: 'hello', protocol: 1 }, { type: 'snapshot', snapshot: attract }]);
  });
});

describe('core supervision', () => {
  it('forks the core as a utility process with --ipc', () => {
    setup();
    expect(electronMock.utilityProcess.fork).toHaveBeenCalledWith('/app/kiosk/cli.js', ['--ipc'], expect.objectContaining({ serviceName: 'kiosk-core' }));
  });

  it('shows "please wait" after a crash and restarts the core with growing back-off', () => {
    vi.useFakeTimers();
    const t = setup({ backoffMs: 500 });
    t.child().emit('message', { type: 'snapshot', snapshot: attract });
    t.child().emit('exit', 139);
    const wait = t.toWindow().at(-1) as { type: string; snapshot: Snapshot };
    expect(wait).toMatchObject({ type: 'snapshot', snapshot: { screen: 'pleaseWait', locale: 'kk' } });
    expect(t.supervisor.running).toBe(false);
    // an intent while the core is down is not lost silently: the window is told to wait
    t.fromWindow({ type: 'intent', intent: { name: 'start' } });
    expect((t.toWindow().at(-1) as { snapshot: Snapshot }).snapshot.screen).toBe('pleaseWait');

    vi.advanceTimersByTime(499);
    expect(FakeUtilityProcess.forks).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeUtilityProcess.forks).toHaveLength(2);
    expect(t.supervisor.restarts).toBe(1);

    t.child().emit('exit', 1);
    vi.advanceTimersByTime(999);
    expect(FakeUtilityProcess.forks).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeUtilityProcess.forks).toHaveLength(3);

    t.fromWindow({ type: 'intent', intent: { name: 'start' } });
    expect(t.child().posted).toEqual([{ type: 'intent', intent: { name: 'start' } }]);
  });

  it('does not restart a core it was asked to stop', async () => {
    const t = setup();
    await t.supervisor.stop();
    expect(FakeUtilityProcess.forks[0]?.killed).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(FakeUtilityProcess.forks).toHaveLength(1);
    expect(t.toWindow()).toEqual([]);
  });

  it('stops relaying after dispose', () => {
    const t = setup();
    t.dispose();
    t.fromWindow({ type: 'intent', intent: { name: 'start' } });
    t.child().emit('message', { type: 'snapshot', snapshot: attract });
    expect(t.child().posted).toEqual([]);
    expect(t.toWindow()).toEqual([]);
  });
});
