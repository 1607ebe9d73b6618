/**
 * The bench measures what a terminal runs: the compiled core (`dist/main`) and the built renderer
 * (`renderer/dist`). Each is rebuilt first when any of its sources is newer than the build, so a
 * figure never describes yesterday's code; a fresh build is left alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/artifacts.js';

function newestMtime(dir: string, accept: (file: string) => boolean): number {
  let newest = 0;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (accept(p)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

const isSource = (f: string): boolean => /\.(ts|tsx|css|html|json)$/.test(f);

function stale(output: string, sources: string[]): boolean {
  const out = path.join(repoRoot, output);
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return sources.some((s) => newestMtime(path.join(repoRoot, s), isSource) > built);
}

function run(what: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' ')}`);
  return performance.now() - t;
}

export const CORE_ENTRY_BUILT = 'dist/main/kiosk/cli.js';
export const RENDERER_INDEX = 'renderer/dist/index.html';

/** `tsc -p tsconfig.build.json` and `npm run build:core` when dist/main is older than its sources; ms spent, 0 when fresh */
export function ensureCoreBuilt(): number {
  if (!stale(CORE_ENTRY_BUILT, ['domain', 'kiosk', 'drivers', 'simulators', 'main'])) return 0;
  const tsc = run('tsc -p tsconfig.build.json', [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  const t = performance.now();
  const r = spawnSync('npm', ['run', '--silent', 'build:core'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build:core failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' ')}`);
  return tsc + performance.now() - t;
}

/** `vite build` of the renderer when renderer/dist is older than its sources (or `force`) */
export function ensureRendererBuilt(force = false): number {
  if (!force && !stale(RENDERER_INDEX, ['renderer', 'kiosk/bridge'])) return 0;
  return run('vite build', [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts']);
}
