/**
 * Emulated MagTek-style HID swipe reader on the HID report socket (runDir/card-reader.sock).
 * `POST /card-reader/insert {pan, expiry, name}` swipes a card: one 337-byte report with tracks
 * 1 and 2 and the project's LRC extension. `{damaged: 'badLrc'}` swipes a card whose LRC does not
 * match; `{damaged: 'unreadable'}` one the reader could not decode (status bit 0, length 0).
 * `POST /card-reader/remove` only updates the emulator's state: a swipe reader has no way to
 * tell the host a card was taken (the driver's cardRemoved is synthetic).
 * Faults: `unplugged` (drops the host and refuses it until cleared).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { encodeMagtekReport, EncodeType } from '../../../drivers/card-reader/magtek-report.js';
import { HidSocketServer } from '../../common/hid-socket.js';
import { hidSocketDeviceLifecycle } from '../../common/hid-socket-device.js';
import { testCards } from '../../common/test-cards.js';
import { defaultEndpointName, type DeviceEmulator, type EmulatorFactory } from '../emulator.js';
import { encodeTrack1, encodeTrack2, type CardFace } from './tracks.js';

const Insert = z.union([
  z
    .object({
      pan: z.string().regex(/^\d{12,19}$/, 'pan: 12-19 digits'),
      expiry: z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, 'expiry: YYMM'),
      // track 1 name: 2-26 characters of the track 1 set, without separators or sentinels
      name: z.string().regex(/^[A-Z0-9 /.'-]{2,26}$/, 'name: 2-26 of A-Z 0-9 space / . \' -'),
    })
    .strict(),
  z.object({ damaged: z.enum(['badLrc', 'unreadable']) }).strict(),
]);

export const CARD_READER_FAULTS = ['unplugged'] as const;

export const createCardReaderEmulator: EmulatorFactory = (ctx) => {
  const server = new HidSocketServer(join(ctx.runDir, defaultEndpointName.cardReader));
  let lastSwipe: 'none' | 'card' | 'badLrc' | 'unreadable' = 'none';
  let maskedLast: string | undefined;
  let cardInSlot = false;
  let swipes = 0;
  const faults = new Set<string>();

  function swipe(report: Uint8Array): boolean {
    const delivered = server.send(report);
    report.fill(0);
    swipes++;
    return delivered;
  }

  const emulator: DeviceEmulator = {
    kind: 'cardReader',
    protocol: 'magtek-hid',
    ...hidSocketDeviceLifecycle(server, faults),
    faults: CARD_READER_FAULTS,
    state: () => ({
      hostConnected: server.hostConnected,
      cardInSlot,
      lastSwipe,
      lastCard: maskedLast,
      swipes,
      lrcExtension: true,
      faults: [...faults],
    }),
    routes(app: FastifyInstance) {
      app.post('/card-reader/insert', async (req, reply) => {
        const body = Insert.safeParse(req.body);
        if (!body.success) return reply.code(400).send({ error: 'invalid body', issues: body.error.issues });
        let delivered: boolean;
        if ('damaged' in body.data) {
          const damaged = body.data.damaged;
          const face: CardFace = testCards[0] as CardFace;
          delivered =
            damaged === 'badLrc'
              ? swipe(encodeMagtekReport([{ data: encodeTrack1(face, true) }, { data: encodeTrack2(face, true) }, {}], EncodeType.iso))
              : swipe(encodeMagtekReport([{ decodeError: true }, { decodeError: true }, {}], EncodeType.undetermined));
          lastSwipe = damaged;
          maskedLast = undefined;
        } else {
          const face = body.data;
          delivered = swipe(encodeMagtekReport([{ data: encodeTrack1(face) }, { data: encodeTrack2(face) }, {}], EncodeType.iso));
          lastSwipe = 'card';
          maskedLast = `${face.pan.slice(0, 6)}${'*'.repeat(face.pan.length - 10)}${face.pan.slice(-4)}`;
        }
        cardInSlot = true;
        return { ok: true, delivered };
      });
      app.post('/card-reader/remove', async () => {
        cardInSlot = false;
        return { ok: true };
      });
    },
  };
  return emulator;
};
