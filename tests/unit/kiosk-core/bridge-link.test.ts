import { describe, expect, it } from 'vitest';
import { BridgeLink, parseUiFrame, parseUiMessage } from '../../../kiosk/bridge/bridge-link.js';
import { IdleSessionHost } from '../../../kiosk/bridge/idle-session-host.js';
import { MAX_FRAME_BYTES, type CoreToUi, type Intent, type Snapshot } from '../../../kiosk/bridge/schema.js';
import type { SessionHost } from '../../../kiosk/bridge/session-host.js';

const intent = (i: Intent) => JSON.stringify({ type: 'intent', intent: i });

class RecordingHost implements SessionHost {
  received: Intent[] = [];
  listeners = new Set<(s: Snapshot) => void>();
  current: Snapshot = new IdleSessionHost('ru').snapshot();
  snapshot() {
    return this.current;
  }
  subscribe(l: (s: Snapshot) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  dispatch(i: Intent) {
    this.received.push(i);
  }
  push(s: Snapshot) {
    this.current = s;
    for (const l of this.listeners) l(s);
  }
}

describe('parsing UI frames', () => {
  it('accepts a valid intent', () => {
    expect(parseUiFrame(intent({ name: 'setLocale', payload: { locale: 'kk' } }))).toEqual({ ok: true, intent: { name: 'setLocale', payload: { locale: 'kk' } } });
    expect(parseUiFrame(Buffer.from(intent({ name: 'start' })))).toMatchObject({ ok: true });
  });

  it.each([
    ['not JSON', '{"type":'],
    ['unknown intent', JSON.stringify({ type: 'intent', intent: { name: 'withdrawAll', payload: {} } })],
    ['bad payload', JSON.stringify({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'de' } } })],
    ['extra payload key', JSON.stringify({ type: 'intent', intent: { name: 'submitOtp', payload: { code: '1234', pan: '4400430012345678' } } })],
    ['float amount', JSON.stringify({ type: 'intent', intent: { name: 'selectAmount', payload: { amount: 10.5 } } })],
    ['wrong envelope', JSON.stringify({ type: 'snapshot', intent: { name: 'start' } })],
  ])('rejects %s', (_label, frame) => {
    expect(parseUiFrame(frame).ok).toBe(false);
  });

  it('rejects an oversized frame before parsing it', () => {
    const big = JSON.stringify({ type: 'intent', intent: { name: 'start' }, pad: 'x'.repeat(MAX_FRAME_BYTES) });
    const r = parseUiFrame(big);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/frame too large/) });
  });

  it('never echoes what the customer typed in a rejection', () => {
    const r = parseUiMessage({ type: 'intent', intent: { name: 'submitOtp', payload: { code: '12ab56' } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain('12ab56');
  });
});

describe('BridgeLink', () => {
  it('sends hello and the current snapshot, then every new one, and stops after close', () => {
    const host = new RecordingHost();
    const sent: CoreToUi[] = [];
    const link = new BridgeLink(host, (m) => sent.push(m));
    link.open();
    expect(sent.map((m) => m.type)).toEqual(['hello', 'snapshot']);
    host.push({ ...host.current, screen: 'start', state: 'start' });
    expect(sent[2]).toMatchObject({ type: 'snapshot', snapshot: { screen: 'start' } });
    link.close();
    host.push({ ...host.current, screen: 'attract' });
    expect(sent).toHaveLength(3);
  });

  it('dispatches valid intents and answers invalid ones with rejected, without reaching the host', () => {
    const host = new RecordingHost();
    const sent: CoreToUi[] = [];
    const rejected: string[] = [];
    const link = new BridgeLink(host, (m) => sent.push(m), { onRejected: (r) => rejected.push(r) });
    link.receiveFrame(intent({ name: 'start' }));
    link.receiveFrame('{"type":"intent","intent":{"name":"start","payload":{"x":1}}}');
    expect(host.received).toEqual([{ name: 'start' }]);
    expect(sent).toEqual([{ type: 'rejected', reason: expect.any(String), code: 'invalid' }]);
    expect(rejected).toHaveLength(1);
  });

  it('strips fields outside the contract from outgoing snapshots and drops invalid ones', () => {
    const host = new RecordingHost();
    const sent: CoreToUi[] = [];
    const invalid: string[] = [];
    new BridgeLink(host, (m) => sent.push(m), { onInvalidSnapshot: (r) => invalid.push(r) }).open();
    host.push({ ...host.current, pan: '4400430012345678' } as Snapshot);
    expect(JSON.stringify(sent.at(-1))).not.toContain('4400430012345678');
    const before = sent.length;
    host.push({ ...host.current, screen: 'nowhere' } as unknown as Snapshot);
    expect(sent).toHaveLength(before);
    expect(invalid).toHaveLength(1);
  });

  it('survives a host that throws', () => {
    const host = new RecordingHost();
    host.dispatch = () => {
      throw new Error('boom');
    };
    const errors: unknown[] = [];
    const link = new BridgeLink(host, () => undefined, { onDispatchError: (e) => errors.push(e) });
    expect(() => link.receiveFrame(intent({ name: 'start' }))).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});

describe('IdleSessionHost', () => {
  it('serves attract, changes locale, moves to start, and returns on cancel', () => {
    const host = new IdleSessionHost('ru');
    const seen: Snapshot[] = [];
    host.subscribe((s) => seen.push(s));
    expect(host.snapshot()).toMatchObject({ screen: 'attract', locale: 'ru' });
    host.dispatch({ name: 'setLocale', payload: { locale: 'en' } });
    host.dispatch({ name: 'start' });
    expect(host.snapshot()).toMatchObject({ screen: 'start', state: 'start', locale: 'en' });
    host.dispatch({ name: 'cancel' });
    expect(host.snapshot()).toMatchObject({ screen: 'attract', locale: 'en' });
    expect(seen.map((s) => s.screen)).toEqual(['attract', 'start', 'attract']);
  });
});
