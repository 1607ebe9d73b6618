/**
 * The UI side of the bridge, independent of the shell: frames in are checked against CoreToUi,
 * intents out against UiToCore. Two carriers implement it: the Electron preload (window.kiosk)
 * and a WebSocket to the web shell that reconnects by itself when the core restarts.
 */
import { CoreToUi, MAX_FRAME_BYTES, UiToCore, type Intent, type Snapshot } from '../../../kiosk/bridge/schema.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface BridgeEvents {
  snapshot(snapshot: Snapshot): void;
  connection(state: ConnectionState): void;
  /** a frame that failed validation, or an intent the core rejected */
  problem?(message: string): void;
}

export interface BridgeClient {
  send(intent: Intent): boolean;
  close(): void;
}

/** Parses and validates one incoming frame; returns null (with a reason) for anything malformed. */
export function decodeFrame(raw: unknown): { frame: CoreToUi } | { error: string } {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_FRAME_BYTES) return { error: `frame of ${raw.length} bytes exceeds the limit` };
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: 'frame is not JSON' };
    }
  }
  const parsed = CoreToUi.safeParse(value);
  if (!parsed.success) return { error: `invalid frame: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  return { frame: parsed.data };
}

function deliver(raw: unknown, events: BridgeEvents): boolean {
  const decoded = decodeFrame(raw);
  if ('error' in decoded) {
    events.problem?.(decoded.error);
    return false;
  }
  const { frame } = decoded;
  if (frame.type === 'snapshot') events.snapshot(frame.snapshot);
  else if (frame.type === 'rejected') events.problem?.(`core rejected an intent: ${frame.reason}`);
  return true;
}

/** Checks an intent before it leaves; a UI bug shows up here rather than as a core rejection. */
export function encodeIntent(intent: Intent): string | null {
  const parsed = UiToCore.safeParse({ type: 'intent', intent });
  return parsed.success ? JSON.stringify(parsed.data) : null;
}

/** The Electron preload's surface (contextBridge), as main exposes it. */
export interface KioskPreload {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): (() => void) | void;
}

export function preloadBridge(preload: KioskPreload, events: BridgeEvents): BridgeClient {
  let closed = false;
  let open = false;
  events.connection('connecting');
  const unsubscribe = preload.onMessage((message) => {
    if (closed) return;
    if (deliver(message, events) && !open) {
      open = true;
      events.connection('open');
    }
  });
  return {
    send(intent) {
      const wire = UiToCore.safeParse({ type: 'intent', intent });
      if (closed || !wire.success) return false;
      preload.send(wire.data);
      return true;
    },
    close() {
      closed = true;
      if (typeof unsubscribe === 'function') unsubscribe();
    },
  };
}

/** What the client needs of a WebSocket; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface SocketBridgeOptions {
  url: string;
  createSocket(url: string): SocketLike;
  /** first retry delay; doubles up to maxDelayMs */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** a socket that has not opened by then is abandoned and retried */
  connectTimeoutMs?: number;
}

const OPEN = 1;

export function socketBridge(options: SocketBridgeOptions, events: BridgeEvents): BridgeClient {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const connectTimeout = options.connectTimeoutMs ?? 5000;
  let delay = minDelay;
  let socket: SocketLike | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let openTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let state: ConnectionState | null = null;

  const setState = (next: ConnectionState): void => {
    if (state === next) return;
    state = next;
    events.connection(next);
  };

  const scheduleRetry = (): void => {
    if (stopped || retry) return;
    setState('connecting');
    retry = setTimeout(() => {
      retry = undefined;
      connect();
    }, delay);
    delay = Math.min(delay * 2, maxDelay);
  };

  const connect = (): void => {
    if (stopped) return;
    setState('connecting');
    let ws: SocketLike;
    try {
      ws = options.createSocket(options.url);
    } catch (err) {
      events.problem?.(`cannot open the bridge: ${err instanceof Error ? err.message : String(err)}`);
      scheduleRetry();
      return;
    }
    socket = ws;
    openTimer = setTimeout(() => {
      if (socket === ws && ws.readyState !== OPEN) ws.close();
    }, connectTimeout);
    ws.onopen = () => {
      clearTimeout(openTimer);
      delay = minDelay;
      setState('open');
    };
    ws.onmessage = (ev) => {
      if (socket === ws) deliver(ev.data, events);
    };
    ws.onerror = () => {
      // onclose follows every error; the retry is scheduled there.
    };
    ws.onclose = () => {
      clearTimeout(openTimer);
      if (socket !== ws) return;
      socket = null;
      scheduleRetry();
    };
  };

  connect();

  return {
    send(intent) {
      // Intents are never queued: replaying a stale "confirm" after a reconnect could move money.
      const wire = encodeIntent(intent);
      if (!wire || !socket || socket.readyState !== OPEN) return false;
      socket.send(wire);
      return true;
    },
    close() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(openTimer);
      const ws = socket;
      socket = null;
      ws?.close();
      setState('closed');
    },
  };
}
