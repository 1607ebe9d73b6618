import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startBankServer } from '../../../simulators/bank/server.js';
import { BankClient } from '../../../kiosk/bank/client.js';
import type { OutboxMessage } from '../../../kiosk/bank/bank-api.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bank-restart-'));
  dirs.push(dir);
  return dir;
}

const credit: OutboxMessage = {
  key: 'T-09:1', kind: 'cashInCredit',
  body: { receiptNumber: 'R-1', sessionId: 's', at: '2026-11-25T10:00:00Z', customerId: 'c-olga', productId: 'a-olga-cur', amount: 1_000_000, commission: 0, notes: [{ denomination: 1_000_000, count: 1 }] },
};

describe('durability', () => {
  it('remembers applied keys across a bank restart on the same ledger file', async () => {
    const dbFile = join(await tempDir(), 'bank.sqlite');
    const first = await startBankServer({ dbFile });
    const c1 = new BankClient({ baseUrl: first.url });
    expect(await c1.postMessages('T-09', [credit])).toEqual([{ key: 'T-09:1', status: 'applied' }]);
    c1.close();
    await first.close();

    const second = await startBankServer({ dbFile });
    const c2 = new BankClient({ baseUrl: second.url });
    expect(await c2.postMessages('T-09', [credit])).toEqual([{ key: 'T-09:1', status: 'alreadyApplied' }]);
    const account = await (await fetch(`${second.url}/admin/accounts/a-olga-cur`)).json() as { balance: number };
    expect(account.balance).toBe(8_000_000 + 1_000_000);
    c2.close();
    await second.close();
  });
});

describe('npm run sim:bank', () => {
  it('starts on the given port with a seeded ledger in the data dir and stops on SIGTERM', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/bank/cli.ts', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 20_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    });
    const client = new BankClient({ baseUrl: url });
    expect(await client.identify('s-1', 'phone', { by: 'phone', phone: '+77011234567' })).toMatchObject({ customerId: 'c-aigerim' });
    client.close();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit') as [number | null];
    expect(code).toBe(0);
  });
});
