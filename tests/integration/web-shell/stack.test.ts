/** The process stack behind `npm start` and the e2e setup: real children, readiness probes, clean stop. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../scripts/lib/stack.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let dir: string;
let stack: Stack | undefined;
const TOKEN = 'stack-test-token-0123456789';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-stack-'));
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('server stack', () => {
  it('starts the simulators and the core, ready and wired together, and stops them all', async () => {
    stack = await startStack({
      root: process.cwd(),
      bankPort: await freePort(),
      devicesPort: await freePort(),
      kioskPort: await freePort(),
      dataDir: join(dir, 'data'),
      token: TOKEN,
      output: 'quiet',
    });
    const health = (await (await fetch(`${stack.kioskUrl}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect((await fetch(`${stack.devicesUrl}/devices`)).status).toBe(200);
    expect(stack.uiUrl).toBe(`${stack.kioskUrl}/?token=${TOKEN}`);
    for (const s of stack.services) expect(s.child.exitCode).toBeNull();

    await stack.stop();
    for (const s of stack.services) expect(s.child.exitCode !== null || s.child.signalCode !== null).toBe(true);
    await expect(fetch(`${stack.kioskUrl}/healthz`)).rejects.toThrow();
    stack = undefined;
  });

  it('fails with the name of a service that cannot start, leaving nothing running', async () => {
    // holds the kiosk's port; drops every connection so probes fail fast and close() does not wait on them
    const busy = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const address = busy.address();
    const taken = address && typeof address === 'object' ? address.port : 0;
    const devicesPort = await freePort();
    try {
      await expect(
        startStack({ root: process.cwd(), bankPort: await freePort(), devicesPort, kioskPort: taken, dataDir: join(dir, 'data2'), token: TOKEN, output: 'quiet' }),
      ).rejects.toThrow(/kiosk exited/);
      // the device simulators that did start were stopped again
      await expect(fetch(`http://127.0.0.1:${devicesPort}/devices`)).rejects.toThrow();
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });
});
