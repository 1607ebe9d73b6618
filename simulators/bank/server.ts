/**
 * The bank host simulator: a Fastify server over its own SQLite ledger, standing in for the bank's
 * terminal gateway (`/v1/...`) plus a test/admin API (`/admin/...`) that is never subject to the
 * injected faults.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { z } from 'zod';
import { DEV_CARD_TOKEN_KEY } from '../../drivers/card-reader/pan-token.js';
import { openLedger } from './ledger-db.js';
import { seedLedger } from './seed.js';
import { SmsOutbox } from './sms-outbox.js';
import { FaultInjector } from './faults.js';
import type { BankContext } from './context.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerTerminalRoutes } from './terminal-routes.js';
import { registerFleetRoutes } from './fleet.js';
import { registerServiceCrewRoutes } from './service-crew.js';

export interface BankServerOptions {
  /** SQLite file of the ledger */
  dbFile: string;
  host?: string;
  /** 0 = ephemeral */
  port?: number;
  /** business clock (ms since epoch); tests inject one to expire OTPs */
  now?: () => number;
  tokenKey?: string;
  /** fill an empty ledger with the seed customers (default true) */
  seed?: boolean;
  logger?: boolean;
  /** HTTPS with optional client-certificate check (mutual TLS) */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer; requestCert?: boolean };
}

export interface BankServer {
  app: FastifyInstance;
  ctx: BankContext;
  faults: FaultInjector;
  url: string;
  port: number;
  /** move the business clock forward (admin `POST /admin/clock`, tests) */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export async function startBankServer(options: BankServerOptions): Promise<BankServer> {
  const db = openLedger(options.dbFile);
  const tokenKey = options.tokenKey ?? DEV_CARD_TOKEN_KEY;
  if (options.seed !== false) seedLedger(db, tokenKey);
  let offset = 0;
  const base = options.now ?? (() => Date.now());
  const now = (): number => base() + offset;
  const ctx: BankContext = { db, now, outbox: new SmsOutbox(now), tokenKey };
  const faults = new FaultInjector();

  const tls = options.tls;
  const app: FastifyInstance = (tls !== undefined
    ? Fastify({
      logger: options.logger ?? false,
      forceCloseConnections: true,
      https: { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requestCert ?? false, rejectUnauthorized: tls.requestCert ?? false },
    })
    : Fastify({ logger: options.logger ?? false, forceCloseConnections: true })) as unknown as FastifyInstance;

  // requests parked by the "timeout" fault: their sockets are destroyed on close
  const parked = new Set<Socket>();
  installFaults(app, faults, parked);
  registerAdminRoutes(app, ctx, faults, (ms) => { offset += ms; });
  registerTerminalRoutes(app, ctx);
  registerFleetRoutes(app, ctx);
  registerServiceCrewRoutes(app);

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const scheme = tls !== undefined ? 'https' : 'http';
  return {
    app, ctx, faults, port,
    url: `${scheme}://${options.host ?? '127.0.0.1'}:${port}`,
    advanceClock: (ms) => { offset += ms; },
    async close() {
      for (const socket of parked) socket.destroy();
      await app.close();
      db.close();
    },
  };
}

function installFaults(app: FastifyInstance, faults: FaultInjector, parked: Set<Socket>): void {
  const ackLoss = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const fault = faults.pick();
    if (fault === null) return;
    switch (fault.mode) {
      case 'down':
        // as close to a refused connection as one listening port allows
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      case 'error':
        return reply.code(503).send({ error: 'injected fault: service unavailable' });
      case 'timeout': {
        reply.hijack();
        const socket = request.raw.socket;
        parked.add(socket);
        socket.once('close', () => parked.delete(socket));
        return reply;
      }
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return;
      case 'ackLoss':
        ackLoss.add(request);
        return;
    }
  });
  // ackLoss: the handler has committed; the answer is then lost on the way back
  app.addHook('onSend', async (request, _reply, payload) => {
    if (ackLoss.has(request)) request.raw.socket.destroy();
    return payload;
  });
}

/** Parses a request part with a zod schema; on failure answers 400 and returns undefined. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, reply: FastifyReply): z.infer<S> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  void reply.code(400).send({ error: `invalid request: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'malformed'}` });
  return undefined;
}
