import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LEDGER_VERSION, openLedger } from '../../../simulators/bank/ledger-db.js';
import { seedLedger } from '../../../simulators/bank/seed.js';
import { DEV_CARD_TOKEN_KEY } from '../../../drivers/card-reader/pan-token.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const file = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'bank-ledger-'));
  dirs.push(dir);
  return join(dir, 'bank.sqlite');
};

describe('openLedger', () => {
  it('creates a WAL ledger stamped with its version and seeds it once', () => {
    const path = file();
    const db = openLedger(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    expect(seedLedger(db, DEV_CARD_TOKEN_KEY)).toBe(true);
    expect(seedLedger(db, DEV_CARD_TOKEN_KEY)).toBe(false);
    // no card number is stored, only tokens and masked numbers
    const cards = JSON.stringify(db.prepare('SELECT * FROM cards').all());
    expect(cards).not.toContain('4400430000000015');
    expect(cards).toContain('440043******0015');
    db.close();
  });

  it('upgrades a version-1 ledger in place: its holds become withdrawals', () => {
    const path = file();
    const raw = new Database(path);
    raw.exec(`CREATE TABLE holds (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, customer_id TEXT NOT NULL, amount INTEGER NOT NULL,
      commission INTEGER NOT NULL, status TEXT NOT NULL, approval_id TEXT, created_at INTEGER NOT NULL, debited INTEGER);
      INSERT INTO holds VALUES ('h-old', 'a-1', 'c-1', 100, 1, 'held', NULL, 0, NULL);`);
    raw.pragma('user_version = 1');
    raw.close();
    const db = openLedger(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    expect(db.prepare('SELECT purpose, service_id FROM holds WHERE id = ?').get('h-old')).toEqual({ purpose: 'withdraw', service_id: null });
    db.close();
  });

  it('refuses a ledger from a newer version with a clear message', () => {
    const path = file();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LEDGER_VERSION + 1}`);
    raw.close();
    expect(() => openLedger(path)).toThrow(new RegExp(`is version ${LEDGER_VERSION + 1}, this simulator knows up to ${LEDGER_VERSION}`));
  });
});
