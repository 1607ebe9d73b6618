/**
 * Anchoring the electronic journal at the bank (bank rules 8.23): the terminal sends its journal
 * in segments through the outbox (kind `journalUpload`, exactly once like every message); the bank
 * accepts a segment only if it continues the head it anchored last. What the bank holds cannot be
 * rewritten from the terminal, so a journal changed after an anchor no longer matches it.
 *
 * The outbox is the record of what was sent: the last segment not refused says where the next one
 * starts, the last one delivered is the anchor. A refused segment (dead letter, journaled with the
 * bank's reason by the sync worker) is not an anchor; the next one starts at the same place again,
 * so a forked journal keeps being refused until a technician deals with it.
 */
import type { Db } from '../store/db.js';
import { GENESIS_HASH, journalHead, readJournal } from '../store/journal.js';
import { enqueueMessage } from '../store/outbox.js';

/** most entries in one segment, so a message stays far below the bank's request size limit */
export const MAX_SEGMENT_ENTRIES = 200;

export interface JournalAnchor {
  /** last sequence number the bank holds */
  seq: number;
  hash: string;
  /** ms since epoch the bank accepted it */
  at: number;
}

interface UploadRow {
  body: string;
  created_at: number;
  delivered_at: number | null;
}

interface SegmentBody {
  from: number;
  to: number;
  prevHash: string;
  headHash: string;
}

const lastUpload = (db: Db, states: string): UploadRow | undefined =>
  db.prepare(`SELECT body, created_at, delivered_at FROM outbox WHERE kind = 'journalUpload' AND state IN (${states}) ORDER BY seq DESC LIMIT 1`)
    .get() as UploadRow | undefined;

/** the head the bank accepted last, or undefined before the first anchor */
export function lastAnchor(db: Db): JournalAnchor | undefined {
  const row = lastUpload(db, "'delivered'");
  if (!row) return undefined;
  const body = JSON.parse(row.body) as SegmentBody;
  return { seq: body.to, hash: body.headHash, at: row.delivered_at ?? row.created_at };
}

/** where the journal stands against what was sent: entries not yet in any segment */
export function uploadState(db: Db): { headSeq: number; sentTo: number; lastQueuedAt: number | undefined } {
  const row = lastUpload(db, "'pending', 'delivered'");
  const body = row ? (JSON.parse(row.body) as SegmentBody) : undefined;
  return { headSeq: journalHead(db).seq, sentTo: body?.to ?? 0, lastQueuedAt: row?.created_at };
}

/**
 * Queues every entry not yet sent, in segments of at most `maxEntries`, in one transaction. An
 * upload is no journal event of its own (journaling it would feed the next upload forever): its
 * outbox row points at the entry it anchors. Returns the segments queued (none when nothing is new).
 */
export function queueJournalSegments(db: Db, terminalId: string, nowMs: number, maxEntries = MAX_SEGMENT_ENTRIES): Array<{ key: string; from: number; to: number }> {
  return db.transaction(() => {
    const queued: Array<{ key: string; from: number; to: number }> = [];
    const { sentTo } = uploadState(db);
    const until = journalHead(db).seq;
    let from = sentTo + 1;
    let prevHash = sentTo === 0 ? GENESIS_HASH : (readJournal(db, sentTo, 1)[0]?.hash ?? GENESIS_HASH);
    while (from <= until) {
      const entries = readJournal(db, from, Math.min(maxEntries, until - from + 1));
      const last = entries.at(-1);
      if (!last) break;
      const body = { from, to: last.seq, prevHash, headHash: last.hash, entries };
      const message = enqueueMessage(db, { terminalId, kind: 'journalUpload', body, journalSeq: last.seq, nowMs });
      queued.push({ key: message.key, from, to: last.seq });
      prevHash = last.hash;
      from = last.seq + 1;
    }
    return queued;
  }).immediate();
}

export interface JournalUploaderOptions {
  db: Db;
  terminalId: string;
  /** upload once this many entries are not yet sent */
  everyEntries: number;
  /** upload at least this often while anything new was journaled */
  everyMs: number;
  /** how often the schedule is looked at (default 5 s) */
  checkMs?: number;
  now?: () => number;
  /** a segment was queued: wake the sync worker */
  onQueued?: (segments: Array<{ key: string; from: number; to: number }>) => void;
  onError?: (err: unknown) => void;
}

/** The upload schedule: every N entries or M minutes, and on demand (service-mode exit). */
export class JournalUploader {
  readonly #o: JournalUploaderOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: JournalUploaderOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
  }

  start(): this {
    this.#timer ??= setInterval(() => this.check(), this.#o.checkMs ?? 5_000);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** uploads if the schedule says so; returns how many segments were queued */
  check(): number {
    const s = this.#safe(() => uploadState(this.#o.db));
    if (!s) return 0;
    const unsent = s.headSeq - s.sentTo;
    const due = this.#now() - (s.lastQueuedAt ?? this.#startedAt) >= this.#o.everyMs;
    if (unsent >= this.#o.everyEntries || (due && unsent > 0)) return this.uploadNow();
    return 0;
  }

  /** uploads whatever is not yet sent (service-mode exit, shutdown) */
  uploadNow(): number {
    const segments = this.#safe(() => queueJournalSegments(this.#o.db, this.#o.terminalId, this.#now()));
    if (!segments || segments.length === 0) return 0;
    this.#o.onQueued?.(segments);
    return segments.length;
  }

  #safe<T>(work: () => T): T | undefined {
    try {
      return this.#o.db.open ? work() : undefined;
    } catch (err) {
      // a locked or full database: the next check tries again
      this.#o.onError?.(err);
      return undefined;
    }
  }
}
