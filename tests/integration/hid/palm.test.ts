import { describe, expect, it } from 'vitest';
import type { PalmGuidance } from '../../../drivers/palm/palm-scanner.js';
import { palmTemplateFor } from '../../../simulators/common/palm-subjects.js';
import { nextEvent } from './harness.js';
import { usePalmRig } from './palm-rig.js';

describe('palm-vein scanner (PV-HID 1) over the HID socket', () => {
  let guidance: PalmGuidance[];
  const palm = usePalmRig((scanner) => {
    guidance = [];
    scanner.on('guidance', ({ guidance: g }) => guidance.push(g));
  });

  it('a presented palm yields the subject template, with guidance on the way', async () => {
    const capture = palm.scanner.capture({ timeoutMs: 5_000 });
    await nextEvent(palm.scanner, 'guidance'); // placeHand: the device is waiting
    expect((await palm.rig.post('/palm/present', { subject: 'palm-aigerim' })).body).toMatchObject({ ok: true, capturing: true });
    const result = await capture;
    if (result.kind !== 'template') throw new Error(`capture ended ${result.kind}`);
    expect(Buffer.from(result.template).equals(Buffer.from(palmTemplateFor('palm-aigerim')))).toBe(true);
    expect(guidance).toEqual(['placeHand', 'moveCloser', 'processing']);
    result.template.fill(0);
    expect(palm.rig.emulator.state()).toMatchObject({ state: 'idle', captures: 1 });
  });

  it('a palm held before the capture starts is taken by it; an unknown palm gets its own template', async () => {
    await palm.rig.post('/palm/present', { subject: 'palm-stranger' });
    const result = await palm.scanner.capture({ timeoutMs: 5_000 });
    if (result.kind !== 'template') throw new Error(`capture ended ${result.kind}`);
    expect(Buffer.from(result.template).equals(Buffer.from(palmTemplateFor('palm-stranger')))).toBe(true);
    expect(Buffer.from(result.template).equals(Buffer.from(palmTemplateFor('palm-aigerim')))).toBe(false);
  });

  it('a fake hand is a liveness failure', async () => {
    await palm.rig.post('/palm/present', { fake: true });
    expect(await palm.scanner.capture({ timeoutMs: 5_000 })).toEqual({ kind: 'liveness' });
  });

  it('no palm: the capture times out', async () => {
    const started = Date.now();
    expect(await palm.scanner.capture({ timeoutMs: 1_000 })).toEqual({ kind: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('an abort cancels the running capture on the device', async () => {
    const controller = new AbortController();
    const capture = palm.scanner.capture({ timeoutMs: 10_000, signal: controller.signal });
    await nextEvent(palm.scanner, 'guidance');
    controller.abort();
    expect(await capture).toEqual({ kind: 'cancelled' });
    expect(await palm.scanner.deviceStatus()).toMatchObject({ state: 0 });
  });

  it('one capture at a time', async () => {
    const first = palm.scanner.capture({ timeoutMs: 1_000 });
    expect(await palm.scanner.capture({ timeoutMs: 1_000 })).toMatchObject({ kind: 'error' });
    expect(await first).toEqual({ kind: 'timeout' });
  });

  it('a template with a bad CRC or a missing chunk is discarded', async () => {
    palm.rig.emulator.setFault('badCrc');
    await palm.rig.post('/palm/present', { subject: 'palm-dauren' });
    expect(await palm.scanner.capture({ timeoutMs: 5_000 })).toMatchObject({ kind: 'error', message: expect.stringContaining('CRC') });
    palm.rig.emulator.clearFaults();
    palm.rig.emulator.setFault('dropChunk');
    await palm.rig.post('/palm/present', { subject: 'palm-dauren' });
    expect(await palm.scanner.capture({ timeoutMs: 5_000 })).toMatchObject({ kind: 'error', message: expect.stringContaining('sequence') });
  });

  it('a sensor fault ends the capture with an error', async () => {
    palm.rig.emulator.setFault('sensorFault');
    await palm.rig.post('/palm/present', { subject: 'palm-dauren' });
    expect(await palm.scanner.capture({ timeoutMs: 5_000 })).toEqual({ kind: 'error', message: 'palm scanner: sensor fault' });
  });

  it('GET_INFO reports the device', async () => {
    expect(await palm.scanner.info()).toEqual({ protoMajor: 1, protoMinor: 0, firmware: [1, 0, 0], maxTemplate: 4096, formats: 1, serial: 'SIM-PV-0001' });
  });

  it('unplugged mid-capture: error, then the link comes back', async () => {
    const capture = palm.scanner.capture({ timeoutMs: 10_000 });
    await nextEvent(palm.scanner, 'guidance');
    palm.rig.emulator.setFault('unplugged');
    expect(await capture).toMatchObject({ kind: 'error', message: expect.stringContaining('offline') });
    expect(await palm.scanner.capture({ timeoutMs: 1_000 })).toMatchObject({ kind: 'error', message: 'palm scanner offline' });
    const online = nextEvent(palm.scanner, 'online', 5_000);
    palm.rig.emulator.clearFaults();
    await online;
    await palm.rig.post('/palm/present', { subject: 'palm-aigerim' });
    const result = await palm.scanner.capture({ timeoutMs: 5_000 });
    expect(result.kind === 'error' ? result.message : result.kind).toBe('template');
  });

  it('rejects an invalid control body', async () => {
    expect((await palm.rig.post('/palm/present', { subject: 'Robert; drop' })).status).toBe(400);
    expect((await palm.rig.post('/palm/present', { fake: false })).status).toBe(400);
  });
});
