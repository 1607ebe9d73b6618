/**
 * The bank simulator's ledger: one SQLite file (WAL) holding customers, products, holds, the
 * applied-message register and the OTP/session tables. Balances are integer tiyn.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS customers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  iin TEXT UNIQUE,
  birth_date TEXT NOT NULL,
  personal_code TEXT,
  blocked INTEGER NOT NULL DEFAULT 0,
  restricted INTEGER NOT NULL DEFAULT 0,
  palm_consent INTEGER NOT NULL DEFAULT 1,
  has_app INTEGER NOT NULL DEFAULT 0,
  trusted_phone TEXT,
  daily_cash_limit INTEGER NOT NULL DEFAULT 50000000
);
CREATE INDEX IF NOT EXISTS customers_phone ON customers(phone);
CREATE TABLE IF NOT EXISTS cards (
  pan_token TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  masked_pan TEXT NOT NULL,
  product TEXT NOT NULL DEFAULT 'debit',
  -- the card product allows changing the PIN through a terminal
  pin_change INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS palm_enrolments (
  subject TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  template BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  kind TEXT NOT NULL CHECK (kind IN ('current','savings','loan','wallet')),
  label TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'KZT',
  balance INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  due_amount INTEGER,
  max_top_up INTEGER,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed','blocked'))
);
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  at TEXT NOT NULL,
  description TEXT NOT NULL,
  amount INTEGER NOT NULL,
  message_key TEXT
);
CREATE INDEX IF NOT EXISTS entries_account ON entries(account_id, id);
CREATE TABLE IF NOT EXISTS services (
  id TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  name TEXT NOT NULL,
  reference_kind TEXT NOT NULL,
  reference_pattern TEXT NOT NULL,
  min_amount INTEGER NOT NULL,
  max_amount INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS service_payments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL REFERENCES services(id),
  reference TEXT NOT NULL,
  amount INTEGER NOT NULL,
  commission INTEGER NOT NULL,
  at TEXT NOT NULL,
  message_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tariffs (
  operation TEXT PRIMARY KEY,
  fixed INTEGER NOT NULL DEFAULT 0,
  bps INTEGER NOT NULL DEFAULT 0,
  min_fee INTEGER NOT NULL DEFAULT 0,
  max_fee INTEGER
);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  customer_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  commission INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pendingApproval','held','completed','reversed','refused')),
  approval_id TEXT,
  created_at INTEGER NOT NULL,
  debited INTEGER,
  purpose TEXT NOT NULL DEFAULT 'withdraw' CHECK (purpose IN ('withdraw','payService')),
  service_id TEXT
);
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  hold_id TEXT NOT NULL REFERENCES holds(id),
  status TEXT NOT NULL CHECK (status IN ('pending','approved','refused','expired')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
-- Register of every store-and-forward message key ever seen: the exactly-once guarantee.
CREATE TABLE IF NOT EXISTS applied_messages (
  key TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied','rejected')),
  reason TEXT,
  at INTEGER NOT NULL
);
-- First answer of each idempotent terminal call, replayed verbatim on a retry.
CREATE TABLE IF NOT EXISTS idempotent_answers (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  answer TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS terminal_events (
  key TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  at INTEGER NOT NULL
);
-- Only a salted hash of each OTP is kept (never the code).
CREATE TABLE IF NOT EXISTS otps (
  session_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  salt TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  resend_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('active','used','locked')),
  PRIMARY KEY (session_id, customer_id)
);
CREATE TABLE IF NOT EXISTS access_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
-- PIN changes started at a terminal. The PIN is set in the bank's app or secure SMS link and is
-- never here: only that a change was asked for, and whether and when it happened.
CREATE TABLE IF NOT EXISTS pin_changes (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  pan_token TEXT NOT NULL REFERENCES cards(pan_token),
  channel TEXT NOT NULL CHECK (channel IN ('push','sms')),
  status TEXT NOT NULL CHECK (status IN ('pending','done','failed','expired','cancelled')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE TABLE IF NOT EXISTS qr_logins (
  token TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  customer_id TEXT,
  expires_at INTEGER NOT NULL
);
`;

/** bump with every schema change; a ledger written by a newer simulator is refused, not guessed at */
export const LEDGER_VERSION = 3;

/** changes to tables an older ledger already has (new tables come from SCHEMA itself) */
const UPGRADES: Record<number, string> = {
  // version 2: holds also back service payments from an account, which never count as cash
  2: `ALTER TABLE holds ADD COLUMN purpose TEXT NOT NULL DEFAULT 'withdraw' CHECK (purpose IN ('withdraw','payService'));
      ALTER TABLE holds ADD COLUMN service_id TEXT;`,
  // version 3: card products (PIN change flag); the pin_changes table comes with SCHEMA
  3: `ALTER TABLE cards ADD COLUMN product TEXT NOT NULL DEFAULT 'debit';
      ALTER TABLE cards ADD COLUMN pin_change INTEGER NOT NULL DEFAULT 0;`,
};

export function openLedger(file: string): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LEDGER_VERSION) {
      throw new Error(`bank ledger ${file} is version ${version}, this simulator knows up to ${LEDGER_VERSION}: use a newer simulator or a fresh data dir`);
    }
    db.transaction(() => {
      if (version > 0) {
        for (let v = version + 1; v <= LEDGER_VERSION; v++) {
          const upgrade = UPGRADES[v];
          if (upgrade !== undefined) db.exec(upgrade);
        }
      }
      db.exec(SCHEMA);
      db.pragma(`user_version = ${LEDGER_VERSION}`);
    })();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export type { Db };
