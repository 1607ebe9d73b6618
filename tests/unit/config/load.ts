/**
 * The opening the config tests share: a fresh temp folder as the working directory of each test,
 * loading from it with a given environment, and the one-line message of a refused config.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { ConfigError, loadConfig } from '../../../kiosk/config/load.js';
import type { KioskConfig } from '../../../kiosk/config/schema.js';

export interface ConfigDir {
  /** The current test's working directory. */
  readonly dir: string;
  load(env?: Record<string, string>): KioskConfig;
  /** The ConfigError message `env` is refused with; fails if it loads. */
  errorOf(env: Record<string, string>): string;
}

/** Registers the temp folder's hooks; call at the top of a test file. */
export function useConfigDir(prefix: string): ConfigDir {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const current = (): string => {
    if (!dir) throw new Error('the config folder exists only inside a test');
    return dir;
  };
  const load = (env: Record<string, string> = {}): KioskConfig => loadConfig({ env, cwd: current() });
  return {
    get dir() {
      return current();
    },
    load,
    errorOf(env) {
      try {
        load(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a config error');
    },
  };
}
