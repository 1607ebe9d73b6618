/**
 * `npm run bench`: each benchmark measures our path and a baseline in the same run and prints the
 * ratio. Benchmarks print figures; they never pass or fail on speed.
 */
import { benches } from './registry.js';

const only = process.argv.slice(2);
for (const bench of benches) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  const started = Date.now();
  try {
    const lines = await bench.run();
    console.log(`\n## ${bench.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const line of lines) console.log(`  ${line}`);
  } catch (err) {
    console.log(`\n## ${bench.name}: failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
