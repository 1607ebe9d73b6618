/**
 * Figures 1, 2, 6 and 7: the whole terminal over its real processes. The bank simulator and the
 * device simulators run as in the system tests (tests/support/system.ts); the core is the compiled
 * one (`dist/main/kiosk/cli.js`), started by the bench with the system's own settings. The bench
 * plays the customer over the bridge, as the screen does, and reads the device's side of each note
 * from the validator emulator's timing trace (escrow, STACK heard on the line, note in the box).
 *
 *  6  cold start to ready, alternated with a bare Node HTTP server (Node's own floor), and the
 *     renderer's first screen in Chromium, alternated with a static page from a bare server.
 *  7  RSS after start, idle CPU over BENCH_IDLE_SECONDS (30 s), RSS after the sessions.
 *  1  sessions (phone, OTP, three notes, printed receipt) with the validator's mechanics at
 *     realistic values, then at zero.
 *  2  note latency from every note of those sessions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright';
import type { Snapshot } from '../../kiosk/bridge/schema.js';
import { sleep } from '../../domain/async.js';
import { repoRoot } from '../support/artifacts.js';
import type { BridgeClient } from '../support/bridge-client.js';
import { freePorts } from '../support/ports.js';
import { startSystem, type KioskSystem } from '../support/system.js';
import { CORE_ENTRY_BUILT, ensureCoreBuilt, ensureRendererBuilt } from './build.js';
import { cpuMs, rssMiB } from './procfs.js';
import { fixed, median, ms, percentile, ratioText, type Bench, type BenchContext, type Row } from './report.js';

/** the driver's poll period (CcnetBillValidator's default, the spec's recommendation) */
const POLL_MS = 200;
/** "a note takes about two seconds to validate and stack": validation, then the stacker */
const REAL = { acceptMs: 1200, stackMs: 800, replyDelayMs: 3 };
const ZERO = { acceptMs: 0, stackMs: 0, replyDelayMs: 0 };
const NOTES = [1000, 5000, 2000];
const REAL_SESSIONS = 3;
const ZERO_SESSIONS = 5;
const COLD_STARTS = 2;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const PHONE = '+77011234567';
const PRODUCT = 'a-aigerim-cur';

const preciseNow = (): number => performance.timeOrigin + performance.now();

// ---- processes ----

interface Started {
  child: ChildProcess;
  readyMs: number;
}

function spawnLogged(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  writeSync(fd, `--- bench start at ${new Date().toISOString()}\n`);
  try {
    return spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  await gone;
  clearTimeout(timer);
}

/** polls `url` every 5 ms until `ready(body)`; ms from `t0` */
async function waitReady(child: ChildProcess, url: string, t0: number, ready: (body: string) => boolean, timeoutMs = 30_000): Promise<number> {
  const deadline = t0 + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      const body = await res.text();
      if (res.ok && ready(body)) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/** ready: the attract screen, every device open and the bank reachable */
function coreReady(body: string): boolean {
  const h = JSON.parse(body) as { screen?: string; devices?: Record<string, string> };
  const d = h.devices ?? {};
  return h.screen === 'attract' && d.bank === 'online' && ['cashAcceptor', 'dispenser', 'printer', 'cardReader', 'palm'].every((k) => d[k] === 'ok');
}

async function startCompiledCore(system: KioskSystem): Promise<Started> {
  const t0 = performance.now();
  const child = spawnLogged([CORE_ENTRY_BUILT], system.processes.core.spec.env, system.processes.core.spec.logFile);
  const readyMs = await waitReady(child, `${system.coreUrl}/healthz`, t0, coreReady);
  return { child, readyMs };
}

/** Node's floor: a process that imports nothing and answers one route */
const BARE_SERVER = "require('node:http').createServer((q, s) => s.end('<!doctype html><title>k</title><h1>Welcome</h1>')).listen(Number(process.env.PORT), '127.0.0.1')";

async function startBareServer(port: number, logFile: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawnLogged(['-e', BARE_SERVER], { ...process.env, PORT: String(port) }, logFile);
  const readyMs = await waitReady(child, `http://127.0.0.1:${port}/`, t0, () => true);
  return { child, readyMs };
}

/** the core's own log lines of its last start, as ms after the process began */
function startupPhases(logFile: string, spawnedAtEpoch: number): string[] {
  const text = readFileSync(logFile, 'utf8');
  const last = text.lastIndexOf('--- bench start');
  const lines = text.slice(last).split('\n').slice(1);
  const phases: string[] = [];
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as { time?: number; msg?: string };
      if (typeof entry.time === 'number' && typeof entry.msg === 'string') phases.push(`${Math.round(entry.time - spawnedAtEpoch)} ms ${entry.msg}`);
    } catch {
      // not a log line
    }
    if (phases.length >= 12) break;
  }
  return phases;
}

// ---- the customer ----

interface NoteSeen {
  /** bench clock (epoch ms) when the snapshot with the note counted arrived */
  screenAt: number;
}

interface SessionRun {
  /** from the first touch to the printed receipt, back at the operations menu */
  wallMs: number;
  /** time the bench spent as the customer: the pause before each note, reading the SMS */
  customerMs: number;
  notes: NoteSeen[];
}

async function cashInSession(bridge: BridgeClient, system: KioskSystem, jitter: () => number): Promise<SessionRun> {
  let customerMs = 0;
  const notes: NoteSeen[] = [];
  const smsBefore = (await system.bank.sms(PHONE)).length;
  const t0 = performance.now();
  await bridge.request({ name: 'start', payload: {} }, (s) => s.screen === 'start' || s.screen === 'identifyMethod');
  await bridge.request({ name: 'chooseIdentification', payload: { method: 'phone' } }, (s) => s.screen === 'phoneEntry');
  await bridge.request({ name: 'submitPhone', payload: { phone: '87011234567' } }, (s) => s.screen === 'otpEntry', 15_000);
  let t = performance.now();
  let code: string | undefined;
  while (code === undefined) {
    const sms = await system.bank.sms(PHONE);
    if (sms.length > smsBefore) code = /\b(\d{6})\b/.exec(sms.at(-1)?.text ?? '')?.[1];
    if (code === undefined) await sleep(20);
    if (performance.now() - t > 10_000) throw new Error('no OTP arrived');
  }
  customerMs += performance.now() - t;
  await bridge.request({ name: 'submitOtp', payload: { code } }, (s) => s.screen === 'operations' && s.operations.includes('cashIn'), 15_000);
  await bridge.request({ name: 'chooseOperation', payload: { operation: 'cashIn' } }, (s) => s.screen === 'productSelect');
  await bridge.request({ name: 'selectProduct', payload: { productId: PRODUCT } }, (s) => s.screen === 'cashIn' && s.cashIn?.acceptor === 'accepting', 15_000);
  let expected = 0;
  for (const tenge of NOTES) {
    t = performance.now();
    await sleep(jitter());
    customerMs += performance.now() - t;
    expected += tenge * 100;
    const total = expected;
    const counted = bridge.nextSnapshot((s) => s.cashIn?.total === total, 20_000).then(() => preciseNow());
    await system.devices.insertNote(tenge);
    const screenAt = await counted;
    notes.push({ screenAt });
    await bridge.waitForSnapshot((s) => s.cashIn?.total === total && s.cashIn.acceptor === 'accepting', 20_000);
  }
  // "finish and credit" is the consent (the cash-in screen showed the commission); the outcome comes next
  await bridge.request({ name: 'finishCashIn', payload: {} }, (s) => s.screen === 'outcome', 15_000);
  await bridge.request({ name: 'confirm', payload: {} }, (s) => s.screen === 'receiptChoice', 15_000);
  await bridge.request({ name: 'chooseReceipt', payload: { choice: 'print' } }, (s) => s.screen === 'printing' && s.receipt?.status === 'printed', 20_000);
  // "take your receipt", then the operations menu again
  await bridge.request({ name: 'finish', payload: {} }, (s) => s.screen === 'operations', 20_000);
  const wallMs = performance.now() - t0;
  await leave(bridge);
  return { wallMs, customerMs, notes };
}

/** the customer leaves; the terminal says goodbye and returns to attract */
async function leave(bridge: BridgeClient): Promise<void> {
  bridge.send({ name: 'cancel', payload: {} });
  await bridge.waitForSnapshot((s: Snapshot) => s.screen === 'attract', 20_000);
}

// ---- the device's side of each note ----

interface Moment {
  moment: 'escrow' | 'stackHeard' | 'stacked';
  at: number;
}

async function traceMoments(system: KioskSystem): Promise<Moment[]> {
  const res = await fetch(`${system.devicesUrl}/cash-acceptor/trace`);
  return ((await res.json()) as { moments: Moment[] }).moments;
}

async function clearTrace(system: KioskSystem): Promise<void> {
  await fetch(`${system.devicesUrl}/cash-acceptor/trace`, { method: 'DELETE' });
}

async function setTiming(system: KioskSystem, timing: Record<string, number>): Promise<void> {
  const res = await fetch(`${system.devicesUrl}/cash-acceptor/timing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(timing) });
  if (!res.ok) throw new Error(`emulator timing: HTTP ${res.status} ${await res.text()}`);
}

/** escrow -> STACK heard, and stacked -> screen, per note, pairing the trace in order with the notes seen */
function noteLatencies(moments: Moment[], notes: NoteSeen[]): { toStack: number[]; toScreen: number[] } {
  const toStack: number[] = [];
  const toScreen: number[] = [];
  let i = 0;
  for (const note of notes) {
    const escrow = moments.findIndex((m, k) => k >= i && m.moment === 'escrow');
    if (escrow < 0) break;
    const heard = moments.findIndex((m, k) => k > escrow && m.moment === 'stackHeard');
    const stacked = moments.findIndex((m, k) => k > escrow && m.moment === 'stacked');
    if (heard < 0 || stacked < 0) break;
    toStack.push(moments[heard]!.at - moments[escrow]!.at);
    toScreen.push(note.screenAt - moments[stacked]!.at);
    i = stacked + 1;
  }
  return { toStack, toScreen };
}

// ---- the renderer ----

async function firstScreenMs(browser: Browser, url: string, selector: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  try {
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: 20_000 });
    return performance.now() - t0;
  } finally {
    await page.close();
  }
}

// ---- the figures ----

export const terminalBench: Bench = {
  name: 'terminal',
  async run(ctx: BenchContext): Promise<Row[]> {
    const built = ensureCoreBuilt() + ensureRendererBuilt();
    if (built > 0) ctx.progress(`built what was stale in ${(built / 1000).toFixed(1)} s`);
    const system = await startSystem({ name: 'bench', bankRequestLog: false });
    const children: ChildProcess[] = [];
    let browser: Browser | undefined;
    let bridge: BridgeClient | undefined;
    try {
      await system.processes.core.stop();
      const [barePort] = (await freePorts(1)) as [number];
      const bareLog = path.join(system.paths.logs, 'bare.log');

      // 6: cold start, the two sides alternated; the validator's INITIALIZE as the emulator has it
      // (500 ms) and at zero, to tell the device's share from the software's
      const cold = { device: [] as number[], zeroInit: [] as number[], bare: [] as number[] };
      let phases: string[] = [];
      let bareRss = Number.NaN;
      for (let round = 0; round < COLD_STARTS; round++) {
        const bare = await startBareServer(barePort, bareLog);
        cold.bare.push(bare.readyMs);
        bareRss = rssMiB(bare.child.pid!);
        await stopChild(bare.child);
        for (const initMs of round % 2 === 0 ? [500, 0] : [0, 500]) {
          await setTiming(system, { initMs });
          const spawnedAt = Date.now();
          const core = await startCompiledCore(system);
          (initMs === 0 ? cold.zeroInit : cold.device).push(core.readyMs);
          if (initMs === 0) phases = startupPhases(system.processes.core.spec.logFile, spawnedAt);
          await stopChild(core.child);
        }
      }
      ctx.progress(`cold start: device init ${cold.device.map((v) => v.toFixed(0)).join('/')} ms, zero init ${cold.zeroInit.map((v) => v.toFixed(0)).join('/')} ms, bare node ${cold.bare.map((v) => v.toFixed(0)).join('/')} ms`);
      for (const p of phases) ctx.progress(`  start-up: ${p}`);

      // the core the rest of the run uses
      await setTiming(system, { initMs: 500 });
      const core = await startCompiledCore(system);
      children.push(core.child);
      const pid = core.child.pid!;
      await sleep(1_000);
      const rssStart = rssMiB(pid);

      // 6: the renderer's first screen in Chromium, warm browser, alternated with a static page
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      });
      const bare = await startBareServer(barePort, bareLog);
      children.push(bare.child);
      const screen = { ours: [] as number[], bare: [] as number[] };
      await firstScreenMs(browser, `http://127.0.0.1:${barePort}/`, 'h1');
      await firstScreenMs(browser, system.uiUrl, '[data-screen="attract"] h1');
      for (let round = 0; round < 2; round++) {
        const sides = [
          async () => screen.ours.push(await firstScreenMs(browser!, system.uiUrl, '[data-screen="attract"] h1')),
          async () => screen.bare.push(await firstScreenMs(browser!, `http://127.0.0.1:${barePort}/`, 'h1')),
        ];
        if (round % 2 === 1) sides.reverse();
        for (const side of sides) await side();
      }
      await browser.close();
      browser = undefined;
      await stopChild(bare.child);
      ctx.progress(`first screen: ours ${screen.ours.map((v) => v.toFixed(0)).join('/')} ms, static page ${screen.bare.map((v) => v.toFixed(0)).join('/')} ms`);

      // 7: idle CPU, nobody at the terminal
      await sleep(1_000);
      const cpu0 = cpuMs(pid);
      const idleT0 = performance.now();
      await sleep(IDLE_SECONDS * 1000);
      const idleCpu = (cpuMs(pid) - cpu0) / (performance.now() - idleT0);
      ctx.progress(`idle CPU over ${IDLE_SECONDS} s: ${(idleCpu * 100).toFixed(2)} %`);

      // 1 and 2: sessions, realistic mechanics then zero
      bridge = await system.connectBridge();
      await bridge.waitForSnapshot((s) => s.screen === 'attract', 10_000);
      const jitter = (): number => Math.random() * POLL_MS;
      const realRuns: SessionRun[] = [];
      const zeroRuns: SessionRun[] = [];
      const toStack: number[] = [];
      const toScreen: number[] = [];
      for (const [timing, runs, count] of [[REAL, realRuns, REAL_SESSIONS], [ZERO, zeroRuns, ZERO_SESSIONS]] as const) {
        await setTiming(system, timing);
        for (let i = 0; i < count; i++) {
          await clearTrace(system);
          const run = await cashInSession(bridge, system, jitter);
          runs.push(run);
          const lat = noteLatencies(await traceMoments(system), run.notes);
          toStack.push(...lat.toStack);
          toScreen.push(...lat.toScreen);
        }
      }
      const mechanicalMs = NOTES.length * (REAL.acceptMs + REAL.stackMs);
      const realOwn = realRuns.map((r) => r.wallMs - r.customerMs);
      const zeroOwn = zeroRuns.map((r) => r.wallMs - r.customerMs);
      ctx.progress(`realistic sessions: ${realOwn.map((v) => v.toFixed(0)).join('/')} ms for ${mechanicalMs} ms of mechanics; zero: ${zeroOwn.map((v) => v.toFixed(0)).join('/')} ms`);

      // 7: a session takes at least the goodbye screen's 4 s, so 1,000 would take over an hour: the
      // figure is the RSS after the sessions above, with their count
      const full = realRuns.length + zeroRuns.length;
      await sleep(1_000);
      const rssAfter = rssMiB(pid);
      ctx.progress(`RSS ${rssStart.toFixed(1)} MiB after start, ${rssAfter.toFixed(1)} MiB after ${full} sessions`);

      const p = (v: number[], q: number): string => ms(percentile(v, q));
      return [
        {
          figure: '1a session overhead, realistic mechanics',
          ours: `${fixed(median(realOwn) / 1000, 2)} s per session (phone, OTP, 3 notes, printed receipt; median of ${realOwn.length})`,
          baseline: `${fixed(mechanicalMs / 1000, 2)} s of mechanics (3 x ${REAL.acceptMs} ms validation + ${REAL.stackMs} ms stacking)`,
          ratio: ratioText(median(realOwn) / mechanicalMs, '<= 1.05'),
          limit: `the ${POLL_MS} ms poll: each note waits for a poll to be seen in escrow and again to be seen stacked (see 2); the rest is the bank's round trips and printing`,
          data: { sessions: realRuns, mechanicalMs, timing: REAL },
        },
        {
          figure: '1b software time per session, mechanics at zero',
          ours: `${ms(median(zeroOwn))} per session (median of ${zeroOwn.length})`,
          baseline: `${ms(NOTES.length * 2 * POLL_MS * 0.5)} expected waiting on polls alone (3 notes x 2 waits x half a poll)`,
          ratio: '-',
          limit: `polling: 3 notes x 2 waits for the next ${POLL_MS} ms poll; then bank round trips (identify, OTP, quote, credit) and the receipt's bytes to the printer`,
          data: { sessions: zeroRuns, timing: ZERO },
        },
        {
          figure: '2a note latency: escrow -> STACK on the line',
          ours: `p50 ${p(toStack, 50)}, p99 ${p(toStack, 99)} (${toStack.length} notes)`,
          baseline: `poll interval ${POLL_MS} ms`,
          ratio: ratioText(percentile(toStack, 99) / POLL_MS, `p99 <= ${POLL_MS + 20} ms, i.e. ${fixed((POLL_MS + 20) / POLL_MS)}`),
          limit: 'the note waits for the next poll to be seen in escrow; the session then decides and STACK takes the next turn on the line',
          data: { toStackMs: toStack },
        },
        {
          figure: '2b note latency: stacked -> screen update',
          ours: `p50 ${p(toScreen, 50)}, p99 ${p(toScreen, 99)} (${toScreen.length} notes)`,
          baseline: `poll interval ${POLL_MS} ms`,
          ratio: ratioText(percentile(toScreen, 99) / POLL_MS, `p99 <= ${POLL_MS + 20} ms, i.e. ${fixed((POLL_MS + 20) / POLL_MS)}`),
          limit: 'the stacked note is seen at the next poll; journal + outbox commit (one fsync), then the snapshot over the WebSocket',
          data: { toScreenMs: toScreen },
        },
        {
          figure: '6a cold start of the compiled core to ready',
          ours: `${ms(median(cold.device))} with the validator's 500 ms INITIALIZE; ${ms(median(cold.zeroInit))} with it at zero (medians of ${COLD_STARTS})`,
          baseline: `${ms(median(cold.bare))} (bare Node HTTP server to its first answer)`,
          ratio: ratioText(median(cold.device) / 1000, '< 1 s, i.e. 1.00 of 1 s'),
          limit: `waits on the cash validator's INITIALIZE (reset to enabled) before the session starts; start-up log: ${phases.slice(0, 6).join('; ')}`,
          data: { ...cold, phases },
        },
        {
          figure: '6b renderer first screen in Chromium',
          ours: `${ms(median(screen.ours))} (navigation to the attract screen's heading, warm browser; median of ${screen.ours.length})`,
          baseline: `${ms(median(screen.bare))} (a static page with a heading from a bare server)`,
          ratio: ratioText(median(screen.ours) / 1000, '< 1 s, i.e. 1.00 of 1 s'),
          limit: 'parsing and running the bundle (React, zod, the three catalogues), then the bridge WebSocket and its first snapshot',
          data: screen,
        },
        {
          figure: `7a idle CPU of the core (${IDLE_SECONDS} s)`,
          ours: `${(idleCpu * 100).toFixed(2)} % of one core`,
          baseline: '-',
          ratio: '-',
          limit: 'polling the devices: CCNET every 200 ms, the printer\'s status every 5 s, the device supervisor every 1 s, the sync worker\'s idle look every 1 s',
          data: { idleSeconds: IDLE_SECONDS, cpuShare: idleCpu },
        },
        {
          figure: '7b RSS of the core',
          ours: `${rssStart.toFixed(1)} MiB after start; ${rssAfter.toFixed(1)} MiB after ${full} full cash-in sessions (not 1,000: each ends with the 4 s goodbye screen)`,
          baseline: `${bareRss.toFixed(1)} MiB (bare Node HTTP server)`,
          ratio: fixed(rssAfter / rssStart),
          limit: `Node's runtime and V8 heap; the modules loaded (fastify, zod, xstate, pino, prom-client, serialport, better-sqlite3); the garbage collector decides when the heap shrinks`,
          data: { rssStartMiB: rssStart, rssAfterMiB: rssAfter, bareRssMiB: bareRss, sessions: full },
        },
      ];
    } finally {
      bridge?.close();
      await browser?.close().catch(() => undefined);
      for (const c of children) await stopChild(c);
      await system.stop();
    }
  },
};
