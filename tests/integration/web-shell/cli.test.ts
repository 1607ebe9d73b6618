/** `npm run kiosk` as a real process: a bad config is one line and exit 2; SIGTERM stops it cleanly. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runCli(env: Record<string, string>, args: string[] = []) {
  // cwd is a bare temp folder (no config/kiosk.json), so tsx is named by path
  const tsx = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(process.cwd(), 'kiosk/cli.ts'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** a port that was free a moment ago (the CLI's config wants a real port number) */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('kiosk cli', () => {
  it('stops with one line naming the key and exit code 2 on a bad config', async () => {
    const run = runCli({ KIOSK_WEB_PORT: 'abc' });
    expect(await run.exited).toBe(2);
    expect(run.err().trim()).toBe('config error: web.port: must be an integer 1-65535 (got "abc" from KIOSK_WEB_PORT)');
    expect(run.out()).toBe('');
  });

  it('stops with one line and exit code 2 on a data folder it cannot make, a missing certificate, an exposed web shell or development secrets with a real bank', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ KIOSK_DATA_DIR: '/proc/nope' }, /^config error: dataDir: cannot create \/proc\/nope \(ENOENT\)$/],
      [{ KIOSK_BANK_CA_FILE: '/nonexistent/bank-ca.pem' }, /^config error: bank\.caFile: cannot read \/nonexistent\/bank-ca\.pem \(ENOENT\)$/],
      [{ KIOSK_WEB_HOST: '0.0.0.0' }, /^config error: web\.host: "0\.0\.0\.0" is not loopback/],
      [{ KIOSK_BANK_URL: 'https://terminal-gw.bank.example' }, /^config error: card\.tokenKey is the development key; service\.technicianCode is the development code: not allowed/],
    ];
    for (const [env, line] of cases) {
      const run = runCli(env);
      expect(await run.exited).toBe(2);
      expect(run.err().trim()).toMatch(line);
      expect(run.err().trim().split('\n')).toHaveLength(1);
      expect(run.out()).toBe('');
    }
  });

  it('does not print the bridge token unless asked', async () => {
    const port = await freePort();
    const run = runCli({ KIOSK_WEB_PORT: String(port), KIOSK_BRIDGE_TOKEN: 'cli-test-token-0123456789' });
    // start-up time is the machine's business: poll until the line comes or the core exits; the test's timeout bounds the wait
    let exited = false;
    void run.exited.then(() => (exited = true));
    while (!exited && !run.out().includes('kiosk core: open')) await new Promise((r) => setTimeout(r, 150));
    expect(run.out()).toContain(`kiosk core: open http://127.0.0.1:${port}/ (bridge token: KIOSK_BRIDGE_TOKEN, or run with --print-token)`);
    expect(run.out()).not.toContain('cli-test-token-0123456789');
    // the development secrets with the local simulator: a warning in the log, not a refusal
    expect(run.out()).toMatch(/card\.tokenKey is the development key; change it before this terminal talks to a real bank/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('serves, then shuts down gracefully on SIGTERM', async () => {
    const port = await freePort();
    const run = runCli({ KIOSK_WEB_PORT: String(port), KIOSK_BRIDGE_TOKEN: 'cli-test-token-0123456789' }, ['--print-token']);
    // Start-up time is the machine's business (a loaded CI box takes far longer than a quiet one): poll until
    // the core answers or exits; the test's own timeout bounds the wait.
    let exited = false;
    void run.exited.then(() => (exited = true));
    let health: unknown;
    while (!exited && health === undefined) {
      try {
        health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      } catch {
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    expect(health).toMatchObject({ status: 'ok' });
    expect(run.out()).toContain(`http://127.0.0.1:${port}/?token=cli-test-token-0123456789`);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('kiosk core stopped');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
