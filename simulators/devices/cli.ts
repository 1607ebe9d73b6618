/**
 * `npm run sim:devices`: starts every device emulator and the control API.
 * Env: SIM_DEVICES_HOST (127.0.0.1), SIM_DEVICES_PORT (7400), SIM_RUN_DIR (data/run).
 */
import { resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { buildControlServer } from './control-server.js';
import { emulatorFactories } from './registry.js';

async function main(): Promise<void> {
  const host = process.env.SIM_DEVICES_HOST ?? '127.0.0.1';
  const port = Number(process.env.SIM_DEVICES_PORT ?? 7400);
  const runDir = resolve(process.env.SIM_RUN_DIR ?? 'data/run');
  await mkdir(runDir, { recursive: true });
  const emulators = emulatorFactories.map((make) => make({ runDir }));
  for (const e of emulators) await e.start();
  const app = buildControlServer({ emulators });
  await app.listen({ host, port });
  console.log(`device simulators: control API http://${host}:${port}`);
  for (const e of emulators) console.log(`  ${e.kind} (${e.protocol}) at ${e.endpoint.path}`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    for (const e of emulators) await e.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`device simulators failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
