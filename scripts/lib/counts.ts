/**
 * Test counts from the runners' JSON reports. Skipped and todo tests are counted apart and never
 * as passed; a runner that failed without a report counts as one failure, so the summary line can
 * never read green after a red run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
}

export const zero = (): Counts => ({ passed: 0, failed: 0, skipped: 0, flaky: 0 });

export function add(a: Counts, b: Counts): Counts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped, flaky: a.flaky + b.flaky };
}

const VitestReport = z.object({
  numPassedTests: z.number().int(),
  numFailedTests: z.number().int(),
  numPendingTests: z.number().int().default(0),
  numTodoTests: z.number().int().default(0),
  numFailedTestSuites: z.number().int().default(0),
});

const PlaywrightReport = z.object({
  stats: z.object({
    expected: z.number().int(),
    unexpected: z.number().int(),
    flaky: z.number().int().default(0),
    skipped: z.number().int().default(0),
  }),
  errors: z.array(z.unknown()).default([]),
});

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** counts of one vitest run; a suite that failed to load (no test ran in it) counts as a failure */
export function vitestCounts(path: string): Counts | undefined {
  const parsed = VitestReport.safeParse(readJson(path));
  if (!parsed.success) return undefined;
  const r = parsed.data;
  const brokenSuites = r.numFailedTests === 0 ? r.numFailedTestSuites : 0;
  return { passed: r.numPassedTests, failed: r.numFailedTests + brokenSuites, skipped: r.numPendingTests + r.numTodoTests, flaky: 0 };
}

/** flaky tests passed on a retry: counted as passed and reported apart */
export function playwrightCounts(path: string): Counts | undefined {
  const parsed = PlaywrightReport.safeParse(readJson(path));
  if (!parsed.success) return undefined;
  const s = parsed.data.stats;
  const globalErrors = s.unexpected === 0 ? parsed.data.errors.length : 0;
  return { passed: s.expected + s.flaky, failed: s.unexpected + globalErrors, skipped: s.skipped, flaky: s.flaky };
}

/** the report's counts, made honest against the runner's exit code */
export function reconcile(counts: Counts | undefined, exitCode: number): Counts {
  const c = counts ?? zero();
  return exitCode !== 0 && c.failed === 0 ? { ...c, failed: c.failed + 1 } : c;
}

export function summaryLine(c: Counts): string {
  return `tests: ${c.passed} passed, ${c.failed} failed`;
}

/** Playwright's report when the config matched no spec at all (it exits 1 with this one error) */
export function noTestsFound(path: string): boolean {
  const parsed = PlaywrightReport.safeParse(readJson(path));
  if (!parsed.success) return false;
  const s = parsed.data.stats;
  const messages = parsed.data.errors.map((e) => JSON.stringify(e));
  return s.expected + s.unexpected + s.flaky + s.skipped === 0 && messages.length > 0 && messages.every((m) => /No tests found/i.test(m));
}
