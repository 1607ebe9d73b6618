/**
 * Main's half of the Electron bridge: intents from the kiosk window are validated here before they
 * reach the core's process; core messages are relayed to the window. While the core is down the
 * window is shown a "please wait" snapshot, and a reloaded window gets the latest state again.
 */
import type { BrowserWindow, IpcMain, IpcMainEvent } from 'electron';
import { BRIDGE_PROTOCOL, parseUiMessage, type CoreToUi, type Snapshot } from '../kiosk/index.js';
import { INTENT_CHANNEL, MESSAGE_CHANNEL } from './channels.js';
import type { CoreSupervisor } from './core-supervisor.js';

export function pleaseWaitSnapshot(last: Snapshot | undefined): Snapshot {
  return {
    state: 'core.restarting',
    screen: 'pleaseWait',
    locale: last?.locale ?? 'ru',
    operations: [],
    devices: last?.devices ?? { cashAcceptor: 'offline', dispenser: 'offline', printer: 'offline', cardReader: 'offline', palm: 'offline', bank: 'offline' },
  };
}

export interface RelayLog {
  warn(message: string): void;
}

export function installIpcRelay(ipcMain: IpcMain, window: BrowserWindow, core: CoreSupervisor, log: RelayLog = console): () => void {
  let last: Snapshot | undefined;
  const toWindow = (message: CoreToUi): void => {
    if (!window.isDestroyed()) window.webContents.send(MESSAGE_CHANNEL, message);
  };

  const onIntent = (event: IpcMainEvent, raw: unknown): void => {
    // only the kiosk window's own page may talk to the core
    if (event.sender !== window.webContents) {
      log.warn('bridge: message from an unknown sender dropped');
      return;
    }
    const parsed = parseUiMessage(raw);
    if (!parsed.ok) {
      log.warn(`bridge: intent rejected (${parsed.reason})`);
      event.sender.send(MESSAGE_CHANNEL, { type: 'rejected', reason: parsed.reason, code: 'invalid' } satisfies CoreToUi);
      return;
    }
    if (!core.send({ type: 'intent', intent: parsed.intent })) toWindow({ type: 'snapshot', snapshot: pleaseWaitSnapshot(last) });
  };
  ipcMain.on(INTENT_CHANNEL, onIntent);

  const onMessage = (message: CoreToUi): void => {
    if (message.type === 'snapshot') last = message.snapshot;
    toWindow(message);
  };
  const onCrash = ({ code, restartInMs }: { code: number; restartInMs: number }): void => {
    log.warn(`kiosk core exited (code ${code}); restarting in ${restartInMs} ms`);
    toWindow({ type: 'snapshot', snapshot: pleaseWaitSnapshot(last) });
  };
  const onInvalid = ({ reason }: { reason: string }): void => log.warn(`bridge: core message outside the contract dropped (${reason})`);
  core.on('message', onMessage);
  core.on('crashed', onCrash);
  core.on('invalidMessage', onInvalid);

  const onLoad = (): void => {
    toWindow({ type: 'hello', protocol: BRIDGE_PROTOCOL });
    toWindow({ type: 'snapshot', snapshot: core.running && last ? last : pleaseWaitSnapshot(last) });
  };
  window.webContents.on('did-finish-load', onLoad);

  return () => {
    ipcMain.removeListener(INTENT_CHANNEL, onIntent);
    core.off('message', onMessage);
    core.off('crashed', onCrash);
    core.off('invalidMessage', onInvalid);
    if (!window.isDestroyed()) window.webContents.removeListener('did-finish-load', onLoad);
  };
}
