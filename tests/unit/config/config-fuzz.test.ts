/**
 * Seeded fuzzing of the configuration loader (100 000 inputs): mutated valid config files, their
 * text byte-mutated, random JSON, random KIOSK_* environment (known names with random and mutated
 * values, unknown names). Properties: nothing but ConfigError is ever thrown; a change that
 * certainly breaks the contract (an unknown key, a number out of its range or not whole, a string
 * where a number goes) is never accepted; whatever is accepted passes the schema again; no single
 * input takes long.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, configEnvNames, parseConfigText, resolveConfig } from '../../../kiosk/config/load.js';
import { ConfigSchema } from '../../../kiosk/config/schema.js';
import { attempt, mutateJson, mutateText, newTally, paths, pick, prng, randomJson, randomString, type Rand } from '../fuzz/json-fuzz.js';

const VALID = {
  terminalId: 'KZ-ALM-0042',
  dataDir: 'data',
  locale: 'kk',
  log: { level: 'warn' },
  web: { host: '127.0.0.1', port: 7300, allowedOrigins: ['http://127.0.0.1:5173'], bridgeToken: 'b'.repeat(24) },
  bank: { url: 'https://gateway.bank.kz', caFile: 'ca.pem', certFile: 'terminal.pem', keyFile: 'terminal.key', timeoutMs: 8_000 },
  devices: {
    cashAcceptor: { path: '/dev/ttyS0', baudRate: 9600, protocol: 'id003' },
    dispenser: { path: '/dev/ttyS1', baudRate: 9600, cassettesTenge: [2000, 5000], cassetteCapacity: 2000, presenter: true },
    printer: { baudRate: 19200 },
    cardReader: { transport: 'hid', vendorId: 0x0801, productId: 0x0002 },
    palm: { transport: 'socket' },
    cabinet: { transport: 'hid', path: '/dev/hidraw3' },
  },
  timeouts: { inactivityMs: 30_000, moreTimeMs: 10_000, cashTakeMs: 20_000, approvalMs: 60_000, otpValidityMs: 120_000, otpResendMs: 30_000 },
  offline: { perPaymentTiyn: 1_000_000, totalTiyn: 10_000_000 },
  receipt: { bankName: 'Bank', address: 'Almaty, Abay 1' },
  identification: { methods: ['phone', 'card', 'iin'] },
  storage: { minFreeMb: 100 },
  service: { technicianCode: '2468' },
  fleet: { journalUploadEveryEntries: 100, journalUploadEveryMinutes: 5, statusHeartbeatMs: 30_000, statusMinIntervalMs: 1_000, cashBoxCapacity: 1_000 },
};

/** integer leaves and their allowed ranges: a value outside is certainly refused */
const NUMBERS: Array<[string[], number, number]> = [
  [['web', 'port'], 1, 65535],
  [['bank', 'timeoutMs'], 100, 120_000],
  [['timeouts', 'inactivityMs'], 5_000, 600_000],
  [['timeouts', 'cashTakeMs'], 5_000, 300_000],
  [['devices', 'cashAcceptor', 'baudRate'], 1200, 921600],
  [['devices', 'dispenser', 'cassetteCapacity'], 1, 10_000],
  [['storage', 'minFreeMb'], 1, 10_000_000],
  [['fleet', 'cashBoxCapacity'], 1, 100_000],
];
const SECTIONS = [[], ['web'], ['bank'], ['devices'], ['devices', 'printer'], ['timeouts'], ['offline'], ['fleet'], ['receipt']];
const ENV_NAMES = configEnvNames().filter((n) => n !== 'KIOSK_CONFIG' && n !== 'KIOSK_TEST_ARTIFACTS');
const CWD = '/nonexistent/kiosk';

function at(doc: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node = doc;
  for (const key of path) node = node[key] as Record<string, unknown>;
  return node;
}

/** a copy of the valid config with one change the schema must refuse */
function invalidate(r: Rand): Record<string, unknown> {
  const doc = JSON.parse(JSON.stringify(VALID)) as Record<string, unknown>;
  if (r.chance(0.3)) {
    at(doc, pick(r, SECTIONS))[pick(r, ['colour', 'port_', 'Port', '__proto__x', 'extra'])] = randomJson(r, 3);
    return doc;
  }
  const [path, min, max] = pick(r, NUMBERS);
  at(doc, path.slice(0, -1))[path.at(-1) as string] = pick(r, [min - 1, max + 1, min + 0.5, String(min), null, true, [min], -(2 ** 53), 1e21]);
  return doc;
}

/** a random KIOSK_* environment: known names with random or near-valid values, sometimes an unknown name */
function randomEnv(r: Rand): { env: Record<string, string>; unknown: boolean } {
  const env: Record<string, string> = {};
  let unknown = false;
  for (let n = 1 + r.int(3); n > 0; n--) {
    if (r.chance(0.1)) {
      env[`KIOSK_${randomString(r).toUpperCase().replace(/[^A-Z_]/g, '') || 'X'}_NOPE`] = '1';
      unknown = true;
    } else {
      env[pick(r, ENV_NAMES)] = pick(r, [randomString(r), String(r.int(1_000_000) - 1000), '7300', 'true', 'false', '', ' 42 ', '1,2,3', 'phone,card', '5000,10000', 'https://gw.bank.kz', '-1', '1e3', '0x10']);
    }
  }
  return { env, unknown };
}

const typed = (err: unknown): boolean => err instanceof ConfigError;
const TOTAL = 100_000;

describe('config loader fuzz', () => {
  it('the valid config loads (the generator starts from something the loader takes)', () => {
    const c = resolveConfig(parseConfigText(JSON.stringify(VALID), 'kiosk.json'), {}, CWD);
    expect(c.web.port).toBe(7300);
    expect(c.devices.dispenser.cassettesTenge).toEqual([2000, 5000]);
  });

  it(`${TOTAL} inputs: only ConfigError, nothing invalid accepted, what loads passes the schema again`, () => {
    const r = prng(0xc0f1);
    const tally = newTally();
    let invalidAccepted = 0;
    let firstInvalidAccepted: string | undefined;
    let notReparsed: string | undefined;
    let certain = 0;
    const validText = JSON.stringify(VALID);
    const validPaths = paths(VALID);
    const started = performance.now();
    for (let i = 0; i < TOTAL; i++) {
      let text = validText;
      let env: Record<string, string> = {};
      let mustRefuse = false;
      switch (i % 10) {
        case 0: case 1: case 2:
          text = JSON.stringify(mutateJson(r, VALID, validPaths));
          break;
        case 3: case 4:
          text = JSON.stringify(invalidate(r));
          mustRefuse = true;
          break;
        case 5:
          text = mutateText(r, validText);
          break;
        case 6:
          text = JSON.stringify(randomJson(r)) ?? 'null';
          break;
        case 7:
          text = r.chance(0.5) ? randomString(r) : mutateText(r, '{}');
          break;
        default: {
          const e = randomEnv(r);
          env = e.env;
          mustRefuse = e.unknown;
          if (r.chance(0.5)) text = '{}';
        }
      }
      if (mustRefuse) certain++;
      const out = attempt(tally, { text, env }, () => resolveConfig(parseConfigText(text, 'kiosk.json'), env, CWD), typed);
      if (!out.ok) continue;
      if (mustRefuse) {
        invalidAccepted++;
        firstInvalidAccepted ??= `${text.slice(0, 300)} ${JSON.stringify(env)}`;
      }
      if (notReparsed === undefined && !ConfigSchema.safeParse(out.value).success) notReparsed = `${text.slice(0, 300)} ${JSON.stringify(env)}`;
    }
    const elapsed = performance.now() - started;
    console.info(`config fuzz: ${tally.inputs} inputs, ${tally.accepted} accepted, ${tally.refused} refused, ${certain} certainly invalid, ${elapsed.toFixed(0)} ms, slowest ${tally.slowestMs.toFixed(1)} ms`);
    expect(tally.firstUntyped).toBeUndefined();
    expect(tally.untyped).toBe(0);
    expect(firstInvalidAccepted).toBeUndefined();
    expect(invalidAccepted).toBe(0);
    expect(notReparsed).toBeUndefined();
    expect(tally.inputs).toBe(TOTAL);
    expect(tally.accepted).toBeGreaterThan(TOTAL / 20);
    expect(certain).toBeGreaterThan(TOTAL / 5);
    expect(tally.slowestMs).toBeLessThan(1_000);
  }, 120_000); // a few seconds on an idle machine; the bound is for a loaded one
});
