/**
 * Terminal status under a flapping device: a real kiosk store, the real sync worker and the bank
 * host simulator. The bound under test (kiosk/fleet/terminal-status.ts): never more than one status
 * message pending, and a burst over T ms queues at most 1 + T / minIntervalMs messages; with the bank
 * unreachable, 1,000 flaps queue exactly one. The bank ends up with the latest status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncWorker } from '../../../kiosk/sync/sync-worker.js';
import { StatusReporter, pendingStatusCount, type StatusSources } from '../../../kiosk/fleet/terminal-status.js';
import type { DeviceHealth } from '../../../kiosk/devices/health.js';
import { startWorld, TERMINAL, until, type World } from '../store/kiosk-and-bank.js';

function flappingSources(world: World): StatusSources & { flip(): void; current(): DeviceHealth } {
  let dispenser: DeviceHealth = 'ok';
  return {
    db: world.store.db,
    version: '9.9.9',
    health: () => ({ cashAcceptor: 'ok', dispenser, printer: 'ok', cardReader: 'ok', palm: 'ok', cabinet: 'ok' }),
    reasons: () => (dispenser === 'ok' ? {} : { dispenser: 'no answer to STATUS' }),
    dispenser: () => ({ cassettes: [{ index: 0, denomination: 500_000, state: 'ok' }, { index: 1, denomination: 1_000_000, state: 'ok' }] }),
    acceptor: () => ({ state: 'idling' }),
    printer: () => ({ link: 'online', paper: 'ok' }),
    cassetteDenominations: [500_000, 1_000_000],
    cassetteCapacity: 2500,
    cashBoxCapacity: 1500,
    now: () => Date.now(),
    flip() {
      dispenser = dispenser === 'ok' ? 'offline' : 'ok';
    },
    current: () => dispenser,
  };
}

const statusRows = (w: World): number =>
  (w.store.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'terminalStatus'").get() as { n: number }).n;

interface FleetView { terminals: Array<{ terminalId: string; status: { devices: Array<{ device: string; health: string; fault?: string }> } }> }

describe('terminal status coalescing', () => {
  let world: World | undefined;
  let worker: SyncWorker | undefined;
  let reporter: StatusReporter | undefined;
  afterEach(async () => {
    reporter?.stop();
    await worker?.stop();
    await world?.close();
    world = worker = reporter = undefined;
  });

  it('1,000 flaps with the bank unreachable queue one status message', async () => {
    world = await startWorld();
    const w = world;
    await w.admin('POST', '/admin/faults', { mode: 'down' });
    worker = new SyncWorker({ db: w.store.db, deliver: w.deliver, idlePollMs: 20, backoff: { baseMs: 10, maxMs: 40 } });
    let failedRounds = 0;
    worker.on('failed', () => failedRounds++);
    worker.start();
    const sources = flappingSources(w);
    reporter = new StatusReporter({ terminalId: TERMINAL, sources, heartbeatMs: 3_600_000, minIntervalMs: 1, onQueued: () => worker?.notify() });
    for (let i = 0; i < 1000; i++) {
      sources.flip();
      reporter.flush();
      expect(pendingStatusCount(w.store.db)).toBe(1);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(failedRounds).toBeGreaterThan(0);
    expect(statusRows(w)).toBe(1);
  });

  it('1,000 flaps while the bank answers: at most one pending, at most 1 + T / minIntervalMs queued, and the bank keeps the latest', async () => {
    world = await startWorld();
    const w = world;
    const minIntervalMs = 50;
    const sources = flappingSources(w);
    worker = new SyncWorker({ db: w.store.db, deliver: w.deliver, idlePollMs: 20 });
    reporter = new StatusReporter({ terminalId: TERMINAL, sources, heartbeatMs: 3_600_000, minIntervalMs, onQueued: () => worker?.notify() });
    worker.on('delivered', () => reporter?.outboxMoved());
    worker.start();
    const started = Date.now();
    let mostPending = 0;
    for (let i = 0; i < 1000; i++) {
      sources.flip();
      reporter.changed();
      mostPending = Math.max(mostPending, pendingStatusCount(w.store.db));
      // let the worker and the timers run between flaps, as device events arrive
      await new Promise((r) => setTimeout(r, i % 10 === 0 ? 2 : 0));
    }
    const elapsed = Date.now() - started;
    // 1,000 flips from ok: the last state is ok again, and that is what the bank must end up with
    expect(sources.current()).toBe('ok');
    const bankSays = async (): Promise<string | undefined> => {
      const fleet = await w.admin<FleetView>('GET', '/admin/terminals');
      return fleet.terminals.find((t) => t.terminalId === TERMINAL)?.status.devices.find((d) => d.device === 'dispenser')?.health;
    };
    await until(async () => (await bankSays()) === 'ok' && pendingStatusCount(w.store.db) === 0, 10_000, 'the latest status at the bank');
    const queued = statusRows(w);
    expect(mostPending).toBeLessThanOrEqual(1);
    expect(queued).toBeGreaterThanOrEqual(1);
    expect(queued).toBeLessThanOrEqual(2 + Math.ceil((Date.now() - started) / minIntervalMs));
    expect(queued).toBeLessThan(1000);
    expect(elapsed).toBeGreaterThan(0);

    const fleet = await w.admin<FleetView>('GET', '/admin/terminals');
    expect(fleet.terminals.find((t) => t.terminalId === TERMINAL)?.status.devices.find((d) => d.device === 'dispenser')).toEqual({ device: 'dispenser', health: 'ok' });
  });
});
