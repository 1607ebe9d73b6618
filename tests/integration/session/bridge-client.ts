/**
 * The customer's and the technician's hands in scenario tests: a bridge client over the core's
 * WebSocket (every frame checked against the bridge schema), small HTTP helpers for the
 * simulators' control and admin APIs, one stack per test file (`useTestStack`) and the opening of
 * a customer's visit (`visit`, `BridgeClient.begin`, `signIn`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack, type StackOptions } from '../../../scripts/lib/stack.js';
import { freePorts } from '../../support/ports.js';
import { suiteDir } from '../../support/artifacts.js';
import WebSocket from 'ws';
import { CoreToUi, type Intent, type Locale, type Snapshot } from '../../../kiosk/bridge/schema.js';

/** one port that was free a moment ago (see tests/support/ports.ts for why several are taken together) */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no free port');
  return port;
}

/**
 * Starts bank simulator, device simulators and (unless told not to) the core on fresh ports, with
 * every child's log kept in the run's artefact folder (read by the card-data leak scan, and by a
 * person when start-up fails). A port can be taken by another process between the probe and the
 * child's bind on a busy machine, so a failed start is tried once more on new ports.
 */
export async function startTestStack(
  name: string,
  options: Omit<StackOptions, 'root' | 'bankPort' | 'devicesPort' | 'kioskPort' | 'logDir' | 'output'>,
): Promise<Stack> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const [bankPort, devicesPort, kioskPort] = await freePorts(3);
    if (bankPort === undefined || devicesPort === undefined || kioskPort === undefined) throw new Error('no free ports');
    try {
      // the scenarios take cash through the presenter's taken sensor unless the test says otherwise
      const env = { KIOSK_DEVICES_DISPENSER_PRESENTER: 'true', ...options.env };
      return await startStack({ ...options, env, root: process.cwd(), bankPort, devicesPort, kioskPort, output: 'quiet', logDir: suiteDir(`${name}-logs`) });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** the stack a test file shares, readable once its beforeAll has run */
export interface SharedStack {
  readonly stack: Stack;
  readonly dataDir: string;
  readonly token: string;
  readonly bankUrl: string;
  readonly devicesUrl: string;
  readonly kioskUrl: string;
}

/**
 * One stack for the whole test file: started in beforeAll on a fresh temporary data directory,
 * stopped (and the directory removed) in afterAll. `env` reaches every child, e.g. the core's
 * `KIOSK_TIMEOUTS_*` keys for short timeouts.
 */
export function useTestStack(name: string, options: { token: string; env?: NodeJS.ProcessEnv }): SharedStack {
  let stack: Stack | undefined;
  let dataDir: string | undefined;
  const started = (): Stack => {
    if (stack === undefined) throw new Error(`the ${name} stack is not running (used outside a test?)`);
    return stack;
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `kiosk-${name}-`));
    stack = await startTestStack(name, { dataDir, token: options.token, ...(options.env ? { env: options.env } : {}) });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get stack() {
      return started();
    },
    get dataDir() {
      started();
      return dataDir ?? '';
    },
    token: options.token,
    get bankUrl() {
      return started().bankUrl;
    },
    get devicesUrl() {
      return started().devicesUrl;
    },
    get kioskUrl() {
      return started().kioskUrl;
    },
  };
}

/**
 * A customer at the terminal: the bridge connected and the attract screen showing (or what
 * `ready` waits for instead) before `body` runs; the connection is closed however `body` ends.
 */
export async function visit<T>(
  at: { kioskUrl: string; token: string },
  body: (ui: BridgeClient) => Promise<T>,
  ready: (ui: BridgeClient) => Promise<unknown> = (ui) => ui.screen('attract', 30_000),
): Promise<T> {
  const ui = await BridgeClient.connect(at.kioskUrl, at.token);
  try {
    await ready(ui);
    return await body(ui);
  } finally {
    ui.close();
  }
}

/** the 6-digit code in the newest message the bank's SMS gateway holds for a phone (E.164) */
export async function latestOtp(bankUrl: string, phone: string): Promise<string> {
  const { messages } = await http<{ messages: unknown[] }>('GET', `${bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
  const text = JSON.stringify(messages.at(-1) ?? {});
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no OTP in the SMS outbox for ${phone}: ${text}`);
  return code;
}

export type SignIn = (
  | { method: 'phone'; typed: string; otpTo: string }
  | { method: 'iin'; iin: string; otpTo: string }
) & { /** chosen on the start screen, before identifying */ locale?: Locale };

/**
 * From the attract screen: start, identify by phone or IIN, and enter the code the bank sent to
 * `otpTo`. Returns once the code is submitted; the caller waits for what it expects next.
 */
export async function signIn(ui: BridgeClient, bankUrl: string, how: SignIn): Promise<void> {
  await ui.begin();
  if (how.locale) ui.send('setLocale', { locale: how.locale });
  ui.send('chooseIdentification', { method: how.method });
  if (how.method === 'phone') {
    await ui.screen('phoneEntry');
    ui.send('submitPhone', { phone: how.typed });
  } else {
    await ui.screen('iinEntry');
    ui.send('submitIin', { iin: how.iin });
  }
  await ui.screen('otpEntry');
  ui.send('submitOtp', { code: await latestOtp(bankUrl, how.otpTo) });
}

export class BridgeClient {
  readonly snapshots: Snapshot[] = [];
  #ws: WebSocket;
  #waiters: Array<() => void> = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const frame = CoreToUi.parse(JSON.parse(String(data)));
      if (frame.type === 'snapshot') {
        this.snapshots.push(frame.snapshot);
        for (const w of this.#waiters.splice(0)) w();
      }
    });
  }

  static async connect(kioskUrl: string, token: string): Promise<BridgeClient> {
    const ws = new WebSocket(`${kioskUrl.replace('http', 'ws')}/bridge?token=${encodeURIComponent(token)}`, { origin: kioskUrl });
    // listen before the socket opens: the core sends the current snapshot straight away
    const client = new BridgeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  get last(): Snapshot | undefined {
    return this.snapshots.at(-1);
  }

  send(name: Intent['name'], payload?: Record<string, unknown>): void {
    this.#ws.send(JSON.stringify({ type: 'intent', intent: { name, payload } }));
  }

  async waitFor(what: string, pred: (s: Snapshot) => boolean, timeoutMs = 15_000): Promise<Snapshot> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = this.last;
      if (s && pred(s)) return s;
      const left = until - Date.now();
      if (left <= 0) {
        const trail = this.snapshots.map((x) => `${x.state}${x.error ? `(${x.error.code})` : ''}[${x.devices.cashAcceptor}]`).join(' > ');
        throw new Error(`timed out waiting for ${what}; trail: ${trail}; last snapshot: ${JSON.stringify(s)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async screen(screen: Snapshot['screen'], timeoutMs?: number): Promise<Snapshot> {
    return this.waitFor(`screen ${screen}`, (s) => s.screen === screen, timeoutMs);
  }

  /** attract -> the start screen */
  async begin(): Promise<Snapshot> {
    this.send('start');
    return this.screen('start');
  }

  close(): void {
    this.#ws.close();
  }
}

export async function http<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** polls `fn` every `everyMs` until it gives a value; a window of a few seconds wants a short `everyMs` */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
