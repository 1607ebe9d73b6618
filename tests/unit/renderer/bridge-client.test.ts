import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { Snapshot, UiToCore } from '../../../kiosk/bridge/schema.js';
import { decodeFrame, preloadBridge, socketBridge, type BridgeClient, type ConnectionState, type SocketLike } from '../../../renderer/src/bridge/client.js';

const snapshot: Snapshot = {
  state: 'idle',
  screen: 'attract',
  locale: 'ru',
  operations: [],
  devices: { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' },
};

function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  return new Promise((ok, fail) => {
    const tick = (): void => {
      if (predicate()) ok();
      else if (Date.now() - started > timeoutMs) fail(new Error('condition not met in time'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

/** A stand-in for the web shell's bridge endpoint: a real WebSocket server on loopback. */
async function startCore(port = 0): Promise<{ wss: WebSocketServer; port: number; received: unknown[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((ok) => wss.once('listening', () => ok()));
  const received: unknown[] = [];
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'hello', protocol: 1 }));
    ws.send(JSON.stringify({ type: 'snapshot', snapshot }));
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
  });
  return {
    wss,
    port: (wss.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => ok());
      }),
  };
}

const open: Array<{ close(): Promise<void> } | BridgeClient> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

function connectTo(port: number, events: { snapshots: Snapshot[]; states: ConnectionState[]; problems: string[] }): BridgeClient {
  const client = socketBridge(
    { url: `ws://127.0.0.1:${port}/bridge?token=t`, createSocket: (u) => new WebSocket(u) as unknown as SocketLike, minDelayMs: 50, maxDelayMs: 200 },
    { snapshot: (s) => events.snapshots.push(s), connection: (s) => events.states.push(s), problem: (p) => events.problems.push(p) },
  );
  open.push(client);
  return client;
}

describe('decodeFrame', () => {
  it('accepts valid frames and refuses malformed ones with a reason', () => {
    expect(decodeFrame(JSON.stringify({ type: 'snapshot', snapshot }))).toEqual({ frame: { type: 'snapshot', snapshot } });
    expect(decodeFrame('not json')).toEqual({ error: 'frame is not JSON' });
    expect('error' in decodeFrame(JSON.stringify({ type: 'snapshot', snapshot: { ...snapshot, screen: 'nowhere' } }))).toBe(true);
    expect('error' in decodeFrame(JSON.stringify({ type: 'hello', protocol: 2 }))).toBe(true);
    expect('error' in decodeFrame('x'.repeat(300 * 1024))).toBe(true);
  });
});

describe('WebSocket bridge client', () => {
  it('receives snapshots, sends validated intents and drops invalid ones', async () => {
    const core = await startCore();
    open.push(core);
    const events = { snapshots: [] as Snapshot[], states: [] as ConnectionState[], problems: [] as string[] };
    const client = connectTo(core.port, events);
    await until(() => events.snapshots.length === 1);
    expect(events.snapshots[0]).toEqual(snapshot);
    expect(events.states).toEqual(['connecting', 'open']);

    expect(client.send({ name: 'setLocale', payload: { locale: 'kk' } })).toBe(true);
    // A malformed intent never leaves the UI.
    expect(client.send({ name: 'submitIin', payload: { iin: '12' } })).toBe(false);
    await until(() => core.received.length === 1);
    expect(core.received[0] satisfies unknown).toEqual({ type: 'intent', intent: { name: 'setLocale', payload: { locale: 'kk' } } } satisfies UiToCore);
  });

  it('reports and ignores frames that fail validation', async () => {
    const core = await startCore();
    open.push(core);
    core.wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'snapshot', snapshot: { ...snapshot, pan: undefined, screen: 42 } })));
    const events = { snapshots: [] as Snapshot[], states: [] as ConnectionState[], problems: [] as string[] };
    connectTo(core.port, events);
    await until(() => events.problems.length === 1);
    expect(events.problems[0]).toMatch(/invalid frame/);
    expect(events.snapshots).toHaveLength(1);
  });

  it('reconnects by itself after the core restarts and refuses to send meanwhile', async () => {
    const first = await startCore();
    const port = first.port;
    const events = { snapshots: [] as Snapshot[], states: [] as ConnectionState[], problems: [] as string[] };
    const client = connectTo(port, events);
    await until(() => events.snapshots.length === 1);
    await first.close();
    await until(() => events.states.at(-1) === 'connecting');
    expect(client.send({ name: 'confirm' })).toBe(false);
    await new Promise((r) => setTimeout(r, 150)); // a retry or two against a closed port
    const second = await startCore(port);
    open.push(second);
    await until(() => events.snapshots.length === 2);
    expect(events.states.at(-1)).toBe('open');
    expect(client.send({ name: 'start' })).toBe(true);
    await until(() => second.received.length === 1);
  });

  it('stops retrying once closed', async () => {
    const events = { snapshots: [] as Snapshot[], states: [] as ConnectionState[], problems: [] as string[] };
    const core = await startCore();
    const port = core.port;
    await core.close();
    const client = connectTo(port, events);
    await new Promise((r) => setTimeout(r, 120));
    client.close();
    const seen = events.states.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.states.at(-1)).toBe('closed');
    expect(events.states.length).toBe(seen);
  });
});

describe('Electron preload bridge client', () => {
  it('validates both directions over the preload surface', () => {
    let listener: ((m: unknown) => void) | undefined;
    const sent: unknown[] = [];
    const events = { snapshots: [] as Snapshot[], states: [] as ConnectionState[], problems: [] as string[] };
    const client = preloadBridge(
      { send: (m) => sent.push(m), onMessage: (cb) => void (listener = cb) },
      { snapshot: (s) => events.snapshots.push(s), connection: (s) => events.states.push(s), problem: (p) => events.problems.push(p) },
    );
    listener?.({ type: 'hello', protocol: 1 });
    listener?.({ type: 'snapshot', snapshot });
    listener?.({ type: 'snapshot', snapshot: { ...snapshot, locale: 'de' } });
    expect(events.states).toEqual(['connecting', 'open']);
    expect(events.snapshots).toEqual([snapshot]);
    expect(events.problems).toHaveLength(1);
    expect(client.send({ name: 'chooseReceipt', payload: { choice: 'sms' } })).toBe(true);
    expect(client.send({ name: 'selectAmount', payload: { amount: 1.5 } })).toBe(false);
    expect(sent).toEqual([{ type: 'intent', intent: { name: 'chooseReceipt', payload: { choice: 'sms' } } }]);
  });
});
