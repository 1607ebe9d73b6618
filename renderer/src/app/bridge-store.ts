/**
 * The latest snapshot and connection state, held outside React. The bridge is opened when the
 * page loads, not when a component mounts, so a snapshot the shell sends right after load
 * (Electron main does on did-finish-load) is never missed.
 */
import type { Intent, Snapshot } from '../../../kiosk/bridge/schema.js';
import type { BridgeClient, BridgeEvents, ConnectionState } from '../bridge/client.js';

export interface BridgeState {
  snapshot: Snapshot | null;
  connection: ConnectionState;
}

export interface BridgeStore {
  getState(): BridgeState;
  subscribe(listener: () => void): () => void;
  send(intent: Intent): void;
  close(): void;
}

export function createBridgeStore(connect: (events: BridgeEvents) => BridgeClient, warn: (message: string) => void = console.warn): BridgeStore {
  let state: BridgeState = { snapshot: null, connection: 'connecting' };
  const listeners = new Set<() => void>();
  const update = (patch: Partial<BridgeState>): void => {
    state = { ...state, ...patch };
    for (const l of listeners) l();
  };
  const client = connect({
    snapshot: (snapshot) => update({ snapshot }),
    connection: (connection) => update({ connection }),
    problem: (message) => warn(`bridge: ${message}`),
  });
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(intent) {
      if (!client.send(intent)) warn(`bridge: intent ${intent.name} not sent (not connected or invalid)`);
    },
    close: () => client.close(),
  };
}
