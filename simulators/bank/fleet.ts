/**
 * The bank's side of fleet operations: each terminal's journal anchored in segments, and the
 * latest status of each terminal for the operations centre.
 *
 * Not from a published bank protocol: the `journalUpload` / `terminalStatus` message bodies, the
 * `anchoredHead` in a message result, `GET /v1/journal/anchor` and `GET /admin/terminals` are this
 * project's own inventions, shaped after what a terminal gateway needs.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { JournalUploadBody, TerminalStatusBody } from '../../kiosk/bank/messages.js';
import type { BankContext } from './context.js';
import type { Db } from './ledger-db.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journal_segments (
  terminal_id TEXT NOT NULL,
  from_seq INTEGER NOT NULL,
  to_seq INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  head_hash TEXT NOT NULL,
  entries TEXT NOT NULL,
  message_key TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (terminal_id, from_seq)
);
CREATE TABLE IF NOT EXISTS journal_anchors (
  terminal_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS terminal_status (
  terminal_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  message_key TEXT NOT NULL
);
`;

/** the fleet tables; created on start like the rest of the ledger (IF NOT EXISTS) */
export function ensureFleetTables(db: Db): void {
  db.exec(SCHEMA);
}

export interface AnchoredHead {
  seq: number;
  hash: string;
  at: number | null;
}

export function anchoredHead(db: Db, terminalId: string): AnchoredHead {
  const row = db.prepare('SELECT seq, hash, at FROM journal_anchors WHERE terminal_id = ?').get(terminalId) as AnchoredHead | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH, at: null };
}

const short = (hash: string): string => hash.slice(0, 12);

/** the terminal's entry hash (kiosk/store/journal.ts), recomputed here from the content */
function entryHash(e: { seq: number; at: string; type: string; payload: unknown; prevHash: string }): string {
  return sha256Hex(canonicalJson({ seq: e.seq, at: e.at, type: e.type, payload: e.payload, prevHash: e.prevHash }));
}

/**
 * Checks a segment continues the anchored head and is a valid chain of its own; returns the refusal
 * reason, or stores the segment and moves the anchor (inside the caller's transaction).
 */
export function anchorSegment(ctx: BankContext, terminalId: string, key: string, body: z.infer<typeof JournalUploadBody>): string | undefined {
  const head = anchoredHead(ctx.db, terminalId);
  if (body.from !== head.seq + 1) {
    return body.from <= head.seq
      ? `journalRewound: the segment starts at entry ${body.from}, but entries up to ${head.seq} are already anchored`
      : `journalGap: the segment starts at entry ${body.from}, but the anchored head is entry ${head.seq}`;
  }
  if (body.prevHash !== head.hash) {
    return `journalForked: entry ${body.from} links to ${short(body.prevHash)}, but the anchored entry ${head.seq} is ${short(head.hash)}`;
  }
  let prev = head.hash;
  let seq = head.seq;
  for (const e of body.entries) {
    if (e.seq !== seq + 1) return `journalSegmentInvalid: entry ${seq + 1} is missing (next in the segment is ${e.seq})`;
    if (e.prevHash !== prev) return `journalSegmentInvalid: entry ${e.seq} does not link to entry ${seq}`;
    let computed: string;
    try {
      computed = entryHash(e);
    } catch {
      return `journalSegmentInvalid: entry ${e.seq} cannot be hashed`;
    }
    if (computed !== e.hash) return `journalSegmentInvalid: entry ${e.seq} does not match its hash`;
    prev = e.hash;
    seq = e.seq;
  }
  if (seq !== body.to || prev !== body.headHash) return `journalSegmentInvalid: the segment's head (entry ${body.to}) is not its last entry (${seq})`;
  const now = ctx.now();
  ctx.db.prepare('INSERT INTO journal_segments (terminal_id, from_seq, to_seq, prev_hash, head_hash, entries, message_key, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(terminalId, body.from, body.to, body.prevHash, body.headHash, JSON.stringify(body.entries), key, now);
  ctx.db.prepare('INSERT INTO journal_anchors (terminal_id, seq, hash, at) VALUES (?, ?, ?, ?) ON CONFLICT(terminal_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at')
    .run(terminalId, body.to, body.headHash, now);
  return undefined;
}

/** the latest status per terminal wins: a late, older report does not overwrite a newer one */
export function recordTerminalStatus(ctx: BankContext, terminalId: string, key: string, body: z.infer<typeof TerminalStatusBody>): void {
  const existing = ctx.db.prepare('SELECT status FROM terminal_status WHERE terminal_id = ?').get(terminalId) as { status: string } | undefined;
  if (existing && (JSON.parse(existing.status) as { at: string }).at > body.at) return;
  ctx.db.prepare('INSERT INTO terminal_status (terminal_id, status, received_at, message_key) VALUES (?, ?, ?, ?) ON CONFLICT(terminal_id) DO UPDATE SET status = excluded.status, received_at = excluded.received_at, message_key = excluded.message_key')
    .run(terminalId, JSON.stringify(body), ctx.now(), key);
}

export interface FleetTerminal {
  terminalId: string;
  receivedAt: number;
  status: z.infer<typeof TerminalStatusBody>;
  anchor: AnchoredHead;
  /** what needs a crew or a look, derived from the status */
  attention: string[];
}

function attentionOf(s: z.infer<typeof TerminalStatusBody>): string[] {
  const out: string[] = [];
  for (const d of s.devices) if (d.health === 'offline' || d.health === 'degraded') out.push(`${d.device} ${d.health}${d.fault ? `: ${d.fault}` : ''}`);
  for (const c of s.cassettes) if (c.state === 'low' || c.state === 'empty' || c.notes < c.capacity / 10) out.push(`cassette ${c.index} low (${c.notes} notes)`);
  if (s.cashBox.full || s.cashBox.notes >= s.cashBox.capacity * 0.9) out.push(`cash box ${s.cashBox.full ? 'full' : 'nearly full'} (${s.cashBox.notes}/${s.cashBox.capacity})`);
  if (s.paper !== 'ok') out.push(`paper ${s.paper}`);
  if (s.queue.deadLetters > 0) out.push(`${s.queue.deadLetters} dead letter(s)`);
  if (s.serviceLockout?.active) out.push(`service entry locked after wrong PINs until ${s.serviceLockout.until}`);
  if (s.outOfService?.on) out.push(`out of service (set by ${s.outOfService.by} at ${s.outOfService.at})`);
  return out;
}

export function fleetView(db: Db): FleetTerminal[] {
  const rows = db.prepare('SELECT terminal_id, status, received_at FROM terminal_status ORDER BY terminal_id').all() as Array<{ terminal_id: string; status: string; received_at: number }>;
  return rows.map((r) => {
    const status = JSON.parse(r.status) as z.infer<typeof TerminalStatusBody>;
    return { terminalId: r.terminal_id, receivedAt: r.received_at, status, anchor: anchoredHead(db, r.terminal_id), attention: attentionOf(status) };
  });
}

export function registerFleetRoutes(app: FastifyInstance, ctx: BankContext): void {
  ensureFleetTables(ctx.db);
  // what the bank holds anchored for the calling terminal (the journal verifier compares with it)
  app.get('/v1/journal/anchor', async (request, reply) => {
    const terminalId = request.headers['x-terminal-id'];
    if (typeof terminalId !== 'string' || terminalId.length === 0) return reply.code(400).send({ error: 'invalid request: x-terminal-id header missing' });
    const head = anchoredHead(ctx.db, terminalId);
    return { terminalId, seq: head.seq, hash: head.hash, ...(head.at === null ? {} : { at: new Date(head.at).toISOString() }) };
  });
  app.get('/admin/terminals', async () => ({ now: ctx.now(), terminals: fleetView(ctx.db) }));
  app.get<{ Params: { id: string } }>('/admin/terminals/:id/journal', async (request) => ({
    anchor: anchoredHead(ctx.db, request.params.id),
    segments: ctx.db.prepare('SELECT from_seq AS "from", to_seq AS "to", head_hash AS headHash, message_key AS messageKey, at FROM journal_segments WHERE terminal_id = ? ORDER BY from_seq')
      .all(request.params.id),
  }));
}
