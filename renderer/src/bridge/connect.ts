/**
 * Picks the carrier for this page: the Electron preload when present, otherwise the web
 * shell's WebSocket on the same origin, authenticated by the launch token from the URL.
 */
import { preloadBridge, socketBridge, type BridgeClient, type BridgeEvents, type KioskPreload, type SocketLike } from './client.js';

declare global {
  interface Window {
    kiosk?: KioskPreload;
  }
}

const TOKEN_KEY = 'kiosk.bridgeToken';

/** Reads the token once and takes it out of the address bar so it is not left on screen or in history. */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    // Kept for this tab only, so a reload after a core restart can reconnect.
    window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function connectBridge(events: BridgeEvents): BridgeClient {
  if (window.kiosk) return preloadBridge(window.kiosk, events);
  const token = takeToken() ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${window.location.host}/bridge?token=${encodeURIComponent(token)}`;
  return socketBridge({ url, createSocket: (u) => new WebSocket(u) as unknown as SocketLike }, events);
}
