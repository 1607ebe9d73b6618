/**
 * Seeded fuzzing of every bridge intent's schema through the frame parser the transports use
 * (100 000 frames): valid intents mutated, certainly-invalid changes (an extra payload key, an
 * unknown name, an amount that is not whole tiyn, a wrong envelope), byte-mutated frame text,
 * random JSON and random text. Properties: the parser never throws, it answers every refusal with a
 * short reason that never echoes a code the customer typed, it never accepts a certainly invalid
 * frame, whatever it accepts has only its intent's payload keys and whole tiyn, and no frame takes long.
 */
import { describe, expect, it } from 'vitest';
import { parseUiFrame } from '../../../kiosk/bridge/bridge-link.js';
import { Intent } from '../../../kiosk/bridge/schema.js';
import { attempt, mutateJson, mutateText, newTally, pick, prng, randomJson, randomString, type Rand } from '../fuzz/json-fuzz.js';

/** one valid intent of every name */
const SAMPLES: Record<string, Record<string, unknown> | undefined> = {
  start: undefined,
  setLocale: { locale: 'kk' },
  chooseIdentification: { method: 'phone' },
  payWithoutIdentification: {},
  submitPhone: { phone: '87011234567' },
  submitIin: { iin: '900101300123' },
  submitBirthDate: { birthDate: '1990-01-01' },
  submitPersonalCode: { code: '4321' },
  submitOtp: { code: '583920' },
  resendOtp: undefined,
  chooseOperation: { operation: 'cashIn' },
  selectProduct: { productId: 'a-aigerim-cur' },
  selectService: { serviceId: 'svc-mobile' },
  submitReference: { reference: '87019998877' },
  selectPaymentSource: { source: 'product', productId: 'a-1' },
  selectAmount: { amount: 2_000_000 },
  finishCashIn: undefined,
  confirm: {},
  cancel: undefined,
  back: undefined,
  chooseReceipt: { choice: 'sms' },
  submitReceiptPhone: { phone: '+77011234567' },
  moreTime: undefined,
  finish: undefined,
  serviceLogin: { code: '123456' },
  serviceAction: { action: 'collect', params: { 'cassette:0': 10, note: 'ok' } },
};
const NAMES = Object.keys(SAMPLES);
const frameOf = (name: string, payload: unknown): Record<string, unknown> => ({ type: 'intent', intent: payload === undefined ? { name } : { name, payload } });
/** what the customer or technician types: a refusal must never repeat it */
const TYPED = new Set(['code', 'phone', 'iin', 'birthDate', 'reference']);

function certainlyInvalid(r: Rand): Record<string, unknown> {
  const name = pick(r, NAMES);
  const payload = SAMPLES[name] ?? {};
  switch (r.int(4)) {
    case 0: return frameOf(name, { ...payload, [pick(r, ['pan', 'pin', 'extra', 'amount_', 'Code'])]: randomJson(r, 3) });
    case 1: return frameOf(`${name}${pick(r, ['X', 's', '_', ' '])}`, payload);
    case 2: return frameOf('selectAmount', { amount: pick(r, [-1, 0.5, 1e21, 2 ** 53, '100', null, [1]]) });
    default: return { ...frameOf(name, SAMPLES[name]), type: pick(r, ['snapshot', 'Intent', '', null, 1]) };
  }
}

function typedValues(frame: unknown): string[] {
  const intent = (frame as { intent?: { payload?: Record<string, unknown> } } | null)?.intent;
  const payload = intent?.payload;
  if (payload === null || typeof payload !== 'object') return [];
  return Object.entries(payload).filter(([k, v]) => TYPED.has(k) && typeof v === 'string' && /[0-9]{4,}/.test(v)).map(([, v]) => v as string);
}

/** why an accepted intent would be wrong, if it is */
function flaw(intent: Intent): string | undefined {
  if (!NAMES.includes(intent.name)) return `unknown name ${intent.name}`;
  const sample = SAMPLES[intent.name];
  const payload = (intent as { payload?: Record<string, unknown> }).payload;
  const allowed = new Set([...Object.keys(sample ?? {}), ...(intent.name === 'selectPaymentSource' ? ['productId'] : [])]);
  for (const key of Object.keys(payload ?? {})) if (!allowed.has(key)) return `${intent.name}: payload key ${key} accepted`;
  const amount = payload?.amount;
  if (amount !== undefined && !(typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0)) return `amount ${String(amount)} accepted`;
  return undefined;
}

const TOTAL = 100_000;
const encoder = new TextEncoder();

describe('bridge intent fuzz', () => {
  it('has a valid sample of every intent the schema knows', () => {
    const known = Intent.options.map((o) => o.shape.name.value);
    expect([...known].sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(parseUiFrame(JSON.stringify(frameOf(name, SAMPLES[name]))).ok, name).toBe(true);
  });

  it(`${TOTAL} frames: never throws, refuses what is invalid without echoing codes, accepts only clean intents`, () => {
    const r = prng(0x1b7e);
    const tally = newTally();
    let invalidAccepted: string | undefined;
    let echoed: string | undefined;
    let badReason: string | undefined;
    let flawed: string | undefined;
    let certain = 0;
    let intents = 0;
    const started = performance.now();
    for (let i = 0; i < TOTAL; i++) {
      const name = pick(r, NAMES);
      let frame: unknown;
      let text: string;
      let mustRefuse = false;
      switch (i % 10) {
        case 0: case 1: case 2: case 3:
          frame = mutateJson(r, frameOf(name, SAMPLES[name]));
          text = JSON.stringify(frame) ?? 'null';
          break;
        case 4: case 5:
          frame = certainlyInvalid(r);
          mustRefuse = true;
          certain++;
          text = JSON.stringify(frame);
          break;
        case 6:
          frame = frameOf(name, SAMPLES[name]);
          text = mutateText(r, JSON.stringify(frame));
          break;
        case 7:
          frame = frameOf(name, randomJson(r));
          text = JSON.stringify(frame);
          break;
        case 8:
          frame = randomJson(r);
          text = JSON.stringify(frame) ?? 'null';
          break;
        default:
          frame = undefined;
          text = randomString(r);
      }
      const raw = r.chance(0.2) ? encoder.encode(text) : text;
      const out = attempt(tally, text, () => parseUiFrame(raw), () => false);
      if (!out.ok) continue;
      const result = out.value;
      if (result.ok) {
        intents++;
        if (mustRefuse) invalidAccepted ??= text.slice(0, 300);
        flawed ??= flaw(result.intent);
        continue;
      }
      if (typeof result.reason !== 'string' || result.reason.length === 0 || result.reason.length > 200) badReason ??= String(result.reason);
      for (const v of typedValues(frame)) if (result.reason.includes(v)) echoed ??= `${v} in "${result.reason}"`;
    }
    const elapsed = performance.now() - started;
    const accepted = tally.accepted;
    console.info(`intent fuzz: ${tally.inputs} frames, ${intents} valid intents, ${certain} certainly invalid, ${elapsed.toFixed(0)} ms, slowest ${tally.slowestMs.toFixed(1)} ms`);
    expect(tally.firstUntyped).toBeUndefined();
    expect(tally.untyped).toBe(0);
    expect(accepted).toBe(TOTAL);
    expect(invalidAccepted).toBeUndefined();
    expect(flawed).toBeUndefined();
    expect(badReason).toBeUndefined();
    expect(echoed).toBeUndefined();
    expect(certain).toBeGreaterThan(TOTAL / 10);
    expect(intents).toBeGreaterThan(TOTAL / 20);
    expect(tally.slowestMs).toBeLessThan(1_000);
  }, 120_000); // a few seconds on an idle machine; the bound is for a loaded one
});
