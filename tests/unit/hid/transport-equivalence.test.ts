/**
 * node-hid cannot open a device on a build machine, so its transport is driven through a fake
 * `HID` object at the library edge; the socket transport runs on a real Unix socket. Both must
 * hand the same reports to the same parsers.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HidSocketTransport } from '../../../drivers/common/hid-socket-transport.js';
import { NodeHidTransport, type HidDeviceHandle, type HidTarget, type HidTransport } from '../../../drivers/common/hid-transport.js';
import { HidCardReader } from '../../../drivers/card-reader/hid-card-reader.js';
import type { CardReaderEvents } from '../../../drivers/card-reader/card-reader.js';
import { encodeMagtekReport, EncodeType } from '../../../drivers/card-reader/magtek-report.js';
import { DEV_CARD_TOKEN_KEY } from '../../../drivers/card-reader/pan-token.js';
import { decodeDeviceReport, encodeCommand, encodeDeviceMessage } from '../../../drivers/palm/pv-hid-codec.js';
import { HidSocketServer } from '../../../simulators/common/hid-socket.js';
import { encodeTrack1, encodeTrack2 } from '../../../simulators/devices/card-reader/tracks.js';

class FakeHid extends EventEmitter implements HidDeviceHandle {
  written: number[][] = [];
  closed = false;
  write(values: number[] | Buffer): number {
    this.written.push([...values]);
    return values.length;
  }
  close(): void {
    this.closed = true;
  }
}

const card = { pan: '4400430000000015', expiry: '3012', name: 'SEITKALI/AIGERIM' };
const swipeReport = (): Uint8Array => encodeMagtekReport([{ data: encodeTrack1(card) }, { data: encodeTrack2(card) }, {}], EncodeType.iso);
const palmReports = (): Uint8Array[] => [
  encodeDeviceMessage({ kind: 'ack', tag: 3, cmd: 2 }),
  encodeDeviceMessage({ kind: 'event', event: 'tooFar', mm: 110 }),
  encodeDeviceMessage({ kind: 'chunk', captureId: 1, seq: 0, data: new Uint8Array(59).fill(0x5a) }),
];

function collect(transport: HidTransport, count: number): Promise<Uint8Array[]> {
  const got: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} reports`)), 2_000);
    transport.on('report', (r) => {
      got.push(new Uint8Array(r));
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

function once<T>(subscribe: (listener: (payload: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('event did not come')), 2_000);
    subscribe((p) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
}

describe('node-hid and socket transports feed the parsers the same reports', () => {
  let dir: string;
  let server: HidSocketServer;
  let fake: FakeHid;
  let opened: HidTarget[];
  let nodeHid: NodeHidTransport;
  let socket: HidSocketTransport;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hid-unit-'));
    server = new HidSocketServer(join(dir, 'dev.sock'));
    await server.listen();
    opened = [];
    nodeHid = new NodeHidTransport({
      target: { vendorId: 0x0801, productId: 0x0002 },
      numberedReports: true,
      backoffMs: 10,
      openDevice: (target) => {
        opened.push(target);
        fake = new FakeHid();
        return fake;
      },
    });
    socket = new HidSocketTransport({ path: server.path, backoffMs: 10 });
    const connected = once<unknown>((l) => server.on('connected', l));
    await nodeHid.open();
    await socket.open();
    await connected;
  });

  afterEach(async () => {
    await nodeHid.close();
    await socket.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('identical report bytes from both transports', async () => {
    const viaHid = collect(nodeHid, 4);
    const viaSocket = collect(socket, 4);
    const reports = [swipeReport(), ...palmReports()];
    for (const r of reports) {
      fake.emit('data', Buffer.from(r)); // hidapi hands out a Buffer per report
      server.send(new Uint8Array(r));
    }
    const [a, b] = await Promise.all([viaHid, viaSocket]);
    expect(a).toEqual(reports);
    expect(b).toEqual(reports);
    expect(a.map((r) => decodeDeviceReport(r))).toEqual(b.map((r) => decodeDeviceReport(r)));
  });

  it('the card reader driver reads the same card through either transport', async () => {
    const a = new HidCardReader({ transport: nodeHid, tokenKey: DEV_CARD_TOKEN_KEY });
    const b = new HidCardReader({ transport: socket, tokenKey: DEV_CARD_TOKEN_KEY });
    const viaHid = once<CardReaderEvents['cardInserted']>((l) => a.on('cardInserted', l));
    const viaSocket = once<CardReaderEvents['cardInserted']>((l) => b.on('cardInserted', l));
    const hidBuffer = Buffer.from(swipeReport());
    fake.emit('data', hidBuffer);
    server.send(swipeReport());
    const [x, y] = await Promise.all([viaHid, viaSocket]);
    expect(x).toEqual(y);
    expect(x).toMatchObject({ card: { maskedPan: '440043******0015', expiry: '3012' } });
    expect(hidBuffer.every((byte) => byte === 0)).toBe(true); // hidapi's buffer zeroed too
  });

  it('writes: numbered reports go out as they are, others get the 0 report ID hidapi wants', async () => {
    const command = encodeCommand(1, 9);
    const received = once<Uint8Array>((l) => server.on('report', l));
    await nodeHid.write(command);
    await socket.write(command);
    expect(fake.written).toEqual([[...command]]);
    expect(await received).toEqual(command);

    const unnumbered = new NodeHidTransport({ target: { path: '/dev/hidraw9' }, numberedReports: false, openDevice: () => fake });
    await unnumbered.open();
    await unnumbered.write(Uint8Array.of(0xaa, 0xbb));
    expect(fake.written.at(-1)).toEqual([0x00, 0xaa, 0xbb]);
    await unnumbered.close();
  });

  it('node-hid: a device error goes offline and reopens with backoff', async () => {
    const first = fake;
    const offline = once<{ reason: string }>((l) => nodeHid.on('offline', l));
    const online = once<unknown>((l) => nodeHid.on('online', l));
    first.emit('error', new Error('could not read from HID device'));
    expect((await offline).reason).toMatch(/could not read/);
    await online;
    expect(first.closed).toBe(true);
    expect(fake).not.toBe(first);
    expect(opened).toHaveLength(2);
  });

  it('node-hid: a device that will not open is retried until it appears', async () => {
    let attempts = 0;
    const device = new FakeHid();
    const t = new NodeHidTransport({
      target: { path: '/dev/hidraw7' },
      numberedReports: true,
      backoffMs: 5,
      openDevice: () => {
        attempts++;
        if (attempts < 3) throw new Error('cannot open device with path /dev/hidraw7');
        return device;
      },
    });
    const offline: string[] = [];
    t.on('offline', ({ reason }) => offline.push(reason));
    const online = once<unknown>((l) => t.on('online', l));
    await t.open();
    await online;
    expect(offline).toHaveLength(2);
    expect(offline[0]).toMatch(/cannot open HID \/dev\/hidraw7/);
    await t.close();
    expect(device.closed).toBe(true);
  });

  it('socket: reconnects after the device end goes away and comes back', async () => {
    const offline = once<unknown>((l) => socket.on('offline', l));
    await server.setUnplugged(true);
    await offline;
    expect(socket.isOpen).toBe(false);
    await expect(socket.write(Uint8Array.of(1))).rejects.toThrow(/not connected/);
    const online = once<unknown>((l) => socket.on('online', l));
    await server.setUnplugged(false);
    await online;
    const got = collect(socket, 1);
    server.send(Uint8Array.of(7, 7));
    expect(await got).toEqual([Uint8Array.of(7, 7)]);
  });

  it('node-hid itself: an absent device is reported offline and retried, not thrown', async () => {
    const t = new NodeHidTransport({ target: { path: join(dir, 'no-such-hidraw') }, numberedReports: true, backoffMs: 20 });
    const reasons: string[] = [];
    t.on('offline', ({ reason }) => reasons.push(reason));
    await t.open();
    await new Promise((r) => setTimeout(r, 70));
    await t.close();
    expect(t.isOpen).toBe(false);
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    expect(reasons[0]).toMatch(/^cannot open HID .*no-such-hidraw/);
  });
});
