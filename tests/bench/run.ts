/**
 * `npm run bench [-- name ...]`: every benchmark in one run, each measuring our path and its
 * baseline in the same run with the same client. Prints one table (figure, ours, baseline, ratio,
 * what limits it) and writes the rows with their raw numbers to bench/results/. It never asserts
 * on speed: a benchmark reports, and only a benchmark that could not measure fails the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/artifacts.js';
import { benches } from './registry.js';
import { formatTable, markdownTable, type Row } from './report.js';

const only = process.argv.slice(2);
const unknown = only.filter((n) => !benches.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const started = performance.now();
const progress = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
};
const rows: Row[] = [];
const timings: Record<string, number> = {};
for (const bench of benches) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  const t = performance.now();
  progress(`${bench.name}: start`);
  try {
    rows.push(...(await bench.run({ progress: (line) => progress(`${bench.name}: ${line}`) })));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    rows.push({ figure: `${bench.name}: not measured`, ours: '-', baseline: '-', ratio: '-', limit: reason, data: { error: reason } });
    process.exitCode = 1;
  }
  timings[bench.name] = (performance.now() - t) / 1000;
  progress(`${bench.name}: done in ${timings[bench.name]!.toFixed(1)} s`);
}
const totalSeconds = (performance.now() - started) / 1000;
// the table in the order of the figures ("1a ...", "2b ...", "10 ..."), whatever order they ran in
const figureNumber = (r: Row): number => Number(/^(\d+)/.exec(r.figure)?.[1] ?? Number.MAX_SAFE_INTEGER);
rows.sort((a, b) => figureNumber(a) - figureNumber(b));

const cpus = os.cpus();
const machine = {
  cpu: `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown'}`,
  memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
};
console.log(`\n${formatTable(rows)}`);
console.log(`\nmachine: ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}; load average at the end ${machine.loadAverage.join(' / ')}`);
console.log(`whole run: ${totalSeconds.toFixed(1)} s (${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`);

const dir = path.join(repoRoot, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const result = { at: new Date().toISOString(), machine, totalSeconds, timings, rows, markdown: markdownTable(rows) };
const file = path.join(dir, `bench-${stamp}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`results: ${path.relative(repoRoot, file)} (and bench/results/latest.json)`);
