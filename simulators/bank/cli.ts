/**
 * `npm run sim:bank`: the bank host simulator on 127.0.0.1:7070 with a ledger in data/bank/.
 * Flags (or env): --port (BANK_PORT), --host (BANK_HOST), --data-dir (BANK_DATA_DIR),
 * --no-seed, --log.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBankServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
    log: { type: 'boolean', default: false },
  },
});

const port = Number(values.port ?? process.env.BANK_PORT ?? 7070);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bank simulator: --port must be an integer 0-65535 (got "${values.port ?? process.env.BANK_PORT}")`);
  process.exit(2);
}
const dataDir = values['data-dir'] ?? process.env.BANK_DATA_DIR ?? join('data', 'bank');
mkdirSync(dataDir, { recursive: true });

const server = await startBankServer({
  dbFile: join(dataDir, 'bank.sqlite'),
  host: values.host ?? process.env.BANK_HOST ?? '127.0.0.1',
  port,
  seed: !values['no-seed'],
  logger: values.log,
});
console.log(`bank simulator listening on ${server.url} (ledger ${join(dataDir, 'bank.sqlite')})`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close().then(() => process.exit(0), (err: unknown) => {
    console.error('bank simulator: close failed', err);
    process.exit(1);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
