/**
 * The customer's and the technician's hands in scenario tests: a bridge client over the core's
 * WebSocket (every frame checked against the bridge schema) and small HTTP helpers for the
 * simulators' control and admin APIs.
 */
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { CoreToUi, type Intent, type Snapshot } from '../../../kiosk/bridge/schema.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class BridgeClient {
  readonly snapshots: Snapshot[] = [];
  #ws: WebSocket;
  #waiters: Array<() => void> = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const frame = CoreToUi.parse(JSON.parse(String(data)));
      if (frame.type === 'snapshot') {
        this.snapshots.push(frame.snapshot);
        for (const w of this.#waiters.splice(0)) w();
      }
    });
  }

  static async connect(kioskUrl: string, token: string): Promise<BridgeClient> {
    const ws = new WebSocket(`${kioskUrl.replace('http', 'ws')}/bridge?token=${encodeURIComponent(token)}`, { origin: kioskUrl });
    // listen before the socket opens: the core sends the current snapshot straight away
    const client = new BridgeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  get last(): Snapshot | undefined {
    return this.snapshots.at(-1);
  }

  send(name: Intent['name'], payload?: Record<string, unknown>): void {
    this.#ws.send(JSON.stringify({ type: 'intent', intent: { name, payload } }));
  }

  async waitFor(what: string, pred: (s: Snapshot) => boolean, timeoutMs = 15_000): Promise<Snapshot> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = this.last;
      if (s && pred(s)) return s;
      const left = until - Date.now();
      if (left <= 0) {
        const trail = this.snapshots.map((x) => `${x.state}${x.error ? `(${x.error.code})` : ''}[${x.devices.cashAcceptor}]`).join(' > ');
        throw new Error(`timed out waiting for ${what}; trail: ${trail}; last snapshot: ${JSON.stringify(s)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async screen(screen: Snapshot['screen'], timeoutMs?: number): Promise<Snapshot> {
    return this.waitFor(`screen ${screen}`, (s) => s.screen === screen, timeoutMs);
  }

  close(): void {
    this.#ws.close();
  }
}

export async function http<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
