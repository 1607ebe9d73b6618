/**
 * The emulators' slow mechanics, through the real drivers over real ptys: `slowStack` keeps a note
 * on its way to the box, `slowPresent` keeps the shutter closed on counted notes, `dropStack` loses
 * STACK on the line. The devices finish on their own even when the host has gone, which is what
 * the crash tests rely on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, until, type Rig } from './rig.js';
import { sleep } from '../../../domain/async.js';


describe('slow device mechanics (emulator faults)', () => {
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  async function noteInEscrow(r: Rig): Promise<ReturnType<Rig['devices']>> {
    const set = r.devices();
    await set.openAll();
    const acceptor = set.cashAcceptor;
    await until('acceptor online', () => acceptor.status().link === 'online');
    await acceptor.enable([500_000]);
    expect(r.acceptorEmu.insert({ denomination: 5000 })).toBeUndefined();
    await until('note in escrow', () => acceptor.status().state === 'escrow' || acceptor.status().state === 'holding');
    return set;
  }

  it('slowStack: the note stays STACKING for the given time, then lands in the box', async () => {
    rig = await makeRig();
    const set = await noteInEscrow(rig);
    const stacked: number[] = [];
    set.cashAcceptor.on('stacked', (e) => stacked.push(e.denomination));
    rig.acceptorEmu.setFault('slowStack', { ms: 1_200 });
    const sent = Date.now();
    await set.cashAcceptor.stack();
    await sleep(600);
    expect(rig.acceptorEmu.state()).toMatchObject({ state: 'stacking', cashBox: {} });
    expect(set.cashAcceptor.status().state).toBe('stacking');
    expect(stacked).toEqual([]);
    await until('stacked event', () => stacked.length === 1, 5_000);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(1_150);
    expect(stacked).toEqual([500_000]);
    expect(rig.acceptorEmu.state().cashBox).toEqual({ 5000: 1 });

    // cleared: the stacker is back to its own pace
    rig.acceptorEmu.clearFaults();
    expect(rig.acceptorEmu.state().activeFaults).toEqual([]);
    expect(rig.acceptorEmu.validator.stackDelayMs).toBeUndefined();
  });

  it('slowStack: the device finishes stacking with its host gone', async () => {
    rig = await makeRig();
    const set = await noteInEscrow(rig);
    rig.acceptorEmu.setFault('slowStack', { ms: 800 });
    await set.cashAcceptor.stack();
    await set.closeAll();
    expect(rig.acceptorEmu.state().state).toBe('stacking');
    const emu = rig.acceptorEmu;
    await until('note in the box', () => emu.state().state === 'stacked', 5_000);
    expect(emu.state().cashBox).toEqual({ 5000: 1 });
  });

  it('dropStack: STACK goes unanswered, the note waits in escrow until the validator hands it back', async () => {
    rig = await makeRig({ escrowTimeoutMs: 2_000 });
    const set = await noteInEscrow(rig);
    const returned: number[] = [];
    set.cashAcceptor.on('returned', (e) => returned.push(e.denomination));
    rig.acceptorEmu.setFault('dropStack');
    await expect(set.cashAcceptor.stack()).rejects.toThrow(/no valid reply to command 0x35/);
    expect(rig.acceptorEmu.state()).toMatchObject({ state: 'escrow', escrow: 5000, cashBox: {} });
    await until('note handed back', () => returned.length === 1, 5_000);
    expect(returned).toEqual([500_000]);
    expect(rig.acceptorEmu.state().cashBox).toEqual({});
  });

  it('slowPresent: PRESENT is taken at once, the shutter opens only after the given time', async () => {
    rig = await makeRig();
    const set = rig.devices();
    await set.openAll();
    const dispenser = set.dispenser;
    await until('dispenser online', () => dispenser.status().link === 'online');
    const result = await dispenser.dispense([{ cassette: 0, count: 2 }]);
    expect(result.ok).toBe(true);
    rig.dispenserEmu.setFault('slowPresent', { ms: 1_200 });
    const sent = Date.now();
    const presenting = dispenser.present();
    await sleep(600);
    expect(rig.dispenserEmu.state().presenter).toMatchObject({ notes: 2, shutterOpen: false, opening: true });
    expect(await presenting).toBe('presented');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(1_150);
    expect(rig.dispenserEmu.state().presenter).toMatchObject({ notes: 2, shutterOpen: true, opening: false });
    expect(rig.dispenserEmu.state().activeFaults).toEqual(['slowPresent']);
    rig.dispenserEmu.clearFaults();
    expect(rig.dispenserEmu.state().activeFaults).toEqual([]);
  });

  it('slowPresent: the shutter opens on its own with the host gone, and nobody has taken the notes', async () => {
    rig = await makeRig();
    const set = rig.devices();
    await set.openAll();
    await until('dispenser online', () => set.dispenser.status().link === 'online');
    await set.dispenser.dispense([{ cassette: 1, count: 1 }]);
    rig.dispenserEmu.setFault('slowPresent', { ms: 800 });
    void set.dispenser.present().catch(() => undefined);
    await sleep(200); // PRESENT is on the wire and ACKed; the shutter motor has not started
    const device = rig.dispenserEmu.device;
    expect(device.presenter.shutterOpen).toBe(false);
    await set.closeAll();
    await until('shutter open', () => device.presenter.shutterOpen, 5_000);
    const emu = rig.dispenserEmu;
    expect(emu.state()).toMatchObject({ presenter: { notes: 1, shutterOpen: true }, taken: 0 });
  });
});
