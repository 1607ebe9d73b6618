/**
 * Money invariant 3 with a real crash: a core process is killed with SIGKILL right after a money
 * step; a new core reconciles the devices (still holding their state, as real ones keep power)
 * with what the killed one committed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileAtStartup, type ReconcileReport } from '../../../kiosk/recovery/reconcile.js';
import { listOutbox } from '../../../kiosk/store/outbox.js';
import { checkCounters } from '../../../kiosk/store/counters.js';
import { makeRig, TERMINAL, until, type Rig } from './rig.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const script = join(here, 'fixtures', 'crashing-core.ts');

function runUntilReady(rig: Rig, scenario: string): Promise<{ child: ChildProcess; ids: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, rig.dataDir, rig.controlUrl, TERMINAL, scenario], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`core fixture not ready in time: ${err}`));
    }, 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolvePromise({ child, ids: JSON.parse(line.slice(6)) as Record<string, string> });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`core fixture exited (${code}) before ready: ${err}`));
    });
  });
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

describe('kill -9 of the core, then start-up reconciliation', () => {
  let rig: Rig | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill9(child);
    child = undefined;
    await rig?.close();
    rig = undefined;
  });

  async function crashAndRecover(scenario: string): Promise<{ ids: Record<string, string>; report: ReconcileReport }> {
    if (!rig) throw new Error('no rig');
    const run = await runUntilReady(rig, scenario);
    child = run.child;
    await kill9(run.child);
    const set = rig.devices();
    await set.openAll();
    const report = await reconcileAtStartup({ store: rig.store.money, acceptor: set.cashAcceptor, dispenser: set.dispenser, deviceTimeoutMs: 10_000 });
    return { ids: run.ids, report };
  }

  it('a note in escrow with its intent committed is returned, and no payment goes out', async () => {
    rig = await makeRig();
    const { ids, report } = await crashAndRecover('escrow');
    expect(report.decisions.map((d) => d.kind)).toEqual(['escrowReturned', 'intentResolved', 'cashInEnded']);
    await until('note returned', () => rig?.acceptorEmu.state().escrow === null);
    expect(rig.store.money.cashIn(ids.cashInId ?? '')?.status).toBe('rollback');
    expect(listOutbox(rig.store.db)).toEqual([]);
  });

  it('a note the device stacked is paid to the service exactly once', async () => {
    rig = await makeRig();
    const { ids, report } = await crashAndRecover('stacked');
    expect(report.decisions).toMatchObject([
      { kind: 'intentResolved', outcome: 'stacked', denomination: 500_000 },
      { kind: 'cashInEnded', status: 'ok', total: 500_000 },
    ]);
    const outbox = listOutbox(rig.store.db);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'servicePayment', amount: 500_000 });
    expect(rig.store.money.cashIn(ids.cashInId ?? '')?.status).toBe('ok');
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('presented notes not taken are retracted and the debit reversed', async () => {
    rig = await makeRig();
    rig.dispenserEmu.load([{ denomination: 5000, count: 20 }, { denomination: 10000, count: 20 }]);
    rig.store.money.recordReplenishment('tech-1', [{ cassette: 0, denomination: 500_000, count: 20 }, { cassette: 1, denomination: 1_000_000, count: 20 }]);
    const { ids, report } = await crashAndRecover('presented');
    expect(report.decisions.map((d) => d.kind)).toEqual(['withdrawalRetracted', 'withdrawalReversed']);
    expect(rig.dispenserEmu.state()).toMatchObject({ retractBin: 2, taken: 0 });
    expect(rig.store.money.withdrawal(ids.withdrawalId ?? '')?.state).toBe('reversed');
    // reversed, never completed: the hold is released and nothing is debited
    expect(listOutbox(rig.store.db).filter((m) => m.kind.startsWith('withdrawal')).map((m) => m.kind)).toEqual(['withdrawalReverse']);
    expect(checkCounters(rig.store.db)).toEqual([]);
  });

  it('a stock dispenser (no presenter): notes counted at the exit are debited after a kill right after DISPENSE', async () => {
    rig = await makeRig({ dispenserPresenter: false });
    rig.dispenserEmu.load([{ denomination: 5000, count: 20 }, { denomination: 10000, count: 20 }]);
    rig.store.money.recordReplenishment('tech-1', [{ cassette: 0, denomination: 500_000, count: 20 }, { cassette: 1, denomination: 1_000_000, count: 20 }]);
    const { ids, report } = await crashAndRecover('dispensedStock');
    expect(ids.ok).toBe('true');
    expect(report.dispenser).toEqual({ online: true, hasPresenter: false });
    expect(report.decisions.map((d) => d.kind)).toEqual(['withdrawalTaken']);
    expect(report.settled).toBe(true);
    // the notes are in the exit slot (the customer's); nothing was retracted and no presenter command went out
    expect(rig.dispenserEmu.state()).toMatchObject({ exitSlot: { notes: 2, amount: 20_000 }, retractBin: 0 });
    expect(rig.dispenserEmu.refusedCommands).toEqual([]);
    const w = rig.store.money.withdrawal(ids.withdrawalId ?? '');
    expect(w).toMatchObject({ state: 'complete', notesAt: 'customer' });
    // debited once, for the amount the exit counted (with its commission), never reversed
    const kinds = listOutbox(rig.store.db).filter((m) => m.kind.startsWith('withdrawal'));
    expect(kinds).toHaveLength(1);
    expect(kinds[0]).toMatchObject({ kind: 'withdrawalComplete', body: { amount: 2_000_000, commission: 30_000 } });
    expect(checkCounters(rig.store.db)).toEqual([]);
  });
});
