import { describe, expect, it } from 'vitest';
import type { Intent, Snapshot } from '../../../kiosk/bridge/schema.js';
import { preloadBridge } from '../../../renderer/src/bridge/client.js';
import { createBridgeStore } from '../../../renderer/src/app/bridge-store.js';

const snapshot: Snapshot = {
  state: 'idle',
  screen: 'attract',
  locale: 'kk',
  operations: [],
  devices: { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' },
};

describe('bridge store', () => {
  it('keeps what arrives before anyone subscribes and notifies later changes', () => {
    let deliver: ((m: unknown) => void) | undefined;
    const sent: unknown[] = [];
    const warnings: string[] = [];
    const store = createBridgeStore((events) => preloadBridge({ send: (m) => sent.push(m), onMessage: (cb) => void (deliver = cb) }, events), (w) => warnings.push(w));
    // The shell answers right after load, before the view subscribes.
    deliver?.({ type: 'hello', protocol: 1 });
    deliver?.({ type: 'snapshot', snapshot });
    expect(store.getState()).toEqual({ snapshot, connection: 'open' });

    let notified = 0;
    const off = store.subscribe(() => notified++);
    deliver?.({ type: 'snapshot', snapshot: { ...snapshot, screen: 'start' } });
    expect(notified).toBe(1);
    expect(store.getState().snapshot?.screen).toBe('start');
    off();
    deliver?.({ type: 'snapshot', snapshot });
    expect(notified).toBe(1);

    store.send({ name: 'start' });
    store.send({ name: 'submitOtp', payload: { code: 'abc' } } as unknown as Intent);
    expect(sent).toEqual([{ type: 'intent', intent: { name: 'start' } }]);
    expect(warnings).toEqual(['bridge: intent submitOtp not sent (not connected or invalid)']);
  });
});
