/**
 * Dead letters resolved by a technician over a real SQLite store: closed with a comment (the money
 * row stays, with its resolution) or retried (back in the queue), each journaled, audited under
 * the person and queued for the bank as a `deadLetterResolution` message, which the bank
 * simulator records. A collector cannot resolve.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceModeView } from '../../../kiosk/bridge/schema.js';
import { BankClient } from '../../../kiosk/bank/client.js';
import { serviceMode } from '../../../kiosk/service-mode/service-mode.js';
import { hashPin, type ServiceUser } from '../../../kiosk/service-mode/service-users.js';
import type { KioskDevices } from '../../../kiosk/runtime/devices.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { iterateJournal } from '../../../kiosk/store/journal.js';
import { markDeadLetter, outboxByKey, pendingHead } from '../../../kiosk/store/outbox.js';
import { startBankServer } from '../../../simulators/bank/server.js';
import { FakeAcceptor, FakeDispenser } from '../session/fakes.js';
import { tempStore, type TempStore } from '../store/temp-store.js';

const FAST = { N: 1024, r: 8, p: 1, keyLength: 32 } as const;
let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function rig() {
  const s: TempStore = tempStore('KZ-ALA-0042');
  cleanup.push(() => s.dispose());
  const users: ServiceUser[] = [
    { id: 'A17', role: 'technician', pin: await hashPin('482913', FAST) },
    { id: 'K05', role: 'collector', pin: await hashPin('775120', FAST) },
  ];
  const devices = {
    cashAcceptor: new FakeAcceptor([]), dispenser: new FakeDispenser([]), cassetteDenominations: [200_000, 2_000_000],
    cabinet: { status: () => ({ serviceSwitchOpen: true }) },
  } as unknown as KioskDevices;
  let woken = 0;
  const port = serviceMode({
    users: () => users, store: s.money, db: s.db, devices, testPrint: async () => ({ ok: true }),
    site: { bankName: 'Bank', terminalId: 'KZ-ALA-0042', address: '' }, now: () => new Date(s.clock.ms), onOutbox: () => woken++,
  });
  /** a cash-in the bank refused: its credit message dead-lettered */
  const refusedCashIn = (sessionId: string, reason: string): string => {
    const { cashInId } = s.money.beginCashIn({ sessionId, target: { kind: 'account', customerId: 'c-1', productId: 'p-1', label: 'Current *0101' } });
    s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, 200_000));
    s.money.endCashIn(cashInId, { commission: 0 });
    const message = pendingHead(s.db, 100).find((m) => m.kind === 'cashInCredit' && m.sessionId === sessionId);
    if (!message) throw new Error('no credit message');
    markDeadLetter(s.db, message.key, reason, s.clock.ms);
    return message.key;
  };
  return { s, port, refusedCashIn, woken: () => woken };
}

describe('dead letters', () => {
  it('are closed with a comment or retried, never deleted; journaled, audited under the person, and told to the bank', async () => {
    const { s, port, refusedCashIn, woken } = await rig();
    const closed = refusedCashIn('s-1', 'accountClosed: the account was closed');
    const retried = refusedCashIn('s-2', 'bankBusy: try again later');
    await port.login('775120', 'K05');
    expect(await port.perform('K05', 'resolveDeadLetter', { key: closed, resolution: 'close', comment: 'paid out by branch' })).toMatchObject({ denied: true });
    await port.perform('K05', 'exit');

    await port.login('482913', 'A17');
    const listed = await port.perform('A17', 'deadLetters');
    expect((listed as { undelivered: Array<{ key: string; state: string; resolutions: unknown[] }> }).undelivered.map((m) => [m.key, m.state, m.resolutions])).toEqual([
      [closed, 'deadLetter', []], [retried, 'deadLetter', []],
    ]);
    expect(await port.perform('A17', 'resolveDeadLetter', { key: closed, resolution: 'close', comment: ' ok ' })).toMatchObject({ ok: false, refusal: { code: 'commentRequired' } });
    expect(await port.perform('A17', 'resolveDeadLetter', { key: 'nope', resolution: 'retry' })).toMatchObject({ ok: false, refusal: { code: 'unknownMessage' } });
    // a card number in the comment (journaled, sent to the bank) is refused, not an error; the attempt is audited masked
    expect(await port.perform('A17', 'resolveDeadLetter', { key: closed, resolution: 'close', comment: 'refunded to 4400430000000015' })).toMatchObject({ ok: false, refusal: { code: 'commentHoldsCardNumber' } });
    expect(JSON.stringify(listAudit(s.db))).toContain('refunded to 440043******0015');
    expect(JSON.stringify(listAudit(s.db))).not.toContain('4400430000000015');
    const done = await port.perform('A17', 'resolveDeadLetter', { key: closed, resolution: 'close', comment: 'Customer refunded at branch 12, ticket 4471' });
    expect(done).toMatchObject({ action: 'resolveDeadLetter', ok: true, resolution: 'closed' });
    expect(ServiceModeView.safeParse(done).success).toBe(true);
    expect(await port.perform('A17', 'resolveDeadLetter', { key: retried, resolution: 'retry' })).toMatchObject({ ok: true, resolution: 'retried' });
    // the retried one is back in the queue, no longer a dead letter to close
    expect(await port.perform('A17', 'resolveDeadLetter', { key: retried, resolution: 'close', comment: 'again and again' })).toMatchObject({ refusal: { code: 'notDeadLetter' } });
    expect(woken()).toBe(2);

    // the money rows stay: the closed one as it was, the retried one back in the queue
    expect(outboxByKey(s.db, closed)?.state).toBe('deadLetter');
    expect(outboxByKey(s.db, retried)?.state).toBe('pending');
    const after = (await port.perform('A17', 'deadLetters')) as { undelivered: Array<{ key: string; resolutions: Array<{ resolution: string; who: string; comment?: string }> }> };
    expect(after.undelivered.find((m) => m.key === closed)?.resolutions).toEqual([
      expect.objectContaining({ resolution: 'closed', who: 'A17', comment: 'Customer refunded at branch 12, ticket 4471' }),
    ]);
    const journal = [...iterateJournal(s.db)].filter((e) => e.type === 'deadLetterResolved').map((e) => e.payload);
    expect(journal).toEqual([
      expect.objectContaining({ messageKey: closed, resolution: 'closed', who: 'A17', amount: 200_000, reason: 'accountClosed: the account was closed' }),
      expect.objectContaining({ messageKey: retried, resolution: 'retried', who: 'A17' }),
    ]);
    expect(listAudit(s.db).filter((a) => a.action === 'deadLetterResolved').map((a) => a.who)).toEqual(['A17', 'A17']);

    // the resolutions go to the bank in the fleet lane, and the bank records them
    const resolutions = pendingHead(s.db, 100, 'fleet').filter((m) => m.kind === 'deadLetterResolution');
    expect(resolutions.map((m) => (m.body as { messageKey: string }).messageKey)).toEqual([closed, retried]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bank-dead-letters-'));
    const bank = await startBankServer({ dbFile: path.join(dir, 'bank.sqlite') });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => bank.close());
    const results = await new BankClient({ baseUrl: bank.url, terminalId: 'KZ-ALA-0042' }).postMessages('KZ-ALA-0042', resolutions);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const recorded = bank.ctx.db.prepare("SELECT body FROM terminal_events WHERE kind = 'deadLetterResolution' ORDER BY at").all() as Array<{ body: string }>;
    expect(recorded.map((r) => (JSON.parse(r.body) as { resolution: string }).resolution)).toEqual(['closed', 'retried']);
  });
});
