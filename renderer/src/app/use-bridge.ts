import { useCallback, useEffect, useRef, useState } from 'react';
import type { Intent, Snapshot } from '../../../kiosk/bridge/schema.js';
import type { BridgeClient, ConnectionState } from '../bridge/client.js';
import { connectBridge } from '../bridge/connect.js';

/** Holds the latest snapshot and connection state; the UI keeps no other session state. */
export function useBridge(): { snapshot: Snapshot | null; connection: ConnectionState; send(intent: Intent): void } {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const client = useRef<BridgeClient | null>(null);
  useEffect(() => {
    const c = connectBridge({
      snapshot: setSnapshot,
      connection: setConnection,
      problem: (message) => console.warn(`bridge: ${message}`),
    });
    client.current = c;
    return () => {
      c.close();
      client.current = null;
    };
  }, []);
  const send = useCallback((intent: Intent) => {
    if (!client.current?.send(intent)) console.warn(`bridge: intent ${intent.name} not sent`);
  }, []);
  return { snapshot, connection, send };
}
