/**
 * A device simulator that dies takes its ptys with it: its socat children do not outlive it, even
 * when it is killed with SIGKILL (no exit hook of its own runs), so a restarted simulator's devices
 * are reachable on the same links again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts } from '../../support/ports.js';

/** pids of `socat` processes whose parent is `ppid`, from /proc */
async function socatChildren(ppid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && m[1] === 'socat' && Number(m[2]) === ppid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** alive and not a zombie waiting for its (dead) parent to reap it */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('device simulator ptys', () => {
  let dir: string | undefined;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    children.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function startSimulator(runDir: string, port: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/devices/cli.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, SIM_DEVICES_HOST: '127.0.0.1', SIM_DEVICES_PORT: String(port), SIM_RUN_DIR: runDir },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    children.push(child);
    await until('the control API', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/devices`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 60_000);
    return child;
  }

  it('SIGKILL of the simulator ends its socat children; a restart serves the same links', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-ptys-'));
    const [port] = (await freePorts(1)) as [number];
    const sim = await startSimulator(dir, port);
    const socats = await socatChildren(sim.pid ?? -1);
    // one pair per serial device: cash acceptor, dispenser, printer
    expect(socats.length).toBeGreaterThanOrEqual(3);
    expect(socats.every(alive)).toBe(true);

    const exited = new Promise<void>((r) => sim.once('exit', () => r()));
    sim.kill('SIGKILL');
    await exited;
    await until('every socat gone', () => (socats.some(alive) ? undefined : true), 15_000);

    const again = await startSimulator(dir, port);
    expect((await socatChildren(again.pid ?? -1)).length).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(dir, 'dispenser.tty'))).toBe(true);
  }, 120_000);
});
