/**
 * Seeded fuzzing of the bank client's answer parsing (100 000 answers over every route's schema):
 * mutated valid answers, byte-mutated answer text, random JSON, random text and random HTTP
 * statuses. Properties: nothing but BankUnavailableError is ever thrown; an answer a mutation made
 * certainly invalid (money that is not whole non-negative tiyn, an unknown refusal reason or status)
 * is never accepted; whatever is accepted keeps every money field whole, non-negative tiyn and every
 * refusal reason known; and no single answer takes long (a parser that hangs shows as slowestMs).
 */
import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../../kiosk/bank/answer.js';
import { BankUnavailableError } from '../../../kiosk/bank/bank-api.js';
import { MessagesResponse } from '../../../kiosk/bank/messages.js';
import * as W from '../../../kiosk/bank/wire.js';
import { attempt, mutateJson, mutateText, newTally, paths, pick, prng, randomJson, randomString, type Rand } from '../fuzz/json-fuzz.js';

type Schema = { safeParse(v: unknown): { success: boolean } };
interface Route { method: string; path: string; schema: Schema; samples: unknown[] }

const refusal = { ok: false, reason: 'insufficientFunds', params: { max: 100 } };
const product = { id: 'a-1', kind: 'current', label: 'KZ** 1234', currency: 'KZT', balance: 150_000, available: 120_000, dueAmount: 0, maxTopUp: 5_000_000, paysServices: true };
const service = { id: 'svc-1', category: 'mobile', name: 'Mobile', referenceKind: 'phone', referencePattern: '^\\+7\\d{10}$', min: 10_000, max: 5_000_000 };

/** every answer schema the client reads, named by the route that answers with it */
const ROUTES: Record<string, Route> = {
  IdentifyResponse: { method: 'POST', path: '/v1/identify', schema: W.IdentifyResponse, samples: [
    { ok: true, status: 'identified', customerId: 'c-1', maskedName: 'Aigerim S.', cardPinChange: true },
    { ok: true, status: 'ambiguous', askFor: ['birthDate', 'personalCode'] }, refusal] },
  QrLoginResponse: { method: 'POST', path: '/v1/qr-logins', schema: W.QrLoginResponse, samples: [{ token: 'tok-1', payload: 'bank://qr/1', expiresAt: 1_700_000_000_000 }] },
  QrPollResponse: { method: 'GET', path: '/v1/qr-logins/x', schema: W.QrPollResponse, samples: [{ ok: true, status: 'pending' }, { ok: true, status: 'identified', customerId: 'c-1', maskedName: 'A.' }] },
  OtpResponse: { method: 'POST', path: '/v1/otp', schema: W.OtpResponse, samples: [{ ok: true, sentTo: '+7701***4567', expiresAt: 1, resendAt: 2 }, { ok: false, reason: 'otpLocked' }] },
  OtpVerifyResponse: { method: 'POST', path: '/v1/otp/verify', schema: W.OtpVerifyResponse, samples: [
    { ok: true, accessToken: 'a'.repeat(32), expiresAt: 5 }, { ok: false, reason: 'otpWrong', attemptsLeft: 2 }] },
  ProductsResponse: { method: 'GET', path: '/v1/products', schema: W.ProductsResponse, samples: [{ ok: true, products: [product, { ...product, id: 'w-1', kind: 'wallet' }] }] },
  HistoryResponse: { method: 'GET', path: '/v1/products/a-1/history', schema: W.HistoryResponse, samples: [{ ok: true, recent: [{ at: '2026-01-01T10:00:00Z', description: 'Cash-in', amount: -500 }] }] },
  ServicesResponse: { method: 'GET', path: '/v1/services', schema: W.ServicesResponse, samples: [{ services: [service] }] },
  CheckReferenceResponse: { method: 'POST', path: '/v1/services/svc-1/check-reference', schema: W.CheckReferenceResponse, samples: [{ ok: true, beneficiary: 'Beeline' }, refusal] },
  QuoteResponse: { method: 'POST', path: '/v1/quotes', schema: W.QuoteResponse, samples: [{ operation: 'withdraw', amount: 2_000_000, commission: 10_000, total: 2_010_000 }] },
  PrecheckResponse: { method: 'POST', path: '/v1/cash-in/precheck', schema: W.PrecheckResponse, samples: [{ ok: true, maxAmount: 5_000_000, minAmount: 0 }, refusal] },
  AuthoriseResponse: { method: 'POST', path: '/v1/withdrawals', schema: W.AuthoriseResponse, samples: [
    { ok: true, holdId: 'h-1', commission: 10_000, status: 'approved' }, { ok: true, holdId: 'h-2', commission: 0, status: 'pendingApproval', approvalId: 'ap-1' }] },
  ServicePaymentAuthoriseResponse: { method: 'POST', path: '/v1/service-payments', schema: W.ServicePaymentAuthoriseResponse, samples: [{ ok: true, holdId: 'h-3', commission: 5_000, status: 'approved' }] },
  ApprovalStatusResponse: { method: 'GET', path: '/v1/approvals/ap-1', schema: W.ApprovalStatusResponse, samples: [{ status: 'approved' }] },
  StartPinChangeResponse: { method: 'POST', path: '/v1/pin-changes', schema: W.StartPinChangeResponse, samples: [{ ok: true, pinChangeId: 'pc-1', channel: 'push', expiresAt: 9 }, { ok: false, reason: 'pinChangeNotAllowed' }] },
  PinChangeStatusResponse: { method: 'GET', path: '/v1/pin-changes/pc-1', schema: W.PinChangeStatusResponse, samples: [{ status: 'done' }] },
  MessagesResponse: { method: 'POST', path: '/v1/messages', schema: MessagesResponse, samples: [
    { results: [{ key: 'k-1', status: 'applied' }, { key: 'k-2', status: 'rejected', reason: 'closed' }, { key: 'j-1', status: 'alreadyApplied', anchoredHead: { seq: 4, hash: 'ab' } }] }] },
};

/** whole tiyn fields of the answers (history entries are signed movements; a refusal's params are free-form) */
const MONEY = new Set(['balance', 'available', 'dueAmount', 'maxTopUp', 'min', 'max', 'amount', 'commission', 'total', 'maxAmount', 'minAmount']);
const REASONS = new Set<string>(W.RefusalReasonSchema.options);

/** why an accepted answer would be wrong, if it is */
function flaw(value: unknown, at: (string | number)[] = []): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const f = flaw(v, [...at, i]);
      if (f) return f;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if ('ok' in o && typeof o.ok !== 'boolean') return `${at.join('.')}.ok is not a boolean`;
  if (o.ok === false && !REASONS.has(String(o.reason))) return `${at.join('.')}: unknown refusal reason accepted`;
  for (const [k, v] of Object.entries(o)) {
    if (MONEY.has(k) && !at.includes('recent') && !at.includes('params') && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) return `${[...at, k].join('.')} = ${String(v)} is not whole tiyn`;
    const f = flaw(v, [...at, k]);
    if (f) return f;
  }
  return undefined;
}

/** a copy of a valid answer made certainly invalid: a money field that is not whole tiyn, or an enum outside its values */
function invalidate(r: Rand, doc: unknown): unknown | undefined {
  const copy = structuredClone(doc);
  const targets = paths(copy).filter((p) => {
    const key = p.at(-1);
    if (typeof key !== 'string' || p.includes('params')) return false;
    // a reason is an enum only in a refusal; a delivery result's reason is free text
    if (key === 'reason') return !p.includes('results');
    return (MONEY.has(key) && !p.includes('recent')) || key === 'status' || key === 'kind' || key === 'currency' || key === 'ok';
  });
  if (targets.length === 0) return undefined;
  const path = pick(r, targets);
  let node = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const key = path.at(-1) as string;
  node[key] = MONEY.has(key) ? pick(r, [-1, 0.5, 1e21, '100', null, 2 ** 53, -(2 ** 31)]) : key === 'ok' ? pick(r, ['true', 1, null]) : pick(r, ['bogus', '', 7, null]);
  return copy;
}

const typed = (err: unknown): boolean => err instanceof BankUnavailableError;
const STATUSES = [200, 200, 200, 200, 201, 204, 299, 301, 400, 401, 404, 429, 500, 502, 503, 0, 99, 600];
const TOTAL = 100_000;

describe('bank answer parsing fuzz', () => {
  it('covers every answer schema the wire module exports', () => {
    const exported = Object.keys(W).filter((k) => k.endsWith('Response'));
    expect(exported.filter((k) => !(k in ROUTES))).toEqual([]);
    for (const [name, route] of Object.entries(ROUTES)) for (const s of route.samples) expect(route.schema.safeParse(s).success, name).toBe(true);
  });

  it(`${TOTAL} answers: only BankUnavailableError, nothing invalid accepted, no slow answer`, () => {
    const r = prng(0xba2c);
    const tally = newTally();
    const routes = Object.values(ROUTES);
    let invalidAccepted = 0;
    let firstInvalidAccepted: string | undefined;
    let flawed: string | undefined;
    let invalidated = 0;
    const started = performance.now();
    for (let i = 0; i < TOTAL; i++) {
      const route = pick(r, routes);
      const sample = pick(r, route.samples);
      let status = 200;
      let text: string;
      let mustRefuse = false;
      switch (i % 10) {
        case 0: case 1: case 2: case 3:
          text = JSON.stringify(mutateJson(r, sample));
          break;
        case 4: case 5: {
          const bad = invalidate(r, sample);
          mustRefuse = bad !== undefined;
          if (mustRefuse) invalidated++;
          text = JSON.stringify(bad ?? mutateJson(r, sample));
          break;
        }
        case 6:
          text = mutateText(r, JSON.stringify(sample));
          break;
        case 7:
          text = JSON.stringify(randomJson(r)) ?? 'null';
          break;
        case 8:
          text = randomString(r);
          break;
        default:
          status = pick(r, STATUSES);
          text = r.chance(0.5) ? JSON.stringify(sample) : JSON.stringify({ error: randomString(r) });
      }
      const out = attempt(tally, text, () => readAnswer(route.schema as never, route.method, route.path, { status, text }), typed);
      if (!out.ok) continue;
      if (mustRefuse || status < 200 || status >= 300) {
        invalidAccepted++;
        firstInvalidAccepted ??= `${status} ${text.slice(0, 300)}`;
      }
      flawed ??= flaw(out.value);
    }
    const elapsed = performance.now() - started;
    console.info(`bank answer fuzz: ${tally.inputs} inputs, ${tally.accepted} accepted, ${tally.refused} refused, ${invalidated} certainly invalid, ${elapsed.toFixed(0)} ms, slowest ${tally.slowestMs.toFixed(1)} ms`);
    expect(tally.firstUntyped).toBeUndefined();
    expect(tally.untyped).toBe(0);
    expect(firstInvalidAccepted).toBeUndefined();
    expect(invalidAccepted).toBe(0);
    expect(flawed).toBeUndefined();
    expect(tally.inputs).toBe(TOTAL);
    // both outcomes happen, or the generator is not exercising the parser
    expect(tally.accepted).toBeGreaterThan(TOTAL / 20);
    expect(invalidated).toBeGreaterThan(TOTAL / 10);
    expect(tally.slowestMs).toBeLessThan(1_000);
  }, 120_000); // a few seconds on an idle machine; the bound is for a loaded one
});
