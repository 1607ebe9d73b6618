import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankClient, createBankClient } from '../../../kiosk/bank/client.js';
import { BankUnavailableError } from '../../../kiosk/bank/bank-api.js';
import { startTestBank, type TestBank } from './helpers.js';

describe('bank address policy', () => {
  it('refuses plain http to a host that is not loopback', () => {
    expect(() => new BankClient({ baseUrl: 'http://gateway.bank.example' })).toThrow(/plain http is allowed only to a loopback host/);
    expect(() => new BankClient({ baseUrl: 'http://10.0.0.5:7070' })).toThrow(/loopback/);
    expect(() => new BankClient({ baseUrl: 'ftp://127.0.0.1' })).toThrow(/unsupported scheme/);
    expect(() => new BankClient({ baseUrl: 'not a url' })).toThrow(/not a URL/);
    expect(() => new BankClient({ baseUrl: 'https://gateway.bank.example', tls: { cert: 'x' } })).toThrow(/needs its key/);
    for (const ok of ['http://127.0.0.1:7070', 'http://localhost:7070', 'http://[::1]:7070', 'https://gateway.bank.example']) {
      new BankClient({ baseUrl: ok }).close();
    }
  });
});

describe('answers that break the contract', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/services') res.end('<html>gateway maintenance</html>');
      else if (req.url === '/v1/quotes') res.end(JSON.stringify({ operation: 'withdraw', amount: 100, commission: 0.5, total: 100.5 }));
      else res.end(JSON.stringify({ status: 'approved', extra: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('turns non-JSON and fractional money into BankUnavailableError', async () => {
    const client = new BankClient({ baseUrl: url, retries: 0, timeoutMs: 1000 });
    await expect(client.services()).rejects.toThrow(/not JSON/);
    const quote = client.quote('withdraw', 100);
    await expect(quote).rejects.toBeInstanceOf(BankUnavailableError);
    await expect(quote).rejects.toThrow(/commission/);
    expect(await client.approvalStatus('a-1')).toEqual({ status: 'approved' });
    client.close();
  });
});

describe('mutual TLS', () => {
  let dir: string;
  let t: TestBank;
  let pem: Record<'ca' | 'clientCert' | 'clientKey' | 'otherCa', string>;

  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bank-tls-'));
    openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test bank CA');
    openssl('req', '-x509', ...ecKey, '-keyout', 'other.key', '-out', 'other.crt', '-days', '1', '-subj', '/CN=other CA');
    await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    openssl('req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext');
    openssl('req', ...ecKey, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=T-01');
    openssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '1', '-extfile', 'client.ext');
    const read = (name: string): Promise<string> => readFile(join(dir, name), 'utf8');
    pem = { ca: await read('ca.crt'), clientCert: await read('client.crt'), clientKey: await read('client.key'), otherCa: await read('other.crt') };
    t = await startTestBank({ tls: { key: await read('server.key'), cert: await read('server.crt'), ca: pem.ca, requestCert: true } });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('talks to the bank with the bank CA and the terminal certificate', async () => {
    expect(t.bank.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const client = new BankClient({ baseUrl: t.bank.url, tls: { ca: pem.ca, cert: pem.clientCert, key: pem.clientKey }, retries: 0 });
    expect((await client.services()).map((s) => s.id)).toContain('kcell');
    client.close();
  });

  it('builds the client from the config file paths, naming a missing file', async () => {
    const client = createBankClient({ url: t.bank.url, caFile: join(dir, 'ca.crt'), certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key'), terminalId: 'T-01' });
    expect((await client.services()).length).toBeGreaterThan(0);
    client.close();
    expect(() => createBankClient({ url: t.bank.url, caFile: join(dir, 'missing.crt') })).toThrow(/bank\.caFile: cannot read .*missing\.crt: ENOENT/);
  });

  it('is refused by the bank without a client certificate', async () => {
    const client = new BankClient({ baseUrl: t.bank.url, tls: { ca: pem.ca }, retries: 0, timeoutMs: 2000 });
    await expect(client.services()).rejects.toBeInstanceOf(BankUnavailableError);
    client.close();
  });

  it('refuses a bank whose certificate does not chain to the configured CA', async () => {
    const client = new BankClient({ baseUrl: t.bank.url, tls: { ca: pem.otherCa, cert: pem.clientCert, key: pem.clientKey }, retries: 0, timeoutMs: 2000 });
    await expect(client.services()).rejects.toThrow(/certificate/);
    client.close();
  });
});
