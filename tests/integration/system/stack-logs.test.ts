/**
 * The end-to-end stack (scripts/lib/stack.ts, used by Playwright's global setup) keeps each
 * server's output in <logDir>/<name>.log and its data in the given folder, so the leak scan at the
 * end of npm test reads what the e2e servers wrote.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../scripts/lib/stack.js';
import { repoRoot, suiteDir } from '../../support/artifacts.js';
import { freePorts } from '../../support/ports.js';
import { scanArtifacts } from '../../security/scan-artifacts.js';

describe('e2e stack output under the artefact folder', () => {
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('writes every server log and the bank ledger where the leak scan looks', async () => {
    const dir = suiteDir('stack');
    const logDir = join(dir, 'logs');
    mkdirSync(logDir);
    const [bankPort, devicesPort, kioskPort] = (await freePorts(3)) as [number, number, number];
    stack = await startStack({
      root: repoRoot,
      bankPort,
      devicesPort,
      kioskPort,
      dataDir: dir,
      token: 'stack-logs-test-token-0001',
      output: 'quiet',
      env: { KIOSK_LOG_LEVEL: 'info' },
      logDir,
    });
    const res = await fetch(`${stack.kioskUrl}/healthz`);
    expect(res.status).toBe(200);
    await stack.stop();
    stack = undefined;

    expect(readFileSync(join(logDir, 'bank.log'), 'utf8')).toMatch(/bank simulator listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(readFileSync(join(logDir, 'devices.log'), 'utf8')).toContain('device simulators: control API');
    expect(readFileSync(join(logDir, 'kiosk.log'), 'utf8')).toContain('kiosk core started');
    const report = scanArtifacts([dir]);
    expect(report.findings).toEqual([]);
    // the bank ledger, and the core's store once the session runtime keeps one
    expect(report.databases).toBeGreaterThanOrEqual(1);
  });
});
