/**
 * `npm run chaos -- --cycles N [--seed S] [--out FILE]`: the money path under SIGKILL, against the
 * real processes (bank simulator, device simulators, kiosk core from tests/support/system.ts).
 * Each cycle a new customer pays notes into a fresh account while the core is killed at a named
 * point, watched from outside (the acceptor's state, the core's SQLite file read-only, the bridge):
 *   escrow   a note held in escrow, the core not yet decided
 *   stack    the stack intent committed, the stacker still moving the note (slowStack)
 *   record   a note recorded as stacked, the cash-in still open
 *   confirm  the customer has pressed "done", the credit not yet queued or just queued
 *   sync     the credit queued while the bank is down, not yet delivered
 *   random   any moment of the visit
 *   none     no kill
 * Between cycles the bank simulator is sometimes killed and restarted (device simulator restarts:
 * not yet; their cash box lives in memory and would need a new baseline).
 * After every cycle the core is started again (if killed) and, once its queue is empty, these must
 * hold: notes in the device's cash box = notes stacked in the journal = notes of settled cash-ins
 * = credits the bank applied; nothing left open; counters = journal; the journal chain verifies.
 * Prints a table, writes JSON (default chaos/results/chaos-<seed>.json), exits 1 on any discrepancy.
 * Only processes this script started are ever signalled (each one's own pid).
 */
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCounters } from '../kiosk/store/counters.js';
import { dbPath } from '../kiosk/store/db.js';
import { verifyJournal } from '../kiosk/store/journal.js';
import { startSystem, type KioskSystem } from '../tests/support/system.js';
import { BridgeClient, eventually, http, signIn } from '../tests/integration/session/bridge-client.js';

/** the cash-in is past "finish": on the confirm screen, ending, or done (the receipt step or any screen outside the cash-in) */
const pastClosing = (s: { state: string }): boolean =>
  s.state === 'session.cashIn.confirming' || s.state === 'session.cashIn.finishing' || !s.state.startsWith('session.cashIn');

export const KILL_POINTS = ['none', 'escrow', 'stack', 'record', 'confirm', 'sync', 'random'] as const;
const NOTES_TENGE = [1000, 2000, 5000] as const;

export interface ChaosResult {
  seed: number;
  cycles: number;
  killsHit: Record<string, number>;
  killsMissed: Record<string, number>;
  bankRestarts: number;
  deviceRestarts: number;
  notes: number;
  tenge: number;
  discrepancies: string[];
  durationMs: number;
}

/** MINSTD: exact in double precision, so a seed replays the same run */
function prng(seed: number): () => number {
  let x = (Math.abs(Math.trunc(seed)) % 2147483646) + 1;
  return () => {
    x = (x * 48271) % 2147483647;
    return (x - 1) / 2147483646;
  };
}

interface AcceptorState { state: string; cashBox: Record<string, number> }

/** the emulator reports its cash box by denomination in whole tenge; the journal counts tiyn */
const boxTotal = (box: Record<string, number>): number => Object.entries(box).reduce((t, [d, n]) => t + Number(d) * 100 * n, 0);

export async function runChaos(options: { cycles: number; seed: number; log?: (line: string) => void }): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const rnd = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const started = Date.now();
  const result: ChaosResult = {
    seed: options.seed, cycles: 0, killsHit: {}, killsMissed: {}, bankRestarts: 0, deviceRestarts: 0, notes: 0, tenge: 0, discrepancies: [], durationMs: 0,
  };
  const system: KioskSystem = await startSystem({ name: `chaos-${options.seed}`, bankRequestLog: false, coreLogLevel: 'warn' });
  const accounts: string[] = [];
  const acceptor = async (): Promise<AcceptorState> => (await system.devices.device('cashAcceptor')).state as unknown as AcceptorState;
  const readDb = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(dbPath(system.paths.coreData), { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  const stackedInJournal = (): number => readDb((db) => (db.prepare("SELECT COALESCE(SUM(denomination), 0) AS t FROM cash_in_notes WHERE state = 'stacked'").get() as { t: number }).t);
  // the box the device reports is compared as a change from a baseline taken with the journal's
  const base = { box: boxTotal((await acceptor()).cashBox), journal: stackedInJournal() };

  const ensureCore = async (): Promise<void> => {
    if (!system.processes.core.running) await system.restartCore();
  };

  try {
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const point = pick(KILL_POINTS);
      const phone = `+7708${String(options.seed % 1000).padStart(3, '0')}${String(cycle).padStart(4, '0')}`;
      const accountId = `a-chaos-${options.seed}-${cycle}`;
      await http('POST', `${system.bankUrl}/admin/customers`, {
        id: `c-chaos-${options.seed}-${cycle}`, name: 'Chaos Test', phone, birthDate: '1990-06-15', hasApp: true,
        products: [{ id: accountId, kind: 'current', balance: 0 }],
      });
      accounts.push(accountId);
      const notes = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(NOTES_TENGE));
      const killIndex = Math.floor(rnd() * notes.length);
      const randomDelay = Math.floor(rnd() * 6_000);
      let hit = false;
      const kill = async (): Promise<void> => {
        if (hit) return;
        hit = true;
        await system.killCore();
      };
      const randomKill = point === 'random' ? setTimeout(() => void kill(), randomDelay) : undefined;
      const ui = await BridgeClient.connect(system.coreUrl, system.token);
      try {
        await ui.screen('attract', 60_000);
        await signIn(ui, system.bankUrl, { method: 'phone', typed: phone.replace('+7', '8'), otpTo: phone });
        await ui.screen('operations', 30_000);
        ui.send('chooseOperation', { operation: 'cashIn' });
        await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting', 30_000);
        let total = 0;
        for (const [i, tenge] of notes.entries()) {
          if (hit) break;
          const here = i === killIndex;
          if (here && point === 'stack') await http('POST', `${system.devicesUrl}/faults`, { device: 'cashAcceptor', fault: 'slowStack', params: { ms: 3_000 } });
          await system.devices.insertNote(tenge);
          if (here && point === 'escrow') {
            await eventually('escrow', async () => ((await acceptor()).state === 'escrow' ? true : undefined), 10_000, 20).catch(() => undefined);
            await kill();
          } else if (here && point === 'stack') {
            await eventually('stacking', async () => ((await acceptor()).state === 'stacking' ? true : undefined), 10_000, 20).catch(() => undefined);
            await kill();
          } else {
            total += tenge * 100;
            await ui.waitFor(`${tenge} stacked`, (s) => s.cashIn?.total === total && s.cashIn.acceptor === 'accepting', 30_000);
            if (here && point === 'record') await kill();
          }
        }
        if (!hit) {
          if (point === 'sync') await http('POST', `${system.bankUrl}/admin/faults`, { mode: 'down' });
          ui.send('finishCashIn', {});
          // "finish and credit" is the consent when the bank's commission is the one it showed; a
          // different one asks on the confirm screen first
          const consent = await ui.waitFor('the confirm screen or the outcome', pastClosing, 60_000);
          if (consent.state === 'session.cashIn.confirming') ui.send('confirm', {});
          if (point === 'confirm') {
            await new Promise((r) => setTimeout(r, Math.floor(rnd() * 400)));
            await kill();
          } else if (point === 'sync') {
            await eventually('credit queued', async () => (readDb((db) => db.prepare("SELECT 1 FROM outbox WHERE state = 'pending' AND kind = 'cashInCredit'").get()) ? true : undefined), 30_000, 50);
            await kill();
          } else {
            await ui.waitFor('the outcome or the receipt question', (s) => s.screen === 'outcome' || s.screen === 'receiptChoice', 60_000);
            // the outcome screen takes the receipt choice at once
            ui.send('chooseReceipt', { choice: rnd() < 0.5 ? 'none' : 'print' });
            // after a print, "take your receipt" until the customer says so
            const after = await ui.waitFor('the menu or "take your receipt"', (s) => s.screen === 'operations' || s.state === 'session.receipt.printed', 60_000);
            if (after.state === 'session.receipt.printed') ui.send('confirm', {});
            await ui.screen('operations', 60_000);
            ui.send('finish', {});
            await ui.waitFor('the visit ended', (s) => s.screen !== 'operations', 60_000);
          }
        }
      } catch (err) {
        // a visit broken off by the kill is the point; any other failure is reported, not thrown
        if (!hit) {
          result.discrepancies.push(`cycle ${cycle} (${point}): visit failed: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
          log(`cycle ${cycle}: visit failed: ${err instanceof Error ? err.message.slice(0, 600) : String(err)}`);
        }
      } finally {
        clearTimeout(randomKill);
        ui.close();
        await http('DELETE', `${system.devicesUrl}/faults`).catch(() => undefined);
        await http('DELETE', `${system.bankUrl}/admin/faults`).catch(() => undefined);
      }
      (hit ? result.killsHit : result.killsMissed)[point] = ((hit ? result.killsHit : result.killsMissed)[point] ?? 0) + 1;

      // let a stacker still moving a note finish, as a real one would while the core is down
      await eventually('acceptor at rest', async () => (['stacking', 'escrow', 'accepting', 'returning'].includes((await acceptor()).state) ? undefined : true), 20_000, 100).catch(() => undefined);

      // now and then the other side of the wire dies too
      const roll = rnd();
      if (roll < 0.08) {
        await system.processes.bank.kill();
        await system.processes.bank.start();
        result.bankRestarts++;
      }
      await ensureCore();
      await (async () => {
        const ui2 = await BridgeClient.connect(system.coreUrl, system.token);
        try {
          await ui2.screen('attract', 90_000);
        } finally {
          ui2.close();
        }
      })();
      await eventually('the queue delivered', async () => (readDb((db) => db.prepare("SELECT 1 FROM outbox WHERE state = 'pending'").get()) ? undefined : true), 120_000, 200);
      for (const d of await check()) result.discrepancies.push(`cycle ${cycle} (${point}): ${d}`);
      result.cycles = cycle;
      log(`cycle ${cycle}: ${point}${hit ? ' (killed)' : ''}, notes ${notes.join('+')}, discrepancies ${result.discrepancies.length}`);
    }
  } finally {
    result.durationMs = Date.now() - started;
    await system.stop();
  }
  return result;

  /** every invariant of the money path, as a list of what does not hold */
  async function check(): Promise<string[]> {
    const out: string[] = [];
    const box = boxTotal((await acceptor()).cashBox) - base.box;
    const db = readDb((d) => ({
      stacked: (d.prepare("SELECT COALESCE(SUM(denomination), 0) AS t FROM cash_in_notes WHERE state = 'stacked'").get() as { t: number }).t,
      settledNotes: (d.prepare("SELECT COALESCE(SUM(n.denomination), 0) AS t FROM cash_in_notes n JOIN cash_ins c ON c.id = n.cash_in_id WHERE n.state = 'stacked' AND c.status = 'ok'").get() as { t: number }).t,
      open: (d.prepare("SELECT COUNT(*) AS n FROM cash_ins WHERE status = 'active'").get() as { n: number }).n,
      intents: (d.prepare("SELECT COUNT(*) AS n FROM cash_in_notes WHERE state = 'intent'").get() as { n: number }).n,
      credits: d.prepare("SELECT body FROM outbox WHERE kind = 'cashInCredit' AND state = 'delivered'").all() as Array<{ body: string }>,
      dead: (d.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'deadLetter'").get() as { n: number }).n,
      journal: verifyJournal(d),
      counters: checkCounters(d),
    }));
    const journal = db.stacked - base.journal;
    if (box !== journal) out.push(`cash box holds ${box} tiyn more than at the start, the journal ${journal}`);
    if (db.settledNotes !== db.stacked) out.push(`${db.stacked - db.settledNotes} tiyn of stacked notes belong to no settled cash-in`);
    if (db.open > 0) out.push(`${db.open} cash-ins left open`);
    if (db.intents > 0) out.push(`${db.intents} stack intents left unsettled`);
    if (db.dead > 0) out.push(`${db.dead} messages dead-lettered`);
    const queued = db.credits.reduce((t, c) => {
      const body = JSON.parse(c.body) as { amount: number; commission: number };
      return t + body.amount + body.commission;
    }, 0);
    if (queued !== db.settledNotes) out.push(`credits delivered for ${queued} tiyn (amount + commission), settled notes ${db.settledNotes}`);
    let balances = 0;
    for (const id of accounts) balances += (await http<{ balance: number }>('GET', `${system.bankUrl}/admin/accounts/${id}`)).balance;
    const credited = db.credits.reduce((t, c) => t + (JSON.parse(c.body) as { amount: number }).amount, 0);
    if (balances !== credited) out.push(`bank balances ${balances} tiyn, credits delivered ${credited}`);
    if (!db.journal.ok) out.push(`journal chain does not verify: ${JSON.stringify(db.journal).slice(0, 200)}`);
    if (db.counters.length > 0) out.push(`counters differ from the journal: ${JSON.stringify(db.counters).slice(0, 200)}`);
    result.notes = (readDb((d) => d.prepare("SELECT COUNT(*) AS n FROM cash_in_notes WHERE state = 'stacked'").get()) as { n: number }).n;
    result.tenge = Math.round(db.stacked / 100);
    return out;
  }
}

function table(r: ChaosResult): string {
  const hit = Object.entries(r.killsHit).map(([k, n]) => `${k} ${n}`).join(', ') || '-';
  const missed = Object.entries(r.killsMissed).filter(([k]) => k !== 'none').map(([k, n]) => `${k} ${n}`).join(', ') || '-';
  const rows: Array<[string, string]> = [
    ['seed', String(r.seed)], ['cycles', String(r.cycles)], ['kill points hit', hit], ['kill points missed', missed],
    ['distinct kill points hit', String(Object.keys(r.killsHit).length)],
    ['bank restarts', String(r.bankRestarts)], ['device restarts', String(r.deviceRestarts)],
    ['notes stacked', String(r.notes)], ['tenge', r.tenge.toLocaleString('en-US')],
    ['discrepancies', String(r.discrepancies.length)], ['duration', `${Math.round(r.durationMs / 1000)} s`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cycles: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, quiet: { type: 'boolean', default: false } } });
  const cycles = Number(values.cycles);
  const seed = Number(values.seed);
  if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(seed)) {
    console.error('usage: npm run chaos -- --cycles N [--seed S] [--out FILE]');
    process.exit(2);
  }
  const result = await runChaos({ cycles, seed, log: values.quiet ? undefined : (line) => console.log(line) });
  console.log(`chaos run\n${table(result)}`);
  for (const d of result.discrepancies) console.log(`  discrepancy: ${d}`);
  const out = values.out ?? join('chaos', 'results', `chaos-${seed}-${cycles}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  written to ${out}`);
  process.exitCode = result.discrepancies.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  main().catch((err: unknown) => {
    console.error(`chaos: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  });
}
