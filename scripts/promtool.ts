/**
 * `npm test`'s alert-rule step: `promtool check rules` and `promtool test rules` on
 * ops/prometheus (every alert fires from synthetic series and clears again). promtool comes from
 * Debian's `prometheus` package; `promtool check metrics` on a live core's /metrics runs in the
 * fleet system test (tests/integration/fleet/fleet-system.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'ops', 'prometheus');
let failed = 0;
for (const args of [['check', 'rules', 'kiosk-alerts.yml'], ['test', 'rules', 'kiosk-alerts.test.yml']]) {
  console.log(`$ promtool ${args.join(' ')}`);
  const r = spawnSync('promtool', args, { cwd: dir, stdio: 'inherit' });
  if (r.error) console.error(`promtool: cannot run: ${r.error.message}`);
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
