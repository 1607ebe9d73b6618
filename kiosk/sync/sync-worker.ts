/**
 * Delivers the outbox to the bank: globally in sequence order, up to `batchSize` messages per
 * request, retrying with exponential backoff and jitter when the bank cannot be reached. All state
 * (pending, attempts, next attempt) lives in SQLite, so the worker can be killed at any point and a
 * new one resumes with the same keys; the bank applies each key once (invariant 5).
 */
import { z } from 'zod';
import type { Registry } from 'prom-client';
import { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeliveryResult, OutboxMessage } from '../bank/bank-api.js';
import type { Db } from '../store/db.js';
import { appendJournal } from '../store/journal.js';
import { FLEET_KINDS, markAttemptFailed, markDeadLetter, markDelivered, pendingHead, type OutboxRecord } from '../store/outbox.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import { registerSyncMetrics, type SyncMetrics } from './metrics.js';
import { withTimeout } from '../../domain/async.js';

/** the bank client's postMessages: one HTTP request, results in the order of the batch */
export type Deliver = (batch: OutboxMessage[]) => Promise<DeliveryResult[]>;

const Results = z.array(z.object({ key: z.string(), status: z.enum(['applied', 'alreadyApplied', 'rejected']), reason: z.string().optional() }));

export interface SyncWorkerOptions {
  db: Db;
  deliver: Deliver;
  registry?: Registry;
  batchSize?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  /** how often to look for new messages when the queue is empty and nobody called notify() */
  idlePollMs?: number;
  /** a delivery that takes longer counts as failed (and is retried with the same keys) */
  deliverTimeoutMs?: number;
}

export type RunResult =
  | { kind: 'idle' }
  | { kind: 'waiting'; retryAt: number }
  | { kind: 'sent'; delivered: number; deadLettered: number; unanswered: number }
  | { kind: 'failed'; error: string; retryAt: number };

export interface SyncWorkerEvents {
  delivered: { keys: string[] };
  deadLetter: { key: string; receiptNumber: string | null; reason: string };
  failed: { error: string; attempts: number; retryAt: number };
}

export class SyncWorker extends TypedEmitter<SyncWorkerEvents> {
  private readonly db: Db;
  private readonly deliver: Deliver;
  private readonly batchSize: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly idlePollMs: number;
  private readonly deliverTimeoutMs: number;
  private readonly metrics: SyncMetrics | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private inFlight = false;
  private wake: (() => void) | undefined;

  constructor(options: SyncWorkerOptions) {
    super();
    this.db = options.db;
    this.deliver = options.deliver;
    this.batchSize = Math.min(Math.max(1, options.batchSize ?? 50), 500);
    this.backoff = options.backoff ?? defaultBackoff;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.idlePollMs = options.idlePollMs ?? 1000;
    this.deliverTimeoutMs = options.deliverTimeoutMs ?? 15_000;
    this.metrics = options.registry ? registerSyncMetrics(options.registry, this.db, this.now) : undefined;
  }

  /** one delivery round: the oldest pending messages, if the head is due */
  async runOnce(): Promise<RunResult> {
    if (this.inFlight) throw new Error('a delivery round is already running');
    this.inFlight = true;
    try {
      // money first; the fleet lane (journal segments, status) goes one message at a time, and
      // only when no money message is waiting, so it never delays one
      const money = pendingHead(this.db, this.batchSize, 'money');
      const batch = money.length > 0 ? money : pendingHead(this.db, 1, 'fleet');
      const head = batch[0];
      if (!head) return { kind: 'idle' };
      const now = this.now();
      if (head.nextAttemptAt > now) return { kind: 'waiting', retryAt: head.nextAttemptAt };
      let results: DeliveryResult[];
      this.metrics?.attempts.inc();
      try {
        results = Results.parse(await withTimeout(this.deliver(batch.map((m) => ({ key: m.key, kind: m.kind, body: m.body }))), this.deliverTimeoutMs, 'bank'));
      } catch (err) {
        return this.failRound(batch, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
      return this.applyResults(batch, results);
    } finally {
      this.inFlight = false;
    }
  }

  private failRound(batch: OutboxRecord[], error: string): RunResult {
    const attempts = (batch[0]?.attempts ?? 0) + 1;
    const retryAt = this.now() + backoffDelay(attempts, this.backoff, this.random);
    this.db.transaction(() => {
      for (const m of batch) markAttemptFailed(this.db, m.key, error, retryAt);
    }).immediate();
    this.metrics?.failed.inc();
    this.emit('failed', { error, attempts, retryAt });
    return { kind: 'failed', error, retryAt };
  }

  private applyResults(batch: OutboxRecord[], results: DeliveryResult[]): RunResult {
    const byKey = new Map(results.map((r) => [r.key, r]));
    const deliveredKeys: string[] = [];
    const dead: Array<{ key: string; receiptNumber: string | null; reason: string }> = [];
    const unanswered: OutboxRecord[] = [];
    const nowMs = this.now();
    this.db.transaction(() => {
      for (const m of batch) {
        const r = byKey.get(m.key);
        if (!r) {
          unanswered.push(m);
        } else if (r.status === 'rejected') {
          const reason = (r.reason ?? 'rejected').slice(0, 200);
          if (markDeadLetter(this.db, m.key, reason, nowMs)) {
            dead.push({ key: m.key, receiptNumber: m.receiptNumber, reason });
            // `forReceipt`, not `receiptNumber`: this entry refers to a receipt issued earlier
            appendJournal(this.db, 'deadLetter', { key: m.key, kind: m.kind, forReceipt: m.receiptNumber, reason }, new Date(nowMs));
          }
        } else if (markDelivered(this.db, m.key, nowMs)) {
          deliveredKeys.push(m.key);
        }
      }
      // fleet messages are no money event: journaling their delivery would only grow the journal
      // (and the next segment) with every heartbeat
      const journaled = deliveredKeys.filter((k) => !FLEET_KINDS.includes(batch.find((m) => m.key === k)?.kind ?? 'cashInCredit'));
      if (journaled.length > 0) {
        appendJournal(this.db, 'syncDelivered', { keys: journaled, alreadyApplied: results.filter((r) => r.status === 'alreadyApplied').length }, new Date(nowMs));
      }
      if (unanswered.length > 0) {
        const retryAt = nowMs + backoffDelay((unanswered[0]?.attempts ?? 0) + 1, this.backoff, this.random);
        for (const m of unanswered) markAttemptFailed(this.db, m.key, 'no result for this key in the bank answer', retryAt);
      }
    }).immediate();
    this.metrics?.delivered.inc(deliveredKeys.length);
    this.metrics?.deadLettered.inc(dead.length);
    if (unanswered.length > 0) this.metrics?.failed.inc();
    if (deliveredKeys.length > 0) this.emit('delivered', { keys: deliveredKeys });
    for (const d of dead) this.emit('deadLetter', d);
    return { kind: 'sent', delivered: deliveredKeys.length, deadLettered: dead.length, unanswered: unanswered.length };
  }

  /** runs until stop(); safe to call once */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** wakes the loop early, e.g. right after a message was enqueued */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let waitMs: number;
      try {
        const r = await this.runOnce();
        if (r.kind === 'sent' && r.unanswered === 0) continue; // more may be waiting: keep draining
        waitMs = r.kind === 'idle' ? this.idlePollMs : r.kind === 'sent' ? 0 : r.retryAt - this.now();
      } catch (err) {
        // a database error (disk full, locked too long) must not end the loop: try again later
        this.emit('failed', { error: err instanceof Error ? err.message : String(err), attempts: 0, retryAt: this.now() + this.idlePollMs });
        waitMs = this.idlePollMs;
      }
      if (this.stopping) break;
      await this.sleep(Math.max(0, Math.min(waitMs, this.idlePollMs * 60)));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
