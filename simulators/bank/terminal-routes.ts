/**
 * The terminal API (`/v1/...`) that kiosk/bank/client.ts speaks. Every request is checked with the
 * shared wire schemas and every answer is checked again before it leaves, so the simulator can
 * never teach the client a shape the contract does not allow.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as W from '../../kiosk/bank/wire.js';
import { z } from 'zod';
import { MessagesResponse, OutboxMessageSchema } from '../../kiosk/bank/messages.js';
import type { BankContext } from './context.js';
import { parseOr400 } from './server.js';
import { applyMessages, type MessageResult } from './apply-messages.js';
import { createQrLogin, identify, pollQrLogin } from './identification.js';
import { authenticate, requestOtp, verifyOtp } from './otp.js';
import { checkReference, history, precheckCashIn, products, quote, services } from './catalogue.js';
import { approvalStatus, authoriseWithdrawal } from './withdrawals.js';
import { authoriseServicePayment } from './service-payments.js';
import { cancelPinChange, pinChangeStatus, startPinChange } from './pin-changes.js';

/** the batch envelope; each message is then checked on its own */
const MessagesEnvelope = z.object({
  terminalId: z.string().min(1).max(40),
  messages: z.array(z.looseObject({ key: z.string().min(1).max(80) })).max(500),
});

function answer<S extends z.ZodType>(reply: FastifyReply, schema: S, value: unknown): FastifyReply {
  const checked = schema.safeParse(value);
  if (!checked.success) return reply.code(500).send({ error: `answer broke the wire contract: ${checked.error.issues[0]?.message ?? ''}` });
  return reply.send(checked.data);
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export function registerTerminalRoutes(app: FastifyInstance, ctx: BankContext): void {
  app.post('/v1/identify', async (request, reply) => {
    const body = parseOr400(W.IdentifyRequest, request.body, reply);
    if (body === undefined) return reply;
    if (body.method !== body.query.by) return reply.code(400).send({ error: `invalid request: method ${body.method} with a ${body.query.by} query` });
    return answer(reply, W.IdentifyResponse, identify(ctx, body.query, body.narrowing));
  });

  app.post('/v1/qr-logins', async (request, reply) => {
    const body = parseOr400(W.QrLoginRequest, request.body, reply);
    if (body === undefined) return reply;
    return answer(reply, W.QrLoginResponse, createQrLogin(ctx, body.sessionId));
  });
  app.get<{ Params: { token: string } }>('/v1/qr-logins/:token', async (request, reply) =>
    answer(reply, W.QrPollResponse, pollQrLogin(ctx, request.params.token)));

  app.post('/v1/otp', async (request, reply) => {
    const body = parseOr400(W.OtpRequest, request.body, reply);
    if (body === undefined) return reply;
    return answer(reply, W.OtpResponse, requestOtp(ctx, body.sessionId, body.customerId));
  });
  app.post('/v1/otp/verify', async (request, reply) => {
    const body = parseOr400(W.OtpVerifyRequest, request.body, reply);
    if (body === undefined) return reply;
    return answer(reply, W.OtpVerifyResponse, verifyOtp(ctx, body.sessionId, body.customerId, body.code));
  });

  app.get('/v1/products', async (request, reply) => {
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return answer(reply, W.ProductsResponse, who);
    return answer(reply, W.ProductsResponse, { ok: true, products: products(ctx, who.customerId) });
  });
  app.get<{ Params: { id: string } }>('/v1/products/:id/history', async (request, reply) => {
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return answer(reply, W.HistoryResponse, who);
    return answer(reply, W.HistoryResponse, history(ctx, who.customerId, request.params.id));
  });

  app.get('/v1/services', async (_request, reply) => answer(reply, W.ServicesResponse, { services: services(ctx) }));
  app.post<{ Params: { id: string } }>('/v1/services/:id/check-reference', async (request, reply) => {
    const body = parseOr400(W.CheckReferenceRequest, request.body, reply);
    if (body === undefined) return reply;
    return answer(reply, W.CheckReferenceResponse, checkReference(ctx, request.params.id, body.reference));
  });

  app.post('/v1/quotes', async (request, reply) => {
    const body = parseOr400(W.QuoteRequest, request.body, reply);
    if (body === undefined) return reply;
    return answer(reply, W.QuoteResponse, quote(ctx, body.operation, body.amount, body.serviceId));
  });

  app.post('/v1/cash-in/precheck', async (request, reply) => {
    const body = parseOr400(W.PrecheckRequest, request.body, reply);
    if (body === undefined) return reply;
    const token = bearer(request);
    let customerId: string | undefined;
    if (token !== undefined) {
      const who = authenticate(ctx, token);
      if ('ok' in who) return answer(reply, W.PrecheckResponse, who);
      customerId = who.customerId;
    }
    return answer(reply, W.PrecheckResponse, precheckCashIn(ctx, body, customerId));
  });

  app.post('/v1/withdrawals', async (request, reply) => {
    const body = parseOr400(W.AuthoriseRequest, request.body, reply);
    if (body === undefined) return reply;
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return answer(reply, W.AuthoriseResponse, who);
    return answer(reply, W.AuthoriseResponse, authoriseWithdrawal(ctx, who.customerId, body));
  });
  app.post('/v1/service-payments', async (request, reply) => {
    const body = parseOr400(W.ServicePaymentAuthoriseRequest, request.body, reply);
    if (body === undefined) return reply;
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return answer(reply, W.ServicePaymentAuthoriseResponse, who);
    return answer(reply, W.ServicePaymentAuthoriseResponse, authoriseServicePayment(ctx, who.customerId, body));
  });
  app.get<{ Params: { id: string } }>('/v1/approvals/:id', async (request, reply) => {
    const status = approvalStatus(ctx, request.params.id);
    if (status === undefined) return reply.code(404).send({ error: 'no such approval' });
    return answer(reply, W.ApprovalStatusResponse, { status });
  });

  app.post('/v1/pin-changes', async (request, reply) => {
    const body = parseOr400(W.StartPinChangeRequest, request.body, reply);
    if (body === undefined) return reply;
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return answer(reply, W.StartPinChangeResponse, who);
    return answer(reply, W.StartPinChangeResponse, startPinChange(ctx, who.customerId, body));
  });
  app.get<{ Params: { id: string } }>('/v1/pin-changes/:id', async (request, reply) => {
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return reply.code(401).send({ error: `not authenticated: ${who.reason}` });
    const status = pinChangeStatus(ctx, who.customerId, request.params.id);
    if (status === undefined) return reply.code(404).send({ error: 'no such PIN change' });
    return answer(reply, W.PinChangeStatusResponse, { status });
  });
  app.post<{ Params: { id: string } }>('/v1/pin-changes/:id/cancel', async (request, reply) => {
    const who = authenticate(ctx, bearer(request));
    if ('ok' in who) return reply.code(401).send({ error: `not authenticated: ${who.reason}` });
    const status = cancelPinChange(ctx, who.customerId, request.params.id);
    if (status === undefined) return reply.code(404).send({ error: 'no such PIN change' });
    return answer(reply, W.PinChangeStatusResponse, { status });
  });

  app.post('/v1/messages', async (request, reply) => {
    const body = parseOr400(MessagesEnvelope, request.body, reply);
    if (body === undefined) return reply;
    // one malformed message must not block the batch (and the terminal's queue behind it): it is
    // rejected on its own, unregistered, so a corrected message with the same key can still apply
    const results = body.messages.map((raw): MessageResult => {
      const parsed = OutboxMessageSchema.safeParse(raw);
      if (parsed.success) return applyMessages(ctx, body.terminalId, [parsed.data])[0]!;
      const issue = parsed.error.issues[0];
      return { key: raw.key, status: 'rejected', reason: `malformedMessage: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.slice(0, 200) };
    });
    return answer(reply, MessagesResponse, { results });
  });
}
