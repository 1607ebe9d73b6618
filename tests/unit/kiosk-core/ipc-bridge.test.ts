import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { attachParentPort, electronParentPort, type ParentPortLike } from '../../../kiosk/bridge/ipc-bridge.js';
import { IdleSessionHost } from '../../../kiosk/bridge/idle-session-host.js';

class FakePort extends EventEmitter implements ParentPortLike {
  posted: unknown[] = [];
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  deliver(data: unknown) {
    this.emit('message', { data });
  }
}

describe('IPC bridge (Electron utility process side)', () => {
  it('is absent under plain Node', () => {
    expect(electronParentPort()).toBeUndefined();
  });

  it('sends hello and the snapshot, applies valid intents, rejects invalid ones', () => {
    const port = new FakePort();
    const host = new IdleSessionHost('ru');
    const detach = attachParentPort(port, host);
    expect(port.posted.map((m) => (m as { type: string }).type)).toEqual(['hello', 'snapshot']);
    port.deliver({ type: 'intent', intent: { name: 'start' } });
    expect(host.snapshot().screen).toBe('start');
    expect(port.posted.at(-1)).toMatchObject({ type: 'snapshot', snapshot: { screen: 'start' } });
    port.deliver({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'fr' } } });
    expect(port.posted.at(-1)).toMatchObject({ type: 'rejected' });
    expect(host.snapshot().locale).toBe('ru');
    detach();
    port.deliver({ type: 'intent', intent: { name: 'cancel' } });
    expect(host.snapshot().screen).toBe('start');
  });
});
