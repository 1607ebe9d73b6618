/**
 * Opening the kiosk's SQLite database: one file in one data directory, WAL with synchronous=FULL
 * (a committed transaction survives power loss), foreign keys on, schema migrated to the latest
 * version. A database written by a newer release is refused instead of being half-understood.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { latestVersion, migrations, type Migration } from './migrations.js';
import { makeDirs } from './make-dirs.js';

export type { Db };

export const DEFAULT_DB_FILE = 'kiosk.sqlite';

export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
}

export interface OpenDbOptions {
  /** the data directory; the database file lives inside it */
  dataDir: string;
  fileName?: string;
  /** milliseconds to wait for a lock held by another connection */
  busyTimeoutMs?: number;
  /** for tests of the migration runner */
  migrations?: readonly Migration[];
}

export function dbPath(dataDir: string, fileName = DEFAULT_DB_FILE): string {
  return path.join(dataDir, fileName);
}

/**
 * The data folder holds the journal and customers' receipt data: owner only (folder 0700, files
 * 0600). SQLite creates its -wal and -shm files with the main file's mode, so creating the main
 * file 0600 before SQLite opens it covers all three.
 */
export function secureDataFiles(dataDir: string, file: string): void {
  makeDirs(dataDir, 0o700);
  // a folder someone else owns, or a shared sticky one like /tmp, is not ours to lock down
  const dir = statSync(dataDir);
  if (dir.uid === process.getuid?.() && (dir.mode & 0o1000) === 0) chmodSync(dataDir, 0o700);
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

export function openDb(options: OpenDbOptions): Db {
  const file = dbPath(options.dataDir, options.fileName);
  secureDataFiles(options.dataDir, file);
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function closeDb(db: Db): void {
  if (db.open) db.close();
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

export function migrate(db: Db, list: readonly Migration[] = migrations): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const known = list.reduce((max, m) => Math.max(max, m.version), 0);
  const current = schemaVersion(db);
  if (current > known) {
    throw new StoreVersionError(
      `database ${db.name} has schema version ${current}, newer than this release understands (${known}); ` +
        'install the newer release or restore a matching backup',
    );
  }
  const pending = [...list].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  return schemaVersion(db);
}

export { latestVersion };
