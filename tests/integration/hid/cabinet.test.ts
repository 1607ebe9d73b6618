import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HidSocketTransport } from '../../../drivers/common/hid-socket-transport.js';
import { HidCabinet } from '../../../drivers/cabinet/hid-cabinet.js';
import { createCabinetEmulator } from '../../../simulators/devices/cabinet/cabinet-emulator.js';
import { nextEvent, startRig, type Rig } from './harness.js';

type Switch = { open: boolean };

describe('cabinet sensors (CAB-HID 1) over the HID socket', () => {
  let rig: Rig;
  let cabinet: HidCabinet;
  let switches: boolean[];

  beforeEach(async () => {
    rig = await startRig(createCabinetEmulator);
    cabinet = new HidCabinet({ transport: new HidSocketTransport({ path: rig.socketPath, backoffMs: 50 }) });
    switches = [];
    cabinet.on('serviceSwitch', ({ open }) => switches.push(open));
    const initial = nextEvent<Switch>(cabinet, 'serviceSwitch');
    await cabinet.open();
    expect(await initial).toEqual({ open: false }); // the state read on connect
  });

  afterEach(async () => {
    await cabinet.close();
    await rig.close();
  });

  it('reports the service switch opening and closing', async () => {
    let next = nextEvent<Switch>(cabinet, 'serviceSwitch');
    expect((await rig.post('/service-switch', { open: true })).body).toEqual({ ok: true, delivered: true });
    expect(await next).toEqual({ open: true });
    expect(cabinet.status()).toMatchObject({ link: 'online', serviceSwitchOpen: true, safeDoorOpen: false });
    next = nextEvent<Switch>(cabinet, 'serviceSwitch');
    await rig.post('/service-switch', { open: false });
    expect(await next).toEqual({ open: false });
    expect(switches).toEqual([false, true, false]);
  });

  it('reports the safe door separately', async () => {
    const door = nextEvent<Switch>(cabinet, 'safeDoor');
    await rig.post('/cabinet/door', { open: true });
    expect(await door).toEqual({ open: true });
    expect(switches).toEqual([false]);
  });

  it('a switch flipped while the link was down is reported on reconnect', async () => {
    const offline = nextEvent(cabinet, 'offline');
    rig.emulator.setFault('unplugged');
    await offline;
    expect((await rig.post('/service-switch', { open: true })).body).toEqual({ ok: true, delivered: false });
    const reported = nextEvent<Switch>(cabinet, 'serviceSwitch', 5_000);
    rig.emulator.clearFaults();
    expect(await reported).toEqual({ open: true });
  });

  it('rejects an invalid control body', async () => {
    expect((await rig.post('/service-switch', { open: 'yes' })).status).toBe(400);
  });
});
