/**
 * The palm driver's protocol edge cases against a scripted device on a real HID socket: the
 * script answers each command the way a faulty or slow device would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HidSocketTransport } from '../../../drivers/common/hid-socket-transport.js';
import { crc32 } from '../../../drivers/palm/crc32.js';
import { chunkCountFor, Command, decodeCommand, encodeDeviceMessage, type DeviceMessage, type HostCommand } from '../../../drivers/palm/pv-hid-codec.js';
import { deviceTimeoutSeconds, PvHidPalmScanner } from '../../../drivers/palm/pv-hid-scanner.js';
import { HidSocketServer } from '../../../simulators/common/hid-socket.js';

type Script = (command: HostCommand, send: (m: DeviceMessage) => void) => void;

describe('PV-HID 1 driver edge cases', () => {
  let dir: string;
  let device: HidSocketServer;
  let scanner: PvHidPalmScanner;
  let script: Script;
  let commands: HostCommand[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pv-unit-'));
    device = new HidSocketServer(join(dir, 'palm.sock'));
    await device.listen();
    commands = [];
    script = () => undefined;
    device.on('report', (report) => {
      const decoded = decodeCommand(report);
      if (!decoded.ok) return;
      commands.push(decoded.value);
      script(decoded.value, (m) => device.send(encodeDeviceMessage(m)));
    });
    scanner = new PvHidPalmScanner({ transport: new HidSocketTransport({ path: device.path }), replyTimeoutMs: 200, chunkWindowMs: 300, deviceGraceMs: 300 });
    const online = new Promise<void>((resolve) => scanner.once('online', () => resolve()));
    await scanner.open();
    await online;
  });

  afterEach(async () => {
    await scanner.close();
    await device.close();
    await rm(dir, { recursive: true, force: true });
  });

  const template = Uint8Array.from({ length: 130 }, (_, i) => (i * 7) & 0xff);
  const captureOk = (t: Uint8Array): DeviceMessage => ({
    kind: 'event',
    event: 'captureOk',
    capture: { captureId: 4, totalLength: t.length, chunkCount: chunkCountFor(t.length), crc: crc32(t), format: 1, quality: 80 },
  });
  const chunks = (t: Uint8Array): DeviceMessage[] =>
    Array.from({ length: chunkCountFor(t.length) }, (_, seq) => ({ kind: 'chunk', captureId: 4, seq, data: t.slice(seq * 59, (seq + 1) * 59) }) as DeviceMessage);

  it('maps the timeout to whole device seconds, 1..60', () => {
    expect([deviceTimeoutSeconds(1), deviceTimeoutSeconds(1_000), deviceTimeoutSeconds(1_001), deviceTimeoutSeconds(600_000)]).toEqual([1, 1, 2, 60]);
  });

  it('sends START_CAPTURE identify with liveness, and assembles a multi-chunk template', async () => {
    script = (c, send) => {
      if (c.cmd !== Command.startCapture) return;
      send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
      send(captureOk(template));
      for (const m of chunks(template)) send(m);
    };
    const result = await scanner.capture({ timeoutMs: 3_000 });
    expect(commands[0]).toMatchObject({ cmd: 2, payload: Uint8Array.of(2, 3, 1) });
    expect(result).toEqual({ kind: 'template', template });
  });

  it('chunks out of order are discarded', async () => {
    script = (c, send) => {
      if (c.cmd !== Command.startCapture) return;
      send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
      send(captureOk(template));
      const [a, b, d] = chunks(template);
      for (const m of [a!, d!, b!]) send(m);
    };
    expect(await scanner.capture({ timeoutMs: 3_000 })).toMatchObject({ kind: 'error', message: expect.stringContaining('sequence') });
  });

  it('chunks that stop coming are discarded after the chunk window', async () => {
    script = (c, send) => {
      if (c.cmd !== Command.startCapture) return;
      send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
      send(captureOk(template));
      send(chunks(template)[0]!);
    };
    expect(await scanner.capture({ timeoutMs: 3_000 })).toMatchObject({ kind: 'error', message: expect.stringContaining('late') });
  });

  it('a chunk of the wrong length is discarded', async () => {
    script = (c, send) => {
      if (c.cmd !== Command.startCapture) return;
      send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
      send(captureOk(template));
      send({ kind: 'chunk', captureId: 4, seq: 0, data: template.slice(0, 58) });
    };
    expect(await scanner.capture({ timeoutMs: 3_000 })).toMatchObject({ kind: 'error', message: expect.stringContaining('chunk length') });
  });

  it('a NAK or no answer to START is an error, not a hang', async () => {
    script = (c, send) => send({ kind: 'nak', tag: c.tag, cmd: c.cmd, error: 3 });
    expect(await scanner.capture({ timeoutMs: 1_000 })).toEqual({ kind: 'error', message: 'palm scanner refused START_CAPTURE: busy' });
    script = () => undefined;
    expect(await scanner.capture({ timeoutMs: 1_000 })).toEqual({ kind: 'error', message: 'palm scanner did not answer START_CAPTURE' });
  });

  it('a device that never ends the capture is cancelled by the host watchdog', async () => {
    script = (c, send) => {
      if (c.cmd === Command.startCapture) send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
      if (c.cmd === Command.cancel) send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
    };
    const started = Date.now();
    expect(await scanner.capture({ timeoutMs: 1_000 })).toEqual({ kind: 'error', message: 'palm scanner did not end the capture' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
    await new Promise((r) => setTimeout(r, 50));
    expect(commands.map((c) => c.cmd)).toEqual([Command.startCapture, Command.cancel]);
  });

  it('an already aborted signal does not start a capture; guidance is reported once per change', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await scanner.capture({ timeoutMs: 1_000, signal: controller.signal })).toEqual({ kind: 'cancelled' });
    expect(commands).toEqual([]);
    const seen: string[] = [];
    scanner.on('guidance', ({ guidance }) => seen.push(guidance));
    script = (c, send) => {
      if (c.cmd !== Command.startCapture) return;
      send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
      send({ kind: 'event', event: 'presentPalm' });
      send({ kind: 'event', event: 'handNotPresent' });
      send({ kind: 'event', event: 'tooClose', mm: 20 });
      send({ kind: 'event', event: 'move', direction: 1 });
      send({ kind: 'event', event: 'livenessFail' });
    };
    expect(await scanner.capture({ timeoutMs: 1_000 })).toEqual({ kind: 'liveness' });
    expect(seen).toEqual(['placeHand', 'moveAway', 'holdStill']);
  });
});
