/**
 * Runs the kiosk core in an Electron utility process and keeps it running: a crash is reported
 * (the window shows "please wait") and the core is forked again with growing back-off. Messages
 * from the core are checked against the bridge schema before anyone relays them.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { TypedEmitter } from '../domain/typed-emitter.js';
import { CoreToUi, type UiToCore } from '../kiosk/index.js';

export interface CoreSupervisorOptions {
  modulePath: string;
  args?: string[];
  env?: Record<string, string>;
  execArgv?: string[];
  /** first restart delay; doubles up to maxBackoffMs */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** a core that ran this long is healthy again: the next crash restarts after backoffMs */
  stableMs?: number;
  /** how long stop() waits for the core to exit before giving up */
  stopTimeoutMs?: number;
}

export interface CoreSupervisorEvents {
  message: CoreToUi;
  started: { pid: number | undefined; restarts: number };
  crashed: { code: number; restartInMs: number };
  invalidMessage: { reason: string };
}

export class CoreSupervisor extends TypedEmitter<CoreSupervisorEvents> {
  #child: UtilityProcess | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;
  #restarts = 0;
  #backoff: number;
  #startedAt = 0;

  constructor(private readonly options: CoreSupervisorOptions) {
    super();
    this.#backoff = options.backoffMs ?? 500;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  get restarts(): number {
    return this.#restarts;
  }

  start(): void {
    this.#stopping = false;
    this.#fork();
  }

  /** false when no core is running to take it (the intent is dropped; the UI shows "please wait") */
  send(message: UiToCore): boolean {
    if (!this.#child) return false;
    this.#child.postMessage(message);
    return true;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    const child = this.#child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.stopTimeoutMs ?? 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill();
    });
  }

  #fork(): void {
    const o = this.options;
    const child = utilityProcess.fork(o.modulePath, o.args ?? ['--ipc'], {
      serviceName: 'kiosk-core',
      stdio: 'inherit',
      ...(o.env ? { env: o.env } : {}),
      ...(o.execArgv ? { execArgv: o.execArgv } : {}),
    });
    this.#child = child;
    this.#startedAt = Date.now();
    child.on('message', (raw: unknown) => {
      const parsed = CoreToUi.safeParse(raw);
      if (parsed.success) this.emit('message', parsed.data);
      else this.emit('invalidMessage', { reason: parsed.error.issues[0]?.message ?? 'invalid' });
    });
    child.once('spawn', () => this.emit('started', { pid: child.pid, restarts: this.#restarts }));
    child.once('exit', (code) => this.#onExit(child, code));
  }

  #onExit(child: UtilityProcess, code: number): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    if (this.#stopping) return;
    if (Date.now() - this.#startedAt >= (this.options.stableMs ?? 30_000)) this.#backoff = this.options.backoffMs ?? 500;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, this.options.maxBackoffMs ?? 10_000);
    this.emit('crashed', { code, restartInMs: delay });
    this.#timer = setTimeout(() => {
      this.#restarts += 1;
      this.#fork();
    }, delay);
  }
}
