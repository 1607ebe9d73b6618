/**
 * `npm start` as a newcomer runs it, on a real X display (Xvfb): the kiosk window Chromium opens
 * is still up 10 s later (as root it needs --no-sandbox), and SIGTERM to the `npm start` process
 * itself, not its group, leaves no process it started and no browser profile folder within 5 s.
 * It starts with `--fresh` over what an earlier run left, which is named and deleted first.
 * Xvfb is a prerequisite like socat and chromium (npm test and .ci/run install it); without it
 * this test fails with the install line rather than passing unseen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumBinary, which } from '../../../scripts/lib/tools.js';
import { repoRoot, suiteDir } from '../../support/artifacts.js';
import { freePorts } from '../../support/ports.js';

/** the requirement: everything gone this long after the stop signal */
const STOP_WITHIN_MS = 5_000;
/** how long the kiosk window must stay up on its own */
const WINDOW_ALIVE_MS = 10_000;
/** start-up may build the renderer first on a fresh clone */
const READY_TIMEOUT_MS = 240_000;

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command name in parentheses may itself hold spaces
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      out.push({ pid: Number(name), ppid: Number(fields[1]), args });
    } catch {
      // gone while we looked
    }
  }
  return out;
}

function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

/** every live process carrying the marker in its environment: what start spawned, however far it strayed */
function marked(marker: string): number[] {
  const pids: number[] = [];
  for (const p of processes()) {
    try {
      if (readFileSync(`/proc/${p.pid}/environ`, 'utf8').includes(marker)) pids.push(p.pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

const alive = (pid: number): boolean => processes().some((p) => p.pid === pid);

async function until<T>(what: string | (() => string), timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Xvfb on a display number it picks itself (-displayfd), so parallel runs do not collide */
function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    let got = '';
    fd3.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\n')) resolve({ child, display: `:${got.trim()}` });
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr}`)));
  });
}

describe('npm start', () => {
  let xvfb: ChildProcess | undefined;
  let start: ChildProcess | undefined;
  const tmpDirs: string[] = [];
  afterAll(() => {
    // only when an assertion failed midway: the stop under test did not happen
    if (start?.pid !== undefined && start.exitCode === null && start.signalCode === null) {
      for (const p of descendants(start.pid)) process.kill(p.pid, 'SIGKILL');
      start.kill('SIGKILL');
    }
    xvfb?.kill('SIGTERM');
    for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps the kiosk window up on a display and stops everything on SIGTERM to its own pid', async () => {
    if (!which('Xvfb')) throw new Error('Xvfb is missing: apt-get install -y xvfb (npm test and .ci/run install it)');
    expect(chromiumBinary(), 'chromium is a prerequisite').toBeDefined();
    const x = await startXvfb();
    xvfb = x.child;

    const dir = suiteDir('npm-start');
    // short: Chromium refuses a singleton socket path over 108 bytes below its TMPDIR
    const tmp = mkdtempSync(join(tmpdir(), 'npm-start-'));
    tmpDirs.push(tmp);
    const [bankPort, devicesPort, kioskPort] = (await freePorts(3)) as [number, number, number];
    const marker = `start-test-${randomBytes(6).toString('hex')}`;
    // what an earlier run left: --fresh names it and deletes it before anything starts
    const data = join(dir, 'data');
    const leftovers = [join(data, 'bank', 'left-by-an-earlier-run'), join(data, 'kiosk.sqlite'), join(data, 'run', 'cash-acceptor.state.json')];
    for (const f of leftovers) {
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, 'an earlier run');
    }
    let output = '';
    start = spawn('npm', ['start', '--', '--fresh'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DISPLAY: x.display,
        WAYLAND_DISPLAY: '',
        TMPDIR: tmp,
        KIOSK_DATA_DIR: data,
        SIM_BANK_PORT: String(bankPort),
        SIM_DEVICES_PORT: String(devicesPort),
        KIOSK_WEB_PORT: String(kioskPort),
        NPM_START_TEST_MARK: marker,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const startPid = start.pid ?? 0;
    start.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    start.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => start?.once('exit', () => resolve()));

    await until(() => `npm start ready (output so far:\n${output})`, READY_TIMEOUT_MS, () => {
      if (start?.exitCode !== null) throw new Error(`npm start exited (${start?.exitCode}):\n${output}`);
      return output.includes('Ctrl-C stops everything') ? true : undefined;
    });
    if (process.getuid?.() === 0) expect(output).toContain('--no-sandbox');
    expect(output).toContain('--fresh deletes');
    for (const f of leftovers.slice(0, 1)) expect(output).toContain(dirname(f));
    expect(existsSync(leftovers[0] ?? '')).toBe(false);
    // the terminal's database is a new one, not the earlier run's file
    expect(readFileSync(leftovers[1] ?? '').subarray(0, 15).toString()).toBe('SQLite format 3');
    const screen = await until('the kiosk window process', 10_000, () => descendants(startPid).find((p) => p.args.includes('--kiosk') && p.args.includes('--app=')));
    expect(screen.args).toContain(`127.0.0.1:${kioskPort}`);

    await new Promise((r) => setTimeout(r, WINDOW_ALIVE_MS));
    expect(alive(screen.pid), `the kiosk window exited; npm start said:\n${output}`).toBe(true);
    expect(output).not.toMatch(/window exited after/);
    expect(readdirSync(tmp).filter((f) => f.startsWith('kiosk-')).sort()).toEqual([expect.stringMatching(/^kiosk-panel-/), expect.stringMatching(/^kiosk-screen-/)]);

    const started = descendants(startPid).map((p) => p.pid);
    expect(started.length).toBeGreaterThan(5);
    process.kill(startPid, 'SIGTERM');
    await until('npm start exited, with every process it started', STOP_WITHIN_MS, () =>
      start?.exitCode !== null || start.signalCode !== null ? (started.every((pid) => !alive(pid)) && marked(marker).length === 0 ? true : undefined) : undefined,
    ).catch((err: unknown) => {
      const left = processes().filter((p) => started.includes(p.pid) || marked(marker).includes(p.pid));
      throw new Error(`${String(err)}\nstill running:\n${left.map((p) => `${p.pid} ${p.args.slice(0, 120)}`).join('\n')}\noutput:\n${output}`);
    });
    await exited;
    expect(readdirSync(tmp).filter((f) => f.startsWith('kiosk-'))).toEqual([]);
  }, READY_TIMEOUT_MS + 60_000);
});
