/**
 * A terminal on a bench: the cash acceptor and dispenser emulators on real ptys in
 * <dataDir>/run (where the config's default paths point), their control API on an ephemeral
 * port, the real SQLite store in the same data dir, and device sets built from the real config
 * loader, as the core builds them.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CashAcceptorEmulator } from '../../../simulators/devices/cash-acceptor/emulator.js';
import { Id003AcceptorEmulator } from '../../../simulators/devices/cash-acceptor/id003-emulator.js';
import { DispenserEmulator } from '../../../simulators/devices/dispenser/emulator.js';
import { buildControlServer } from '../../../simulators/devices/control-server.js';
import { loadConfig } from '../../../kiosk/config/load.js';
import type { KioskConfig } from '../../../kiosk/config/schema.js';
import { createDevices, type DeviceSet } from '../../../kiosk/devices/create-devices.js';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';

export const TERMINAL = 'KZ-TEST-0042';

export type AcceptorProtocol = 'ccnet' | 'id003';
type AcceptorEmulatorOf<P extends AcceptorProtocol> = P extends 'id003' ? Id003AcceptorEmulator : CashAcceptorEmulator;

export interface Rig<P extends AcceptorProtocol = 'ccnet'> {
  dataDir: string;
  config: KioskConfig;
  acceptorEmu: AcceptorEmulatorOf<P>;
  dispenserEmu: DispenserEmulator;
  control: FastifyInstance;
  controlUrl: string;
  store: KioskStore;
  /** a device set as the core builds it; closed by close() */
  devices(): DeviceSet;
  post(path: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface RigOptions<P extends AcceptorProtocol = 'ccnet'> {
  /** how long the validator keeps a note in escrow before handing it back by itself */
  escrowTimeoutMs?: number;
  /** the dispenser's exit feeds a presenter, on both ends of the wire (default true); false: a stock LCDM */
  dispenserPresenter?: boolean;
  /** the acceptor's protocol, emulator and core alike (default ccnet) */
  protocol?: P;
}

export async function makeRig<P extends AcceptorProtocol = 'ccnet'>(options: RigOptions<P> = {}): Promise<Rig<P>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-recovery-'));
  const runDir = join(dataDir, 'run');
  await mkdir(runDir, { recursive: true });
  // the escrow hold outlasts the restart, as a real validator's does while it keeps power
  const timing = { initMs: 150, acceptMs: 100, stackMs: 120, returnMs: 120, rejectMs: 250, escrowTimeoutMs: options.escrowTimeoutMs ?? 30_000, holdMs: 30_000 };
  // ID003's other escrow limit (no STATUS REQUEST for 3 s) outlasts the restart the same way
  const acceptorEmu = (
    options.protocol === 'id003'
      ? new Id003AcceptorEmulator({ runDir, timing: { ...timing, statusSilenceMs: options.escrowTimeoutMs ?? 30_000 } })
      : new CashAcceptorEmulator({ runDir, timing })
  ) as AcceptorEmulatorOf<P>;
  const presenter = options.dispenserPresenter ?? true;
  const dispenserEmu = new DispenserEmulator({ runDir, perNoteMs: 10, presenter });
  await acceptorEmu.start();
  await dispenserEmu.start();
  const control = buildControlServer({ emulators: [acceptorEmu, dispenserEmu] });
  await control.listen({ host: '127.0.0.1', port: 0 });
  const address = control.server.address();
  if (!address || typeof address === 'string') throw new Error('control server has no port');
  const controlUrl = `http://127.0.0.1:${address.port}`;
  const config = loadConfig({
    env: { KIOSK_DATA_DIR: dataDir, KIOSK_TERMINAL_ID: TERMINAL, KIOSK_DEVICES_CASH_ACCEPTOR_PROTOCOL: options.protocol ?? 'ccnet',
      KIOSK_DEVICES_DISPENSER_PRESENTER: String(presenter),
    },
    cwd: dataDir,
  });
  const store = openKioskStore({ dataDir, terminalId: TERMINAL });
  const sets: DeviceSet[] = [];
  return {
    dataDir, config, acceptorEmu, dispenserEmu, control, controlUrl, store,
    devices() {
      const set = createDevices({
        config,
        backoffMs: 100,
        maxBackoffMs: 400,
        tuning: {
          cashAcceptor: { pollIntervalMs: 100, reinitIntervalMs: 200, holdRefreshMs: 2_000 },
          dispenser: { statusIntervalMs: 300, takenPollMs: 100, replyTimeoutMs: 3_000 },
        },
      });
      sets.push(set);
      return set;
    },
    post: (path, body) =>
      fetch(`${controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    async close() {
      for (const s of sets) await s.closeAll();
      await control.close();
      await acceptorEmu.dispose();
      await dispenserEmu.stop();
      store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function until(what: string, cond: () => boolean, timeoutMs = 8_000): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
