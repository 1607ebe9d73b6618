/**
 * One HTTP(S) exchange with the bank's gateway: JSON in, JSON out, a hard timeout on the whole
 * exchange, TLS with the bank's CA and the terminal's client certificate (mutual TLS). Plain HTTP
 * is refused unless the bank is on this machine's loopback (the simulator, a local proxy): card
 * tokens and customer data never cross a network in clear (bank rules ch.2 item 3).
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';

export interface TlsOptions {
  /** CA bundle (PEM) the bank's certificate must chain to; default: Node's public roots */
  ca?: string | Buffer;
  /** the terminal's client certificate and key (PEM) for mutual TLS */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/**
 * Largest bank answer read (bytes). Every answer of the terminal API is a small JSON document (a
 * batch of delivery results, a service list); anything bigger is a faulty or hostile gateway, and
 * reading it whole would exhaust the core's memory. A larger answer is refused unread.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface HttpAnswer {
  status: number;
  text: string;
}

/** reason a request did not produce an answer */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(message: string, readonly kind: 'timeout' | 'network' | 'config' | 'oversize') {
    super(message);
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export class HttpTransport {
  readonly base: URL;
  private readonly agent: http.Agent | https.Agent;
  private readonly maxAnswerBytes: number;

  constructor(baseUrl: string, tls: TlsOptions = {}, options: { maxAnswerBytes?: number } = {}) {
    this.maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TransportError(`bank url is not a URL: "${baseUrl}"`, 'config');
    }
    if (url.protocol === 'http:') {
      if (!isLoopbackHost(url.hostname)) {
        throw new TransportError(`bank url ${url.origin}: plain http is allowed only to a loopback host; use https`, 'config');
      }
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    } else if (url.protocol === 'https:') {
      if ((tls.cert === undefined) !== (tls.key === undefined)) {
        throw new TransportError('bank TLS: a client certificate needs its key and a key its certificate', 'config');
      }
      this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: tls.ca, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
    } else {
      throw new TransportError(`bank url ${baseUrl}: unsupported scheme ${url.protocol}`, 'config');
    }
    this.base = url;
  }

  /**
   * One exchange bounded by `timeoutMs` (an AbortSignal that also stops a half-read answer);
   * `cancel` lets the caller give up earlier, e.g. when the customer cancels.
   */
  request(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>, timeoutMs: number, cancel?: AbortSignal): Promise<HttpAnswer> {
    const url = new URL(path.replace(/^\//, ''), this.base.href.endsWith('/') ? this.base : new URL(`${this.base.href}/`));
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const lib = url.protocol === 'https:' ? https : http;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = cancel === undefined ? deadline : AbortSignal.any([deadline, cancel]);
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, answer?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        if (err !== null) reject(err);
        else resolve(answer!);
      };
      const failure = (err: Error): TransportError => {
        if (deadline.aborted) return new TransportError(`bank did not answer ${method} ${url.pathname} within ${timeoutMs} ms`, 'timeout');
        if (cancel?.aborted === true) return new TransportError(`${method} ${url.pathname} cancelled`, 'network');
        return new TransportError(`bank unreachable (${method} ${url.pathname}): ${err.message}`, 'network');
      };
      const req = lib.request(url, {
        method,
        agent: this.agent,
        signal,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const oversize = (): void => {
          finish(new TransportError(`bank answer to ${method} ${url.pathname} is larger than ${this.maxAnswerBytes} bytes; refused`, 'oversize'));
          // the socket may hold the rest of the answer: destroy it rather than return it to the pool
          req.destroy();
        };
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.maxAnswerBytes) return oversize();
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          if (received > this.maxAnswerBytes) return oversize();
          chunks.push(chunk);
        });
        res.on('end', () => finish(null, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => finish(failure(err)));
        res.on('aborted', () => finish(failure(new Error('answer broken off'))));
      });
      req.on('error', (err) => finish(failure(err)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Reads the PEM files named in the kiosk config (`bank.caFile`, `bank.certFile`, `bank.keyFile`). */
export function loadTlsFiles(files: { caFile?: string; certFile?: string; keyFile?: string }): TlsOptions {
  const read = (key: string, path: string | undefined): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new TransportError(`bank.${key}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'config');
    }
  };
  const tls: TlsOptions = {};
  const ca = read('caFile', files.caFile);
  const cert = read('certFile', files.certFile);
  const key = read('keyFile', files.keyFile);
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;
  return tls;
}
