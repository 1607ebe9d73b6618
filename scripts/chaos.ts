/**
 * `npm run chaos -- --cycles N [--seed S] [--rotate] [--dispenser presenter|stock] [--out FILE] [--quiet]`:
 * the money path under SIGKILL, against the real processes (bank simulator, device simulators,
 * kiosk core). Each cycle a new customer pays notes in, withdraws cash or pays a service from an
 * account while something is killed at a named point (scripts/lib/chaos/points.ts); then
 * everything is started again and, once the core's queue is empty, the acceptor's cash box, the
 * journal, the bank's credits and debits, the dispenser's counts and the store's counters must agree
 * (scripts/lib/chaos/check.ts). Prints a table, writes JSON (default
 * chaos/results/chaos-<seed>-<cycles>.json), exits 1 on any discrepancy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { table } from './lib/chaos/report.js';
import { runChaos } from './lib/chaos/run.js';

const USAGE = 'usage: npm run chaos -- --cycles N [--seed S] [--rotate] [--dispenser presenter|stock] [--out FILE] [--quiet]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cycles: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      rotate: { type: 'boolean', default: false },
      dispenser: { type: 'string', default: 'presenter' },
    },
  });
  const cycles = Number(values.cycles);
  const seed = Number(values.seed);
  if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(seed) || (values.dispenser !== 'presenter' && values.dispenser !== 'stock')) {
    console.error(USAGE);
    process.exit(2);
  }
  const result = await runChaos({
    cycles, seed, rotate: values.rotate, presenter: values.dispenser === 'presenter',
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`chaos run\n${table(result)}`);
  for (const d of result.discrepancies) console.log(`  discrepancy: ${d}`);
  for (const n of result.remarks) console.log(`  remark: ${n}`);
  const out = values.out ?? join('chaos', 'results', `chaos-${seed}-${cycles}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  written to ${out}`);
  process.exitCode = result.discrepancies.length === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(`chaos: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
