/**
 * One system-test child process: a TypeScript entry run as `node --import tsx <file>` (so a
 * signal hits the program itself, not a launcher), its stdout and stderr appended straight to a
 * log file by the OS (so the last lines survive a SIGKILL), a health probe with a deadline, and
 * stop (SIGTERM, then SIGKILL) or kill (SIGKILL at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { repoRoot } from './artifacts.js';

export interface ProcessSpec {
  /** short name for messages and the log line markers */
  name: string;
  /** entry file relative to the repository root */
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** URL that answers 2xx once the process is ready */
  healthUrl: string;
  startTimeoutMs?: number;
}

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export class ManagedProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<ExitStatus> = Promise.resolve({ code: 0, signal: null });
  #starts = 0;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    const c = this.#child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  /** resolves once the current child has exited */
  get exited(): Promise<ExitStatus> {
    return this.#exited;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name}: already running (pid ${this.pid})`);
    this.#starts++;
    const fd = openSync(this.spec.logFile, 'a');
    writeSync(fd, `--- ${this.spec.name} start #${this.#starts} at ${new Date().toISOString()}\n`);
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', this.spec.entry, ...(this.spec.args ?? [])], {
        cwd: repoRoot,
        env: this.spec.env,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      // the child holds its own copy of the descriptor
      closeSync(fd);
    }
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    await this.#waitHealthy(this.spec.startTimeoutMs ?? 30_000);
  }

  async #waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited: ExitStatus | undefined;
    void this.#exited.then((s) => (exited = s));
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        throw new Error(`${this.spec.name} exited (code ${exited.code}, signal ${exited.signal}) before it was healthy; see ${this.spec.logFile}`);
      }
      try {
        const res = await fetch(this.spec.healthUrl, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.ok) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await this.kill();
    throw new Error(`${this.spec.name} not healthy at ${this.spec.healthUrl} within ${timeoutMs} ms (${last}); see ${this.spec.logFile}`);
  }

  /** SIGKILL, as a power cut or a crash would end it; resolves once it is gone */
  async kill(): Promise<ExitStatus> {
    if (this.running) this.#child?.kill('SIGKILL');
    return this.#exited;
  }

  /** SIGTERM, then SIGKILL after graceMs */
  async stop(graceMs = 5_000): Promise<ExitStatus> {
    if (!this.running) return this.#exited;
    this.#child?.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), graceMs);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
