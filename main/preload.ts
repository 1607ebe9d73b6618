/**
 * The kiosk window's preload. Sandboxed preloads cannot load ES modules or our own files, so this
 * is bundled alone to CommonJS (`npm run build:preload`). It exposes exactly two functions; the
 * page never sees ipcRenderer or the IPC event objects. Main validates everything sent here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const INTENT_CHANNEL = 'kiosk:intent';
const MESSAGE_CHANNEL = 'kiosk:message';

export interface KioskBridgeApi {
  send(message: unknown): void;
  /** returns an unsubscribe function */
  onMessage(callback: (message: unknown) => void): () => void;
}

/** structured-clone-safe plain data only; anything else is not sent */
function plain(message: unknown): unknown {
  return JSON.parse(JSON.stringify(message)) as unknown;
}

export const kioskApi: KioskBridgeApi = {
  send(message) {
    let data: unknown;
    try {
      data = plain(message);
    } catch {
      return;
    }
    ipcRenderer.send(INTENT_CHANNEL, data);
  },
  onMessage(callback) {
    if (typeof callback !== 'function') throw new TypeError('onMessage needs a function');
    const listener = (_event: IpcRendererEvent, message: unknown): void => callback(message);
    ipcRenderer.on(MESSAGE_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(MESSAGE_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('kiosk', kioskApi);
