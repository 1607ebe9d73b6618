import { afterEach, describe, expect, it } from 'vitest';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { startWorld, type World } from './kiosk-and-bank.js';

interface AccountView { balance: number; held: number }

describe('withdrawals through the store, the outbox and the bank host simulator', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function hold(w: World, amount: number, key: string): Promise<{ holdId: string; commission: number }> {
    const sent = await w.client.requestOtp(`s-${key.slice(-4)}`, 'c-aigerim');
    if (!sent.ok) throw new Error(sent.reason);
    const { messages } = await w.admin<{ messages: Array<{ text: string; channel: string }> }>('GET', `/admin/sms?phone=${encodeURIComponent('+77011234567')}`);
    const code = /\b(\d{6})\b/.exec(messages.at(-1)?.text ?? '')?.[1] ?? '';
    const verified = await w.client.verifyOtp(`s-${key.slice(-4)}`, 'c-aigerim', code);
    if (!verified.ok) throw new Error(verified.reason);
    const auth = await w.client.authoriseWithdrawal({ accessToken: verified.accessToken, productId: 'a-aigerim-cur', amount, idempotencyKey: key });
    if (!auth.ok) throw new Error(auth.reason);
    return auth;
  }

  it('debits a taken withdrawal once, releases a retracted one, and debits a partial one for what was presented', async () => {
    world = await startWorld();
    const w = world;
    const money = w.store.money;
    money.recordReplenishment('tech-1', [{ cassette: 0, denomination: 500000, count: 100 }, { cassette: 1, denomination: 1000000, count: 100 }]);
    const start = await w.admin<AccountView>('GET', '/admin/accounts/a-aigerim-cur');

    // taken: 20 000 tenge as 2 x 5 000 + 1 x 10 000
    const a = await hold(w, 2_000_000, 'T-ALA-07:wd-a');
    const taken = money.recordWithdrawalAuthorised({ sessionId: 's-a', customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 2_000_000, commission: a.commission, holdId: a.holdId,
      plan: [{ cassette: 0, count: 2, denomination: 500000 }, { cassette: 1, count: 1, denomination: 1000000 }] }).withdrawalId;
    money.recordDispensing(taken);
    money.recordDispensed(taken, [{ cassette: 0, dispensed: 2, rejected: 0 }, { cassette: 1, dispensed: 1, rejected: 0 }]);
    money.recordPresented(taken, 'presented');
    money.recordTaken(taken);

    // retracted: the customer never took the notes
    const b = await hold(w, 1_000_000, 'T-ALA-07:wd-b');
    const retracted = money.recordWithdrawalAuthorised({ sessionId: 's-b', customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 1_000_000, commission: b.commission, holdId: b.holdId,
      plan: [{ cassette: 1, count: 1, denomination: 1000000 }] }).withdrawalId;
    money.recordDispensing(retracted);
    money.recordDispensed(retracted, [{ cassette: 1, dispensed: 1, rejected: 0 }]);
    money.recordPresented(retracted, 'presented');
    money.recordRetracted(retracted);
    money.reverseWithdrawal(retracted, 'notTaken');

    // partial: 3 notes planned, 2 counted out; the fee follows the smaller amount
    const c = await hold(w, 1_500_000, 'T-ALA-07:wd-c');
    const partial = money.recordWithdrawalAuthorised({ sessionId: 's-c', customerId: 'c-aigerim', productId: 'a-aigerim-cur', amount: 1_500_000, commission: c.commission, holdId: c.holdId,
      plan: [{ cassette: 0, count: 3, denomination: 500000 }] }).withdrawalId;
    money.recordDispensing(partial);
    money.recordDispensed(partial, [{ cassette: 0, dispensed: 2, rejected: 1 }]);
    money.recordPresented(partial, 'presented');
    const partialFee = Math.min(c.commission, 10_000);
    money.recordTaken(partial, { commission: partialFee });

    const worker = new SyncWorker({ db: w.store.db, deliver: w.deliver });
    const round = await worker.runOnce();
    expect(round).toMatchObject({ kind: 'sent', deadLettered: 0, unanswered: 0 });
    const end = await w.admin<AccountView>('GET', '/admin/accounts/a-aigerim-cur');
    expect(end.held).toBe(0);
    expect(end.balance).toBe(start.balance - (2_000_000 + a.commission) - (1_000_000 + partialFee));
    expect(checkCounters(w.store.db)).toEqual([]);
  });
});
