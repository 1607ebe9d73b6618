/**
 * The fleet's series on the core's registry: journal, cash levels, paper, sessions and notes.
 * Everything that lives in SQLite is read at scrape time, so the numbers are the store's own, not a
 * second count that could drift from it. No customer data and no one customer's amounts: notes are
 * counted, cash levels are counts of notes.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Db } from '../store/db.js';
import { journalHead, readJournal } from '../store/journal.js';
import type { Snapshot } from '../bridge/schema.js';
import { collectStatus, type StatusSources } from './terminal-status.js';
import { lastAnchor } from './journal-anchor.js';

const PAPER_STATES = ['ok', 'nearEnd', 'out', 'unknown'] as const;

function once<T>(registry: Registry, name: string, make: () => T): T {
  // a core restarted in-process reuses its registry: the new store's series replace the old ones
  if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  return make();
}

export interface FleetMetrics {
  /** feed every snapshot of the session host: sessions are counted by how they ended */
  sessionSnapshot(snapshot: Pick<Snapshot, 'screen' | 'receipt' | 'error'>): void;
  /** the acceptor refused a note (it never reaches the store, so it is counted here) */
  noteRejected(): void;
}

export function registerFleetMetrics(registry: Registry, sources: StatusSources): FleetMetrics {
  const db: Db = sources.db;
  const live = (): boolean => db.open;
  // one status read per scrape, shared by the gauges below
  let cached: { at: number; status: ReturnType<typeof collectStatus> } | undefined;
  const status = (): ReturnType<typeof collectStatus> => {
    const now = Date.now();
    if (!cached || now - cached.at > 500) cached = { at: now, status: collectStatus(sources) };
    return cached.status;
  };

  once(registry, 'kiosk_journal_entries', () => new Gauge({
    name: 'kiosk_journal_entries', help: 'Entries in the electronic journal (its head sequence number)', registers: [registry],
    collect() { if (live()) this.set(journalHead(db).seq); },
  }));
  once(registry, 'kiosk_journal_anchored_entries', () => new Gauge({
    name: 'kiosk_journal_anchored_entries', help: 'Journal entries the bank holds anchored (sequence number of the last anchored head)', registers: [registry],
    collect() { if (live()) this.set(lastAnchor(db)?.seq ?? 0); },
  }));
  once(registry, 'kiosk_journal_last_anchor_age_seconds', () => new Gauge({
    name: 'kiosk_journal_last_anchor_age_seconds',
    help: 'Seconds since the bank last accepted a journal segment; before the first anchor, since the first journal entry',
    registers: [registry],
    collect() {
      if (!live()) return;
      const anchor = lastAnchor(db);
      const first = anchor ? undefined : readJournal(db, 1, 1)[0];
      const since = anchor?.at ?? (first ? Date.parse(first.at) : Date.now());
      this.set(Math.max(0, (Date.now() - since) / 1000));
    },
  }));
  once(registry, 'kiosk_cassette_notes', () => new Gauge({
    name: 'kiosk_cassette_notes', help: 'Notes in each dispenser cassette, from the counters', labelNames: ['cassette', 'denomination'], registers: [registry],
    collect() {
      if (!live()) return;
      this.reset();
      for (const c of status().cassettes) this.labels(String(c.index), String(c.denomination / 100)).set(c.notes);
    },
  }));
  once(registry, 'kiosk_cassette_capacity_notes', () => new Gauge({
    name: 'kiosk_cassette_capacity_notes', help: 'Most notes one dispenser cassette holds', labelNames: ['cassette'], registers: [registry],
    collect() {
      if (!live()) return;
      this.reset();
      for (const c of status().cassettes) this.labels(String(c.index)).set(c.capacity);
    },
  }));
  once(registry, 'kiosk_cash_box_notes', () => new Gauge({
    name: 'kiosk_cash_box_notes', help: 'Notes in the cash acceptor\'s cash box, from the counters', registers: [registry],
    collect() { if (live()) this.set(status().cashBox.notes); },
  }));
  once(registry, 'kiosk_cash_box_capacity_notes', () => new Gauge({
    name: 'kiosk_cash_box_capacity_notes', help: 'Most notes the cash box holds (config fleet.cashBoxCapacity)', registers: [registry],
    collect() { if (live()) this.set(status().cashBox.capacity); },
  }));
  once(registry, 'kiosk_cash_box_full', () => new Gauge({
    name: 'kiosk_cash_box_full', help: '1 when the acceptor reports its cash box full or the count reached capacity', registers: [registry],
    collect() { if (live()) this.set(status().cashBox.full ? 1 : 0); },
  }));
  once(registry, 'kiosk_printer_paper', () => new Gauge({
    name: 'kiosk_printer_paper', help: 'Receipt paper, one series per state; the current one is 1', labelNames: ['state'], registers: [registry],
    collect() {
      if (!live()) return;
      const paper = status().paper;
      for (const state of PAPER_STATES) this.labels(state).set(paper === state ? 1 : 0);
    },
  }));
  let rejected = 0;
  once(registry, 'kiosk_notes_total', () => new Counter({
    name: 'kiosk_notes_total', help: 'Banknotes offered to the acceptor by outcome: stacked (accepted), returned to the customer, rejected by the acceptor',
    labelNames: ['outcome'], registers: [registry],
    collect() {
      if (!live()) return;
      // stacked and returned are the store's own record (cash_in_notes rows are never deleted)
      const rows = db.prepare("SELECT state, COUNT(*) AS n FROM cash_in_notes WHERE state IN ('stacked', 'returned') GROUP BY state").all() as Array<{ state: string; n: number }>;
      this.reset();
      for (const outcome of ['stacked', 'returned']) this.labels(outcome).inc(rows.find((r) => r.state === outcome)?.n ?? 0);
      this.labels('rejected').inc(rejected);
    },
  }));
  const sessions = once(registry, 'kiosk_sessions_total', () => new Counter({
    name: 'kiosk_sessions_total',
    help: 'Customer sessions by outcome: completed (an operation got a receipt number), refused (ended on a refusal), abandoned (neither)',
    labelNames: ['outcome'], registers: [registry],
  })) as Counter<'outcome'>;
  for (const outcome of ['completed', 'refused', 'abandoned']) sessions.labels(outcome).inc(0);

  const IDLE = new Set(['attract', 'outOfService', 'pleaseWait', 'serviceLogin', 'serviceMenu']);
  let open: { completed: boolean; refused: boolean } | undefined;
  return {
    sessionSnapshot(s) {
      if (!IDLE.has(s.screen)) {
        open ??= { completed: false, refused: false };
        if (s.receipt?.number) open.completed = true;
        if (s.screen === 'refusal') open.refused = true;
        return;
      }
      if (!open) return;
      sessions.labels(open.completed ? 'completed' : open.refused ? 'refused' : 'abandoned').inc();
      open = undefined;
    },
    noteRejected() {
      rejected++;
    },
  };
}
