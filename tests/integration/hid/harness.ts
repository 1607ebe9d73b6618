/** Starts one HID emulator with the real control API on an ephemeral loopback port. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { TypedEmitter } from '../../../domain/typed-emitter.js';
import { buildControlServer } from '../../../simulators/devices/control-server.js';
import type { DeviceEmulator, EmulatorFactory } from '../../../simulators/devices/emulator.js';

export interface Rig {
  emulator: DeviceEmulator;
  socketPath: string;
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startRig(factory: EmulatorFactory): Promise<Rig> {
  const runDir = await mkdtemp(join(tmpdir(), 'hid-it-'));
  const emulator = factory({ runDir });
  await emulator.start();
  const app: FastifyInstance = buildControlServer({ emulators: [emulator] });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    emulator,
    socketPath: emulator.endpoint.path,
    async post(path, body) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await app.close();
      await emulator.stop();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves with the next payload of an event, or rejects after timeoutMs. `T` names the payload
 * type where the test reads it (TypedEmitter's generic methods defeat inference here).
 */
export function nextEvent<T = unknown>(source: object, event: string, timeoutMs = 3_000): Promise<T> {
  const emitter = source as TypedEmitter<Record<string, T>>;
  return new Promise<T>((resolve, reject) => {
    const listener = (payload: T): void => {
      clearTimeout(timer);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}
