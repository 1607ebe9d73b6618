/**
 * The web shell as a kiosk's Chromium sees it: the page's own script opens the bridge with the
 * token from its URL and drives the idle session; an inline script is blocked by the CSP.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../kiosk/config/load.js';
import { startCore, type Core } from '../../../kiosk/core.js';
import { createLogger } from '../../../kiosk/log/logger.js';

const TOKEN = 'chromium-test-token-0123456789';
let dir: string;
let core: Core;
let browser: Browser;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>kiosk</title>
<script>window.inlineRan = true;</script>
<script type="module" src="/assets/bridge-probe.js"></script></head><body><pre id="log"></pre></body></html>`;

// what a renderer does: token from the page URL, same-origin WebSocket, intents out, snapshots in
const PROBE = `
const token = new URLSearchParams(location.search).get('token');
const ws = new WebSocket(\`ws://\${location.host}/bridge?token=\${encodeURIComponent(token)}\`);
const seen = [];
window.bridgeSeen = seen;
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  seen.push(m.type === 'snapshot' ? m.snapshot.screen + ':' + m.snapshot.locale : m.type);
  if (seen.length === 2) ws.send(JSON.stringify({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'kk' } } }));
  if (seen.length === 3) ws.send(JSON.stringify({ type: 'intent', intent: { name: 'start' } }));
};
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-chromium-'));
  const renderer = join(dir, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), PAGE);
  await writeFile(join(renderer, 'assets', 'bridge-probe.js'), PROBE);
  const config = loadConfig({ cwd: dir, env: { KIOSK_BRIDGE_TOKEN: TOKEN, KIOSK_WEB_RENDERER_DIR: renderer } });
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  core = await startCore({ ...config, web: { ...config.web, port: 0 } }, { logger: createLogger({ destination: quiet }) });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterAll(async () => {
  await browser?.close();
  await core?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('web shell in Chromium', () => {
  it('drives the session through the bridge from the page, and the CSP blocks inline script', async () => {
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${core.url}/?token=${TOKEN}`);
    await page.waitForFunction(() => (globalThis as unknown as { bridgeSeen?: string[] }).bridgeSeen?.length === 4, undefined, { timeout: 5000 });
    const seen = await page.evaluate(() => (globalThis as unknown as { bridgeSeen: string[] }).bridgeSeen);
    expect(seen).toEqual(['hello', 'attract:ru', 'attract:kk', 'start:kk']);
    expect(await page.evaluate(() => (globalThis as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    expect(cspErrors.length).toBeGreaterThan(0);
    await page.close();
  });

  it('without the token the page gets no session', async () => {
    const page = await browser.newPage();
    await page.goto(`${core.url}/`);
    const code = await page.evaluate(
      (host) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://${host}/bridge`);
          ws.onclose = (e) => resolve(e.code);
        }),
      new URL(core.url).host,
    );
    expect(code).toBe(4401);
    await page.close();
  });
});
