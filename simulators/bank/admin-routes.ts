/**
 * The admin/test API: plays the bank's back office, the customer's phone and app, and the chaos
 * engineer. Never subject to injected faults.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BankContext } from './context.js';
import { CustomerInput, getAccount, getCustomer, insertCustomer } from './customers.js';
import { FaultRequest, type FaultInjector } from './faults.js';
import { parseOr400 } from './server.js';
import { decideApproval } from './withdrawals.js';
import { confirmQrLogin } from './identification.js';
import { completePinChange, listPinChanges } from './pin-changes.js';

export function registerAdminRoutes(app: FastifyInstance, ctx: BankContext, faults: FaultInjector, advanceClock: (ms: number) => void): void {
  const { db } = ctx;

  // the device simulators' web panel (another origin on loopback) reads the outbox and plays the
  // customer's app, so the admin API answers cross-origin calls, preflights included
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/admin/')) {
      void reply.header('access-control-allow-origin', '*');
      void reply.header('access-control-allow-methods', 'GET, POST, DELETE');
      void reply.header('access-control-allow-headers', 'content-type');
    }
    return payload;
  });
  app.options('/admin/*', async (_request, reply) => reply.code(204).send());

  app.get('/healthz', async () => ({ ok: true, now: ctx.now() }));

  app.post('/admin/customers', async (request, reply) => {
    const input = parseOr400(CustomerInput, request.body, reply);
    if (input === undefined) return reply;
    if (getCustomer(db, input.id) !== undefined) return reply.code(409).send({ error: `customer ${input.id} exists` });
    try {
      insertCustomer(db, input, ctx.tokenKey);
    } catch (err) {
      return reply.code(409).send({ error: `customer not created: ${(err as Error).message}` });
    }
    return reply.code(201).send(customerView(ctx, input.id));
  });

  app.get('/admin/customers', async () => ({
    customers: (db.prepare('SELECT id FROM customers ORDER BY id').all() as Array<{ id: string }>).map((c) => customerView(ctx, c.id)),
  }));

  app.get<{ Params: { id: string } }>('/admin/customers/:id', async (request, reply) => {
    const view = customerView(ctx, request.params.id);
    return view === undefined ? reply.code(404).send({ error: 'no such customer' }) : view;
  });

  app.get<{ Params: { id: string } }>('/admin/accounts/:id', async (request, reply) => {
    const account = getAccount(db, request.params.id);
    if (account === undefined) return reply.code(404).send({ error: 'no such account' });
    const entries = db.prepare('SELECT at, description, amount, message_key AS messageKey FROM entries WHERE account_id = ? ORDER BY id').all(account.id);
    const holds = db.prepare('SELECT id, amount, commission, status, debited FROM holds WHERE account_id = ? ORDER BY created_at').all(account.id);
    return {
      id: account.id, customerId: account.customer_id, kind: account.kind, label: account.label, currency: account.currency,
      balance: account.balance, held: account.held, available: account.balance - account.held,
      dueAmount: account.due_amount ?? undefined, maxTopUp: account.max_top_up ?? undefined, status: account.status, entries, holds,
    };
  });

  app.get<{ Querystring: { phone?: string } }>('/admin/sms', async (request) => {
    return { messages: ctx.outbox.list(request.query.phone) };
  });

  // the customer's app inbox: what the bank pushed to it (codes, receipts), newest last
  app.get<{ Querystring: { customer?: string } }>('/admin/push', async (request, reply) => {
    const id = request.query.customer;
    if (id === undefined) return reply.code(400).send({ error: 'customer is required' });
    const customer = db.prepare('SELECT phone, has_app FROM customers WHERE id = ?').get(id) as { phone: string; has_app: number } | undefined;
    if (customer === undefined) return reply.code(404).send({ error: 'unknown customer' });
    return { customer: id, hasApp: customer.has_app === 1, messages: ctx.outbox.list(customer.phone).filter((m) => m.channel === 'push') };
  });

  // the customer installs or removes the bank's app: a receipt pushed to an app that is gone is a business
  // rejection on delivery (noBankApp), how a test makes the bank refuse a message the terminal queued earlier
  app.post<{ Params: { id: string } }>('/admin/customers/:id/app', async (request, reply) => {
    const body = parseOr400(z.object({ hasApp: z.boolean() }).strict(), request.body, reply);
    if (body === undefined) return reply;
    const changed = db.prepare('UPDATE customers SET has_app = ? WHERE id = ?').run(body.hasApp ? 1 : 0, request.params.id).changes;
    return changed === 0 ? reply.code(404).send({ error: 'no such customer' }) : customerView(ctx, request.params.id);
  });

  // the OTP register as the back office sees it: attempts and state, never the code, salt or hash
  app.get<{ Querystring: { customer?: string } }>('/admin/otps', async (request) => {
    const customer = request.query.customer ?? null;
    return {
      otps: db.prepare(
        `SELECT session_id AS sessionId, customer_id AS customerId, attempts, state, issued_at AS issuedAt, expires_at AS expiresAt
         FROM otps WHERE ? IS NULL OR customer_id = ? ORDER BY issued_at, session_id`,
      ).all(customer, customer),
    };
  });

  app.post<{ Params: { id: string } }>('/admin/approvals/:id', async (request, reply) => {
    const body = parseOr400(z.object({ approve: z.boolean() }), request.body, reply);
    if (body === undefined) return reply;
    const status = decideApproval(ctx, request.params.id, body.approve);
    return status === undefined ? reply.code(404).send({ error: 'no such approval' }) : { status };
  });

  app.post<{ Params: { token: string } }>('/admin/qr/:token/confirm', async (request, reply) => {
    const body = parseOr400(z.object({ customer: z.string().min(1).max(64) }), request.body, reply);
    if (body === undefined) return reply;
    const outcome = confirmQrLogin(ctx, request.params.token, body.customer);
    return outcome === 'confirmed' ? { status: outcome } : reply.code(404).send({ error: outcome });
  });

  // plays the customer's app or secure SMS link: the new PIN was set there (done) or not (failed)
  app.post<{ Params: { id: string } }>('/admin/pin-changes/:id', async (request, reply) => {
    const body = parseOr400(z.object({ done: z.boolean() }).strict(), request.body, reply);
    if (body === undefined) return reply;
    const outcome = completePinChange(ctx, request.params.id, body.done);
    if (outcome === 'no such PIN change') return reply.code(404).send({ error: outcome });
    if (typeof outcome === 'string') return reply.code(409).send({ error: outcome });
    return outcome;
  });
  app.get<{ Querystring: { customer?: string } }>('/admin/pin-changes', async (request) => ({ pinChanges: listPinChanges(ctx, request.query.customer) }));

  app.post('/admin/faults', async (request, reply) => {
    const body = parseOr400(FaultRequest, request.body, reply);
    if (body === undefined) return reply;
    return { fault: faults.set(body) };
  });
  app.get('/admin/faults', async () => ({ fault: faults.current() }));
  app.delete('/admin/faults', async () => {
    faults.clear();
    return { fault: null };
  });

  app.post('/admin/clock', async (request, reply) => {
    const body = parseOr400(z.object({ advanceMs: z.number().int().nonnegative() }), request.body, reply);
    if (body === undefined) return reply;
    advanceClock(body.advanceMs);
    return { now: ctx.now() };
  });

  app.get('/admin/messages', async () => ({
    messages: db.prepare('SELECT key, terminal_id AS terminalId, kind, status, reason, at FROM applied_messages ORDER BY at, key').all(),
  }));

  /** what each provider is owed: the service side of every applied service payment */
  app.get<{ Querystring: { serviceId?: string } }>('/admin/service-payments', async (request) => ({
    payments: db.prepare(
      `SELECT service_id AS serviceId, reference, amount, commission, at, message_key AS messageKey FROM service_payments
       WHERE ? IS NULL OR service_id = ? ORDER BY id`,
    ).all(request.query.serviceId ?? null, request.query.serviceId ?? null),
  }));

  /** holds, for tests and demos: what is held, completed or released */
  app.get<{ Params: { id: string } }>('/admin/holds/:id', async (request, reply) => {
    const hold = db.prepare('SELECT id, account_id AS accountId, amount, commission, status, purpose, service_id AS serviceId, debited FROM holds WHERE id = ?').get(request.params.id);
    if (hold === undefined) return reply.code(404).send({ error: 'no such hold' });
    return hold;
  });
}

function customerView(ctx: BankContext, id: string): Record<string, unknown> | undefined {
  const c = getCustomer(ctx.db, id);
  if (c === undefined) return undefined;
  const accounts = ctx.db.prepare('SELECT id, kind, label, balance, held, due_amount AS dueAmount, max_top_up AS maxTopUp, status FROM accounts WHERE customer_id = ? ORDER BY id').all(id);
  const cards = ctx.db.prepare('SELECT masked_pan AS maskedPan FROM cards WHERE customer_id = ?').all(id);
  const palm = ctx.db.prepare('SELECT subject FROM palm_enrolments WHERE customer_id = ?').all(id);
  return {
    id: c.id, name: c.name, phone: c.phone, iin: c.iin, birthDate: c.birth_date,
    blocked: c.blocked === 1, restricted: c.restricted === 1, palmConsent: c.palm_consent === 1, hasApp: c.has_app === 1,
    trustedPhone: c.trusted_phone ?? undefined, dailyCashLimit: c.daily_cash_limit, accounts, cards, palmSubjects: palm,
  };
}
