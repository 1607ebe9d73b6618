import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, noTestsFound, playwrightCounts, reconcile, summaryLine, vitestCounts, zero } from '../../../scripts/lib/counts.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-counts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, body: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

describe('npm test counts', () => {
  it('reads vitest JSON, keeping skipped and todo apart from passed', async () => {
    const path = await file('v.json', { numPassedTests: 40, numFailedTests: 2, numPendingTests: 3, numTodoTests: 1, numFailedTestSuites: 1, testResults: [] });
    expect(vitestCounts(path)).toEqual({ passed: 40, failed: 2, skipped: 4, flaky: 0 });
  });

  it('counts a test file that failed to load as a failure', async () => {
    const path = await file('v2.json', { numPassedTests: 10, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numFailedTestSuites: 1 });
    expect(vitestCounts(path)?.failed).toBe(1);
  });

  it('reads playwright JSON stats; flaky passes are reported, unexpected are failures', async () => {
    const path = await file('p.json', { stats: { expected: 6, unexpected: 1, flaky: 2, skipped: 3 }, errors: [] });
    expect(playwrightCounts(path)).toEqual({ passed: 8, failed: 1, skipped: 3, flaky: 2 });
  });

  it('a runner that failed with no usable report is one failure, never a pass', async () => {
    expect(reconcile(vitestCounts(join(dir, 'missing.json')), 1)).toEqual({ passed: 0, failed: 1, skipped: 0, flaky: 0 });
    expect(reconcile(vitestCounts(await file('bad.json', '{oops')), 2).failed).toBe(1);
    expect(reconcile({ passed: 5, failed: 0, skipped: 0, flaky: 0 }, 1).failed).toBe(1);
    expect(reconcile({ passed: 5, failed: 2, skipped: 0, flaky: 0 }, 1).failed).toBe(2);
    expect(reconcile({ passed: 5, failed: 0, skipped: 0, flaky: 0 }, 0).failed).toBe(0);
  });

  it('tells a config that matched no spec apart from a failed run', async () => {
    const none = await file('none.json', { stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 }, errors: [{ message: 'Error: No tests found' }] });
    const broken = await file('broken.json', { stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 }, errors: [{ message: 'Error: globalSetup failed' }] });
    expect(noTestsFound(none)).toBe(true);
    expect(noTestsFound(broken)).toBe(false);
    expect(playwrightCounts(broken)?.failed).toBe(1);
  });

  it('prints the summary line exactly', () => {
    const total = add(add(zero(), { passed: 3, failed: 0, skipped: 1, flaky: 0 }), { passed: 2, failed: 1, skipped: 0, flaky: 0 });
    expect(summaryLine(total)).toBe('tests: 5 passed, 1 failed');
  });
});
