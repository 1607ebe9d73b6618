/**
 * A Node client of the kiosk's bridge (the web shell's WebSocket), as the renderer would be: it
 * connects with the launch token, validates every frame against the bridge schema, keeps the
 * latest snapshot, and reconnects by itself when the core goes away (crash, restart). Tests wait
 * for a snapshot matching a predicate, with a deadline, and send intents.
 */
import WebSocket from 'ws';
import { CoreToUi, UiToCore, type Intent, type Snapshot } from '../../kiosk/bridge/schema.js';

export interface BridgeClientOptions {
  /** http(s) origin of the core, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  /** pause between reconnect attempts */
  retryMs?: number;
  /** how long connect() may take */
  connectTimeoutMs?: number;
}

type Waiter = { predicate: (s: Snapshot) => boolean; resolve: (s: Snapshot) => void };

export class BridgeClient {
  #socket: WebSocket | undefined;
  #latest: Snapshot | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  readonly #waiters = new Set<Waiter>();
  readonly #openWaiters = new Set<() => void>();
  /** frames the core refused, newest last */
  readonly rejections: string[] = [];
  /** frames that failed the bridge schema (a contract break on the core's side) */
  readonly invalidFrames: string[] = [];
  /** how many times a connection was opened (1 after connect, +1 per reconnect) */
  connections = 0;
  /** snapshots received over all connections */
  snapshotsReceived = 0;

  constructor(private readonly options: BridgeClientOptions) {}

  /** opens the first connection and waits for the first snapshot */
  static async connect(options: BridgeClientOptions): Promise<BridgeClient> {
    const client = new BridgeClient(options);
    client.#open();
    try {
      await client.waitForSnapshot(() => true, options.connectTimeoutMs ?? 10_000);
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** the latest snapshot of the current or last connection */
  get snapshot(): Snapshot | undefined {
    return this.#latest;
  }

  #wsUrl(): string {
    const u = new URL('/bridge', this.options.url);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('token', this.options.token);
    return u.toString();
  }

  #open(): void {
    if (this.#closed) return;
    const socket = new WebSocket(this.#wsUrl(), { handshakeTimeout: 3_000 });
    this.#socket = socket;
    socket.on('open', () => {
      this.connections++;
      for (const w of this.#openWaiters) w();
      this.#openWaiters.clear();
    });
    socket.on('message', (data, isBinary) => this.#onFrame(isBinary ? '' : String(data)));
    // a refused or dropped connection is retried until close(): the core may be restarting
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
      if (!this.#closed) this.#retry = setTimeout(() => this.#open(), this.options.retryMs ?? 200);
    });
  }

  #onFrame(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.invalidFrames.push(text.slice(0, 200));
      return;
    }
    const parsed = CoreToUi.safeParse(value);
    if (!parsed.success) {
      this.invalidFrames.push(`${parsed.error.issues[0]?.message ?? 'invalid'}: ${text.slice(0, 200)}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'rejected') this.rejections.push(message.reason);
    if (message.type !== 'snapshot') return;
    this.#latest = message.snapshot;
    this.snapshotsReceived++;
    for (const w of [...this.#waiters]) {
      if (w.predicate(message.snapshot)) {
        this.#waiters.delete(w);
        w.resolve(message.snapshot);
      }
    }
  }

  /**
   * The first snapshot matching `predicate`: the latest one if it already matches, else the next
   * one that does. Rejects after timeoutMs with the last snapshot seen in the message.
   */
  waitForSnapshot(predicate: (s: Snapshot) => boolean, timeoutMs = 5_000): Promise<Snapshot> {
    if (this.#latest !== undefined && predicate(this.#latest)) return Promise.resolve(this.#latest);
    return this.#waitNew(predicate, timeoutMs);
  }

  /** the next snapshot to arrive that matches, ignoring the current one */
  nextSnapshot(predicate: (s: Snapshot) => boolean = () => true, timeoutMs = 5_000): Promise<Snapshot> {
    return this.#waitNew(predicate, timeoutMs);
  }

  #waitNew(predicate: (s: Snapshot) => boolean, timeoutMs: number): Promise<Snapshot> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const last = this.#latest ? `${this.#latest.screen} (${this.#latest.state})` : 'none';
        reject(new Error(`no matching snapshot within ${timeoutMs} ms; connected: ${this.connected}; last snapshot: ${last}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** resolves once a connection newer than the `after`-th one is open */
  waitForConnection(after: number, timeoutMs = 10_000): Promise<void> {
    if (this.connections > after && this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#openWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#openWaiters.delete(done);
        reject(new Error(`bridge did not reconnect within ${timeoutMs} ms (connections so far: ${this.connections})`));
      }, timeoutMs);
      this.#openWaiters.add(done);
    });
  }

  /** sends an intent, checked against the bridge schema first so a test cannot send a malformed one by accident */
  send(intent: Intent): void {
    const message = UiToCore.parse({ type: 'intent', intent });
    this.sendRaw(JSON.stringify(message));
  }

  /** any frame at all, for tests of the core's validation */
  sendRaw(frame: string): void {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) throw new Error('bridge is not connected');
    socket.send(frame);
  }

  /** sends the intent and waits for a snapshot matching `until` */
  async request(intent: Intent, until: (s: Snapshot) => boolean, timeoutMs = 5_000): Promise<Snapshot> {
    const next = this.nextSnapshot(until, timeoutMs);
    try {
      this.send(intent);
    } catch (err) {
      next.catch(() => undefined);
      throw err;
    }
    return next;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#socket?.close();
    this.#socket = undefined;
  }
}
