/** npm test sets KIOSK_TEST_ARTIFACTS for every child, the kiosk core included: it must start with it set. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../kiosk/config/load.js';
import { defaultRoots } from '../../security/scan-artifacts.js';
import { ARTIFACTS_ENV } from '../../support/artifacts.js';

describe('artefact folder variable', () => {
  it('is accepted by the core configuration, which still refuses unknown KIOSK_ names', () => {
    expect(() => loadConfig({ env: { [ARTIFACTS_ENV]: '/tmp/run' }, cwd: '/tmp' })).not.toThrow();
    expect(() => loadConfig({ env: { KIOSK_TEST_ARTEFACTS: '/tmp/run' }, cwd: '/tmp' })).toThrow(/unknown environment variable/);
  });

  it('is where the leak scan looks by default', () => {
    expect(defaultRoots({ [ARTIFACTS_ENV]: 'runs/1' }, '/repo')).toEqual(['/repo/runs/1']);
    expect(defaultRoots({}, '/repo')).toEqual(['/repo/test-results/artifacts']);
  });
});
