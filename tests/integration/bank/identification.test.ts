import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankClient } from '../../../kiosk/bank/client.js';
import { DEV_CARD_TOKEN_KEY, panToken } from '../../../drivers/card-reader/pan-token.js';
import { palmTemplateFor } from '../../../simulators/common/palm-subjects.js';
import { startTestBank, type TestBank } from './helpers.js';

let t: TestBank;
let client: BankClient;

beforeAll(async () => {
  t = await startTestBank();
  client = new BankClient({ baseUrl: t.bank.url, timeoutMs: 2000 });
});
afterAll(async () => {
  client.close();
  await t.close();
});

describe('identification over HTTP', () => {
  it('finds a customer by phone and answers only a masked name', async () => {
    const outcome = await client.identify('s-1', 'phone', { by: 'phone', phone: '+77011234567' });
    expect(outcome).toEqual({ ok: true, status: 'identified', customerId: 'c-aigerim', maskedName: 'Aigerim S.', hasApp: true });
  });

  it('narrows a shared phone by birth date or personal code', async () => {
    const query = { by: 'phone', phone: '+77017654321' } as const;
    expect(await client.identify('s-2', 'phone', query)).toEqual({ ok: true, status: 'ambiguous', askFor: ['birthDate', 'personalCode'] });
    expect(await client.identify('s-2', 'phone', query, { birthDate: '1978-03-14' })).toMatchObject({ status: 'identified', customerId: 'c-olga' });
    expect(await client.identify('s-2', 'phone', query, { personalCode: '8765' })).toMatchObject({ status: 'identified', customerId: 'c-sergey' });
    expect(await client.identify('s-2', 'phone', query, { birthDate: '1999-09-09' })).toEqual({ ok: false, reason: 'notIdentified' });
  });

  it('finds by IIN and refuses a blocked customer and an unknown IIN', async () => {
    expect(await client.identify('s-3', 'iin', { by: 'iin', iin: '900101300017' })).toMatchObject({ status: 'identified', customerId: 'c-dauren' });
    expect(await client.identify('s-3', 'iin', { by: 'iin', iin: '950720300011' })).toEqual({ ok: false, reason: 'blocked' });
    expect(await client.identify('s-3', 'iin', { by: 'iin', iin: '010203500078' })).toMatchObject({ customerId: 'c-sergey' });
    expect(await client.identify('s-3', 'iin', { by: 'iin', iin: '921215401237' })).toEqual({ ok: false, reason: 'notFound' });
  });

  it('finds by card token; a foreign card is not found', async () => {
    const own = panToken('4400430000000015', DEV_CARD_TOKEN_KEY);
    expect(await client.identify('s-4', 'card', { by: 'card', panToken: own })).toMatchObject({ customerId: 'c-aigerim' });
    const foreign = panToken('4000000000000002', DEV_CARD_TOKEN_KEY);
    expect(await client.identify('s-4', 'card', { by: 'card', panToken: foreign })).toEqual({ ok: false, reason: 'notFound' });
  });

  it('matches a palm template; consent withdrawn and strangers are refused', async () => {
    expect(await client.identify('s-5', 'palm', { by: 'palm', template: palmTemplateFor('palm-dauren') })).toMatchObject({ customerId: 'c-dauren' });
    expect(await client.identify('s-5', 'palm', { by: 'palm', template: palmTemplateFor('palm-nocons') })).toEqual({ ok: false, reason: 'consentWithdrawn' });
    expect(await client.identify('s-5', 'palm', { by: 'palm', template: palmTemplateFor('palm-stranger') })).toEqual({ ok: false, reason: 'notFound' });
  });

  it('logs in by QR once the app confirms', async () => {
    const login = await client.createQrLogin('s-6');
    expect(login.payload).toContain(login.token);
    expect(await client.pollQrLogin(login.token)).toEqual({ ok: true, status: 'pending' });
    await t.admin('POST', `/admin/qr/${login.token}/confirm`, { customer: 'c-olga' });
    expect(await client.pollQrLogin(login.token)).toMatchObject({ status: 'identified', customerId: 'c-olga', maskedName: 'Olga I.' });
    expect(await client.identify('s-6', 'qr', { by: 'qr', token: login.token })).toMatchObject({ customerId: 'c-olga' });
    expect(await client.pollQrLogin('no-such-token')).toEqual({ ok: false, reason: 'notFound' });
  });

  it('serves health and lets the simulator panel call the admin API cross-origin', async () => {
    expect(await t.admin('GET', '/healthz')).toMatchObject({ ok: true });
    const sms = await fetch(`${t.bank.url}/admin/sms`, { headers: { origin: 'http://127.0.0.1:7400' } });
    expect(sms.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${t.bank.url}/admin/approvals/x`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:7400', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('creates a customer through the admin API and finds it', async () => {
    await t.admin('POST', '/admin/customers', {
      id: 'c-new', name: 'Nurlan Test', phone: '+77770001122', birthDate: '2001-02-03', cards: ['4400430000000031'],
      products: [{ id: 'a-new', kind: 'current', balance: 1000 }],
    });
    expect(await client.identify('s-7', 'phone', { by: 'phone', phone: '+77770001122' })).toMatchObject({ customerId: 'c-new' });
    const view = await t.admin<{ cards: Array<{ maskedPan: string }> }>('GET', '/admin/customers/c-new');
    expect(view.cards).toEqual([{ maskedPan: '440043******0031' }]);
  });
});
