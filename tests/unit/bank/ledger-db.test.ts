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

  it('refuses a ledger from a newer version with a clear message', () => {
    const path = file();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LEDGER_VERSION + 1}`);
    raw.close();
    expect(() => openLedger(path)).toThrow(new RegExp(`is version ${LEDGER_VERSION + 1}, this simulator knows up to ${LEDGER_VERSION}`));
  });

  it('upgrades a version 1 ledger in place: holds become withdrawals, cards get a product without a PIN change, and the PIN change table', () => {
    const path = file();
    const raw = new Database(path);
    raw.exec(`CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, iin TEXT UNIQUE, birth_date TEXT NOT NULL,
      personal_code TEXT, blocked INTEGER NOT NULL DEFAULT 0, restricted INTEGER NOT NULL DEFAULT 0, palm_consent INTEGER NOT NULL DEFAULT 1,
      has_app INTEGER NOT NULL DEFAULT 0, trusted_phone TEXT, daily_cash_limit INTEGER NOT NULL DEFAULT 50000000);
      CREATE TABLE cards (pan_token TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id), masked_pan TEXT NOT NULL);
      INSERT INTO customers (id, name, phone, birth_date) VALUES ('c-1', 'A B', '+77010000000', '1990-01-01');
      INSERT INTO cards VALUES ('${'a'.repeat(64)}', 'c-1', '440043******0015');
      CREATE TABLE holds (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, customer_id TEXT NOT NULL, amount INTEGER NOT NULL,
      commission INTEGER NOT NULL, status TEXT NOT NULL, approval_id TEXT, created_at INTEGER NOT NULL, debited INTEGER);
      INSERT INTO holds VALUES ('h-old', 'a-1', 'c-1', 100, 1, 'held', NULL, 0, NULL);`);
    raw.pragma('user_version = 1');
    raw.close();
    const db = openLedger(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    expect(db.prepare('SELECT masked_pan, product, pin_change FROM cards').all()).toEqual([{ masked_pan: '440043******0015', product: 'debit', pin_change: 0 }]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'pin_changes'").get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT purpose, service_id FROM holds WHERE id = ?').get('h-old')).toEqual({ purpose: 'withdraw', service_id: null });
    db.close();
    // opening again changes nothing
    openLedger(path).close();
  });
});
