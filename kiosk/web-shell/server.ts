/**
 * The web shell: the renderer served on loopback, the bridge over a token-guarded WebSocket, and
 * the health and metrics endpoints. Used by Chromium in kiosk mode, by Playwright, and beside the
 * Electron shell for /healthz and /metrics.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isIP } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Registry } from 'prom-client';
import type { Logger } from '../log/logger.js';
import { BridgeLink } from '../bridge/bridge-link.js';
import { MAX_FRAME_BYTES, type CoreToUi } from '../bridge/schema.js';
import type { SessionHost } from '../bridge/session-host.js';
import type { KioskMetrics } from '../metrics/metrics.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { tokenMatches } from './token.js';

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN_ORIGIN = 4403;
export const CLOSE_SHUTTING_DOWN = 1001;

export interface WebShellOptions {
  host: string;
  port: number;
  token: string;
  sessionHost: SessionHost;
  metrics: KioskMetrics;
  logger: Logger;
  /** built renderer (index.html + assets); a placeholder page is served when it is missing */
  rendererDir: string;
  /** extra origins allowed to open the bridge; the shell's own origin always is */
  allowedOrigins?: readonly string[];
  /** extra fields for GET /healthz */
  health?: () => Record<string, unknown>;
}

export interface WebShell {
  readonly app: FastifyInstance;
  /** http://host:port once listening */
  readonly url: string;
  readonly port: number;
  listen(): Promise<void>;
  close(): Promise<void>;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kiosk</title></head>
<body><h1>The kiosk screen is not built yet</h1><p>Run <code>npm run build:renderer</code>, then reload.</p></body></html>`;

/**
 * A Host header a DNS-rebinding page cannot send: an IP literal (no name to rebind), localhost,
 * or the host the shell is configured on. Any other name is someone else's site.
 */
export function addressedHere(hostHeader: string | undefined, configuredHost: string): boolean {
  if (hostHeader === undefined) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim());
  if (!match?.[1]) return false;
  const name = match[1].replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || isIP(name) !== 0 || name === configuredHost.toLowerCase();
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store, max-age=0');
}

export function buildWebShell(options: WebShellOptions): WebShell {
  const { logger, metrics, sessionHost } = options;
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024, return503OnClosing: true });
  const sockets = new Set<WebSocket>();
  const started = Date.now();
  let boundPort = options.port;
  const origin = (): string => `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${boundPort}`;

  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });

  // /healthz and /metrics need no token: answering only requests addressed to this machine by
  // address or as localhost keeps a page on a rebound DNS name (attacker.example -> 127.0.0.1)
  // from reading them through the customer's own screen
  const hostAllowed = (req: FastifyRequest): boolean => addressedHere(req.headers.host, options.host);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if ((path === '/healthz' || path === '/metrics') && !hostAllowed(req)) {
      logger.warn({ host: req.headers.host, path }, 'request refused: Host header names another site');
      return reply.code(421).send({ error: 'misdirected request' });
    }
    // a source map left over from an old build is never served
    if (path.endsWith('.map')) return reply.code(404).send({ error: 'not found' });
    return undefined;
  });

  app.get('/healthz', async (_req, reply) => {
    const snapshot = sessionHost.snapshot();
    noStore(reply);
    return {
      status: 'ok',
      uptimeMs: Date.now() - started,
      bridgeClients: sockets.size,
      screen: snapshot.screen,
      devices: snapshot.devices,
      ...options.health?.(),
    };
  });

  app.get('/metrics', async (_req, reply) => {
    const registry: Registry = metrics.registry;
    noStore(reply).header('content-type', registry.contentType);
    return registry.metrics();
  });

  void app.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  void app.register(async (scope) => {
    scope.get('/bridge', { websocket: true }, (socket, req) => {
      const query = req.query as Record<string, unknown>;
      if (!tokenMatches(options.token, query.token)) {
        logger.warn({ remote: req.ip }, 'bridge connection refused: bad or missing token');
        socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return;
      }
      const from = req.headers.origin;
      if (from !== undefined && from !== origin() && !(options.allowedOrigins ?? []).includes(from)) {
        logger.warn({ origin: from }, 'bridge connection refused: origin not allowed');
        socket.close(CLOSE_FORBIDDEN_ORIGIN, 'origin not allowed');
        return;
      }
      sockets.add(socket);
      metrics.bridgeClients.set(sockets.size);
      const send = (message: CoreToUi): void => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const link = new BridgeLink(sessionHost, send, {
        onIntent: (intent) => metrics.bridgeIntents.inc({ name: intent.name }),
        onRejected: (reason) => {
          metrics.bridgeRejected.inc({ transport: 'websocket' });
          logger.warn({ reason }, 'bridge frame rejected');
        },
        onInvalidSnapshot: (reason) => logger.error({ reason }, 'core produced a snapshot outside the bridge contract; not sent'),
        onSnapshotSent: () => metrics.snapshotsSent.inc(),
        onNotAllowed: (intent, reason) => logger.info({ intent: intent.name, reason }, 'intent not allowed in the current state; answered rejected'),
        onDispatchError: (err) => logger.error({ err }, 'session host failed on an intent'),
      });
      socket.on('message', (data) => link.receiveFrame(data));
      socket.on('close', () => {
        link.close();
        sockets.delete(socket);
        metrics.bridgeClients.set(sockets.size);
      });
      socket.on('error', (err) => logger.warn({ err }, 'bridge socket error'));
      link.open();
    });
  });

  const hasRenderer = existsSync(join(options.rendererDir, 'index.html'));
  if (hasRenderer) {
    void app.register(fastifyStatic, {
      root: options.rendererDir,
      index: false,
      wildcard: true,
      setHeaders: (res, path) => {
        // hashed bundles never change; the page that names them must always be fresh
        if (/index\.html$/.test(path)) res.header('cache-control', 'no-store, max-age=0');
        else if (/[\\/]assets[\\/]/.test(path)) res.header('cache-control', 'public, max-age=31536000, immutable');
        else res.header('cache-control', 'no-cache');
      },
    });
  }
  const sendIndex = (reply: FastifyReply): FastifyReply =>
    hasRenderer
      ? noStore(reply).sendFile('index.html', options.rendererDir, { cacheControl: false })
      : noStore(reply).code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
  app.get('/', async (_req, reply) => sendIndex(reply));
  if (!existsSync(join(options.rendererDir, 'favicon.ico'))) {
    // browsers ask for it unprompted; an empty answer keeps the kiosk's console free of 404s
    app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
  }
  app.setNotFoundHandler(async (req, reply) => {
    // SPA fallback: a page route the client router owns gets index.html; a missing file stays a 404
    const wantsPage = req.method === 'GET' && !/\.[a-z0-9]+$/i.test(req.url.split('?')[0] ?? '') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage) return sendIndex(reply);
    return reply.code(404).send({ error: 'not found' });
  });

  return {
    app,
    get url() {
      return origin();
    },
    get port() {
      return boundPort;
    },
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address();
      if (address && typeof address === 'object') boundPort = address.port;
    },
    async close() {
      for (const socket of sockets) socket.close(CLOSE_SHUTTING_DOWN, 'shutting down');
      await app.close();
    },
  };
}
