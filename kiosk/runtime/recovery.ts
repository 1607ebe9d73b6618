/**
 * Start-up reconciliation (money invariant 3): after a crash or power loss, ask the devices what
 * they hold and settle what the store left open. A note still in escrow under a durable intent
 * is stacked and paid; one without an intent goes back. A withdrawal whose notes wait in the
 * presenter is retracted and reversed; one presented and gone completes; anything the devices
 * cannot vouch for is marked unknown for the technician, never guessed.
 */
import type { MoneyStore } from '../store/money-store.js';
import type { CashAcceptor } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenser } from '../../drivers/dispenser/cash-dispenser.js';

export interface RecoveryLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface RecoveryReport {
  cashInsClosed: string[];
  cashInsUnknown: string[];
  notesStacked: number;
  notesReturned: number;
  withdrawalsCompleted: string[];
  withdrawalsReversed: string[];
  withdrawalsForTechnician: string[];
}

async function waitOnline(device: { status(): { link: string } }, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (device.status().link !== 'online') {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** the acceptor's verdict on a note it was told to stack or return */
function settle(acceptor: CashAcceptor, ms: number): Promise<'stacked' | 'returned' | 'timeout'> {
  return new Promise((resolve) => {
    const done = (v: 'stacked' | 'returned' | 'timeout') => {
      clearTimeout(timer);
      acceptor.off('stacked', onStacked).off('returned', onReturned);
      resolve(v);
    };
    const onStacked = () => done('stacked');
    const onReturned = () => done('returned');
    const timer = setTimeout(() => done('timeout'), ms);
    acceptor.on('stacked', onStacked).on('returned', onReturned);
  });
}

export async function recoverAtStartup(input: {
  store: MoneyStore;
  acceptor?: CashAcceptor;
  dispenser?: CashDispenser;
  log: RecoveryLog;
  deviceWaitMs?: number;
}): Promise<RecoveryReport> {
  const { store, acceptor, dispenser, log } = input;
  const waitMs = input.deviceWaitMs ?? 5_000;
  const report: RecoveryReport = { cashInsClosed: [], cashInsUnknown: [], notesStacked: 0, notesReturned: 0, withdrawalsCompleted: [], withdrawalsReversed: [], withdrawalsForTechnician: [] };

  const openCashIns = store.openCashIns();
  const openWithdrawals = store.openWithdrawals();
  // wait for a device only when something in flight depends on its answer
  const acceptorUp = acceptor ? await waitOnline(acceptor, openCashIns.length > 0 ? waitMs : 0) : false;
  const held = acceptorUp && acceptor ? acceptor.status() : undefined;
  // a note found in escrow at power-up may have no readable denomination yet (no bill table)
  let inEscrow = held !== undefined && (held.escrow !== undefined || held.escrowFoundAtOpen === true || held.state === 'escrow' || held.state === 'holding');
  const escrow = held?.escrow;

  for (const c of openCashIns) {
    const intents = c.notes.filter((n) => n.state === 'intent');
    for (const intent of intents) {
      // only one note fits in escrow and an intent is only ever recorded for the note there:
      // a single open intent and a note in escrow are the same note
      const same = escrow !== undefined ? escrow === intent.denomination : intents.length === 1;
      if (acceptor && inEscrow && same) {
        // the customer's note never left the escrow and its intent is durable: finish the stack
        const verdict = settle(acceptor, 10_000);
        await acceptor.stack();
        const outcome = await verdict;
        inEscrow = false;
        if (outcome === 'timeout') continue;
        store.resolveStackIntent(c.cashInId, intent.denomination, outcome);
        if (outcome === 'stacked') report.notesStacked++;
        else report.notesReturned++;
      }
    }
    const still = store.cashIn(c.cashInId)?.notes.filter((n) => n.state === 'intent') ?? [];
    if (still.length > 0) {
      // stacked or returned before the crash: only the counts can tell; the technician decides
      store.markCashInUnknown(c.cashInId);
      report.cashInsUnknown.push(c.cashInId);
      log.warn({ cashInId: c.cashInId, unresolved: still.length }, 'cash-in left for the technician: note fate unknown');
      continue;
    }
    const r = store.endCashIn(c.cashInId, { commission: 0 });
    report.cashInsClosed.push(c.cashInId);
    log.info({ cashInId: c.cashInId, total: r.total, receiptNumber: r.receiptNumber ?? null }, 'cash-in closed at start-up');
  }

  if (acceptor && inEscrow) {
    // a note in escrow with no durable intent belongs to nobody's payment: hand it back
    const verdict = settle(acceptor, 10_000);
    await acceptor.return();
    if ((await verdict) === 'returned') report.notesReturned++;
    log.info({ denomination: escrow ?? 'unknown' }, 'note without an intent returned at start-up');
  }

  const dispenserUp = dispenser && openWithdrawals.length > 0 ? await waitOnline(dispenser, waitMs) : false;
  for (const w of openWithdrawals) {
    try {
      if (w.state === 'authorised') {
        store.reverseWithdrawal(w.withdrawalId, 'restart');
        report.withdrawalsReversed.push(w.withdrawalId);
        continue;
      }
      if (w.state === 'dispensed' && dispenser && dispenserUp && w.presentState !== 'unknown') {
        const status = await dispenser.refreshStatus();
        const inPresenter = (status.notesInPresenter ?? 0) > 0;
        if (inPresenter) {
          await dispenser.retract();
          store.recordRetracted(w.withdrawalId);
          store.reverseWithdrawal(w.withdrawalId, 'restart');
          report.withdrawalsReversed.push(w.withdrawalId);
          continue;
        }
        if (w.presentState === 'presented') {
          store.recordTaken(w.withdrawalId);
          report.withdrawalsCompleted.push(w.withdrawalId);
          continue;
        }
      }
      report.withdrawalsForTechnician.push(w.withdrawalId);
      log.warn({ withdrawalId: w.withdrawalId, state: w.state, presentState: w.presentState }, 'withdrawal left for the technician');
    } catch (err) {
      report.withdrawalsForTechnician.push(w.withdrawalId);
      log.warn({ withdrawalId: w.withdrawalId, err: err instanceof Error ? err.message : String(err) }, 'withdrawal recovery failed; left for the technician');
    }
  }
  return report;
}
