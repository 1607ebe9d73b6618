/**
 * Start-up reconciliation with the validator's own word on a note that left escrow while the core
 * was down: a note it handed back (CCNET 82 at open) is never credited; one it stacked, or no word
 * at all, is (the STACK went out before the crash).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CashAcceptorStatus } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import { reconcileAtStartup } from '../../../kiosk/recovery/reconcile.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';
import { FakeAcceptor, FakeDispenser } from '../session/fakes.js';

class AcceptorAfterCrash extends FakeAcceptor {
  constructor(private readonly settled: CashAcceptorStatus['noteSettledAtOpen']) {
    super([]);
  }
  override status(): CashAcceptorStatus {
    return { ...super.status(), ...(this.settled ? { noteSettledAtOpen: this.settled } : {}) };
  }
}

const target = { kind: 'account' as const, customerId: 'c-1', productId: 'p-1', label: 'Current *0101' };
let opened: Array<{ store: KioskStore; dir: string }> = [];

afterEach(() => {
  for (const o of opened) {
    o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
  opened = [];
});

/** a cash-in with 1 000 tenge stacked and a 5 000 intent left open by the crash */
function crashedCashIn(): { store: KioskStore; cashInId: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-reconcile-'));
  const store = openKioskStore({ dataDir: dir, terminalId: 'T-0001' });
  opened.push({ store, dir });
  const { cashInId } = store.money.beginCashIn({ sessionId: 's-1', target });
  store.money.recordStacked(cashInId, store.money.recordStackIntent(cashInId, 100_000));
  store.money.recordStackIntent(cashInId, 500_000);
  return { store, cashInId };
}

const reconcile = (store: KioskStore, acceptor: FakeAcceptor) =>
  reconcileAtStartup({ store: store.money, acceptor, dispenser: new FakeDispenser([]), deviceTimeoutMs: 200, returnTimeoutMs: 200 });

describe('reconciliation with the validator\'s word on a note settled while the core was down', () => {
  it('a note of the intent\'s value handed back by the validator is resolved returned and never credited', async () => {
    const { store, cashInId } = crashedCashIn();
    const report = await reconcile(store, new AcceptorAfterCrash({ outcome: 'returned', billType: 4, denomination: 500_000 }));
    expect(report.decisions[0]).toEqual({ kind: 'intentResolved', cashInId, denomination: 500_000, outcome: 'returned' });
    expect(report.acceptor.noteSettledAtOpen).toEqual({ outcome: 'returned', billType: 4, denomination: 500_000 });
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: 100_000 });
    expect(listOutbox(store.db).map((m) => m.amount)).toEqual([100_000]);
  });

  it('a returned note of another value does not settle the intent: the STACK went out', async () => {
    const { store, cashInId } = crashedCashIn();
    const report = await reconcile(store, new AcceptorAfterCrash({ outcome: 'returned', billType: 3, denomination: 200_000 }));
    expect(report.decisions[0]).toMatchObject({ kind: 'intentResolved', outcome: 'stacked' });
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: 600_000 });
  });

  it('a returned note of unknown value (no bill table) does not settle the intent', async () => {
    const { store } = crashedCashIn();
    const report = await reconcile(store, new AcceptorAfterCrash({ outcome: 'returned', billType: 4 }));
    expect(report.decisions[0]).toMatchObject({ kind: 'intentResolved', outcome: 'stacked' });
  });

  it('a note handed back at power-up that the device does not name (ID003 41) leaves the intent for the technician', async () => {
    const { store, cashInId } = crashedCashIn();
    const report = await reconcile(store, new AcceptorAfterCrash({ outcome: 'returned' }));
    expect(report.decisions).toEqual([
      { kind: 'leftForTechnician', subject: 'cashIn', id: cashInId, reason: expect.stringMatching(/unknown value at power-up/) },
    ]);
    expect(report.settled).toBe(false);
    expect(listOutbox(store.db)).toEqual([]);
  });

  it('a note stored at power-up that the device does not name (ID003 42) settles the intent stacked', async () => {
    const { store, cashInId } = crashedCashIn();
    await reconcile(store, new AcceptorAfterCrash({ outcome: 'stacked' }));
    expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: 600_000 });
    expect(listOutbox(store.db).map((m) => m.amount)).toEqual([600_000]);
  });

  it('the validator reporting the note stacked, or nothing, credits it with the earlier notes', async () => {
    for (const settled of [{ outcome: 'stacked' as const, billType: 4, denomination: 500_000 }, undefined]) {
      const { store, cashInId } = crashedCashIn();
      await reconcile(store, new AcceptorAfterCrash(settled));
      expect(store.money.cashIn(cashInId)).toMatchObject({ status: 'ok', stackedTotal: 600_000 });
      expect(listOutbox(store.db).map((m) => m.amount)).toEqual([600_000]);
    }
  });

  it('the device\'s word settles one intent only', async () => {
    const { store, cashInId } = crashedCashIn();
    // a second cash-in (another session) with its own open 5 000 intent
    const other = store.money.beginCashIn({ sessionId: 's-2', target });
    store.money.recordStackIntent(other.cashInId, 500_000);
    const report = await reconcile(store, new AcceptorAfterCrash({ outcome: 'returned', billType: 4, denomination: 500_000 }));
    const resolved = report.decisions.filter((d) => d.kind === 'intentResolved').map((d) => (d.kind === 'intentResolved' ? [d.cashInId, d.outcome] : []));
    expect(resolved).toEqual([[cashInId, 'returned'], [other.cashInId, 'stacked']]);
  });
});
