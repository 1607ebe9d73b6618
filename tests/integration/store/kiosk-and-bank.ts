import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startBankServer, type BankServer } from '../../../simulators/bank/server.js';
import { BankClient } from '../../../kiosk/bank/client.js';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';
import type { Deliver } from '../../../kiosk/sync/sync-worker.js';

export const TERMINAL = 'T-ALA-07';

/** the bank host simulator on an ephemeral port and a kiosk store on a temp directory */
export interface World {
  dir: string;
  bank: BankServer;
  store: KioskStore;
  client: BankClient;
  deliver: Deliver;
  admin<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  balance(accountId: string): Promise<number>;
  /** the bank's own record of applied keys */
  appliedKeys(): Promise<Array<{ key: string; status: string; reason?: string }>>;
  /** ledger entries of one account that carry a message key */
  entryKeys(accountId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * These tests are about the network (outages, lost answers, killed workers), not about the disk; the
 * kiosk store still runs WAL + synchronous=FULL, but on tmpfs when the machine has one, so that
 * queueing a thousand cash-ins costs seconds rather than a minute of fsyncs on a shared build box.
 */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

export async function startWorld(): Promise<World> {
  const dir = mkdtempSync(path.join(scratchRoot(), 'kiosk-sync-it-'));
  const bank = await startBankServer({ dbFile: path.join(dir, 'bank.sqlite') });
  const store = openKioskStore({ dataDir: path.join(dir, 'kiosk'), terminalId: TERMINAL });
  // the worker owns retries and backoff; the client makes one attempt per round
  const client = new BankClient({ baseUrl: bank.url, timeoutMs: 3000, retries: 0, terminalId: TERMINAL });
  const admin = async <T,>(method: 'GET' | 'POST' | 'DELETE', p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${bank.url}${p}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const account = (id: string) => admin<{ balance: number; entries: Array<{ messageKey: string | null }> }>('GET', `/admin/accounts/${id}`);
  return {
    dir, bank, store, client, admin,
    deliver: (batch) => client.postMessages(TERMINAL, batch),
    balance: async (id) => (await account(id)).balance,
    appliedKeys: async () => (await admin<{ messages: Array<{ key: string; status: string; reason?: string }> }>('GET', '/admin/messages')).messages,
    entryKeys: async (id) => (await account(id)).entries.map((e) => e.messageKey).filter((k): k is string => k !== null),
    async close() {
      client.close();
      store.close();
      await bank.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const DENOMINATIONS = [20000, 50000, 100000, 200000, 500000, 1000000, 2000000];

/**
 * n complete cash-ins to one account through the real store path (begin, intent, stacked, end: four
 * durable transactions each), one note of a pseudo-random denomination apiece; returns the total.
 */
export function queueCashIns(store: KioskStore, n: number, productId = 'a-aigerim-cur', customerId = 'c-aigerim', seed = 1): { total: number; keys: string[] } {
  let x = seed;
  const next = () => {
    x = (x * 48271) % 2147483647; // MINSTD: exact in double precision
    return x;
  };
  let total = 0;
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const { cashInId } = store.money.beginCashIn({ sessionId: `s-${seed}-${i}`, target: { kind: 'account', customerId, productId } });
    const d = DENOMINATIONS[next() % DENOMINATIONS.length] ?? 100000;
    store.money.recordStacked(cashInId, store.money.recordStackIntent(cashInId, d));
    const end = store.money.endCashIn(cashInId, { commission: 0 });
    total += end.amount;
    keys.push(end.messageKey ?? '');
  }
  return { total, keys };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A TCP relay on loopback that holds every byte coming back from the bank for `delayMs`: the bank has
 * applied a batch, its answer is still on the way, which is the window a kill must hit to test
 * "applied but not acknowledged".
 */
export async function startSlowReturnProxy(targetPort: number, delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      setTimeout(() => {
        if (!client.destroyed) client.write(d);
      }, delayMs);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
    upstream.on('close', () => setTimeout(end, delayMs + 10));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
