import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../kiosk/config/load.js';
import { startCore, type Core } from '../../../kiosk/core.js';
import { createLogger } from '../../../kiosk/log/logger.js';
import { CoreToUi, MAX_FRAME_BYTES } from '../../../kiosk/bridge/schema.js';

const TOKEN = 'integration-test-token-0123456789';
let dir: string;
let core: Core;
let logLines: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-web-shell-'));
  const renderer = join(dir, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>kiosk</title><script type="module" src="/assets/app-1a2b.js"></script>');
  await writeFile(join(renderer, 'assets', 'app-1a2b.js'), 'console.log("kiosk")');
  await writeFile(join(renderer, 'assets', 'app-1a2b.js.map'), '{"version":3,"sources":["../src/app.tsx"]}');
  const config = loadConfig({
    cwd: dir,
    env: { KIOSK_WEB_PORT: '1', KIOSK_BRIDGE_TOKEN: TOKEN, KIOSK_WEB_RENDERER_DIR: renderer, KIOSK_DATA_DIR: join(dir, 'data') },
  });
  logLines = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  // port 0: the schema wants 1-65535 for real sites; tests take an ephemeral port
  core = await startCore({ ...config, web: { ...config.web, port: 0 } }, { logger: createLogger({ destination }) });
});

afterAll(async () => {
  await core?.stop();
  await rm(dir, { recursive: true, force: true });
});

const wsUrl = (token?: string): string => `${core.url.replace('http', 'ws')}/bridge${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

/** opens a bridge socket and collects validated messages */
async function connect(token = TOKEN, headers: Record<string, string> = {}) {
  const ws = new WebSocket(wsUrl(token), { headers });
  const messages: CoreToUi[] = [];
  const waiters: { pred: (m: CoreToUi) => boolean; resolve: (m: CoreToUi) => void }[] = [];
  ws.on('message', (data: Buffer) => {
    const m = CoreToUi.parse(JSON.parse(data.toString()));
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (pred: (m: CoreToUi) => boolean, timeoutMs = 3000): Promise<CoreToUi> => {
    const found = messages.find(pred);
    if (found) {
      messages.splice(messages.indexOf(found), 1);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message in time')), timeoutMs);
      waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          messages.splice(messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  };
  const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
  return { ws, messages, next, closed };
}

function closeCode(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => reject(new Error('socket was not closed')), 3000);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    ws.once('error', () => undefined);
  });
}

describe('web shell over HTTP', () => {
  it('GET /healthz reports ok as JSON', async () => {
    const res = await fetch(`${core.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ status: 'ok', screen: 'attract', terminalId: expect.any(String), devices: { bank: 'offline' } });
  });

  it('GET /metrics serves the Prometheus registry', async () => {
    const res = await fetch(`${core.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^# HELP kiosk_bridge_clients /m);
    expect(text).toMatch(/kiosk_build_info\{version="[^"]+",terminal="KZ-DEV-0001"\} 1/);
    expect(text).toMatch(/kiosk_process_cpu_user_seconds_total\{/);
  });

  it('answers /healthz and /metrics only to a Host that is this machine (no DNS rebinding)', async () => {
    const get = (path: string, host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.request(`${core.url}${path}`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const port = new URL(core.url).port;
    for (const path of ['/healthz', '/metrics']) {
      expect(await get(path, `attacker.example:${port}`)).toBe(421);
      expect(await get(path, 'attacker.example')).toBe(421);
      expect(await get(path, `127.0.0.1:${port}`)).toBe(200);
      expect(await get(path, `localhost:${port}`)).toBe(200);
      expect(await get(path, `[::1]:${port}`)).toBe(200);
    }
    expect(logLines.join('')).toMatch(/Host header names another site/);
  });

  it('never serves a source map', async () => {
    expect((await fetch(`${core.url}/assets/app-1a2b.js`)).status).toBe(200);
    expect((await fetch(`${core.url}/assets/app-1a2b.js.map`)).status).toBe(404);
  });

  it('serves index.html with a strict CSP and no caching', async () => {
    const res = await fetch(`${core.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>kiosk</title>');
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('answers the browser\'s favicon request without a 404', async () => {
    expect((await fetch(`${core.url}/favicon.ico`)).status).toBe(204);
  });

  it('serves hashed assets as immutable', async () => {
    const res = await fetch(`${core.url}/assets/app-1a2b.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('falls back to index.html for client routes, but not for missing files', async () => {
    const page = await fetch(`${core.url}/service/menu`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toMatch(/no-store/);
    expect(await page.text()).toContain('<title>kiosk</title>');
    const missing = await fetch(`${core.url}/assets/missing.js`, { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
  });
});

describe('bridge WebSocket', () => {
  it('closes a connection with no token or a wrong token with 4401', async () => {
    expect(await closeCode(wsUrl())).toBe(4401);
    expect(await closeCode(wsUrl('wrong-token'))).toBe(4401);
    expect(logLines.join('')).not.toContain('wrong-token');
  });

  it('refuses a foreign origin even with the token', async () => {
    expect(await closeCode(wsUrl(TOKEN), { origin: 'http://evil.example' })).toBe(4403);
  });

  it('sends hello then the current snapshot, and pushes each new one', async () => {
    const c = await connect(TOKEN, { origin: core.url });
    expect(await c.next(() => true)).toEqual({ type: 'hello', protocol: 1 });
    expect(await c.next(() => true)).toMatchObject({ type: 'snapshot', snapshot: { screen: 'attract', locale: 'ru' } });
    c.ws.send(JSON.stringify({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'kk' } } }));
    expect(await c.next((m) => m.type === 'snapshot')).toMatchObject({ snapshot: { screen: 'attract', locale: 'kk' } });
    c.ws.send(JSON.stringify({ type: 'intent', intent: { name: 'start' } }));
    expect(await c.next((m) => m.type === 'snapshot')).toMatchObject({ snapshot: { screen: 'start', locale: 'kk' } });
    c.ws.send(JSON.stringify({ type: 'intent', intent: { name: 'cancel' } }));
    expect(await c.next((m) => m.type === 'snapshot')).toMatchObject({ snapshot: { screen: 'attract' } });
    c.ws.close();
    await c.closed;
  });

  it('answers an invalid intent with rejected and never lets it reach the session', async () => {
    const c = await connect();
    await c.next((m) => m.type === 'snapshot');
    const before = core.sessionHost.snapshot();
    c.ws.send(JSON.stringify({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'de' } } }));
    expect(await c.next((m) => m.type === 'rejected')).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/invalid message/) });
    c.ws.send('not json at all');
    expect(await c.next((m) => m.type === 'rejected')).toMatchObject({ reason: 'frame is not JSON' });
    expect(core.sessionHost.snapshot()).toBe(before);
    // the connection is still alive: a valid intent after the bad ones is served
    c.ws.send(JSON.stringify({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'en' } } }));
    expect(await c.next((m) => m.type === 'snapshot')).toMatchObject({ snapshot: { locale: 'en' } });
    const metrics = await (await fetch(`${core.url}/metrics`)).text();
    expect(metrics).toMatch(/kiosk_bridge_rejected_total\{transport="websocket",terminal="KZ-DEV-0001"\} [2-9]/);
    c.ws.close();
    await c.closed;
  });

  it('closes the connection on a frame above the size limit', async () => {
    const c = await connect();
    await c.next((m) => m.type === 'snapshot');
    c.ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    const { code } = await c.closed;
    expect(code).toBe(1009);
  });

  it('counts open clients in /healthz', async () => {
    const c = await connect();
    await c.next((m) => m.type === 'snapshot');
    const health = (await (await fetch(`${core.url}/healthz`)).json()) as { bridgeClients: number };
    expect(health.bridgeClients).toBe(1);
    c.ws.close();
    await c.closed;
  });
});
