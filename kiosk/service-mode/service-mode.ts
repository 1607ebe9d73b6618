/**
 * Service mode for the field technician: login with the site's technician code, then the menu's
 * actions. Every login attempt and every action is written to the audit trail, whatever its
 * outcome; cash-unit changes are journal entries of their own (store).
 */
import { timingSafeEqual } from 'node:crypto';
import type { CashUnitStore, MoneyStore } from '../store/money-store.js';
import type { ServiceModePort } from '../session/ports.js';
import type { KioskDevices } from '../runtime/devices.js';
import type { Db } from '../store/db.js';
import { readCounters } from '../store/counters.js';
import { verifyJournal } from '../store/journal.js';

export interface ServiceModeDeps {
  technicianCode: string;
  store: MoneyStore & CashUnitStore;
  db: Db;
  devices: KioskDevices;
  testPrint: () => Promise<{ ok: boolean; failure?: string }>;
}

const sameCode = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function serviceMode(deps: ServiceModeDeps): ServiceModePort {
  const { store, devices } = deps;
  let failures = 0;
  return {
    async login(code) {
      // a run of wrong codes locks the login until the switch is cycled (process restart)
      const ok = failures < 5 && sameCode(code, deps.technicianCode);
      store.recordAudit(ok ? 'technician' : 'unknown', 'serviceLogin', { ok, failures });
      if (!ok) {
        failures++;
        return { ok: false };
      }
      failures = 0;
      return { ok: true, technician: 'technician' };
    },
    async perform(technician, action, params) {
      let view: Record<string, unknown>;
      try {
        view = await run(action, params);
      } catch (err) {
        store.recordAudit(technician, action, { params: params ?? {}, ok: false, error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
      store.recordAudit(technician, action, { params: params ?? {}, ok: true });
      return view;
    },
  };

  async function run(action: string, params: Record<string, string | number> | undefined): Promise<Record<string, unknown>> {
    switch (action) {
      case 'diagnostics':
        return {
          action,
          cashAcceptor: devices.cashAcceptor.status(),
          dispenser: devices.dispenser.status(),
          printer: devices.printer.status(),
          cardReader: devices.cardReader.status(),
          palm: devices.palm.status(),
          cabinet: devices.cabinet.status(),
        };
      case 'cashUnits':
        return { action, counters: readCounters(deps.db) };
      case 'collect': {
        const r = store.recordCollection('technician');
        return { action, receiptNumber: r.receiptNumber, removed: r.removed };
      }
      case 'replenish': {
        const cassette = Number(params?.cassette ?? 0);
        const count = Number(params?.count ?? 0);
        const denomination = devices.cassetteDenominations[cassette];
        if (!denomination || !Number.isInteger(count) || count <= 0) throw new Error('replenish needs cassette (0|1) and a positive count');
        const r = store.recordReplenishment('technician', [{ cassette, denomination, count }]);
        return { action, receiptNumber: r.receiptNumber };
      }
      case 'testPrint':
        return { action, ...(await deps.testPrint()) };
      case 'resetDevice':
        await devices.dispenser.reset();
        return { action, ok: true };
      case 'deadLetters':
        return { action, undelivered: store.undelivered() };
      case 'lookupReceipt': {
        const number = String(params?.receiptNumber ?? '');
        return { action, receipt: store.receipt(number) ?? null };
      }
      case 'verifyJournal':
        return { action, ...verifyJournal(deps.db) };
      case 'exit':
        return { action };
      default:
        throw new Error(`unknown service action ${action}`);
    }
  }
}
