/**
 * The device simulators' control API (127.0.0.1:7400): the customer's and the technician's hands
 * for tests, demos and the panel. Routes named in docs/architecture.md are a contract.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeviceEmulator } from './emulator.js';
import { registerPanel } from './panel/panel.js';

const FaultBody = z.object({ device: z.string(), fault: z.string(), params: z.record(z.string(), z.unknown()).optional() });

export interface ControlServerOptions {
  emulators: DeviceEmulator[];
  /** extra routes (service switch, panel) */
  extend?: (app: FastifyInstance) => void;
}

export function buildControlServer(options: ControlServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const byKind = new Map(options.emulators.map((e) => [e.kind, e] as const));

  app.get('/devices', async () =>
    options.emulators.map((e) => ({ kind: e.kind, protocol: e.protocol, endpoint: e.endpoint, faults: e.faults, state: e.state() })),
  );

  app.post('/faults', async (req, reply) => {
    const body = FaultBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'invalid body', issues: body.error.issues });
    const emulator = byKind.get(body.data.device as DeviceEmulator['kind']);
    if (!emulator) return reply.code(404).send({ error: `no device ${body.data.device}` });
    if (!emulator.faults.includes(body.data.fault)) {
      return reply.code(400).send({ error: `device ${body.data.device} has no fault ${body.data.fault}`, faults: emulator.faults });
    }
    emulator.setFault(body.data.fault, body.data.params);
    return { ok: true };
  });

  app.delete('/faults', async () => {
    for (const e of options.emulators) e.clearFaults();
    return { ok: true };
  });

  for (const e of options.emulators) e.routes(app);
  registerPanel(app);
  options.extend?.(app);
  return app;
}
