/**
 * A stand-in web shell for renderer tests that must not depend on the core: serves the built
 * renderer and speaks the bridge over a token-guarded WebSocket, validating every intent with the
 * real schema. Records what it receives; the test decides which snapshots to push.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { UiToCore, type Intent, type Snapshot } from '../../../kiosk/bridge/schema.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

export interface BridgeDouble {
  url: string;
  port: number;
  intents: Intent[];
  push(snapshot: Snapshot): void;
  close(): Promise<void>;
}

export async function startBridgeDouble(options: { rendererDir: string; token: string; initial: Snapshot; port?: number }): Promise<BridgeDouble> {
  const root = resolve(options.rendererDir);
  const intents: Intent[] = [];
  let current = options.initial;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep)) return void res.writeHead(403).end();
    readFile(file)
      .then((body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body))
      .catch(() => res.writeHead(404).end());
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/bridge' || url.searchParams.get('token') !== options.token) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      ws.send(JSON.stringify({ type: 'hello', protocol: 1 }));
      ws.send(JSON.stringify({ type: 'snapshot', snapshot: current }));
      ws.on('message', (data) => {
        const parsed = UiToCore.safeParse(JSON.parse(String(data)));
        if (parsed.success) intents.push(parsed.data.intent);
        else ws.send(JSON.stringify({ type: 'rejected', reason: 'invalid intent' }));
      });
    });
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    intents,
    push(snapshot) {
      current = snapshot;
      for (const c of wss.clients) c.send(JSON.stringify({ type: 'snapshot', snapshot }));
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
