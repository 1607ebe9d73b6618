/** Real ID003 acceptor emulator on a socat pty + the real ID003 driver over the real serialport stack. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Id003AcceptorEmulator } from '../../../simulators/devices/cash-acceptor/id003-emulator.js';
import { Id003BillAcceptor, type Id003DriverOptions } from '../../../drivers/cash-acceptor/id003-driver.js';
import { SerialTransport } from '../../../drivers/common/serial-transport.js';
import type { CashAcceptorEvents } from '../../../drivers/cash-acceptor/cash-acceptor.js';

export const fastId003Timing = {
  initMs: 150, acceptMs: 100, stackMs: 120, returnMs: 120, rejectMs: 250, escrowTimeoutMs: 1500, statusSilenceMs: 1200, holdMs: 1500,
};

export interface Id003Rig {
  dir: string;
  emu: Id003AcceptorEmulator;
  driver: Id003BillAcceptor;
  events: Array<{ name: keyof CashAcceptorEvents; payload: unknown }>;
  newDriver(options?: Partial<Id003DriverOptions>): Id003BillAcceptor;
  close(): Promise<void>;
}

const EVENTS: Array<keyof CashAcceptorEvents> = [
  'online', 'offline', 'escrow', 'stacked', 'returned', 'rejected', 'jammed', 'cassetteFull', 'cassetteRemoved', 'cheated', 'failure',
];

export async function makeId003Rig(driverOptions: Partial<Id003DriverOptions> = {}): Promise<Id003Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'id003-it-'));
  const emu = new Id003AcceptorEmulator({ runDir: dir, timing: fastId003Timing });
  await emu.start();
  const events: Id003Rig['events'] = [];
  const drivers: Id003BillAcceptor[] = [];
  const newDriver = (o: Partial<Id003DriverOptions> = {}): Id003BillAcceptor => {
    const transport = new SerialTransport({ path: emu.endpoint.path, baudRate: 9600, parity: 'even', backoffMs: 100, maxBackoffMs: 400 });
    const d = new Id003BillAcceptor({ transport, pollIntervalMs: 100, reinitIntervalMs: 200, holdRefreshMs: 500, ...driverOptions, ...o });
    for (const e of EVENTS) d.on(e, (payload) => events.push({ name: e, payload }));
    drivers.push(d);
    return d;
  };
  const driver = newDriver();
  return {
    dir, emu, driver, events, newDriver,
    async close() {
      for (const d of drivers) await d.close().catch(() => undefined);
      await emu.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
