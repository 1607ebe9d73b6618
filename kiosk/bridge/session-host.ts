/**
 * What the bridge transports (web shell WebSocket, Electron IPC relay) need from the core:
 * the current snapshot, a stream of new ones, and a place to send validated intents.
 * The session runtime implements it; the transports never see the machine itself.
 */
import type { Intent, Snapshot } from './schema.js';

export interface SessionHost {
  snapshot(): Snapshot;
  /** called with every new snapshot; returns an unsubscribe function */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /**
   * The intent has already been validated against the Intent schema. A host that cannot act on it
   * where the session is now (finishing a cash-in before identification, a service action without a
   * technician's login) says so instead of dropping it; nothing returned means it was taken.
   */
  dispatch(intent: Intent): IntentRefusal | void;
}

/** a valid intent the session did not act on, and why (content-free: never echoes the payload) */
export interface IntentRefusal {
  code: 'notAllowed';
  reason: string;
}
