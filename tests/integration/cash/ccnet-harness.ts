/** Real validator emulator on a socat pty + real driver over the real serialport stack. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CashAcceptorEmulator } from '../../../simulators/devices/cash-acceptor/emulator.js';
import { CcnetBillValidator, type CcnetDriverOptions } from '../../../drivers/cash-acceptor/ccnet-driver.js';
import { SerialTransport } from '../../../drivers/common/serial-transport.js';
import type { CashAcceptorEvents } from '../../../drivers/cash-acceptor/cash-acceptor.js';
export { sleep } from '../../../domain/async.js';

export const fastTiming = { initMs: 150, acceptMs: 100, stackMs: 120, returnMs: 120, rejectMs: 250, escrowTimeoutMs: 1500, holdMs: 1500 };

export interface Rig {
  dir: string;
  emu: CashAcceptorEmulator;
  driver: CcnetBillValidator;
  events: Array<{ name: keyof CashAcceptorEvents; payload: unknown }>;
  newDriver(options?: Partial<CcnetDriverOptions>): CcnetBillValidator;
  close(): Promise<void>;
}

const EVENTS: Array<keyof CashAcceptorEvents> = [
  'online', 'offline', 'escrow', 'stacked', 'returned', 'rejected', 'jammed', 'cassetteFull', 'cassetteRemoved', 'cheated', 'failure',
];

export async function makeRig(driverOptions: Partial<CcnetDriverOptions> = {}): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'ccnet-it-'));
  const emu = new CashAcceptorEmulator({ runDir: dir, timing: fastTiming });
  await emu.start();
  const events: Rig['events'] = [];
  const drivers: CcnetBillValidator[] = [];
  const newDriver = (o: Partial<CcnetDriverOptions> = {}): CcnetBillValidator => {
    const transport = new SerialTransport({ path: emu.endpoint.path, baudRate: 9600, backoffMs: 100, maxBackoffMs: 400 });
    const d = new CcnetBillValidator({ transport, pollIntervalMs: 100, reinitIntervalMs: 200, holdRefreshMs: 500, ...driverOptions, ...o });
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

export async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
