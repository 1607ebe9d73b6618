/**
 * Emulated "PV-HID 1" palm-vein scanner on the HID report socket (runDir/palm.sock).
 * `POST /palm/present {subject}` holds a palm over the sensor (for HAND_HOLD_MS or until a
 * capture takes it): a subject yields palmTemplateFor(subject) (an unknown one such as
 * 'palm-stranger' simply is not enrolled at the bank); `{fake: true}` fails liveness. With
 * nothing presented the capture times out. Guidance events are spaced at least 250 ms apart.
 * GET_STATUS reports the held hand's distance (presence, with no capture and no template).
 * Faults: `unplugged`, `sensorFault` (capture ends with ERROR 05), `badCrc` (the template's CRC
 * is wrong), `dropChunk` (one chunk never arrives). The emulator keeps no template after the
 * last chunk.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { crc32 } from '../../../drivers/palm/crc32.js';
import {
  chunkCountFor,
  Code,
  Command,
  decodeCommand,
  DeviceState,
  encodeDeviceMessage,
  FORMAT_OPAQUE_SIMULATED,
  PV_CHUNK_DATA,
  PV_MAX_TEMPLATE,
  PvError,
  type DeviceMessage,
  type HostCommand,
} from '../../../drivers/palm/pv-hid-codec.js';
import { HidSocketServer } from '../../common/hid-socket.js';
import { hidSocketDeviceLifecycle } from '../../common/hid-socket-device.js';
import { palmTemplateFor } from '../../common/palm-subjects.js';
import { defaultEndpointName, type EmulatorFactory } from '../emulator.js';

const Present = z.union([
  z.object({ subject: z.string().regex(/^[a-z0-9-]{1,40}$/, 'subject: 1-40 of a-z 0-9 -') }).strict(),
  z.object({ fake: z.literal(true) }).strict(),
]);

export const PALM_FAULTS = ['unplugged', 'sensorFault', 'badCrc', 'dropChunk'] as const;
export const GUIDANCE_SPACING_MS = 250;
export const HAND_HOLD_MS = 10_000;

type Hand = { subject: string; at: number } | { fake: true; at: number };

/** where a presented hand is held (inside the 40-80 mm window), as GET_STATUS reports it */
export const HAND_DISTANCE_MM = 60;

export const createPalmEmulator: EmulatorFactory = (ctx) => {
  const server = new HidSocketServer(join(ctx.runDir, defaultEndpointName.palm));
  const faults = new Set<string>();
  let state: number = DeviceState.idle;
  let lastEvent = 0;
  let lastError = 0;
  let hand: Hand | undefined;
  let captureId = 0;
  let captures = 0;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let queueTimer: NodeJS.Timeout | undefined;
  let queue: { message: DeviceMessage; spaced: boolean; after?: () => void }[] = [];
  let lastSpacedAt = 0;

  const handHeld = (): boolean => hand !== undefined && Date.now() - hand.at <= HAND_HOLD_MS;

  function send(message: DeviceMessage): void {
    const report = encodeDeviceMessage(message);
    server.send(report);
    report.fill(0);
  }

  function flush(): void {
    queueTimer = undefined;
    while (queue.length > 0) {
      const next = queue[0] as (typeof queue)[number];
      const wait = next.spaced ? lastSpacedAt + GUIDANCE_SPACING_MS - Date.now() : 0;
      if (wait > 0) {
        queueTimer = setTimeout(flush, wait);
        return;
      }
      queue.shift();
      if (next.spaced) lastSpacedAt = Date.now();
      if (next.message.kind === 'event') lastEvent = encodeDeviceMessage(next.message)[1] as number;
      send(next.message);
      if (next.message.kind === 'chunk') next.message.data.fill(0);
      next.after?.();
    }
  }

  /** events go out in order; guidance ones (20-25) at most one per 250 ms */
  function queueEvent(message: DeviceMessage, spaced: boolean, after?: () => void): void {
    queue.push(after ? { message, spaced, after } : { message, spaced });
    if (!queueTimer) flush();
  }

  function endCapture(): void {
    if (timeoutTimer) clearTimeout(timeoutTimer);
    timeoutTimer = undefined;
    state = DeviceState.idle;
  }

  function abortQueue(): void {
    if (queueTimer) clearTimeout(queueTimer);
    queueTimer = undefined;
    for (const q of queue) if (q.message.kind === 'chunk') q.message.data.fill(0);
    queue = [];
  }

  function scan(): void {
    const presented = hand;
    hand = undefined;
    if (!presented) return;
    state = DeviceState.capturing;
    if (timeoutTimer) clearTimeout(timeoutTimer);
    timeoutTimer = undefined;
    queueEvent({ kind: 'event', event: 'tooFar', mm: 110 }, true);
    queueEvent({ kind: 'event', event: 'capturing' }, true);
    if (faults.has('sensorFault')) {
      lastError = PvError.sensorFault;
      queueEvent({ kind: 'event', event: 'error', code: PvError.sensorFault }, true, endCapture);
      return;
    }
    if ('fake' in presented) {
      queueEvent({ kind: 'event', event: 'livenessFail' }, true, endCapture);
      return;
    }
    const template = palmTemplateFor(presented.subject);
    captureId = (captureId % 0xff) + 1;
    const chunkCount = chunkCountFor(template.length);
    const crc = crc32(template) ^ (faults.has('badCrc') ? 1 : 0);
    const sending = (): void => {
      state = DeviceState.sending;
    };
    queueEvent(
      { kind: 'event', event: 'captureOk', capture: { captureId, totalLength: template.length, chunkCount, crc, format: FORMAT_OPAQUE_SIMULATED, quality: 90 } },
      true,
      sending,
    );
    const dropped = faults.has('dropChunk') ? 1 : -1;
    for (let seq = 0; seq < chunkCount; seq++) {
      if (seq === dropped) continue;
      const data = new Uint8Array(template.subarray(seq * PV_CHUNK_DATA, (seq + 1) * PV_CHUNK_DATA));
      // the device keeps nothing after the last chunk: idle again
      queueEvent({ kind: 'chunk', captureId, seq, data }, false, seq === chunkCount - 1 ? endCapture : undefined);
    }
    template.fill(0);
    captures++;
  }

  function onCommand(c: HostCommand): void {
    const nak = (error: number): void => send({ kind: 'nak', tag: c.tag, cmd: c.cmd, error });
    switch (c.cmd) {
      case Command.getInfo:
        if (c.payload.length !== 0) return nak(PvError.badParameter);
        return send({
          kind: 'info',
          tag: c.tag,
          info: { protoMajor: 1, protoMinor: 0, firmware: [1, 0, 0], maxTemplate: PV_MAX_TEMPLATE, formats: FORMAT_OPAQUE_SIMULATED, serial: 'SIM-PV-0001' },
        });
      case Command.getStatus:
        if (c.payload.length !== 0) return nak(PvError.badParameter);
        // the proximity reading works in every state: a hand held over the sensor is at 60 mm
        return send({ kind: 'status', tag: c.tag, status: { state, lastEvent, lastError, distanceMm: handHeld() ? HAND_DISTANCE_MM : 0 } });
      case Command.cancel: {
        if (c.payload.length !== 0) return nak(PvError.badParameter);
        const running = state !== DeviceState.idle;
        send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
        if (running) {
          abortQueue();
          endCapture();
          send({ kind: 'event', event: 'cancelled' });
          lastEvent = Code.cancelled;
        }
        return;
      }
      case Command.startCapture: {
        const [mode, timeoutS, liveness] = [c.payload[0], c.payload[1], c.payload[2]];
        if (c.payload.length !== 3 || mode === undefined || mode < 1 || mode > 3 || timeoutS === undefined || timeoutS > 60 || (liveness !== 0 && liveness !== 1)) {
          return nak(PvError.badParameter);
        }
        if (state !== DeviceState.idle) return nak(PvError.busy);
        send({ kind: 'ack', tag: c.tag, cmd: c.cmd });
        state = DeviceState.waitingHand;
        lastError = 0;
        queueEvent({ kind: 'event', event: 'presentPalm' }, true);
        timeoutTimer = setTimeout(
          () => {
            timeoutTimer = undefined;
            if (state !== DeviceState.waitingHand) return;
            endCapture();
            queueEvent({ kind: 'event', event: 'timeout' }, false);
          },
          (timeoutS === 0 ? 20 : timeoutS) * 1000,
        );
        if (hand && Date.now() - hand.at <= HAND_HOLD_MS) scan();
        return;
      }
      default:
        return nak(PvError.badCommand);
    }
  }

  server.on('report', (report) => {
    const decoded = decodeCommand(report);
    const [id, cmd, tag] = [report[0], report[1] ?? 0, report[2]];
    report.fill(0);
    if (!decoded.ok) {
      // a malformed command that still names a tag gets a NAK; anything else is noise
      if (id === 0x01 && tag) send({ kind: 'nak', tag, cmd, error: PvError.badParameter });
      return;
    }
    onCommand(decoded.value);
  });
  // host gone or replaced: a real device is reset by the USB re-enumeration
  const reset = (): void => {
    abortQueue();
    endCapture();
  };
  server.on('disconnected', reset);
  server.on('connected', reset);

  return {
    kind: 'palm',
    protocol: 'pv-hid-1',
    ...hidSocketDeviceLifecycle(server, faults, { beforeStop: reset }),
    faults: PALM_FAULTS,
    state: () => ({
      hostConnected: server.hostConnected,
      state: Object.entries(DeviceState).find(([, v]) => v === state)?.[0] ?? 'unknown',
      handPresented: handHeld(),
      captures,
      faults: [...faults],
    }),
    routes(app: FastifyInstance) {
      app.post('/palm/present', async (req, reply) => {
        const body = Present.safeParse(req.body);
        if (!body.success) return reply.code(400).send({ error: 'invalid body', issues: body.error.issues });
        hand = 'fake' in body.data ? { fake: true, at: Date.now() } : { subject: body.data.subject, at: Date.now() };
        const capturing = state === DeviceState.waitingHand;
        if (capturing) scan();
        return { ok: true, capturing };
      });
    },
  };
};
