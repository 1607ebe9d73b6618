/**
 * One UI connection to the core, whatever carries it (WebSocket frames, Electron IPC). Incoming
 * frames are size-checked, parsed and validated before the SessionHost sees them; outgoing
 * snapshots are re-parsed so a field that is not in the contract never leaves the core.
 */
import type { CoreToUi} from './schema.js';
import { BRIDGE_PROTOCOL, MAX_FRAME_BYTES, Snapshot, UiToCore, type Intent } from './schema.js';
import type { SessionHost } from './session-host.js';

export interface BridgeLinkHooks {
  /** a valid intent was dispatched */
  onIntent?(intent: Intent): void;
  /** a frame was refused; never reaches the host */
  onRejected?(reason: string): void;
  /** the core produced a snapshot that fails its own schema; it is not sent */
  onInvalidSnapshot?(reason: string): void;
  onSnapshotSent?(): void;
  /** a valid intent the session cannot take in its current state; answered with rejected/notAllowed */
  onNotAllowed?(intent: Intent, reason: string): void;
  /** the host threw while handling a valid intent */
  onDispatchError?(error: unknown): void;
}

/** what a transport hands over: ws gives Buffers (Uint8Array), browsers strings or ArrayBuffers */
export type RawFrame = string | Uint8Array | ArrayBuffer | Uint8Array[];

// this folder is shared with the renderer's build, so it uses only what browsers and Node both have
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function frameBytes(frame: RawFrame): Uint8Array | string {
  if (typeof frame === 'string') return frame;
  if (Array.isArray(frame)) return concat(frame);
  return frame instanceof ArrayBuffer ? new Uint8Array(frame) : frame;
}

/** short, content-free reason: never echo what the UI sent (it may hold a code the customer typed) */
function describe(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'invalid message';
  const where = first.path.map(String).join('.');
  return `invalid message${where ? ` at ${where}` : ''}: ${first.message}`.slice(0, 200);
}

/** Validates a message already decoded from JSON (Electron IPC hands objects, not text). */
export function parseUiMessage(value: unknown): { ok: true; intent: Intent } | { ok: false; reason: string } {
  const parsed = UiToCore.safeParse(value);
  return parsed.success ? { ok: true, intent: parsed.data.intent } : { ok: false, reason: describe(parsed.error.issues) };
}

export function parseUiFrame(frame: RawFrame): { ok: true; intent: Intent } | { ok: false; reason: string } {
  const raw = frameBytes(frame);
  // a string's UTF-8 size is only measured once it is known to be small enough to be worth it
  const bytes = typeof raw === 'string' ? (raw.length > MAX_FRAME_BYTES ? raw.length : encoder.encode(raw).byteLength) : raw.byteLength;
  if (bytes > MAX_FRAME_BYTES) return { ok: false, reason: `frame too large (${bytes} > ${MAX_FRAME_BYTES} bytes)` };
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : decoder.decode(raw));
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  return parseUiMessage(value);
}

/** The snapshot as the contract allows it, or undefined when the core produced an invalid one. */
export function snapshotMessage(snapshot: Snapshot, hooks: BridgeLinkHooks = {}): CoreToUi | undefined {
  const parsed = Snapshot.safeParse(snapshot);
  if (!parsed.success) {
    hooks.onInvalidSnapshot?.(describe(parsed.error.issues));
    return undefined;
  }
  return { type: 'snapshot', snapshot: parsed.data };
}

export class BridgeLink {
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: SessionHost,
    private readonly send: (message: CoreToUi) => void,
    private readonly hooks: BridgeLinkHooks = {},
  ) {}

  /** hello, the current snapshot, then every new one */
  open(): void {
    this.send({ type: 'hello', protocol: BRIDGE_PROTOCOL });
    this.#push(this.host.snapshot());
    this.#unsubscribe = this.host.subscribe((s) => this.#push(s));
  }

  receiveFrame(frame: RawFrame): void {
    this.#handle(parseUiFrame(frame));
  }

  receiveMessage(value: unknown): void {
    this.#handle(parseUiMessage(value));
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #handle(result: ReturnType<typeof parseUiMessage>): void {
    if (!result.ok) {
      this.hooks.onRejected?.(result.reason);
      this.send({ type: 'rejected', reason: result.reason, code: 'invalid' });
      return;
    }
    this.hooks.onIntent?.(result.intent);
    try {
      const refusal = this.host.dispatch(result.intent);
      if (refusal) {
        this.hooks.onNotAllowed?.(result.intent, refusal.reason);
        this.send({ type: 'rejected', reason: refusal.reason.slice(0, 200), code: refusal.code, intent: result.intent.name });
      }
    } catch (err) {
      // a fault in the session logic must not take the connection (or the process) down
      this.hooks.onDispatchError?.(err);
    }
  }

  #push(snapshot: Snapshot): void {
    const message = snapshotMessage(snapshot, this.hooks);
    if (!message) return;
    this.send(message);
    this.hooks.onSnapshotSent?.();
  }
}
