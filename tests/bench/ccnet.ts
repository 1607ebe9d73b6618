/**
 * Figure 3: the CCNET line. The real driver over a socat pty to the validator emulator.
 *  a. At the real poll interval (200 ms) against the emulator at the device's pace (3 ms reply
 *     delay, every frame held for its line time at 9600 baud): the poll period and the share of the
 *     line it occupies, against the floor the protocol sets (interval + one round trip on the wire
 *     + the device's reply delay).
 *  b. The driver's own cost: back to back (no interval, no t-free pause) against the emulator with
 *     no artificial delay at all (no reply delay, no line time), against the plainest client of
 *     the same transport and emulator: write POLL, wait for the reply frame, write ACK, repeat.
 *     The ratio is what the driver's state machine costs beyond the bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CashAcceptorEmulator } from '../../simulators/devices/cash-acceptor/emulator.js';
import { CcnetBillValidator } from '../../drivers/cash-acceptor/ccnet-driver.js';
import { SerialTransport } from '../../drivers/common/serial-transport.js';
import { CcnetParser, Cmd, encodeCommand, encodeFrame, lineTimeMs } from '../../drivers/cash-acceptor/ccnet-codec.js';
import { sleep } from '../../domain/async.js';
import { fixed, ratioText, type Bench, type BenchContext, type Row } from './report.js';

const BAUD = 9600;
const POLL_MS = 200;
const REPLY_DELAY_MS = 3;
const REAL_SECONDS = 6;
const BARE_SECONDS = 3;

/** bytes of one poll round trip on the wire: POLL, the 1-byte-state reply, ACK */
const ROUND_TRIP_BYTES = encodeCommand(Cmd.poll).length + encodeFrame(3, [0x19]).length + encodeCommand(Cmd.ack).length;

async function withEmulator<T>(options: { lineTime: boolean; replyDelayMs: number }, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ccnet-bench-'));
  const emu = new CashAcceptorEmulator({ runDir: dir, baudRate: BAUD, timing: { initMs: 50 }, ...options });
  await emu.start();
  try {
    return await fn(emu.endpoint.path);
  } finally {
    await emu.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/** the real driver polling for `seconds` once online: round trips and the time they took */
async function driverPolls(path: string, pollIntervalMs: number, tFreeMs: number | undefined, seconds: number): Promise<{ polls: number; ms: number; timeouts: number }> {
  const driver = new CcnetBillValidator({
    transport: new SerialTransport({ path, baudRate: BAUD }),
    baudRate: BAUD, pollIntervalMs, ...(tFreeMs === undefined ? {} : { tFreeMs }),
  });
  try {
    await driver.open();
    const deadline = Date.now() + 15_000;
    while (driver.status().link !== 'online') {
      if (Date.now() > deadline) throw new Error('validator emulator did not come online');
      await sleep(20);
    }
    // let the initialisation's tail (enable, first polls) pass
    await sleep(Math.max(300, pollIntervalMs * 2));
    const before = { ...driver.stats };
    const t0 = performance.now();
    await sleep(seconds * 1000);
    return { polls: driver.stats.transactions - before.transactions, ms: performance.now() - t0, timeouts: driver.stats.timeouts - before.timeouts };
  } finally {
    await driver.close();
  }
}

/** POLL, reply, ACK as fast as the transport and emulator allow, no driver logic */
async function barePolls(path: string, seconds: number): Promise<{ polls: number; ms: number }> {
  const transport = new SerialTransport({ path, baudRate: BAUD });
  const parser = new CcnetParser();
  let waiting: (() => void) | undefined;
  transport.on('data', (chunk) => {
    if (parser.push(chunk).length > 0) waiting?.();
  });
  await transport.open();
  try {
    const poll = encodeCommand(Cmd.poll);
    const ack = encodeCommand(Cmd.ack);
    const once = async (): Promise<void> => {
      const reply = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('bare client: no reply within 1 s')), 1_000);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await transport.write(poll);
      await reply;
      await transport.write(ack);
    };
    // the emulator answers POLL from power-up on; a few rounds warm the path
    for (let i = 0; i < 20; i++) await once();
    let polls = 0;
    const t0 = performance.now();
    const until = t0 + seconds * 1000;
    while (performance.now() < until) {
      await once();
      polls++;
    }
    return { polls, ms: performance.now() - t0 };
  } finally {
    await transport.close();
  }
}

export const ccnetBench: Bench = {
  name: 'ccnet',
  async run(ctx: BenchContext): Promise<Row[]> {
    const real = await withEmulator({ lineTime: true, replyDelayMs: REPLY_DELAY_MS }, (path) => driverPolls(path, POLL_MS, undefined, REAL_SECONDS));
    const wireMs = lineTimeMs(ROUND_TRIP_BYTES, BAUD);
    const period = real.ms / real.polls;
    const floor = POLL_MS + wireMs + REPLY_DELAY_MS;
    const lineUse = (real.polls * wireMs) / real.ms;
    ctx.progress(`real interval: ${real.polls} polls in ${real.ms.toFixed(0)} ms (${real.timeouts} timeouts)`);

    // b: the two sides alternated, each twice, against one emulator with no artificial delay
    const driverRates: number[] = [];
    const bareRates: number[] = [];
    await withEmulator({ lineTime: false, replyDelayMs: 0 }, async (path) => {
      for (let round = 0; round < 2; round++) {
        const sides = [
          async () => {
            const d = await driverPolls(path, 0, 0, BARE_SECONDS);
            driverRates.push((d.polls * 1000) / d.ms);
          },
          async () => {
            const b = await barePolls(path, BARE_SECONDS);
            bareRates.push((b.polls * 1000) / b.ms);
          },
        ];
        if (round % 2 === 1) sides.reverse();
        for (const side of sides) await side();
      }
    });
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const driverRate = mean(driverRates);
    const bareRate = mean(bareRates);
    ctx.progress(`no delay: driver ${driverRates.map((r) => r.toFixed(0)).join('/')} /s, bare ${bareRates.map((r) => r.toFixed(0)).join('/')} /s`);
    return [
      {
        figure: '3a CCNET line at the real poll interval (200 ms, 9600 baud)',
        ours: `poll period ${fixed(period, 1)} ms; line busy ${(lineUse * 100).toFixed(1)} %`,
        baseline: `floor ${fixed(floor, 1)} ms (200 + ${fixed(wireMs, 1)} ms of ${ROUND_TRIP_BYTES} bytes on the wire + 3 ms device reply)`,
        ratio: fixed(period / floor),
        limit: 'the poll interval the protocol recommends (>= 100 ms, 200 ms in the field); beyond the floor, the 12 ms t-free pause the spec asks after ACK (>= 10 ms) and timer slack',
        data: { baud: BAUD, pollIntervalMs: POLL_MS, polls: real.polls, ms: real.ms, timeouts: real.timeouts, periodMs: period, floorMs: floor, lineUse, wireMsPerRoundTrip: wireMs },
      },
      {
        figure: '3b CCNET driver\'s own cost (no interval, emulator without delays)',
        ours: `${driverRate.toFixed(0)} round trips/s (${fixed(1000 / driverRate, 2)} ms each)`,
        baseline: `${bareRate.toFixed(0)} round trips/s (bare POLL/reply/ACK loop, same transport and emulator)`,
        ratio: ratioText(driverRate / bareRate),
        limit: 'both pay the pty and serialport per write; the driver adds its timer hops (the t-free and poll pauses are timers even at 0 ms) and its reply timer; 9600 baud allows 53 round trips/s, below either',
        data: { driverRates, bareRates },
      },
    ];
  },
};
