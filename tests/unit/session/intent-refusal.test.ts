/**
 * An intent the session cannot take where it is gets a `rejected` frame that says so, over the real
 * BridgeLink on the real session; and an error code never outlives the screen it was shown on.
 */
import { describe, expect, it } from 'vitest';
import { BridgeLink } from '../../../kiosk/bridge/bridge-link.js';
import { CoreToUi, type Snapshot } from '../../../kiosk/bridge/schema.js';
import { flush, kioskOpener, signIn, type Kiosk } from './kiosk.js';
import { fakeWorld } from './fakes.js';
import { T, testConfig } from './world.js';

const open = kioskOpener();

function link(k: Kiosk) {
  const sent: CoreToUi[] = [];
  const notAllowed: string[] = [];
  const bridge = new BridgeLink(k.session, (m) => sent.push(CoreToUi.parse(m)), { onNotAllowed: (i) => notAllowed.push(i.name) });
  bridge.open();
  const send = async (name: string, payload?: Record<string, unknown>): Promise<CoreToUi[]> => {
    const before = sent.length;
    bridge.receiveFrame(JSON.stringify({ type: 'intent', intent: payload ? { name, payload } : { name } }));
    await flush();
    return sent.slice(before);
  };
  return { sent, notAllowed, send, close: () => bridge.close() };
}

const rejections = (frames: CoreToUi[]) => frames.filter((f) => f.type === 'rejected');
const lastSnapshot = (k: Kiosk): Snapshot => k.session.snapshot();

describe('intents not allowed in the current state', () => {
  it('finishCashIn before identification is answered rejected/notAllowed and changes nothing', async () => {
    const k = open();
    const l = link(k);
    const before = lastSnapshot(k);
    const frames = await l.send('finishCashIn');
    expect(rejections(frames)).toEqual([{ type: 'rejected', code: 'notAllowed', intent: 'finishCashIn', reason: expect.stringContaining('idle') }]);
    expect(lastSnapshot(k)).toEqual(before);
    expect(l.notAllowed).toEqual(['finishCashIn']);
    // an allowed one on the same link is taken and answered with a snapshot only
    const started = await l.send('start');
    expect(rejections(started)).toEqual([]);
    expect(lastSnapshot(k).screen).toBe('start');
    l.close();
  });

  it('serviceAction without a technician login is rejected; after login it runs', async () => {
    const k = open();
    const l = link(k);
    expect(rejections(await l.send('serviceAction', { action: 'cashUnits' }))).toEqual([
      { type: 'rejected', code: 'notAllowed', intent: 'serviceAction', reason: expect.any(String) },
    ]);
    k.session.send({ type: 'device.serviceSwitch', open: true });
    await flush();
    expect(lastSnapshot(k).screen).toBe('serviceLogin');
    expect(rejections(await l.send('serviceAction', { action: 'cashUnits' }))).toHaveLength(1);
    expect(k.log.filter((x) => x.startsWith('service:'))).toEqual([]);
    await l.send('serviceLogin', { code: '2468' });
    expect(lastSnapshot(k).screen).toBe('serviceMenu');
    expect(rejections(await l.send('serviceAction', { action: 'cashUnits' }))).toEqual([]);
    expect(k.log).toContain('service:tech-1:cashUnits');
    l.close();
  });

  it('a screen-specific intent on another screen is rejected, and a guarded one whose guards all fail is too', async () => {
    const k = open();
    await signIn(k);
    const l = link(k);
    for (const [name, payload] of [
      ['submitOtp', { code: '1234' }],
      ['chooseReceipt', { choice: 'print' }],
      ['selectAmount', { amount: T(1000) }],
      ['submitPhone', { phone: '87011234567' }],
    ] as const) {
      const r = rejections(await l.send(name, payload));
      expect(r, name).toEqual([{ type: 'rejected', code: 'notAllowed', intent: name, reason: expect.stringContaining('operations') }]);
    }
    expect(lastSnapshot(k).screen).toBe('operations');
    l.close();
  });
});

describe('an error code belongs to its screen', () => {
  it('a refused product does not come back as the refusal of a clean cash-in ended with no notes', async () => {
    const k = open();
    await signIn(k);
    expect((await k.intent('chooseOperation', { operation: 'cashIn' })).screen).toBe('productSelect');
    const refused = await k.intent('selectProduct', { productId: 'p-loan' });
    expect(refused.screen).toBe('productSelect');
    expect(refused.error?.code).toBe('restricted');
    const cashIn = await k.intent('selectProduct', { productId: 'p-current' });
    expect(cashIn.screen).toBe('cashIn');
    expect(cashIn.error).toBeUndefined();
    const after = await k.intent('finishCashIn');
    expect(after.screen).toBe('operations');
    expect(after.error).toBeUndefined();
  });

  it('an identification method refused on the method screen is not shown on the next one', async () => {
    const world = fakeWorld();
    world.ports.config = { ...testConfig, identificationMethods: ['phone', 'iin'] };
    const k = open(world);
    await k.intent('start');
    expect((await k.intent('chooseIdentification', { method: 'phone' })).screen).toBe('phoneEntry');
    expect((await k.intent('back')).screen).toBe('identifyMethod');
    const refused = await k.intent('chooseIdentification', { method: 'qr' });
    expect(refused.screen).toBe('identifyMethod');
    expect(refused.error?.code).toBe('restricted');
    const phone = await k.intent('chooseIdentification', { method: 'iin' });
    expect(phone.screen).toBe('iinEntry');
    expect(phone.error).toBeUndefined();
  });

  it('an operation refused on the menu is gone on the goodbye screen', async () => {
    const k = open();
    await signIn(k);
    // signed in by phone, without a card: no PIN change
    const refused = await k.intent('chooseOperation', { operation: 'changePin' });
    expect(refused.screen).toBe('operations');
    expect(refused.error?.code).toBe('restricted');
    const bye = await k.intent('finish');
    expect(bye.screen).toBe('goodbye');
    expect(bye.error).toBeUndefined();
  });
});
