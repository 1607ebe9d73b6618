/**
 * Child processes for `npm start` and the end-to-end setup: each service's output is prefixed with
 * its name, readiness is an HTTP probe with a deadline, and stopping is SIGTERM, then SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  /** resolves with the exit code (or signal name) once the process has gone */
  readonly exited: Promise<number | string>;
  /** the last output lines (at most 30), kept even when the output is quiet: why a process died */
  recentOutput(): string[];
  /** SIGKILL now (the process group when detached); for a caller whose own deadline has passed */
  kill(): void;
  stop(graceMs?: number): Promise<void>;
}

const COLORS = [36, 33, 35, 32, 34];
let colorIndex = 0;

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** prefix output lines (default) or drop them */
  output?: 'prefix' | 'quiet';
  /** also append every output line to this file (kept for the test run's leak scan) */
  logFile?: string;
  /**
   * run in its own process group and signal the whole group: a browser's helper processes
   * (zygote, GPU, renderers) then go with it, and a terminal's Ctrl-C reaches it only through us
   */
  processGroup?: boolean;
}

export function spawnService(o: SpawnOptions): Service {
  const child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: o.processGroup === true });
  const recent: string[] = [];
  const signal = (sig: NodeJS.Signals): void => {
    if (o.processGroup === true && child.pid !== undefined) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    } else child.kill(sig);
  };
  const color = COLORS[colorIndex++ % COLORS.length] ?? 36;
  const tag = process.stdout.isTTY ? `\u001b[${color}m[${o.name}]\u001b[0m` : `[${o.name}]`;
  const log = o.logFile === undefined ? undefined : createWriteStream(o.logFile, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => {
      if (o.output !== 'quiet') console.log(`${tag} ${line}`);
      recent.push(line);
      if (recent.length > 30) recent.shift();
      log?.write(`${line}\n`);
    });
  }
  child.once('close', () => log?.end());
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => {
      console.log(`${tag} failed to start: ${err.message}`);
      resolve('spawn-error');
    });
  });
  return {
    name: o.name,
    child,
    exited,
    recentOutput: () => [...recent],
    kill: () => signal('SIGKILL'),
    async stop(graceMs = 5_000) {
      const gone = child.exitCode !== null || child.signalCode !== null;
      // a group leader that has exited may leave helpers behind in its group
      if (gone && o.processGroup !== true) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      if (o.processGroup === true && child.pid !== undefined) await groupGone(child.pid, graceMs);
      clearTimeout(timer);
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** waits until no process is left in the group; SIGKILLs the rest after graceMs */
async function groupGone(pgid: number, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  let killed = false;
  // a zombie nobody reaps still counts as alive: give up a second after the SIGKILL
  while (groupAlive(pgid) && Date.now() < deadline + 1_000) {
    if (!killed && Date.now() >= deadline) {
      killed = true;
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** runs a tsx entry with the current Node, so signals reach the script itself */
export function spawnTsx(name: string, entry: string, env: NodeJS.ProcessEnv, output: SpawnOptions['output'] = 'prefix', args: string[] = [], logFile?: string): Service {
  return spawnService({ name, command: process.execPath, args: ['--import', 'tsx', entry, ...args], env, output, ...(logFile === undefined ? {} : { logFile }) });
}

/**
 * Polls until url answers with an acceptable status. Fails early when the service exits.
 * Any HTTP answer counts when `anyStatus` is set (a server without a health route is still up).
 */
export async function waitForHttp(url: string, options: { timeoutMs?: number; service?: Service; anyStatus?: boolean } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let exited: number | string | undefined;
  void options.service?.exited.then((code) => (exited = code));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${options.service?.name ?? url} exited (${exited}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok || options.anyStatus) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${options.service?.name ?? url} not ready at ${url} in time (${last})`);
}

export async function stopAll(services: Service[]): Promise<void> {
  // reverse start order: the kiosk lets go of devices and the bank before they go away
  for (const s of [...services].reverse()) await s.stop();
}
