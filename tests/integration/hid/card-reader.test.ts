import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HidSocketTransport } from '../../../drivers/common/hid-socket-transport.js';
import { HidCardReader } from '../../../drivers/card-reader/hid-card-reader.js';
import { DEV_CARD_TOKEN_KEY, panToken } from '../../../drivers/card-reader/pan-token.js';
import { luhnValid } from '../../../drivers/card-reader/track-parser.js';
import { createCardReaderEmulator } from '../../../simulators/devices/card-reader/card-reader-emulator.js';
import type { CardReaderEvents } from '../../../drivers/card-reader/card-reader.js';
import { testCards } from '../../../simulators/common/test-cards.js';
import { nextEvent, startRig, type Rig } from './harness.js';

type Inserted = CardReaderEvents['cardInserted'];

describe('card reader over the HID socket', () => {
  let rig: Rig;
  let reader: HidCardReader;

  beforeEach(async () => {
    rig = await startRig(createCardReaderEmulator);
    reader = new HidCardReader({ transport: new HidSocketTransport({ path: rig.socketPath, backoffMs: 50 }), tokenKey: DEV_CARD_TOKEN_KEY, lrcMode: 'required' });
    const online = nextEvent(reader, 'online');
    await reader.open();
    await online;
  });

  afterEach(async () => {
    await reader.close();
    await rig.close();
  });

  it('a swiped card yields a masked PAN, a token, expiry and name, and nothing more', async () => {
    const card = testCards[0]!;
    const inserted = nextEvent<Inserted>(reader, 'cardInserted');
    const res = await rig.post('/card-reader/insert', { pan: card.pan, expiry: card.expiry, name: card.name });
    expect(res).toMatchObject({ status: 200, body: { ok: true, delivered: true } });
    const event = await inserted;
    expect(event).toEqual({
      card: { maskedPan: '440043******0015', panToken: panToken(card.pan, DEV_CARD_TOKEN_KEY), expiry: '3012', holderName: 'SEITKALI/AIGERIM' },
    });
    expect(luhnValid(card.pan)).toBe(true);
    expect(JSON.stringify(event)).not.toContain(card.pan);
    expect(reader.status()).toMatchObject({ link: 'online', cardPresent: true, motorised: false });
  });

  it('every test card reads back masked first 6 / last 4', async () => {
    for (const card of testCards) {
      const inserted = nextEvent<Inserted>(reader, 'cardInserted');
      await rig.post('/card-reader/insert', { pan: card.pan, expiry: card.expiry, name: card.name });
      const event = await inserted;
      if (!('card' in event)) throw new Error(`read error ${event.error}`);
      expect(event.card.maskedPan).toBe(`${card.pan.slice(0, 6)}******${card.pan.slice(-4)}`);
    }
  });

  it('a bad LRC is a read error', async () => {
    const inserted = nextEvent<Inserted>(reader, 'cardInserted');
    await rig.post('/card-reader/insert', { damaged: 'badLrc' });
    expect(await inserted).toEqual({ error: 'badLrc' });
    expect(reader.status().cardPresent).toBe(false);
  });

  it('an undecodable swipe is unreadable', async () => {
    const inserted = nextEvent<Inserted>(reader, 'cardInserted');
    await rig.post('/card-reader/insert', { damaged: 'unreadable' });
    expect(await inserted).toEqual({ error: 'unreadable' });
  });

  it('a Luhn failure is not a bank card', async () => {
    const inserted = nextEvent<Inserted>(reader, 'cardInserted');
    await rig.post('/card-reader/insert', { pan: '4400430000000016', expiry: '3012', name: 'LUHN/FAIL' });
    expect(await inserted).toEqual({ error: 'notBankCard' });
  });

  it('eject ends the card presence with a synthetic cardRemoved; capture is unsupported', async () => {
    const card = testCards[1]!;
    const inserted = nextEvent<Inserted>(reader, 'cardInserted');
    await rig.post('/card-reader/insert', { pan: card.pan, expiry: card.expiry, name: card.name });
    await inserted;
    const removed = nextEvent(reader, 'cardRemoved');
    await reader.eject();
    await removed;
    expect(reader.status().cardPresent).toBe(false);
    expect(await reader.capture()).toBe(false);
    expect((await rig.post('/card-reader/remove', {})).status).toBe(200);
  });

  it('rejects an invalid control body', async () => {
    expect((await rig.post('/card-reader/insert', { pan: '12', expiry: '3012', name: 'A/B' })).status).toBe(400);
    expect((await rig.post('/card-reader/insert', { damaged: 'wet' })).status).toBe(400);
  });

  it('reconnects after the reader is unplugged and plugged back', async () => {
    const offline = nextEvent(reader, 'offline');
    rig.emulator.setFault('unplugged');
    await offline;
    expect(reader.status().link).toBe('offline');
    const online = nextEvent(reader, 'online', 5_000);
    rig.emulator.clearFaults();
    await online;
    const card = testCards[2]!;
    const inserted = nextEvent<Inserted>(reader, 'cardInserted');
    await rig.post('/card-reader/insert', { pan: card.pan, expiry: card.expiry, name: card.name });
    expect(await inserted).toMatchObject({ card: { maskedPan: '526988******0018' } });
  });
});
