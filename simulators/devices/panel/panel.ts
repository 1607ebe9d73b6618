/**
 * The simulator panel: a plain page (no build step) on the control API that acts as the
 * customer's and the technician's hands through the control routes. Served at / and /panel/*.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { palmSubjects } from '../../common/palm-subjects.js';
import { testCards } from '../../common/test-cards.js';
import { KZT_BANKNOTES_TENGE } from '../../../domain/money.js';

/** Beside this module under tsx; from the source tree when running compiled from dist/. */
function assetDir(): string {
  const beside = fileURLToPath(new URL('.', import.meta.url));
  return existsSync(resolve(beside, 'index.html')) ? beside : resolve(process.cwd(), 'simulators/devices/panel');
}

const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'panel-page.js': 'text/javascript; charset=utf-8',
  'panel-page.css': 'text/css; charset=utf-8',
} as const;

/** KZT banknotes in circulation, in tenge (kz-identifiers reference §4). */
export const PANEL_DENOMINATIONS = KZT_BANKNOTES_TENGE;

/** What the page needs to know about the simulated world; synthetic test data only. */
export function panelWorld(): Record<string, unknown> {
  return {
    denominations: PANEL_DENOMINATIONS,
    cards: testCards.map((c) => ({ pan: c.pan, masked: `${c.pan.slice(0, 6)}******${c.pan.slice(-4)}`, expiry: c.expiry, name: c.name, customer: c.customer ?? null })),
    palmSubjects: palmSubjects.map((p) => ({ subject: p.subject, customer: 'customer' in p ? p.customer : null })),
    bankUrl: process.env.SIM_BANK_URL ?? 'http://127.0.0.1:7070',
  };
}

export function registerPanel(app: FastifyInstance): void {
  // Read once at registration: the files are small and a missing one should fail loudly at start.
  const dir = assetDir();
  const files = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(resolve(dir, name)) }]));
  const send = (name: keyof typeof ASSETS) => async (_req: unknown, reply: { type(t: string): { send(b: Buffer): unknown } }) => {
    const file = files.get(name);
    if (!file) throw new Error(`panel asset ${name} missing`);
    return reply.type(file.type).send(file.body);
  };
  app.get('/', send('index.html'));
  app.get('/panel/', send('index.html'));
  app.get('/panel/index.html', send('index.html'));
  app.get('/panel/panel-page.js', send('panel-page.js'));
  app.get('/panel/panel-page.css', send('panel-page.css'));
  app.get('/panel/world.json', async () => panelWorld());
}
