/** One call to open the kiosk's data directory: the database, migrated, and the money store on it. */
import { statfsSync } from 'node:fs';
import { closeDb, dbPath, openDb, type Db } from './db.js';
import { SqliteMoneyStore } from './money-store.js';

export interface KioskStore {
  db: Db;
  money: SqliteMoneyStore;
  close(): void;
}

/**
 * The store cannot keep money safe: a database SQLite cannot read or whose pages fail the
 * integrity check, or a data disk too full to write a journal entry. Raised at start-up, before
 * any device is opened, so no note is taken that could not be recorded.
 */
export class StoreUnusableError extends Error {
  override readonly name = 'StoreUnusableError';
}

/** room for a day of journal entries and the WAL's growth; below it the terminal takes no cash */
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;

function checkFreeSpace(dataDir: string, minFreeBytes: number): void {
  const fs = statfsSync(dataDir);
  const free = fs.bavail * fs.bsize;
  if (free < minFreeBytes) {
    const mb = (n: number): string => `${Math.floor(n / (1024 * 1024))} MB`;
    throw new StoreUnusableError(`data disk full: ${mb(free)} free in ${dataDir}, at least ${mb(minFreeBytes)} needed to record cash`);
  }
}

function checkIntegrity(db: Db): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new StoreUnusableError(`database ${db.name} is corrupt (${problems.slice(0, 3).join('; ')}); restore a backup or reconcile by hand`);
}

export function openKioskStore(options: { dataDir: string; terminalId: string; now?: () => Date; fileName?: string; minFreeBytes?: number }): KioskStore {
  let db: Db;
  try {
    db = openDb({ dataDir: options.dataDir, fileName: options.fileName });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreUnusableError(`database ${dbPath(options.dataDir, options.fileName)} is corrupt (${(err as Error).message}); restore a backup or reconcile by hand`);
    }
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') throw new StoreUnusableError(`data disk full: ${(err as Error).message}`);
    throw err;
  }
  try {
    checkIntegrity(db);
    checkFreeSpace(options.dataDir, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);
  } catch (err) {
    closeDb(db);
    throw err;
  }
  const money = new SqliteMoneyStore({ db, terminalId: options.terminalId, now: options.now });
  return { db, money, close: () => closeDb(db) };
}
