/** JSON over loopback HTTP for the test clients: a deadline per call and the answer checked by a schema. */
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'DELETE';

export class HttpError extends Error {
  constructor(
    readonly method: Method,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

export interface JsonClient {
  readonly baseUrl: string;
  call<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.infer<S>>;
}

export function jsonClient(baseUrl: string, timeoutMs = 10_000): JsonClient {
  return {
    baseUrl,
    async call(method, path, schema, body) {
      const url = `${baseUrl}${path}`;
      const res = await fetch(url, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (!res.ok) throw new HttpError(method, url, res.status, text);
      let value: unknown;
      try {
        value = text.length === 0 ? undefined : JSON.parse(text);
      } catch {
        throw new Error(`${method} ${url}: answer is not JSON: ${text.slice(0, 200)}`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new Error(`${method} ${url}: unexpected answer: ${parsed.error.issues[0]?.message ?? 'invalid'} in ${text.slice(0, 300)}`);
      return parsed.data;
    },
  };
}
