/**
 * A note's identity is the store's row: the session settles the very intent it recorded, and a
 * device that reports another denomination than it held in escrow credits nothing on its word.
 */
import { describe, expect, it } from 'vitest';
import { kioskOpener, flush, signIn } from './kiosk.js';
import { T } from './world.js';

const open = kioskOpener();

async function cashInScreen(k: ReturnType<typeof open>): Promise<void> {
  await signIn(k);
  await k.intent('chooseOperation', { operation: 'cashIn' });
  const s = await k.intent('selectProduct', { productId: 'p-current' });
  expect(s.screen).toBe('cashIn');
}

describe('note identity', () => {
  it('each stacked note settles the row its intent returned, in order', async () => {
    const k = open();
    await cashInScreen(k);
    for (const d of [T(1000), T(1000), T(2000)]) {
      k.acceptor.insert(d);
      await flush();
    }
    const notes = [...k.store.cashIns.values()][0]?.notes ?? [];
    expect(notes.map((n) => n.state)).toEqual(['stacked', 'stacked', 'stacked']);
    expect(new Set(notes.map((n) => n.noteId)).size).toBe(3);
    expect(k.ctx().cashIn?.total).toBe(T(4000));
  });

  it('a stacked report of another denomination credits neither: the intent stays open and is reported', async () => {
    const k = open();
    await cashInScreen(k);
    const reported: unknown[] = [];
    k.session.actor.on('noteMismatch', (e) => reported.push(e));
    k.acceptor.insert(T(1000));
    await flush();
    k.acceptor.misreportNext = T(5000);
    k.acceptor.insert(T(2000));
    await flush();
    const cashIn = [...k.store.cashIns.values()][0];
    expect(cashIn?.notes.map((n) => [n.denomination, n.state])).toEqual([
      [T(1000), 'stacked'],
      [T(2000), 'intent'],
    ]);
    expect(reported).toEqual([{ type: 'noteMismatch', cashInId: [...k.store.cashIns.keys()][0], expected: T(2000), reported: T(5000) }]);
    // the session never counted the disputed note and did not close the payment on its own word
    expect(k.ctx().cashIn?.total).toBe(T(1000));
    expect(k.log).not.toContain(`store.stacked:${T(2000)}`);
    expect(k.log).not.toContain(`store.stacked:${T(5000)}`);
    expect(cashIn?.ended).toBeUndefined();
  });
});
