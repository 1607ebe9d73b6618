/**
 * A corrupt database and a full data disk are found at start-up, before any device is opened: the
 * terminal shows "out of service", the log says why in one line, and a note offered to the
 * acceptor is never taken into the box.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbPath } from '../../../kiosk/store/db.js';
import { startSystem, type KioskSystem } from '../../support/system.js';

describe('a store that cannot keep money safe', () => {
  let system: KioskSystem;

  beforeAll(async () => {
    system = await startSystem({ name: 'store-unusable' });
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const coreLog = (): string => readFileSync(join(system.paths.logs, 'core.log'), 'utf8');

  async function outOfService(): Promise<void> {
    // start-up reports itself: poll /healthz until the runtime has given up (the test timeout bounds it)
    for (;;) {
      const health = await system.coreHealth();
      if (health.screen === 'outOfService') return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function noteNotTaken(): Promise<void> {
    const box = (await system.devices.device('cashAcceptor')).state.cashBox;
    // the core never enabled the acceptor: the validator refuses the note at the slot
    await expect(system.devices.insertNote(5000)).rejects.toThrow(/not accepting notes/);
    expect((await system.devices.device('cashAcceptor')).state.cashBox).toEqual(box);
  }

  it('a full data disk: out of service with "data disk full" before any cash is accepted', async () => {
    await system.killCore();
    // more free space asked for than any disk has: the real statfs answer is "too little"
    system.processes.core.spec.env.KIOSK_STORAGE_MIN_FREE_MB = '10000000';
    await system.restartCore();
    await outOfService();
    expect(coreLog()).toMatch(/the terminal is out of service: data disk full: \d+ MB free in [^"]+, at least 10000000 MB needed to record cash"/);
    await noteNotTaken();
    delete system.processes.core.spec.env.KIOSK_STORAGE_MIN_FREE_MB;
  });

  it('a corrupt database: out of service with "is corrupt" before any cash is accepted', async () => {
    await system.killCore();
    const file = dbPath(system.paths.coreData);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    // the header and first pages overwritten, as a failing disk or a stray write leaves them
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 0);
    closeSync(fd);
    await system.restartCore();
    await outOfService();
    expect(coreLog()).toMatch(/the terminal is out of service: database .*kiosk\.sqlite is corrupt \(/);
    await noteNotTaken();
  });
});
