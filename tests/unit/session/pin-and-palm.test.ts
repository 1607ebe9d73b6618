/**
 * PIN change (set on the customer's phone, never at the terminal) and a palm presented on the
 * attract screen, through the real session (machine + actors from ports + host + device events)
 * over in-memory ports and a manual clock.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import type { SessionConfig } from '../../../kiosk/session/ports.js';
import { fakeWorld } from './fakes.js';
import { flush, kioskOpener, type Kiosk } from './kiosk.js';
import { CARD, SECRET_OTP, testConfig } from './world.js';
import { sleep } from '../../../domain/async.js';
import type { AnyMachineSnapshot } from 'xstate';
import { flowContext } from '../../../kiosk/session/flow-view.js';
import type { IdentificationContext } from '../../../kiosk/session/identification-machine.js';

/** the method the running identification flow identifies by */
const identifiedBy = (k: Kiosk) => flowContext<IdentificationContext>(k.session.actor.getSnapshot() as AnyMachineSnapshot, 'identification')?.method;


const fastPalm: SessionConfig = { ...testConfig, timeouts: { ...testConfig.timeouts, palmPresencePollMs: 2 } };

const openKiosk = kioskOpener();
function open(config: SessionConfig = fastPalm, world = fakeWorld()): Kiosk {
  world.ports.config = config;
  return openKiosk(world);
}

async function cardAndOtp(k: Kiosk): Promise<Snapshot> {
  k.cardReader.insert();
  await flush();
  expect(k.session.snapshot().screen).toBe('otpEntry');
  return k.intent('submitOtp', { code: SECRET_OTP });
}

async function until(k: Kiosk, check: (s: Snapshot) => boolean, what: string): Promise<Snapshot> {
  for (let i = 0; i < 200; i++) {
    const s = k.session.snapshot();
    if (check(s)) return s;
    await sleep(2);
  }
  throw new Error(`never ${what}; at ${k.session.snapshot().state}`);
}

/** a hand held over the scanner goes unnoticed: the scanner is not even asked, the screen stays */
async function handUnnoticed(k: Kiosk, screen: Snapshot['screen']): Promise<void> {
  const checks = k.palm.presenceChecks;
  k.palm.hand = true;
  await sleep(30);
  expect(k.palm.presenceChecks).toBe(checks);
  expect(k.session.snapshot().screen).toBe(screen);
}

describe('change PIN', () => {
  it('offered after card + OTP when the card product allows it; the app completes it: receipt, journal, card returned', async () => {
    const k = open();
    let s = await cardAndOtp(k);
    expect(s.screen).toBe('operations');
    expect(s.operations).toContain('changePin');

    s = await k.intent('chooseOperation', { operation: 'changePin' });
    expect(s.screen).toBe('pinChangeWait');
    expect(s.pinChange).toEqual({ channel: 'push', deadline: k.clock.now() + 180_000, status: 'waiting' });
    expect(k.log).toContain(`bank.startPinChange:${CARD.panToken}`);
    // the customer's own time does not run out while the phone is used: only the PIN change's deadline
    expect(s.deadline).toBeUndefined();

    k.clock.advance(testConfig.timeouts.pinChangePollMs ?? 0);
    await flush();
    expect(k.session.snapshot().screen).toBe('pinChangeWait');

    k.bank.finishPinChange('pc-1', true);
    k.clock.advance(testConfig.timeouts.pinChangePollMs ?? 0);
    await flush();
    s = k.session.snapshot();
    expect(s.screen).toBe('receiptChoice');
    expect(s.pinChange?.status).toBe('done');
    expect(s.receipt?.number).toBe('R-P00001');
    expect(k.store.pinChangeRecords).toEqual([
      { sessionId: k.ctx().sessionId, customerId: 'c-aigerim', maskedPan: CARD.maskedPan, pinChangeId: 'pc-1', channel: 'push', outcome: 'done' },
    ]);

    s = await k.intent('chooseReceipt', { choice: 'print' });
    expect(k.log).toContain('print:R-P00001');
    expect(s.screen).toBe('printing'); // "take your receipt"
    s = await k.intent('finish');
    expect(s.screen).toBe('operations');
    // the next operation's receipt does not say "PIN changed"
    expect(k.ctx().pinChange).toBeUndefined();
    s = await k.intent('finish');
    expect(k.log).toContain('card.eject');
    for (const snap of k.seen) expect(JSON.stringify(snap)).not.toContain(CARD.panToken);
  });

  it('not offered, and refused if asked, when the card product does not allow it', async () => {
    const k = open();
    k.bank.cardPinChange = false;
    let s = await cardAndOtp(k);
    expect(s.operations).not.toContain('changePin');
    s = await k.intent('chooseOperation', { operation: 'changePin' });
    expect(s.screen).toBe('operations');
    expect(s.error?.code).toBe('restricted');
    expect(k.log.some((l) => l.startsWith('bank.startPinChange'))).toBe(false);
  });

  it('not offered to a customer signed in without a card, nor with the card reader down', async () => {
    const k = open();
    await k.intent('start');
    await k.intent('chooseIdentification', { method: 'phone' });
    await k.intent('submitPhone', { phone: '87011234567' });
    let s = await k.intent('submitOtp', { code: SECRET_OTP });
    expect(s.screen).toBe('operations');
    expect(s.operations).not.toContain('changePin');

    const k2 = open();
    s = await cardAndOtp(k2);
    k2.session.send({ type: 'device.health', devices: { cardReader: 'offline' } });
    await flush();
    expect(k2.session.snapshot().operations).not.toContain('changePin');
  });

  it('the bank refuses at start (product changed since identification): a clear reason', async () => {
    const k = open();
    await cardAndOtp(k);
    k.bank.pinChangeAllowedForToken = 'another-card';
    const s = await k.intent('chooseOperation', { operation: 'changePin' });
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe('pinChangeNotAllowed');
  });

  it('the customer gives up in the app: refusal pinChangeFailed, journaled without a receipt', async () => {
    const k = open();
    await cardAndOtp(k);
    await k.intent('chooseOperation', { operation: 'changePin' });
    k.bank.finishPinChange('pc-1', false);
    k.clock.advance(testConfig.timeouts.pinChangePollMs ?? 0);
    await flush();
    const s = k.session.snapshot();
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe('pinChangeFailed');
    expect(s.receipt).toBeUndefined();
    expect(k.store.pinChangeRecords.map((r) => r.outcome)).toEqual(['failed']);
  });

  it('the time runs out: the bank withdraws the prompt, refusal pinChangeTimeout, card returned at the end', async () => {
    const k = open();
    await cardAndOtp(k);
    await k.intent('chooseOperation', { operation: 'changePin' });
    for (let i = 0; i < 100 && k.session.snapshot().screen === 'pinChangeWait'; i++) {
      k.clock.advance(testConfig.timeouts.pinChangePollMs ?? 0);
      await flush();
    }
    let s = k.session.snapshot();
    expect(s.screen).toBe('refusal');
    expect(s.error?.code).toBe('pinChangeTimeout');
    expect(k.log).toContain('bank.cancelPinChange:pc-1');
    expect(k.bank.pinChanges.get('pc-1')).toBe('cancelled');
    expect(k.store.pinChangeRecords.map((r) => r.outcome)).toEqual(['expired']);
    s = await k.intent('finish');
    expect(k.log).toContain('card.eject');
  });

  it('the countdown never outlives the session access (the status calls need it)', async () => {
    const k = open();
    const verify = k.bank.verifyOtp.bind(k.bank);
    k.bank.verifyOtp = async (...args: Parameters<typeof verify>) => {
      const r = await verify(...args);
      return r.ok ? { ...r, expiresAt: k.clock.now() + 60_000 } : r;
    };
    await cardAndOtp(k);
    const s = await k.intent('chooseOperation', { operation: 'changePin' });
    expect(s.pinChange?.deadline).toBe(k.clock.now() + 60_000);
  });

  it('cancel on the waiting screen withdraws the change and ends the session with the card returned', async () => {
    const k = open();
    await cardAndOtp(k);
    await k.intent('chooseOperation', { operation: 'changePin' });
    const s = await k.intent('cancel');
    expect(s.screen).toBe('goodbye');
    expect(k.bank.pinChanges.get('pc-1')).toBe('cancelled');
    expect(k.store.pinChangeRecords.map((r) => r.outcome)).toEqual(['cancelled']);
    expect(k.log).toContain('card.eject');
  });

  it('a change finished on the phone just as the customer cancels counts as done', async () => {
    const k = open();
    await cardAndOtp(k);
    await k.intent('chooseOperation', { operation: 'changePin' });
    k.bank.finishPinChange('pc-1', true);
    const s = await k.intent('cancel');
    expect(s.screen).toBe('receiptChoice');
    expect(k.store.pinChangeRecords.map((r) => r.outcome)).toEqual(['done']);
  });
});

describe('palm presented on the attract screen', () => {
  it('starts the session in the attract screen language and goes straight to palm identification', async () => {
    const k = open();
    let s = await until(k, (x) => x.attract?.palm === true, 'armed');
    expect(s.screen).toBe('attract');
    await k.intent('setLocale', { locale: 'ru' });
    expect(k.palm.captures).toBe(0);
    k.palm.hand = true;
    s = await until(k, (x) => x.screen === 'otpEntry', 'signed in by palm');
    expect(s.locale).toBe('ru');
    expect(identifiedBy(k)).toBe('palm');
    expect(k.palm.captures).toBe(1);
    expect(k.bank.identifyCalls.map((q) => q.by)).toEqual(['palm']);
    expect(k.seen.some((x) => x.screen === 'palmScan')).toBe(true);
    // the template is zeroed once the bank answered
    expect(k.bank.palmTemplates[0]?.every((b) => b === 0)).toBe(true);
  });

  it('does nothing when palm identification is not enabled on this terminal', async () => {
    const k = open({ ...fastPalm, identificationMethods: ['phone', 'iin', 'card', 'qr'] });
    k.palm.hand = true;
    await sleep(30);
    const s = k.session.snapshot();
    expect(s.screen).toBe('attract');
    expect(s.attract?.palm).toBe(false);
    expect(k.palm.presenceChecks).toBe(0);
  });

  it('does nothing while the scanner is down, and arms again when it is back', async () => {
    const k = open();
    await until(k, (x) => x.attract?.palm === true, 'armed');
    k.session.send({ type: 'device.health', devices: { palm: 'offline' } });
    await flush();
    expect(k.session.snapshot().attract?.palm).toBe(false);
    const checks = k.palm.presenceChecks;
    k.palm.hand = true;
    await sleep(30);
    expect(k.palm.presenceChecks).toBe(checks);
    expect(k.session.snapshot().screen).toBe('attract');

    k.session.send({ type: 'device.health', devices: { palm: 'ok' } });
    await until(k, (x) => x.screen !== 'attract', 'started after the scanner came back');
    expect(identifiedBy(k)).toBe('palm');
  });

  it('keeps watching through a scanner reconnect that health never saw', async () => {
    const k = open();
    await until(k, (x) => x.attract?.palm === true, 'armed');
    k.palm.link = 'offline'; // presence checks fail for a moment
    await sleep(20);
    expect(k.session.snapshot().screen).toBe('attract');
    k.palm.link = 'online';
    k.palm.hand = true;
    await until(k, (x) => x.screen !== 'attract', 'started after the reconnect');
  });

  it('is disarmed in service mode and out of service', async () => {
    const k = open();
    await until(k, (x) => x.attract?.palm === true, 'armed');
    let s = await (async () => {
      k.session.send({ type: 'device.serviceSwitch', open: true });
      await flush();
      return k.session.snapshot();
    })();
    expect(s.screen).toBe('serviceLogin');
    await handUnnoticed(k, 'serviceLogin');

    k.session.send({ type: 'device.serviceSwitch', open: false });
    k.palm.hand = false;
    k.session.send({ type: 'device.health', devices: { cashAcceptor: 'offline', dispenser: 'offline' } });
    await flush();
    s = k.session.snapshot();
    expect(s.screen).toBe('outOfService');
    await handUnnoticed(k, 'outOfService');
  });
});
