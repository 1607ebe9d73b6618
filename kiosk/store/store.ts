/** One call to open the kiosk's data directory: the database, migrated, and the money store on it. */
import { closeDb, openDb, type Db } from './db.js';
import { SqliteMoneyStore } from './money-store.js';

export interface KioskStore {
  db: Db;
  money: SqliteMoneyStore;
  close(): void;
}

export function openKioskStore(options: { dataDir: string; terminalId: string; now?: () => Date; fileName?: string }): KioskStore {
  const db = openDb({ dataDir: options.dataDir, fileName: options.fileName });
  const money = new SqliteMoneyStore({ db, terminalId: options.terminalId, now: options.now });
  return { db, money, close: () => closeDb(db) };
}
