/**
 * The whole journal check (`npm run journal -- verify`): the hash chain, the append-only triggers,
 * the cash counters against the journal, and, with the bank, that the journal here still holds the
 * head the bank anchored, at its sequence number. Each problem is one finding naming the place.
 *
 * A chain alone proves nothing against someone who can write the file: they can re-hash it all,
 * renumber it, cut its end and wind `journal_head` back. What they cannot do is change the head the
 * bank holds; that comparison is what catches a rewrite of anything anchored.
 */
import type { Db } from '../store/db.js';
import { readJournal, verifyJournal } from '../store/journal.js';
import { checkCounters } from '../store/counters.js';
import { lastAnchor } from './journal-anchor.js';

export interface Finding {
  /** chain, triggers, counters, anchor, bank */
  check: string;
  message: string;
}

/** the triggers migration 1 creates; their SQL must still refuse the change */
const APPEND_ONLY_TRIGGERS = [
  { name: 'journal_no_update', event: 'UPDATE' },
  { name: 'journal_no_delete', event: 'DELETE' },
] as const;

export function checkTriggers(db: Db): Finding[] {
  const findings: Finding[] = [];
  for (const t of APPEND_ONLY_TRIGGERS) {
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = 'journal'").get(t.name) as { sql: string } | undefined;
    if (!row) {
      findings.push({ check: 'triggers', message: `append-only trigger ${t.name} is missing: journal rows can be ${t.event === 'UPDATE' ? 'changed' : 'deleted'}` });
      continue;
    }
    const sql = row.sql.replace(/\s+/g, ' ').toUpperCase();
    if (!sql.includes(`BEFORE ${t.event} ON JOURNAL`) || !sql.includes('RAISE(ABORT')) {
      findings.push({ check: 'triggers', message: `append-only trigger ${t.name} no longer refuses ${t.event}: ${row.sql.replace(/\s+/g, ' ').slice(0, 120)}` });
    }
  }
  return findings;
}

export function checkChain(db: Db): Finding[] {
  const r = verifyJournal(db);
  return r.ok ? [] : [{ check: 'chain', message: `entry ${r.firstBadSeq}: ${r.problem}` }];
}

export function checkCounterTotals(db: Db): Finding[] {
  return checkCounters(db).map((m) => ({
    check: 'counters',
    message: `${m.unit} ${m.denomination / 100} tenge: counter says ${m.counter} notes, the journal ${m.journal}`,
  }));
}

/** the journal here must still hold `head` at its sequence number */
export function checkAgainstAnchor(db: Db, head: { seq: number; hash: string }, source: 'bank' | 'anchor'): Finding[] {
  if (head.seq === 0) return [];
  const entry = readJournal(db, head.seq, 1)[0];
  const short = (h: string): string => h.slice(0, 12);
  const who = source === 'bank' ? 'the bank anchored' : 'the record of the last anchor here says';
  if (!entry || entry.seq !== head.seq) {
    return [{ check: source, message: `entry ${head.seq} is missing, but ${who} it (hash ${short(head.hash)}): entries were deleted or cut off` }];
  }
  if (entry.hash !== head.hash) {
    return [{ check: source, message: `entry ${head.seq} has hash ${short(entry.hash)}, but ${who} ${short(head.hash)}: the journal up to entry ${head.seq} was rewritten` }];
  }
  return [];
}

export interface VerifyReport {
  entries: number;
  findings: Finding[];
  /** the anchor compared with: the bank's (with --bank) and the terminal's own record of it */
  anchors: Array<{ source: 'bank' | 'anchor'; seq: number }>;
}

/** every local check, plus the bank's anchored head when given */
export function verifyAll(db: Db, bankHead?: { seq: number; hash: string }): VerifyReport {
  const chain = verifyJournal(db);
  const findings = [...checkChain(db), ...checkTriggers(db), ...checkCounterTotals(db)];
  const anchors: VerifyReport['anchors'] = [];
  // the terminal's own record of the last anchor (the outbox): as writable as the journal, but
  // a careless rewrite leaves it behind
  const local = lastAnchor(db);
  if (local) {
    anchors.push({ source: 'anchor', seq: local.seq });
    findings.push(...checkAgainstAnchor(db, local, 'anchor'));
  }
  if (bankHead) {
    anchors.push({ source: 'bank', seq: bankHead.seq });
    findings.push(...checkAgainstAnchor(db, bankHead, 'bank'));
  }
  return { entries: chain.entries, findings, anchors };
}
