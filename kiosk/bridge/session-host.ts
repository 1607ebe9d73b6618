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
  /** the intent has already been validated against the Intent schema */
  dispatch(intent: Intent): void;
}
