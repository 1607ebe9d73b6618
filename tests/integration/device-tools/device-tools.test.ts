/**
 * The technician's device tools as real processes (`scripts/device.ts`) against the device
 * emulators: the tools find the devices through the kiosk's config (KIOSK_DATA_DIR/run, where
 * the emulators sit), and the test acts as the customer through the control API.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildControlServer } from '../../../simulators/devices/control-server.js';
import type { DeviceEmulator } from '../../../simulators/devices/emulator.js';
import { createCabinetEmulator } from '../../../simulators/devices/cabinet/cabinet-emulator.js';
import { createCardReaderEmulator } from '../../../simulators/devices/card-reader/card-reader-emulator.js';
import { createPalmEmulator } from '../../../simulators/devices/palm/palm-emulator.js';
import { printerEmulatorFactory } from '../../../simulators/devices/printer/printer-emulator.js';
import { testCards } from '../../../simulators/common/test-cards.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let dataDir: string;
let emulators: DeviceEmulator[];
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'device-tools-'));
  const runDir = join(dataDir, 'run');
  await mkdir(runDir);
  emulators = [printerEmulatorFactory, createCardReaderEmulator, createPalmEmulator, createCabinetEmulator].map((make) => make({ runDir }));
  for (const e of emulators) await e.start();
  app = buildControlServer({ emulators });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  for (const e of emulators ?? []) await e.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

interface Run {
  code: Promise<number | null>;
  out: () => string;
  /** resolves once stdout contains `text` */
  saw(text: string, timeoutMs?: number): Promise<void>;
}

/** the config comes from defaults and KIOSK_DATA_DIR alone, whatever the shell running the tests set */
function withoutKioskEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KIOSK_')));
}

function tool(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/device.ts', ...args], {
    cwd: root,
    env: { ...withoutKioskEnv(), KIOSK_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const watchers: Array<() => void> = [];
  const onData = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    for (const w of watchers) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = new Promise<number | null>((r) => child.once('exit', (c) => (clearTimeout(killer), r(c))));
  return {
    code,
    out: () => out,
    saw: (text, timeoutMs = 15_000) =>
      new Promise<void>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no "${text}" within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        const check = (): void => {
          if (out.includes(text)) {
            clearTimeout(timer);
            res();
          }
        };
        watchers.push(check);
        check();
      }),
  };
}

describe('npm run device -- <kind> <command>', () => {
  it('cabinet status shows the switch and door, and follows the emulator', async () => {
    const closed = tool(['cabinet', 'status']);
    expect(await closed.code).toBe(0);
    expect(closed.out()).toMatch(/cabinet board at .*cabinet\.sock: service switch closed, safe door closed/);

    await post('/service-switch', { open: true });
    const open = tool(['cabinet', 'status']);
    expect(await open.code).toBe(0);
    expect(open.out()).toContain('service switch OPEN, safe door closed');
    await post('/service-switch', { open: false });
  });

  it('card swipe prints the masked PAN and nothing else of the card', async () => {
    const card = testCards[0]!;
    const run = tool(['card', 'swipe', '--timeout', '15']);
    await run.saw('swipe a card');
    expect(await post('/card-reader/insert', { pan: card.pan, expiry: card.expiry, name: card.name })).toMatchObject({ delivered: true });
    expect(await run.code).toBe(0);
    expect(run.out()).toContain(`card read: ${card.pan.slice(0, 6)}******${card.pan.slice(-4)}`);
    expect(run.out()).not.toContain(card.pan);
    expect(run.out()).not.toContain(card.expiry);
    expect(run.out()).not.toContain(card.name.split('/')[0]!);
  });

  it('palm capture prints the outcome and template length only', async () => {
    const run = tool(['palm', 'capture', '--timeout', '15']);
    await run.saw('present a hand');
    await post('/palm/present', { subject: 'palm-aigerim' });
    expect(await run.code).toBe(0);
    expect(run.out()).toMatch(/capture ok: template of \d+ bytes/);
    // no run of hex or base64 that could be template bytes
    expect(run.out()).not.toMatch(/[0-9a-f]{32}|[A-Za-z0-9+/]{40}/);
  });

  it('printer test-print prints the test receipt in the configured code page', async () => {
    const run = tool(['printer', 'test-print']);
    expect(await run.code).toBe(0);
    expect(run.out()).toContain('online, cover closed, paper ok');
    expect(run.out()).toContain('test print ok: code page KZ-1048, ESC t 53, 576 dots');
    const receipts = (await (await fetch(`${base}/printer/receipts`)).json()) as Array<{ lines: string[]; qr: string[]; cut: boolean }>;
    const printed = receipts.at(-1);
    expect(printed?.cut).toBe(true);
    expect(printed?.lines).toEqual(expect.arrayContaining(['Қазақша: ӘҒҚҢӨҰҮҺІ әғқңөұүһі', 'Code page: KZ-1048, ESC t 53']));
    expect(printed?.qr[0]).toMatch(/^TEST .* KZ-1048, ESC t 53$/);
  });

  it('a device that is not there is a clear error and exit 1, not a hang', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'device-tools-none-'));
    try {
      const run = tool(['cabinet', 'status'], { KIOSK_DATA_DIR: empty });
      expect(await run.code).toBe(1);
      expect(run.out()).toContain(`cabinet not found: no socket at ${join(empty, 'run', 'cabinet.sock')}`);
      const swipe = tool(['card', 'swipe', '--timeout', '1']);
      expect(await swipe.code).toBe(1);
      expect(swipe.out()).toContain('no card swiped within 1 s');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
