import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, closeDb, schemaVersion, StoreVersionError, latestVersion, type Db } from '../../../kiosk/store/db.js';
import { migrations } from '../../../kiosk/store/migrations.js';

describe('database open and migrations', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'kiosk-db-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const db of dbs.splice(0)) closeDb(db);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('opens with WAL, synchronous=FULL and foreign keys, at the latest schema version', () => {
    const db = openDb({ dataDir: tmp() });
    dbs.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(latestVersion).toBeGreaterThanOrEqual(1);
  });

  it('is idempotent on reopen and applies only new migrations', () => {
    const dir = tmp();
    closeDb(openDb({ dataDir: dir }));
    const extra = [...migrations, { version: latestVersion + 1, name: 'extra', sql: 'CREATE TABLE extra_thing (id INTEGER PRIMARY KEY);' }];
    const db = openDb({ dataDir: dir, migrations: extra });
    dbs.push(db);
    expect(schemaVersion(db)).toBe(latestVersion + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra_thing'").get()).toBeTruthy();
  });

  it('rolls back a failing migration as a whole', () => {
    const dir = tmp();
    closeDb(openDb({ dataDir: dir }));
    const broken = [...migrations, { version: latestVersion + 1, name: 'broken', sql: 'CREATE TABLE half_done (id INTEGER); SELECT * FROM no_such_table;' }];
    expect(() => openDb({ dataDir: dir, migrations: broken })).toThrow(/no_such_table/);
    const db = openDb({ dataDir: dir });
    dbs.push(db);
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
  });

  it('refuses a database written by a newer release with a clear error', () => {
    const dir = tmp();
    const db = openDb({ dataDir: dir });
    db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(latestVersion + 5, 'future', new Date().toISOString());
    closeDb(db);
    expect(() => openDb({ dataDir: dir })).toThrow(StoreVersionError);
    expect(() => openDb({ dataDir: dir })).toThrow(/newer than this release/);
  });
});

describe('data file permissions', () => {
  it('creates the data folder 0700 and the database, WAL and SHM files 0600, and tightens loose ones', () => {
    const { join } = path;
    const root = mkdtempSync(join(os.tmpdir(), 'kiosk-perm-'));
    const dataDir = join(root, 'data');
    const mode = (p: string): number => statSync(p).mode & 0o777;
    try {
      const db = openDb({ dataDir });
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      expect(mode(dataDir)).toBe(0o700);
      for (const f of ['kiosk.sqlite', 'kiosk.sqlite-wal', 'kiosk.sqlite-shm']) expect(mode(join(dataDir, f))).toBe(0o600);
      closeDb(db);
      // a folder and file left readable by an older release are tightened on the next open
      chmodSync(dataDir, 0o755);
      chmodSync(join(dataDir, 'kiosk.sqlite'), 0o644);
      closeDb(openDb({ dataDir }));
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'kiosk.sqlite'))).toBe(0o600);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
