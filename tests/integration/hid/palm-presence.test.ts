import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HidSocketTransport } from '../../../drivers/common/hid-socket-transport.js';
import { PvHidPalmScanner } from '../../../drivers/palm/pv-hid-scanner.js';
import { createPalmEmulator } from '../../../simulators/devices/palm/palm-emulator.js';
import { palmTemplateFor } from '../../../simulators/common/palm-subjects.js';
import { nextEvent, startRig, type Rig } from './harness.js';

describe('palm-vein scanner presence (GET_STATUS distance, no capture)', () => {
  let rig: Rig;
  let scanner: PvHidPalmScanner;

  beforeEach(async () => {
    rig = await startRig(createPalmEmulator);
    scanner = new PvHidPalmScanner({ transport: new HidSocketTransport({ path: rig.socketPath, backoffMs: 50 }) });
    const online = nextEvent(scanner, 'online');
    await scanner.open();
    await online;
  });

  afterEach(async () => {
    await scanner.close();
    await rig.close();
  });

  it('tells a held hand without capturing it; the capture that follows takes that hand', async () => {
    expect(await scanner.handPresent()).toBe(false);
    await rig.post('/palm/present', { subject: 'palm-aigerim' });
    expect(await scanner.handPresent()).toBe(true);
    expect(await scanner.handPresent()).toBe(true);
    // presence alone made no capture and sent no template
    expect(rig.emulator.state()).toMatchObject({ state: 'idle', captures: 0, handPresented: true });

    const result = await scanner.capture({ timeoutMs: 5_000 });
    if (result.kind !== 'template') throw new Error(`capture ended ${result.kind}`);
    expect(Buffer.from(result.template).equals(Buffer.from(palmTemplateFor('palm-aigerim')))).toBe(true);
    result.template.fill(0);
    // the capture took the hand: nothing over the sensor any more
    expect(await scanner.handPresent()).toBe(false);
  });

  it('answers false while a capture runs, without asking the device', async () => {
    const capture = scanner.capture({ timeoutMs: 1_000 });
    expect(await scanner.handPresent()).toBe(false);
    expect(await capture).toEqual({ kind: 'timeout' });
  });

  it('fails clearly when the scanner is unplugged, and answers again once it is back', async () => {
    const offline = nextEvent(scanner, 'offline', 5_000);
    rig.emulator.setFault('unplugged');
    await offline;
    await expect(scanner.handPresent()).rejects.toThrow(/palm scanner/);
    const back = nextEvent(scanner, 'online', 5_000);
    rig.emulator.clearFaults();
    await back;
    await rig.post('/palm/present', { subject: 'palm-dauren' });
    expect(await scanner.handPresent()).toBe(true);
  });
});
