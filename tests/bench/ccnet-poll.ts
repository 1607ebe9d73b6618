/**
 * CCNET poll round trips per second: the real driver polling the validator emulator over a socat
 * pty as fast as it may (no poll interval, no t-free pause), against the line-rate limit at the
 * configured baud computed from the frame sizes of one round trip (POLL, reply, ACK).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CashAcceptorEmulator } from '../../simulators/devices/cash-acceptor/emulator.js';
import { CcnetBillValidator } from '../../drivers/cash-acceptor/ccnet-driver.js';
import { SerialTransport } from '../../drivers/common/serial-transport.js';
import { Cmd, encodeCommand, encodeFrame, lineTimeMs } from '../../drivers/cash-acceptor/ccnet-codec.js';
import type { Bench } from './registry.js';

const BAUD = Number(process.env.CCNET_BENCH_BAUD ?? 9600);
const SECONDS = Number(process.env.CCNET_BENCH_SECONDS ?? 3);

export const ccnetPollBench: Bench = {
  name: 'ccnet-poll',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'ccnet-bench-'));
    const emu = new CashAcceptorEmulator({ runDir: dir, baudRate: BAUD, timing: { initMs: 100 } });
    await emu.start();
    const driver = new CcnetBillValidator({
      transport: new SerialTransport({ path: emu.endpoint.path, baudRate: BAUD }),
      baudRate: BAUD, pollIntervalMs: 0, tFreeMs: 0,
    });
    try {
      await driver.open();
      const started = Date.now();
      while (driver.status().link !== 'online') {
        if (Date.now() - started > 10_000) throw new Error('validator emulator did not come online');
        await new Promise((r) => setTimeout(r, 20));
      }
      const before = { ...driver.stats };
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const elapsed = (performance.now() - t0) / 1000;
      const polls = driver.stats.transactions - before.transactions;
      const timeouts = driver.stats.timeouts - before.timeouts;
      const rtBytes = encodeCommand(Cmd.poll).length + encodeFrame(3, [0x19]).length + encodeCommand(Cmd.ack).length;
      const limit = 1000 / lineTimeMs(rtBytes, BAUD);
      const measured = polls / elapsed;
      return [
        `baud ${BAUD}, one round trip = ${rtBytes} bytes on the wire (POLL 6 + reply 6 + ACK 6), 10 bits per byte`,
        `line-rate limit: ${limit.toFixed(1)} round trips/s`,
        `measured (driver + emulator over pty): ${measured.toFixed(1)} round trips/s over ${elapsed.toFixed(1)} s (${timeouts} timeouts)`,
        `ratio measured / limit: ${(measured / limit).toFixed(3)}`,
      ];
    } finally {
      await driver.close();
      await emu.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
