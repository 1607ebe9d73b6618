/**
 * One chaos run: per cycle a new customer, a visit with the cycle's kill point armed, everything
 * started again, the money checked; between cycles the bank simulator and the device simulators
 * are now and then killed and started again too.
 */
import { BridgeClient } from '../../../tests/integration/session/bridge-client.js';
import { MoneyCheck, type Accounts } from './check.js';
import { chooseVisit, choosePoint } from './points.js';
import { bump, emptyResult, type ChaosResult } from './report.js';
import { startRig } from './rig.js';
import { rng } from './rng.js';
import { Killer, VISITS, newCustomer } from './visits.js';

export interface ChaosOptions {
  cycles: number;
  seed: number;
  /** the named points in order (every point hit in a short run) instead of drawn at random */
  rotate: boolean;
  /** the dispenser's presenter extension fitted (config devices.dispenser.presenter) */
  presenter: boolean;
  log?: (line: string) => void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => undefined);
  const r = rng(o.seed);
  const started = Date.now();
  const result = emptyResult(o.seed, o.rotate, o.presenter ? 'presenter' : 'stock');
  const rig = await startRig({ name: `chaos-${o.seed}`, presenter: o.presenter });
  const accounts: Accounts = { cashIn: [], withdrawal: new Map(), payment: new Map() };
  const money = new MoneyCheck(rig, accounts);
  try {
    await money.baseline();
    for (let cycle = 1; cycle <= o.cycles; cycle++) {
      const point = choosePoint(cycle, o.rotate, r);
      const visit = chooseVisit(point, r);
      bump(result.visits, visit);
      const phone = `+7708${String(o.seed % 1000).padStart(3, '0')}${String(cycle % 10_000).padStart(4, '0')}`;
      const accountId = `a-chaos-${o.seed}-${cycle}`;
      const initial = await newCustomer(rig, visit, `c-chaos-${o.seed}-${cycle}`, phone, accountId);
      if (visit === 'cashIn') accounts.cashIn.push(accountId);
      else accounts[visit].set(accountId, initial);

      const killer = new Killer(rig, point);
      const randomKill = point === 'random' ? setTimeout(() => void killer.fire(), 500 + r.below(2_500)) : undefined;
      const ui = await BridgeClient.connect(rig.system.coreUrl, rig.system.token);
      const cycleStarted = Date.now();
      try {
        const done = await VISITS[visit]({ rig, r, point, killer, ui, phone, accountId });
        if (done.note) result.remarks.push(`cycle ${cycle} (${point}, ${visit}): ${done.note}`);
      } catch (err) {
        // a visit broken off by the kill is the point; any other failure is reported, not thrown
        if (!killer.coreDown) {
          result.discrepancies.push(`cycle ${cycle} (${point}, ${visit}): the visit failed: ${message(err).slice(0, 400)}`);
          log(`cycle ${cycle}: the visit failed: ${message(err).slice(0, 1_500)}`);
        }
      } finally {
        clearTimeout(randomKill);
        ui.close();
      }
      bump(killer.hit ? result.killsHit : result.killsMissed, point);
      await rig.clearFaults();

      // let a stacker still moving a note finish, as a real one would while the core is down
      if (rig.system.processes.devices.running) {
        await waitAtRest(rig).catch(() => undefined);
        if (!rig.presenter) await rig.system.devices.takeCash().catch(() => undefined);
      }
      const devicesRestarted = point === 'devices' || point === 'powerCut';
      const late = await rig.settle();
      if (late) result.remarks.push(`cycle ${cycle} (${point}, ${visit}): ${late}`);
      if (devicesRestarted && killer.hit) {
        result.deviceRestarts++;
        await money.rebaseDispenser();
      }
      if (point === 'bank' && killer.hit) result.bankRestarts++;

      const { problems, totals } = await money.check();
      for (const p of problems) result.discrepancies.push(`cycle ${cycle} (${point}, ${visit}): ${p}`);
      Object.assign(result, {
        cycles: cycle, notes: totals.notes, tenge: Math.round(totals.cashInTiyn / 100), withdrawals: totals.withdrawals,
        withdrawnTenge: Math.round(totals.withdrawnTiyn / 100), withdrawalsReversed: totals.withdrawalsReversed,
        withdrawalsLeft: totals.withdrawalsLeft,
        payments: totals.payments, paymentsReversed: totals.paymentsReversed,
      });
      log(`cycle ${cycle}: ${visit}, ${point}${killer.hit ? ' (hit)' : ''}, ${Math.round((Date.now() - cycleStarted) / 1000)} s, ${problems.length ? `DISCREPANCIES: ${problems.join('; ')}` : 'money agrees'}`);

      // now and then the other side of the wire dies between visits too (in rotation: on a fixed beat)
      const restartBank = o.rotate ? cycle % 5 === 0 : r.next() < 0.08;
      const restartDevices = o.rotate ? cycle % 7 === 0 : r.next() < 0.08;
      if (restartBank) {
        await rig.killBank();
        await rig.startBank();
        result.bankRestarts++;
        if (!restartDevices) {
          const lateBank = await rig.settle();
          if (lateBank) result.remarks.push(`after cycle ${cycle} (bank restarted): ${lateBank}`);
        }
      }
      if (restartDevices) {
        await rig.killDevices();
        await rig.startDevices();
        result.deviceRestarts++;
        const lateDevices = await rig.settle();
        if (lateDevices) result.remarks.push(`after cycle ${cycle} (device simulators restarted): ${lateDevices}`);
        await money.rebaseDispenser();
      }
    }
  } finally {
    result.durationMs = Date.now() - started;
    await rig.stop();
  }
  return result;
}

async function waitAtRest(rig: Awaited<ReturnType<typeof startRig>>): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const a = await rig.acceptor();
    const d = await rig.dispenser();
    if (!['stacking', 'escrow', 'accepting', 'returning'].includes(a.state) && !d.presenter?.opening) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}
