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

/** the value of an unlabelled series in Prometheus text format, or undefined */
export function metricValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

export async function sampleCore(pid: number, coreUrl: string, sessions: number): Promise<SoakSample> {
  const rss = rssFromStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  const fds = (await readdir(`/proc/${pid}/fd`)).length;
  const res = await fetch(`${coreUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = res.ok ? await res.text() : '';
  const heapUsed = metricValue(text, 'kiosk_nodejs_heap_size_used_bytes');
  const handles = metricValue(text, 'kiosk_nodejs_active_handles_total');
  return { sessions, rss, fds, ...(heapUsed === undefined ? {} : { heapUsed }), ...(handles === undefined ? {} : { handles }) };
}
