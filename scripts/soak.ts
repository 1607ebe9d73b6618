/**
 * `npm run soak -- --sessions N [--every K] [--seed S] [--core-env KEY=VALUE]... [--out FILE]`: N customer visits back to back against
 * the real processes (bank simulator, device simulators, kiosk core), alternating cash-in and a
 * service payment from an account, nothing killed. Every K sessions (default N/20) it samples the
 * CORE process: RSS and open file descriptors from /proc/<pid>, V8 heap in use and live libuv
 * handles from the core's /metrics. At the end it reports the growth of each between the 20 % mark
 * (the core warmed up) and the last sample, writes the samples as JSON (default
 * chaos/results/soak-<N>.json) and exits 1 when RSS grew by 10 % or more. `--core-env` sets the
 * core's environment for an experiment (a setting, an allocator knob such as MALLOC_ARENA_MAX).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BridgeClient } from '../tests/integration/session/bridge-client.js';
import { startRig } from './lib/chaos/rig.js';
import { rng } from './lib/chaos/rng.js';
import { Killer, VISITS, newCustomer } from './lib/chaos/visits.js';
import { growth, growthLines, sampleLine, trend, trendLine, type SoakSample } from './lib/soak/report.js';
import { sampleCore } from './lib/soak/sample.js';

const RSS_LIMIT_PERCENT = 10;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '200' }, every: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '7' }, 'core-env': { type: 'string', multiple: true, default: [] } } });
  const sessions = Number(values.sessions);
  const every = values.every === undefined ? Math.max(1, Math.floor(sessions / 20)) : Number(values.every);
  const seed = Number(values.seed);
  const coreEnv = parseCoreEnv(values['core-env']);
  if (!Number.isInteger(sessions) || sessions < 5 || !Number.isInteger(every) || every < 1 || !Number.isInteger(seed) || coreEnv === undefined) {
    console.error('usage: npm run soak -- --sessions N (at least 5) [--every K] [--seed S] [--core-env KEY=VALUE]... [--out FILE]');
    process.exit(2);
  }
  const r = rng(seed);
  // the 4 s goodbye screen is most of a visit's time and allocates nothing: 1 s lets 2 000 visits
  // run in under an hour; every visit still goes through goodbye to the attract screen
  const rig = await startRig({ name: `soak-${sessions}`, presenter: true, coreEnv: { KIOSK_TIMEOUTS_GOODBYE_MS: '1000', ...coreEnv } });
  const pid = rig.system.processes.core.pid;
  if (pid === undefined) throw new Error('the core has no pid');
  const samples: SoakSample[] = [];
  const started = Date.now();
  let failures = 0;
  try {
    const take = async (done: number): Promise<void> => {
      const s = await sampleCore(pid, rig.system.coreUrl, done);
      samples.push(s);
      console.log(sampleLine(s));
    };
    const extra = Object.entries(coreEnv).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`soak: ${sessions} sessions against core pid ${pid}, a sample every ${every}${extra ? `, core env ${extra}` : ''}`);
    await take(0);
    for (let n = 1; n <= sessions; n++) {
      const visit = n % 2 === 1 ? 'cashIn' : 'payment';
      const phone = `+7709${String(seed % 1000).padStart(3, '0')}${String(n % 10_000).padStart(4, '0')}`;
      const accountId = `a-soak-${seed}-${n}`;
      await newCustomer(rig, visit, `c-soak-${seed}-${n}`, phone, accountId);
      const ui = await BridgeClient.connect(rig.system.coreUrl, rig.system.token);
      try {
        await VISITS[visit]({ rig, r, point: 'none', killer: new Killer(rig, 'none'), ui, phone, accountId });
      } catch (err) {
        failures++;
        console.log(`  session ${n} (${visit}) failed: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
        await rig.settle();
      } finally {
        ui.close();
      }
      if (n % every === 0 || n === sessions) await take(n);
    }
  } finally {
    await rig.stop();
  }
  const g = growth(samples, sessions);
  console.log(`soak: ${sessions} sessions in ${Math.round((Date.now() - started) / 1000)} s, ${failures} failed; growth from the 20 % mark to the end:`);
  for (const line of growthLines(g)) console.log(line);
  if (!g.some((x) => x.metric === 'heapUsed')) console.log('  heap: not exposed by the core\'s /metrics');
  const trends = (['rss', 'outsideHeap', 'heapTotal', 'heapUsed'] as const).flatMap((m) => trend(samples, sessions, m) ?? []);
  if (trends.length > 0) console.log('trend (a line through every sample from the 20 % mark on; single samples ride the heap\'s breathing):');
  for (const t of trends) console.log(trendLine(t));
  const out = values.out ?? join('chaos', 'results', `soak-${sessions}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ sessions, failures, coreEnv, samples, growth: g, trends }, null, 2)}\n`);
  console.log(`  written to ${out}`);
  const rss = g.find((x) => x.metric === 'rss')?.percent ?? 0;
  process.exitCode = failures === 0 && rss < RSS_LIMIT_PERCENT ? 0 : 1;
}

/** `KEY=VALUE` pairs for the core's environment; undefined when one is not such a pair */
function parseCoreEnv(pairs: readonly string[]): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m) return undefined;
    env[m[1] as string] = m[2] as string;
  }
  return env;
}

main().catch((err: unknown) => {
  console.error(`soak: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
