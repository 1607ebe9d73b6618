/**
 * The soak's arithmetic, apart from the processes: samples of the core's resources taken every so
 * many sessions, and the growth between the 20 % mark (the core warmed up: caches filled, code
 * compiled) and the end of the run. Growth there is what a leak looks like.
 */

export interface SoakSample {
  /** sessions completed when the sample was taken */
  sessions: number;
  /** resident set, bytes (/proc/<pid>/status VmRSS) */
  rss: number;
  /** anonymous (malloc, V8) and file-backed (code, mapped files) parts of the RSS, bytes
   * (/proc/<pid>/status RssAnon, RssFile); they tell a native leak from mapped files growing */
  rssAnon?: number;
  rssFile?: number;
  /** V8 heap in use and reserved, bytes (the core's /metrics); undefined when not exposed */
  heapUsed?: number;
  heapTotal?: number;
  /** memory V8 knows of outside its heap (Buffers, ArrayBuffers), bytes (the core's /metrics) */
  external?: number;
  /** libuv handles alive (the core's /metrics); undefined when not exposed */
  handles?: number;
  /** open file descriptors (/proc/<pid>/fd) */
  fds: number;
}

/** `outsideHeap` is derived: RSS less the V8 heap reserved, what native code and the runtime hold */
export type Metric = 'rss' | 'rssAnon' | 'rssFile' | 'heapUsed' | 'heapTotal' | 'outsideHeap' | 'external' | 'handles' | 'fds';
export const METRICS: readonly Metric[] = ['rss', 'rssAnon', 'rssFile', 'heapUsed', 'heapTotal', 'outsideHeap', 'external', 'handles', 'fds'];
const BYTES: ReadonlySet<Metric> = new Set<Metric>(['rss', 'rssAnon', 'rssFile', 'heapUsed', 'heapTotal', 'outsideHeap', 'external']);

export function valueOf(s: SoakSample, metric: Metric): number | undefined {
  if (metric !== 'outsideHeap') return s[metric];
  return s.heapTotal === undefined ? undefined : s.rss - s.heapTotal;
}

export interface Growth {
  metric: Metric;
  /** the sample nearest the 20 % mark and the last one */
  from: { sessions: number; value: number };
  to: { sessions: number; value: number };
  /** (to - from) / from, in percent, one decimal; undefined when `from` is 0 */
  percent: number | undefined;
}

/** the sample taken at or after `fraction` of `total` sessions (the last one if none is) */
export function sampleAt(samples: readonly SoakSample[], total: number, fraction: number): SoakSample {
  if (samples.length === 0) throw new RangeError('no samples');
  const mark = Math.ceil(total * fraction);
  return samples.find((s) => s.sessions >= mark) ?? (samples[samples.length - 1] as SoakSample);
}

/** growth of each metric between the 20 % and the 100 % marks; metrics a sample lacks are left out */
export function growth(samples: readonly SoakSample[], total: number): Growth[] {
  const from = sampleAt(samples, total, 0.2);
  const to = samples[samples.length - 1] as SoakSample;
  const out: Growth[] = [];
  for (const metric of METRICS) {
    const a = valueOf(from, metric);
    const b = valueOf(to, metric);
    if (a === undefined || b === undefined) continue;
    out.push({
      metric,
      from: { sessions: from.sessions, value: a },
      to: { sessions: to.sessions, value: b },
      percent: a === 0 ? undefined : Math.round(((b - a) / a) * 1000) / 10,
    });
  }
  return out;
}

export interface Trend {
  metric: Metric;
  /** least-squares slope over the samples from the 20 % mark on, per 1 000 sessions */
  perThousand: number;
  /** the fitted line's rise from the 20 % mark to the last sample, in percent of its value there, one decimal */
  percent: number | undefined;
}

/**
 * The V8 heap reserve breathes by tens of MB as the collector grows and shrinks it, and the RSS with
 * it, so two single samples can differ by 15 % either way with nothing leaking. A line fitted
 * through every sample from the 20 % mark on says whether the metric really rises.
 */
export function trend(samples: readonly SoakSample[], total: number, metric: Metric): Trend | undefined {
  const mark = sampleAt(samples, total, 0.2).sessions;
  const points = samples.filter((s) => s.sessions >= mark).flatMap((s) => {
    const v = valueOf(s, metric);
    return v === undefined ? [] : [[s.sessions, v] as const];
  });
  if (points.length < 3) return undefined;
  const n = points.length;
  const mx = points.reduce((t, [x]) => t + x, 0) / n;
  const my = points.reduce((t, [, y]) => t + y, 0) / n;
  const sxx = points.reduce((t, [x]) => t + (x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const slope = points.reduce((t, [x, y]) => t + (x - mx) * (y - my), 0) / sxx;
  const first = (points[0] as readonly [number, number])[0];
  const last = (points[n - 1] as readonly [number, number])[0];
  const at = (x: number): number => my + slope * (x - mx);
  return {
    metric,
    perThousand: slope * 1000,
    percent: at(first) === 0 ? undefined : Math.round(((at(last) - at(first)) / at(first)) * 1000) / 10,
  };
}

const MB = 1024 * 1024;
const show = (metric: Metric, v: number | undefined): string =>
  v === undefined ? '-' : BYTES.has(metric) ? `${(v / MB).toFixed(1)} MB` : String(v);

export function sampleLine(s: SoakSample): string {
  return [
    `  ${String(s.sessions).padStart(6)} sessions`,
    `rss ${show('rss', s.rss).padStart(9)} (anon ${show('rssAnon', s.rssAnon).padStart(9)}, file ${show('rssFile', s.rssFile).padStart(8)})`,
    `heap ${show('heapUsed', s.heapUsed).padStart(8)} of ${show('heapTotal', s.heapTotal).padStart(8)}`,
    `external ${show('external', s.external).padStart(8)}`,
    `handles ${show('handles', s.handles).padStart(3)}`,
    `fds ${show('fds', s.fds).padStart(3)}`,
  ].join('  ');
}

export function trendLine(t: Trend): string {
  const per = BYTES.has(t.metric) ? `${(t.perThousand / MB).toFixed(1)} MB` : t.perThousand.toFixed(1);
  return `  ${t.metric.padEnd(11)} ${t.perThousand >= 0 ? '+' : ''}${per} per 1 000 sessions, ${t.percent === undefined ? 'n/a' : `${t.percent > 0 ? '+' : ''}${t.percent} %`} over the run`;
}

export function growthLines(g: readonly Growth[]): string[] {
  return g.map((x) => `  ${x.metric.padEnd(11)} ${show(x.metric, x.from.value)} at ${x.from.sessions} -> ${show(x.metric, x.to.value)} at ${x.to.sessions}: ${x.percent === undefined ? 'n/a' : `${x.percent > 0 ? '+' : ''}${x.percent} %`}`);
}
