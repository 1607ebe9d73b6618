/**
 * The renderer is served from app://kiosk/ out of renderer/dist instead of file://, so it has a real
 * origin, every response carries the CSP, and no path can escape the renderer folder.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../kiosk/index.js';
import { APP_HOST, APP_SCHEME } from './channels.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
};

/** must run before app is ready */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** the file under root a request names, or undefined when it would escape root */
export function resolveAppPath(root: string, requestUrl: string): string | undefined {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  const base = resolve(root);
  const file = resolve(base, `.${pathname}`);
  return file === base || file.startsWith(base + sep) ? file : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function appResponse(root: string, requestUrl: string): Promise<Response> {
  const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' };
  const file = resolveAppPath(root, requestUrl);
  if (!file) return new Response('forbidden', { status: 403, headers });
  // client routes fall back to the single page; a missing asset stays missing
  const target = (await isFile(file)) ? file : extname(file) === '' ? resolve(root, 'index.html') : undefined;
  if (!target || !(await isFile(target))) return new Response('not found', { status: 404, headers });
  const body = await readFile(target);
  return new Response(body, { status: 200, headers: { ...headers, 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' } });
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(root, request.url));
}
