/**
 * Emulated cabinet sensor board (CAB-HID 1) on the HID report socket (runDir/cabinet.sock).
 * `POST /service-switch {open}` flips the technician's service switch; `POST /cabinet/door
 * {open}` the safe door contact. Each change sends a STATE report, as the board does.
 * Faults: `unplugged`.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { encodeCabinetState, isGetState, type CabinetState } from '../../../drivers/cabinet/cab-hid-codec.js';
import { HidSocketServer } from '../../common/hid-socket.js';
import { hidSocketDeviceLifecycle } from '../../common/hid-socket-device.js';
import { defaultEndpointName, type EmulatorFactory } from '../emulator.js';

const OpenBody = z.object({ open: z.boolean() }).strict();

export const createCabinetEmulator: EmulatorFactory = (ctx) => {
  const server = new HidSocketServer(join(ctx.runDir, defaultEndpointName.cabinet));
  const state: CabinetState = { serviceSwitchOpen: false, safeDoorOpen: false, counter: 0 };
  const faults = new Set<string>();

  const report = (): boolean => server.send(encodeCabinetState(state));
  server.on('report', (r) => {
    if (isGetState(r)) report();
  });

  const change = (patch: Partial<Pick<CabinetState, 'serviceSwitchOpen' | 'safeDoorOpen'>>): boolean => {
    const before = state.serviceSwitchOpen === (patch.serviceSwitchOpen ?? state.serviceSwitchOpen) && state.safeDoorOpen === (patch.safeDoorOpen ?? state.safeDoorOpen);
    if (before) return server.hostConnected; // no change, no report: the contacts did not move
    Object.assign(state, patch);
    state.counter = (state.counter + 1) & 0xff;
    return report();
  };

  return {
    kind: 'cabinet',
    protocol: 'cab-hid-1',
    ...hidSocketDeviceLifecycle(server, faults),
    faults: ['unplugged'],
    state: () => ({ hostConnected: server.hostConnected, serviceSwitchOpen: state.serviceSwitchOpen, safeDoorOpen: state.safeDoorOpen, faults: [...faults] }),
    routes(app: FastifyInstance) {
      app.post('/service-switch', async (req, reply) => {
        const body = OpenBody.safeParse(req.body);
        if (!body.success) return reply.code(400).send({ error: 'invalid body', issues: body.error.issues });
        return { ok: true, delivered: change({ serviceSwitchOpen: body.data.open }) };
      });
      app.post('/cabinet/door', async (req, reply) => {
        const body = OpenBody.safeParse(req.body);
        if (!body.success) return reply.code(400).send({ error: 'invalid body', issues: body.error.issues });
        return { ok: true, delivered: change({ safeDoorOpen: body.data.open }) };
      });
    },
  };
};
