/**
 * Which identification methods a terminal offers: the `identification.methods` key (file and
 * KIOSK_IDENTIFICATION_METHODS), its one-line errors, and the real session honouring it (palm left
 * out: no hand watched for on the attract screen, no palm on the start screen, refused if asked).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configEnvNames } from '../../../kiosk/config/load.js';
import { useConfigDir } from './load.js';
import { sessionConfigFrom } from '../../../kiosk/runtime/session-runtime.js';
import { Intent, Snapshot } from '../../../kiosk/bridge/schema.js';
import { startSession, type RunningSession } from '../../../kiosk/session/start-session.js';
import { defaultTimeouts } from '../../../kiosk/session/ports.js';
import { fakeWorld } from '../session/fakes.js';
import { sleep } from '../../../domain/async.js';

const config = useConfigDir('kiosk-config-ident-');
const { load, errorOf } = config;
let running: RunningSession | undefined;
// registered after the folder's hooks, so it runs before the folder is removed
afterEach(() => {
  running?.close();
  running = undefined;
});

const methodsOf = (env: Record<string, string> = {}) => sessionConfigFrom(load(env), [500_000, 1_000_000]).identificationMethods;

describe('identification.methods', () => {
  it('defaults to all five, in the start screen order', () => {
    expect(load().identification.methods).toEqual(['phone', 'iin', 'card', 'palm', 'qr']);
    expect(methodsOf()).toEqual(['phone', 'iin', 'card', 'palm', 'qr']);
    expect(configEnvNames()).toContain('KIOSK_IDENTIFICATION_METHODS');
  });

  it('comes from the environment as a comma list; the session gets it in the start screen order', () => {
    expect(load({ KIOSK_IDENTIFICATION_METHODS: 'qr, phone' }).identification.methods).toEqual(['qr', 'phone']);
    expect(methodsOf({ KIOSK_IDENTIFICATION_METHODS: 'qr, phone' })).toEqual(['phone', 'qr']);
    expect(methodsOf({ KIOSK_IDENTIFICATION_METHODS: 'card' })).toEqual(['card']);
  });

  it('comes from the file, and the environment wins over it', async () => {
    const file = join(config.dir, 'k.json');
    await writeFile(file, JSON.stringify({ identification: { methods: ['phone', 'iin', 'card', 'qr'] } }));
    expect(methodsOf({ KIOSK_CONFIG: file })).toEqual(['phone', 'iin', 'card', 'qr']);
    expect(methodsOf({ KIOSK_CONFIG: file, KIOSK_IDENTIFICATION_METHODS: 'palm' })).toEqual(['palm']);
  });

  it('stops start-up with one line for an empty list, an unknown method, a repeat or an unknown key', async () => {
    const list = 'must be a non-empty list of phone, iin, card, palm, qr without repeats';
    expect(errorOf({ KIOSK_IDENTIFICATION_METHODS: '' })).toMatch(new RegExp(`^config error: identification\\.methods: ${list}`));
    expect(errorOf({ KIOSK_IDENTIFICATION_METHODS: ' , ' })).toMatch(/identification\.methods: must be a non-empty list/);
    expect(errorOf({ KIOSK_IDENTIFICATION_METHODS: 'phone,face' })).toMatch(/^config error: identification\.methods\.1: must be one of phone, iin, card, palm, qr/);
    expect(errorOf({ KIOSK_IDENTIFICATION_METHODS: 'phone,phone' })).toMatch(/identification\.methods: must be a non-empty list .* without repeats/);
    for (const m of [errorOf({ KIOSK_IDENTIFICATION_METHODS: 'x,y' })]) expect(m.split('\n')).toHaveLength(1);
    const file = join(config.dir, 'bad.json');
    await writeFile(file, JSON.stringify({ identification: { methods: ['phone'], palm: false } }));
    expect(errorOf({ KIOSK_CONFIG: file })).toMatch(/identification/);
  });
});

describe('the session honours the configured methods', () => {
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  };

  function open(env: Record<string, string>) {
    const world = fakeWorld();
    const config = sessionConfigFrom(load(env), [500_000, 1_000_000]);
    world.ports.config = { ...config, timeouts: { ...defaultTimeouts, ...config.timeouts, palmPresencePollMs: 2 } };
    const session = startSession(world.ports);
    running = session;
    const intent = async (name: string, payload?: Record<string, unknown>): Promise<Snapshot> => {
      session.dispatch(Intent.parse({ name, payload }));
      await flush();
      return Snapshot.parse(session.snapshot());
    };
    return { ...world, session, intent };
  }

  it('palm listed: the attract screen watches for a hand', async () => {
    const k = open({});
    for (let i = 0; i < 100 && k.session.snapshot().attract?.palm !== true; i++) await sleep(2);
    expect(k.session.snapshot().attract?.palm).toBe(true);
    expect(k.palm.presenceChecks).toBeGreaterThan(0);
  });

  it('palm left out: no hand watched for, not on the start screen, refused if asked for', async () => {
    const k = open({ KIOSK_IDENTIFICATION_METHODS: 'phone,iin,card,qr' });
    k.palm.hand = true;
    await sleep(30);
    expect(k.session.snapshot().screen).toBe('attract');
    expect(k.session.snapshot().attract?.palm).toBe(false);
    expect(k.palm.presenceChecks).toBe(0);
    let s = await k.intent('start');
    expect(s.screen).toBe('start');
    expect(s.identificationMethods).toEqual(['phone', 'iin', 'card', 'qr']);
    s = await k.intent('chooseIdentification', { method: 'palm' });
    expect(s.screen).toBe('start');
    expect(s.error?.code).toBe('restricted');
    expect(k.palm.captures).toBe(0);
    s = await k.intent('chooseIdentification', { method: 'phone' });
    expect(s.screen).toBe('phoneEntry');
  });

  it('cards left out: a card inserted on the attract screen is handed back, never read for identification', async () => {
    const k = open({ KIOSK_IDENTIFICATION_METHODS: 'phone,iin' });
    k.cardReader.insert();
    await flush();
    expect(k.session.snapshot().screen).toBe('goodbye');
    expect(k.log).toContain('card.eject');
    expect(k.bank.identifyCalls).toEqual([]);
    k.cardReader.remove();
    await flush();
    expect(k.log.filter((l) => l === 'card.capture')).toEqual([]);
  });

  it('cards listed: an inserted card signs in as before', async () => {
    const k = open({ KIOSK_IDENTIFICATION_METHODS: 'card' });
    k.cardReader.insert();
    await flush();
    expect(k.session.snapshot().screen).toBe('otpEntry');
    expect(k.bank.identifyCalls.map((q) => q.by)).toEqual(['card']);
  });

  it('only the phone: the start screen offers nothing else', async () => {
    const k = open({ KIOSK_IDENTIFICATION_METHODS: 'phone' });
    const s = await k.intent('start');
    expect(s.identificationMethods).toEqual(['phone']);
    expect((await k.intent('chooseIdentification', { method: 'qr' })).error?.code).toBe('restricted');
  });
});
