import { describe, expect, it } from 'vitest';
import { palmTemplateFor } from '../../../simulators/common/palm-subjects.js';
import { nextEvent } from './harness.js';
import { usePalmRig } from './palm-rig.js';

describe('palm-vein scanner presence (GET_STATUS distance, no capture)', () => {
  const palm = usePalmRig();

  it('tells a held hand without capturing it; the capture that follows takes that hand', async () => {
    expect(await palm.scanner.handPresent()).toBe(false);
    await palm.rig.post('/palm/present', { subject: 'palm-aigerim' });
    expect(await palm.scanner.handPresent()).toBe(true);
    expect(await palm.scanner.handPresent()).toBe(true);
    // presence alone made no capture and sent no template
    expect(palm.rig.emulator.state()).toMatchObject({ state: 'idle', captures: 0, handPresented: true });

    const result = await palm.scanner.capture({ timeoutMs: 5_000 });
    if (result.kind !== 'template') throw new Error(`capture ended ${result.kind}`);
    expect(Buffer.from(result.template).equals(Buffer.from(palmTemplateFor('palm-aigerim')))).toBe(true);
    result.template.fill(0);
    // the capture took the hand: nothing over the sensor any more
    expect(await palm.scanner.handPresent()).toBe(false);
  });

  it('answers false while a capture runs, without asking the device', async () => {
    const capture = palm.scanner.capture({ timeoutMs: 1_000 });
    expect(await palm.scanner.handPresent()).toBe(false);
    expect(await capture).toEqual({ kind: 'timeout' });
  });

  it('fails clearly when the scanner is unplugged, and answers again once it is back', async () => {
    const offline = nextEvent(palm.scanner, 'offline', 5_000);
    palm.rig.emulator.setFault('unplugged');
    await offline;
    await expect(palm.scanner.handPresent()).rejects.toThrow(/palm scanner/);
    const back = nextEvent(palm.scanner, 'online', 5_000);
    palm.rig.emulator.clearFaults();
    await back;
    await palm.rig.post('/palm/present', { subject: 'palm-dauren' });
    expect(await palm.scanner.handPresent()).toBe(true);
  });
});
