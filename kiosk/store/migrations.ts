/**
 * Versioned schema. Each migration runs in its own transaction together with the row that
 * records it in schema_version, so a crash mid-migration leaves the previous version intact.
 * Append new migrations at the end; never edit a released one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'journal, outbox, counters, cash-in, withdrawal, audit',
    sql: `
      CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        receipt_number TEXT UNIQUE
      );
      -- the chain head lets the verifier notice entries cut off the end of the journal
      CREATE TABLE journal_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
      CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

      CREATE TABLE sequences (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        session_id TEXT,
        receipt_number TEXT,
        amount INTEGER NOT NULL DEFAULT 0,
        credit INTEGER NOT NULL DEFAULT 0 CHECK (credit IN (0, 1)),
        journal_seq INTEGER NOT NULL REFERENCES journal(seq),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'deadLetter')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_error TEXT,
        dead_reason TEXT
      );
      CREATE INDEX outbox_pending ON outbox(state, seq);

      CREATE TABLE counters (
        unit TEXT NOT NULL,
        denomination INTEGER NOT NULL CHECK (denomination > 0),
        count INTEGER NOT NULL,
        PRIMARY KEY (unit, denomination)
      );

      CREATE TABLE cash_ins (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'ok', 'rollback', 'retract', 'unknown')),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        commission INTEGER,
        receipt_number TEXT,
        message_key TEXT
      );
      CREATE INDEX cash_ins_open ON cash_ins(status);
      CREATE TABLE cash_in_notes (
        id INTEGER PRIMARY KEY,
        cash_in_id TEXT NOT NULL REFERENCES cash_ins(id),
        denomination INTEGER NOT NULL CHECK (denomination > 0),
        state TEXT NOT NULL CHECK (state IN ('intent', 'stacked', 'returned')),
        reason TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX cash_in_notes_by_cash_in ON cash_in_notes(cash_in_id, state);

      CREATE TABLE withdrawals (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        commission INTEGER NOT NULL,
        hold_id TEXT NOT NULL,
        plan TEXT NOT NULL,
        label TEXT,
        state TEXT NOT NULL CHECK (state IN ('authorised', 'dispensing', 'dispensed', 'complete', 'reversed')),
        present_state TEXT NOT NULL CHECK (present_state IN ('presented', 'notPresented', 'unknown')),
        notes_at TEXT NOT NULL CHECK (notes_at IN ('none', 'presenter', 'customer', 'retract', 'reject')),
        dispensed TEXT,
        dispensed_amount INTEGER NOT NULL DEFAULT 0,
        authorised_at TEXT NOT NULL,
        ended_at TEXT,
        receipt_number TEXT,
        message_key TEXT,
        reverse_reason TEXT
      );
      CREATE INDEX withdrawals_open ON withdrawals(state);

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL,
        journal_seq INTEGER NOT NULL REFERENCES journal(seq)
      );
    `,
  },
  {
    version: 2,
    name: 'service payments from an account',
    sql: `
      -- a payment from the customer's product: asked (authorising), held (authorised), then
      -- completed through the outbox or reversed; refused means the bank held nothing
      CREATE TABLE account_payments (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        label TEXT,
        service_id TEXT NOT NULL,
        service_name TEXT,
        reference TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        commission INTEGER NOT NULL CHECK (commission >= 0),
        authorisation_key TEXT NOT NULL UNIQUE,
        hold_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('authorising', 'authorised', 'refused', 'complete', 'reversed')),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        receipt_number TEXT,
        message_key TEXT,
        end_reason TEXT
      );
      CREATE INDEX account_payments_open ON account_payments(state);
    `,
  },
  {
    version: 3,
    name: 'installation id in message keys',
    sql: `
      -- A random id drawn once, when this database is created. Outbox keys carry it
      -- (terminalId:installation:seq), so a database re-created under the same terminal id (a
      -- replaced disk, a reinstall) starts its sequence at 1 again without ever repeating a key the
      -- bank has already registered. Keys enqueued before this migration keep their old form.
      CREATE TABLE installation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        installation_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO installation (id, installation_id, created_at)
        VALUES (1, lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    `,
  },
  {
    version: 4,
    name: 'receipt prints',
    sql: `
      -- Every print of a customer's receipt, written before the printer gets the job and ended
      -- after it: a row still 'printing' at start-up is a receipt the core died printing (lost).
      -- sms_phone is the phone the customer identified with, held only while the print runs so a
      -- lost receipt can go by SMS instead; it is cleared in the transaction that ends the row.
      -- Contact data only: no card data, no authentication secret.
      CREATE TABLE receipt_prints (
        id INTEGER PRIMARY KEY,
        receipt_number TEXT NOT NULL,
        operation TEXT NOT NULL,
        operation_id TEXT,
        session_id TEXT,
        locale TEXT NOT NULL CHECK (locale IN ('kk', 'ru', 'en')),
        state TEXT NOT NULL CHECK (state IN ('printing', 'printed', 'failed', 'lost')),
        failure TEXT,
        sms_phone TEXT,
        sms_key TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        reprinted_at TEXT,
        reprinted_by TEXT
      );
      CREATE INDEX receipt_prints_by_state ON receipt_prints(state);
      CREATE INDEX receipt_prints_by_receipt ON receipt_prints(receipt_number);
    `,
  },
];

export const latestVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);
