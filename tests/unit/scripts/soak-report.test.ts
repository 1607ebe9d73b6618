import { describe, expect, it } from 'vitest';
import { growth, sampleAt, trend, type SoakSample } from '../../../scripts/lib/soak/report.js';
import { metricSum, metricValue, rssFromStatus, rssPartsFromStatus } from '../../../scripts/lib/soak/sample.js';

const MB = 1024 * 1024;
const s = (sessions: number, rss: number, extra: Partial<SoakSample> = {}): SoakSample => ({ sessions, rss: rss * MB, fds: 30, ...extra });

describe('soak report arithmetic', () => {
  it('takes the sample at or after the 20 % mark, not the first one', () => {
    const samples = [s(0, 80), s(100, 100), s(250, 104), s(300, 105), s(1000, 106)];
    expect(sampleAt(samples, 1000, 0.2).sessions).toBe(250);
    expect(sampleAt(samples, 500, 0.2).sessions).toBe(100);
    // no sample reaches the mark: the last one
    expect(sampleAt([s(0, 1), s(10, 2)], 1000, 0.2).sessions).toBe(10);
  });

  it('reports growth from the 20 % mark to the last sample, in percent with one decimal', () => {
    const samples = [s(0, 50, { heapUsed: 10 * MB, handles: 9, fds: 20 }), s(200, 100, { heapUsed: 20 * MB, handles: 12, fds: 40 }), s(1000, 107.5, { heapUsed: 19 * MB, handles: 12, fds: 41 })];
    const g = Object.fromEntries(growth(samples, 1000).map((x) => [x.metric, x]));
    expect(g.rss).toMatchObject({ from: { sessions: 200, value: 100 * MB }, to: { sessions: 1000, value: 107.5 * MB }, percent: 7.5 });
    expect(g.heapUsed?.percent).toBe(-5);
    expect(g.handles?.percent).toBe(0);
    expect(g.fds?.percent).toBe(2.5);
  });

  it('leaves out a metric the samples lack and gives no percentage from zero', () => {
    const g = growth([s(0, 50), s(2, 55, { handles: 0 }), s(10, 60, { handles: 3 })], 10);
    expect(g.map((x) => x.metric)).toEqual(['rss', 'handles', 'fds']);
    expect(g.find((x) => x.metric === 'handles')?.percent).toBeUndefined();
  });

  it('refuses to report on no samples', () => {
    expect(() => growth([], 10)).toThrow(RangeError);
  });

  it('reads VmRSS and unlabelled Prometheus series', () => {
    expect(rssFromStatus('Name:\tnode\nVmRSS:\t  123456 kB\nThreads: 11\n')).toBe(123456 * 1024);
    expect(() => rssFromStatus('Name: node\n')).toThrow();
    const text = '# HELP x\nkiosk_nodejs_heap_size_used_bytes 4.5e7\nkiosk_nodejs_active_handles_total 17\nkiosk_nodejs_heap_size_used_bytes_other 1\n';
    expect(metricValue(text, 'kiosk_nodejs_heap_size_used_bytes')).toBe(45_000_000);
    expect(metricValue(text, 'kiosk_nodejs_active_handles_total')).toBe(17);
    expect(metricValue(text, 'kiosk_missing')).toBeUndefined();
  });

  it('splits the RSS into its anonymous and file-backed parts, leaving out what the kernel does not report', () => {
    const status = 'VmRSS:\t  150000 kB\nRssAnon:\t  120000 kB\nRssFile:\t   29000 kB\nRssShmem:\t    1000 kB\n';
    expect(rssPartsFromStatus(status)).toEqual({ rssAnon: 120000 * 1024, rssFile: 29000 * 1024 });
    expect(rssPartsFromStatus('VmRSS:\t 1 kB\n')).toEqual({});
  });

  it('reports the growth of the RSS parts, the reserved heap and external memory beside the RSS', () => {
    const samples = [
      s(0, 90, { rssAnon: 60 * MB, rssFile: 30 * MB, heapTotal: 30 * MB, external: 1 * MB }),
      s(2, 100, { rssAnon: 70 * MB, rssFile: 30 * MB, heapTotal: 40 * MB, external: 2 * MB }),
      s(10, 110, { rssAnon: 80 * MB, rssFile: 30 * MB, heapTotal: 44 * MB, external: 2 * MB }),
    ];
    const g = Object.fromEntries(growth(samples, 10).map((x) => [x.metric, x.percent]));
    expect(g).toMatchObject({ rss: 10, rssAnon: 14.3, rssFile: 0, heapTotal: 10, external: 0 });
  });

  it('derives the RSS outside the V8 heap reserve', () => {
    const g = growth([s(0, 100, { heapTotal: 40 * MB }), s(2, 100, { heapTotal: 40 * MB }), s(10, 120, { heapTotal: 60 * MB })], 10);
    expect(g.find((x) => x.metric === 'outsideHeap')).toMatchObject({ from: { value: 60 * MB }, to: { value: 60 * MB }, percent: 0 });
  });

  it('fits a line through the samples from the 20 % mark on, so the heap reserve breathing is not taken for growth', () => {
    // about 100 MB with +-10 MB swings: the last sample alone says +10 %, the line says no rise
    const swinging = [s(0, 80), ...[100, 110, 90, 110, 90, 110, 90, 90, 110].map((rss, i) => s(100 * (i + 2), rss))];
    expect(growth(swinging, 1000).find((x) => x.metric === 'rss')?.percent).toBe(10);
    expect(trend(swinging, 1000, 'rss')?.percent).toBe(-2.6);
    // a steady 1 MB per 100 sessions from 150 MB: +10 MB per 1 000, +5.3 % from 200 to 1 000
    const rising = [s(0, 130), ...Array.from({ length: 9 }, (_, i) => s(200 + 100 * i, 150 + i))];
    const up = trend(rising, 1000, 'rss');
    expect(up?.perThousand).toBeCloseTo(10 * MB, 0);
    expect(up?.percent).toBe(5.3);
    // too few samples to fit
    expect(trend([s(0, 1), s(10, 2)], 10, 'rss')).toBeUndefined();
  });

  it('sums a metric over its labelled series, as the core serves live handles by type', () => {
    const text = 'kiosk_nodejs_active_handles{type="Socket",terminal="T1"} 7\nkiosk_nodejs_active_handles{type="Timeout",terminal="T1"} 3\nkiosk_nodejs_active_handles_other 100\n';
    expect(metricSum(text, 'kiosk_nodejs_active_handles')).toBe(10);
    expect(metricSum(text, 'kiosk_missing')).toBeUndefined();
  });
});
