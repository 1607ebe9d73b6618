/**
 * The real terminal the harness attacks: bank simulator, device simulators and kiosk core as child
 * processes (tests/support/system.ts), plus what the harness reads from outside: the emulators'
 * state, the core's SQLite file (read-only, opened per read) and the bank's admin API. Every kill
 * goes to one of these children by its own pid.
 */
import Database from 'better-sqlite3';
import type { Devices } from '../../../kiosk/bridge/schema.js';
import { dbPath } from '../../../kiosk/store/db.js';
import { startSystem, type KioskSystem } from '../../../tests/support/system.js';
import { BridgeClient, eventually, http } from '../../../tests/integration/session/bridge-client.js';

export interface AcceptorState { state: string; cashBox: Record<string, number> }
export interface DispenserState {
  cassettes: Array<{ denomination: number; count: number }>;
  rejectBin: number;
  retractBin: number;
  /** the presenter (stock module: the exit slot); amounts in whole tenge */
  presenter?: { notes: number; amount: number; shutterOpen: boolean; opening: boolean };
  exitSlot?: { notes: number; amount: number };
  taken: number;
  takenAmount?: number;
}
export interface Account { balance: number; held: number }

export interface ChaosRig {
  readonly system: KioskSystem;
  readonly presenter: boolean;
  acceptor(): Promise<AcceptorState>;
  dispenser(): Promise<DispenserState>;
  /** the notes customers took from the dispenser, in tiyn (the emulator lists each note) */
  takenTiyn(): Promise<number>;
  readDb<T>(read: (db: Database.Database) => T): T;
  account(id: string): Promise<Account>;
  deviceFault(device: string, fault: string, params?: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  killCore(): Promise<void>;
  killDevices(): Promise<void>;
  startDevices(): Promise<void>;
  killBank(): Promise<void>;
  startBank(): Promise<void>;
  /**
   * Everything running again and at rest: the bank and the devices up, the core started if it was
   * killed, back on the attract screen and its outbox empty. Resolves with a remark when the core
   * still reports a device or the bank down after `healthMs` (the run goes on; a later visit that
   * needs it then finds its operation missing).
   */
  settle(healthMs?: number): Promise<string | undefined>;
  stop(): Promise<void>;
}

const healthy = (d: Devices): boolean => d.bank === 'online' && Object.entries(d).every(([k, h]) => k === 'bank' || h === 'ok' || h === 'absent');

/** the emulator reports its cash box by denomination in whole tenge; the journal counts tiyn */
export const boxTiyn = (box: Record<string, number>): number => Object.entries(box).reduce((t, [d, n]) => t + Number(d) * 100 * n, 0);

/** `coreEnv`: further KIOSK_* settings for the core (the soak shortens the goodbye screen) */
export async function startRig(options: { name: string; presenter: boolean; coreEnv?: Record<string, string> }): Promise<ChaosRig> {
  const system = await startSystem({
    name: options.name,
    bankRequestLog: false,
    coreLogLevel: 'warn',
    dispenserPresenter: options.presenter,
    // a device simulator started again as a process on a loaded machine takes seconds, where a real
    // validator is back from a power cut in one or two: the session waits for the note's word longer
    coreEnv: { KIOSK_TIMEOUTS_NOTE_SETTLE_MS: '40000', ...options.coreEnv },
  });
  const device = async <T>(kind: 'cashAcceptor' | 'dispenser'): Promise<T> => (await system.devices.device(kind)).state as unknown as T;
  const { bank, devices, core } = system.processes;

  const rig: ChaosRig = {
    system,
    presenter: options.presenter,
    acceptor: () => device<AcceptorState>('cashAcceptor'),
    dispenser: () => device<DispenserState>('dispenser'),
    async takenTiyn() {
      const st = await device<DispenserState>('dispenser');
      if (typeof st.takenAmount !== 'number') throw new Error('the dispenser emulator does not report takenAmount');
      return st.takenAmount * 100;
    },
    readDb(read) {
      const db = new Database(dbPath(system.paths.coreData), { readonly: true, fileMustExist: true });
      try {
        return read(db);
      } finally {
        db.close();
      }
    },
    account: (id) => http<Account>('GET', `${system.bankUrl}/admin/accounts/${id}`),
    async deviceFault(d, fault, params) {
      await http('POST', `${system.devicesUrl}/faults`, { device: d, fault, ...(params ? { params } : {}) });
    },
    async clearFaults() {
      if (devices.running) await http('DELETE', `${system.devicesUrl}/faults`).catch(() => undefined);
      if (bank.running) await http('DELETE', `${system.bankUrl}/admin/faults`).catch(() => undefined);
    },
    killCore: () => system.killCore(),
    async killDevices() {
      await devices.kill();
    },
    async startDevices() {
      if (!devices.running) await devices.start();
    },
    async killBank() {
      await bank.kill();
    },
    async startBank() {
      if (!bank.running) await bank.start();
    },
    async settle(healthMs = 90_000) {
      await rig.startBank();
      await rig.startDevices();
      if (!core.running) await system.restartCore();
      let remark: string | undefined;
      const ui = await BridgeClient.connect(system.coreUrl, system.token);
      try {
        // a visit broken off mid-way leaves its screens to the inactivity timer: up to two screens
        // (cash-in, then confirm) of inactivity plus "more time?" each before the attract screen
        await ui.screen('attract', 240_000);
        // the core learns of a restarted bank or device simulator on its own schedule
        await ui.waitFor('every device and the bank back', (s) => healthy(s.devices), healthMs).catch(() => {
          remark = `the core still reports ${JSON.stringify(ui.last?.devices)} ${Math.round(healthMs / 1000)} s after the restarts`;
        });
      } finally {
        ui.close();
      }
      await eventually('the outbox delivered', async () => (rig.readDb((db) => db.prepare("SELECT 1 FROM outbox WHERE state = 'pending'").get()) ? undefined : true), 180_000, 200);
      return remark;
    },
    stop: () => system.stop(),
  };
  return rig;
}
