/**
 * A gateway that answers with an endless body (600 MB once crashed the core with
 * ERR_STRING_TOO_LONG): the client refuses it after its cap, reads no further, stays usable, and
 * its memory does not follow the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { BankClient } from '../../../kiosk/bank/client.js';
import { BankUnavailableError } from '../../../kiosk/bank/bank-api.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../../kiosk/bank/http-transport.js';

const HUGE_BYTES = 600 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x20);

describe('bank answer size limit', () => {
  let server: http.Server;
  let url: string;
  /** what the server answers next */
  let mode: 'small' | 'stream' | 'declared' = 'small';
  let requests = 0;
  /** bytes the server managed to write for the last request, and whether the client hung up early */
  let sent = { bytes: 0, closedEarly: false };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests++;
      const record = { bytes: 0, closedEarly: false };
      sent = record;
      res.setHeader('content-type', 'application/json');
      if (mode === 'small') {
        res.end(JSON.stringify({ services: [] }));
        return;
      }
      if (mode === 'declared') {
        // declared up front: refused from the header, before any of the body is read
        res.setHeader('content-length', String(HUGE_BYTES));
      }
      res.write('{"services":[{"id":"');
      const pump = (): void => {
        while (record.bytes < HUGE_BYTES && !res.destroyed) {
          record.bytes += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end('"}]}');
      };
      res.on('close', () => {
        if (record.bytes < HUGE_BYTES) record.closedEarly = true;
      });
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a 600 MB answer after the cap, keeps memory bounded and stays usable', async () => {
    const client = new BankClient({ baseUrl: url, retries: 2, retryDelayMs: 10, timeoutMs: 60_000 });
    mode = 'stream';
    const rssBefore = process.memoryUsage().rss;
    const call = client.services();
    await expect(call).rejects.toBeInstanceOf(BankUnavailableError);
    await expect(call).rejects.toThrow(new RegExp(`larger than ${DEFAULT_MAX_ANSWER_BYTES} bytes; refused`));
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    await expect.poll(() => sent.closedEarly).toBe(true);
    // the server could push at most the cap plus what sat in the socket buffers, never the 600 MB
    expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
    // the same client (same connection pool) still works once the gateway behaves
    mode = 'small';
    expect(await client.services()).toEqual([]);
    client.close();
  });

  it('refuses an answer whose declared length is over the cap without reading it', async () => {
    const client = new BankClient({ baseUrl: url, retries: 0, timeoutMs: 60_000 });
    mode = 'declared';
    await expect(client.services()).rejects.toThrow(/larger than .* bytes; refused/);
    await expect.poll(() => sent.closedEarly).toBe(true);
    expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
    client.close();
  });

  it('is not retried: one oversized answer is one request (the gateway is faulty, not lossy)', async () => {
    mode = 'stream';
    requests = 0;
    const client = new BankClient({ baseUrl: url, retries: 2, retryDelayMs: 10, timeoutMs: 60_000, maxAnswerBytes: 1024 });
    await expect(client.services()).rejects.toThrow(/larger than 1024 bytes/);
    expect(requests).toBe(1);
    client.close();
  });
});
