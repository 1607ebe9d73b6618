/**
 * One sample of the core process's resources: RSS and open descriptors from /proc (Linux), heap
 * and handles from the core's own Prometheus endpoint (prom-client's default metrics, prefixed
 * `kiosk_`), which the core serves at GET /metrics.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { SoakSample } from './report.js';

/** VmRSS of /proc/<pid>/status, in bytes */
export function rssFromStatus(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(m[1]) * 1024;
}

/** RssAnon and RssFile of /proc/<pid>/status, in bytes; each left out when the kernel lacks it */
export function rssPartsFromStatus(status: string): { rssAnon?: number; rssFile?: number } {
  const kb = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const rssAnon = kb('RssAnon');
  const rssFile = kb('RssFile');
  return { ...(rssAnon === undefined ? {} : { rssAnon }), ...(rssFile === undefined ? {} : { rssFile }) };
}

/** the value of an unlabelled series in Prometheus text format, or undefined */
export function metricValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** the sum of every series of a metric (e.g. one per handle type), or undefined when it has none */
export function metricSum(text: string, name: string): number | undefined {
  const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`, 'gm'))].map((m) => Number(m[1]));
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

export async function sampleCore(pid: number, coreUrl: string, sessions: number): Promise<SoakSample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rss = rssFromStatus(status);
  const fds = (await readdir(`/proc/${pid}/fd`)).length;
  const res = await fetch(`${coreUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = res.ok ? await res.text() : '';
  const fromMetrics = {
    heapUsed: metricValue(text, 'kiosk_nodejs_heap_size_used_bytes'),
    heapTotal: metricValue(text, 'kiosk_nodejs_heap_size_total_bytes'),
    external: metricValue(text, 'kiosk_nodejs_external_memory_bytes'),
    // the core serves handles by type only (the *_total gauge breaks the Prometheus naming rule)
    handles: metricSum(text, 'kiosk_nodejs_active_handles'),
  };
  const present = Object.fromEntries(Object.entries(fromMetrics).filter(([, v]) => v !== undefined)) as Partial<Record<keyof typeof fromMetrics, number>>;
  return { sessions, rss, ...rssPartsFromStatus(status), fds, ...present };
}
