/** Prometheus metrics of the outbox, registered on the registry the caller passes. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Db } from '../store/db.js';
import { outboxStats } from '../store/outbox.js';

export interface SyncMetrics {
  attempts: Counter;
  delivered: Counter;
  failed: Counter;
  deadLettered: Counter;
}

export function registerSyncMetrics(registry: Registry, db: Db, nowMs: () => number): SyncMetrics {
  // Depth and age are read from SQLite at scrape time, so they are right even for messages queued
  // by another process or before this one started.
  new Gauge({
    name: 'kiosk_outbox_queue_depth',
    help: 'Messages waiting for delivery to the bank',
    registers: [registry],
    collect() {
      if (db.open) this.set(outboxStats(db).pending);
    },
  });
  new Gauge({
    name: 'kiosk_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest message still waiting for delivery (0 when none)',
    registers: [registry],
    collect() {
      if (!db.open) return;
      const oldest = outboxStats(db).oldestPendingCreatedAt;
      this.set(oldest === null ? 0 : Math.max(0, (nowMs() - oldest) / 1000));
    },
  });
  new Gauge({
    name: 'kiosk_outbox_dead_letters',
    help: 'Messages the bank rejected, waiting for a technician',
    registers: [registry],
    collect() {
      if (db.open) this.set(outboxStats(db).deadLetter);
    },
  });
  return {
    attempts: new Counter({ name: 'kiosk_outbox_sync_attempts_total', help: 'Delivery rounds tried (one request to the bank each)', registers: [registry] }),
    delivered: new Counter({ name: 'kiosk_outbox_delivered_total', help: 'Messages the bank applied (or had already applied)', registers: [registry] }),
    failed: new Counter({ name: 'kiosk_outbox_failed_total', help: 'Failed delivery attempts (bank unreachable or answer unusable)', registers: [registry] }),
    deadLettered: new Counter({ name: 'kiosk_outbox_dead_lettered_total', help: 'Messages moved to dead letter after a business rejection', registers: [registry] }),
  };
}
