/**
 * The kiosk's client of the bank's terminal gateway: `BankApi` plus the store-and-forward
 * `postMessages`. Every answer is checked against the wire schemas. Network failures, timeouts,
 * 5xx, non-JSON or off-contract answers throw BankUnavailableError; business refusals come back as
 * values (`{ ok: false, reason }`). Only calls that are safe to repeat are retried: reads, and
 * writes that carry an idempotency key. Requesting or verifying an OTP is never retried (a retry
 * would send a second SMS or burn an attempt).
 */
import type { z } from 'zod';
import type { IdentificationMethod, Operation } from '../../domain/operations.js';
import {
  BankUnavailableError, type BankApi, type BankResult, type BankRefusal, type DeliveryResult, type IdentifyOutcome,
  type IdentifyQuery, type Narrowing, type OutboxMessage, type PinChangeChannel, type PinChangeStatus, type ProductView, type Quote, type ServiceView, type ServicePaymentAuthorisation, type Tiyn,
} from './bank-api.js';
import { MessagesResponse, OutboxMessageSchema, type OutboxMessageWire } from './messages.js';
import { ServiceUsersList, type ServiceUser } from '../service-mode/service-users.js';

const MAX_BATCH = 500;
import * as W from './wire.js';
import { HttpTransport, TransportError, loadTlsFiles, type TlsOptions } from './http-transport.js';
import { sleep } from '../../domain/async.js';
import { readAnswer, TransientBankError } from './answer.js';

export interface BankClientOptions {
  /** e.g. https://gateway.bank.kz or http://127.0.0.1:7070 (plain http only to loopback) */
  baseUrl: string;
  /** per attempt (default 10 s) */
  timeoutMs?: number;
  /** extra attempts for calls safe to repeat (default 2) */
  retries?: number;
  /** first back-off between attempts, doubled each time (default 250 ms) */
  retryDelayMs?: number;
  tls?: TlsOptions;
  /** sent as x-terminal-id on every call */
  terminalId?: string;
  /** largest answer read (default DEFAULT_MAX_ANSWER_BYTES); a larger one is refused unread */
  maxAnswerBytes?: number;
}

/** the `bank` section of the kiosk config */
export interface BankClientConfig {
  url: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  timeoutMs?: number;
  terminalId?: string;
}

/** Builds the client from config, reading the TLS files; a bad path or URL is a clear start-up error. */
export function createBankClient(config: BankClientConfig): BankClient {
  let tls: TlsOptions;
  try {
    tls = loadTlsFiles(config);
  } catch (err) {
    throw err instanceof TransportError ? new Error(err.message) : err;
  }
  return new BankClient({
    baseUrl: config.url, tls,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.terminalId !== undefined ? { terminalId: config.terminalId } : {}),
  });
}

interface CallOptions {
  body?: unknown;
  /** safe to repeat: a retry cannot do anything twice */
  idempotent: boolean;
  accessToken?: string;
  headers?: Record<string, string>;
}

export class BankClient implements BankApi {
  private readonly transport: HttpTransport;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: BankClientOptions) {
    try {
      this.transport = new HttpTransport(options.baseUrl, options.tls, options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes });
    } catch (err) {
      // a misconfigured bank address is a start-up error, not an outage
      throw err instanceof TransportError ? new Error(err.message) : err;
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 250;
  }

  close(): void {
    this.transport.close();
  }

  async identify(sessionId: string, method: IdentificationMethod, query: IdentifyQuery, narrowing?: Narrowing): Promise<IdentifyOutcome> {
    const wireQuery = query.by === 'palm' ? { by: 'palm' as const, template: Buffer.from(query.template).toString('base64') } : query;
    return this.call(W.IdentifyResponse, 'POST', '/v1/identify', {
      body: { sessionId, method, query: wireQuery, ...(narrowing !== undefined ? { narrowing } : {}) },
      idempotent: true,
    });
  }

  createQrLogin(sessionId: string): Promise<{ token: string; payload: string; expiresAt: number }> {
    return this.call(W.QrLoginResponse, 'POST', '/v1/qr-logins', { body: { sessionId }, idempotent: false });
  }

  pollQrLogin(token: string): Promise<IdentifyOutcome | { ok: true; status: 'pending' }> {
    return this.call(W.QrPollResponse, 'GET', `/v1/qr-logins/${encodeURIComponent(token)}`, { idempotent: true });
  }

  requestOtp(sessionId: string, customerId: string): Promise<BankResult<{ sentTo: string; expiresAt: number; resendAt: number }>> {
    return this.call(W.OtpResponse, 'POST', '/v1/otp', { body: { sessionId, customerId }, idempotent: false });
  }

  verifyOtp(sessionId: string, customerId: string, code: string):
    Promise<BankResult<{ accessToken: string; expiresAt: number }> | (BankRefusal & { attemptsLeft?: number })> {
    return this.call(W.OtpVerifyResponse, 'POST', '/v1/otp/verify', { body: { sessionId, customerId, code }, idempotent: false });
  }

  products(accessToken: string): Promise<BankResult<{ products: ProductView[] }>> {
    return this.call(W.ProductsResponse, 'GET', '/v1/products', { idempotent: true, accessToken });
  }

  history(accessToken: string, productId: string): Promise<BankResult<{ recent: Array<{ at: string; description: string; amount: number }> }>> {
    return this.call(W.HistoryResponse, 'GET', `/v1/products/${encodeURIComponent(productId)}/history`, { idempotent: true, accessToken });
  }

  /** the bank's service crew for this terminal: ids, roles, PIN hashes (our own route, see simulators/bank/service-crew.ts) */
  async serviceUsers(): Promise<ServiceUser[]> {
    return (await this.call(ServiceUsersList, 'GET', '/v1/service-users', { idempotent: true })).users;
  }

  async services(): Promise<ServiceView[]> {
    return (await this.call(W.ServicesResponse, 'GET', '/v1/services', { idempotent: true })).services;
  }

  checkReference(serviceId: string, reference: string): Promise<BankResult<{ beneficiary: string }>> {
    return this.call(W.CheckReferenceResponse, 'POST', `/v1/services/${encodeURIComponent(serviceId)}/check-reference`, { body: { reference }, idempotent: true });
  }

  quote(operation: Operation, amount: Tiyn, productId?: string, serviceId?: string): Promise<Quote> {
    const body = { operation, amount, ...(productId !== undefined ? { productId } : {}), ...(serviceId !== undefined ? { serviceId } : {}) };
    return this.call(W.QuoteResponse, 'POST', '/v1/quotes', { body, idempotent: true });
  }

  precheckCashIn(target: { productId?: string; serviceId?: string; reference?: string; accessToken?: string }): Promise<BankResult<{ maxAmount: Tiyn; minAmount: Tiyn }>> {
    const { accessToken, ...body } = target;
    return this.call(W.PrecheckResponse, 'POST', '/v1/cash-in/precheck', { body, idempotent: true, ...(accessToken !== undefined ? { accessToken } : {}) });
  }

  authoriseWithdrawal(input: { accessToken: string; productId: string; amount: Tiyn; idempotencyKey: string }):
    Promise<BankResult<{ holdId: string; commission: Tiyn; status: 'approved' | 'pendingApproval'; approvalId?: string }>> {
    const { accessToken, ...body } = input;
    // the idempotency key makes a retry after a lost answer return the first hold, not a second one
    return this.call(W.AuthoriseResponse, 'POST', '/v1/withdrawals', {
      body, idempotent: true, accessToken, headers: { 'idempotency-key': input.idempotencyKey },
    });
  }

  authoriseServicePayment(input: ServicePaymentAuthorisation):
    Promise<BankResult<{ holdId: string; commission: Tiyn; status: 'approved' | 'pendingApproval'; approvalId?: string }>> {
    const { accessToken, ...body } = input;
    // as for withdrawals: a retry with the same key gets the first hold back, never a second one
    return this.call(W.ServicePaymentAuthoriseResponse, 'POST', '/v1/service-payments', {
      body, idempotent: true, accessToken, headers: { 'idempotency-key': input.idempotencyKey },
    });
  }

  approvalStatus(approvalId: string): Promise<{ status: 'pending' | 'approved' | 'refused' | 'expired' }> {
    return this.call(W.ApprovalStatusResponse, 'GET', `/v1/approvals/${encodeURIComponent(approvalId)}`, { idempotent: true });
  }

  startPinChange(input: { accessToken: string; sessionId: string; panToken: string }):
    Promise<BankResult<{ pinChangeId: string; channel: PinChangeChannel; expiresAt: number }>> {
    const { accessToken, ...body } = input;
    // not retried: a second start would send the customer a second app prompt or SMS link
    return this.call(W.StartPinChangeResponse, 'POST', '/v1/pin-changes', { body, idempotent: false, accessToken });
  }

  pinChangeStatus(accessToken: string, pinChangeId: string): Promise<{ status: PinChangeStatus }> {
    return this.call(W.PinChangeStatusResponse, 'GET', `/v1/pin-changes/${encodeURIComponent(pinChangeId)}`, { idempotent: true, accessToken });
  }

  cancelPinChange(accessToken: string, pinChangeId: string): Promise<{ status: PinChangeStatus }> {
    // cancelling twice leaves it cancelled: safe to repeat
    return this.call(W.PinChangeStatusResponse, 'POST', `/v1/pin-changes/${encodeURIComponent(pinChangeId)}/cancel`, { body: {}, idempotent: true, accessToken });
  }

  /** store-and-forward delivery; every message key is applied once by the bank, so retries are safe */
  async postMessages(terminalId: string, messages: OutboxMessage[]): Promise<DeliveryResult[]> {
    if (messages.length > MAX_BATCH) throw new Error(`outbox batch of ${messages.length} messages: at most ${MAX_BATCH} per call`);
    // a message that breaks the contract is never sent; it comes back rejected so it goes to the
    // dead letters for a technician instead of blocking every message queued behind it
    const local = new Map<number, DeliveryResult>();
    const valid: OutboxMessageWire[] = [];
    messages.forEach((message, i) => {
      const parsed = OutboxMessageSchema.safeParse(message);
      if (parsed.success) valid.push(parsed.data);
      else {
        const issue = parsed.error.issues[0];
        local.set(i, { key: message.key, status: 'rejected', reason: `invalidMessage: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.slice(0, 200) });
      }
    });
    let remote: DeliveryResult[] = [];
    if (valid.length > 0) {
      const answer = await this.call(MessagesResponse, 'POST', '/v1/messages', { body: { terminalId, messages: valid }, idempotent: true });
      if (answer.results.length !== valid.length || answer.results.some((r, i) => r.key !== valid[i]!.key)) {
        throw new BankUnavailableError('bank answered a batch with results that do not match its messages');
      }
      remote = answer.results;
    }
    let next = 0;
    return messages.map((_, i) => local.get(i) ?? remote[next++]!);
  }

  private async call<S extends z.ZodType>(schema: S, method: 'GET' | 'POST', path: string, options: CallOptions): Promise<z.infer<S>> {
    const attempts = options.idempotent ? 1 + this.retries : 1;
    let lastError: BankUnavailableError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      try {
        return await this.once(schema, method, path, options);
      } catch (err) {
        if (!(err instanceof BankUnavailableError)) throw err;
        lastError = err;
        if (!isTransient(err)) break;
      }
    }
    throw lastError ?? new BankUnavailableError(`${method} ${path} failed`);
  }

  private async once<S extends z.ZodType>(schema: S, method: 'GET' | 'POST', path: string, options: CallOptions): Promise<z.infer<S>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.accessToken !== undefined) headers.authorization = `Bearer ${options.accessToken}`;
    if (this.options.terminalId !== undefined) headers['x-terminal-id'] = this.options.terminalId;
    let answer;
    try {
      answer = await this.transport.request(method, path, options.body, headers, this.timeoutMs);
    } catch (err) {
      // an oversized answer is a faulty gateway, not a lost packet: asking again would read it again
      if (err instanceof TransportError) throw err.kind === 'oversize' ? new BankUnavailableError(err.message) : new TransientBankError(err.message);
      throw err;
    }
    return readAnswer(schema, method, path, answer);
  }
}

function isTransient(err: BankUnavailableError): boolean {
  return err instanceof TransientBankError;
}
