/**
 * Global setup for the gallery specs: builds the fixture gallery (vite --mode gallery) and
 * serves it on an ephemeral port; GALLERY_URL tells the specs where.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { serveStatic } from './static-server.js';

const repo = resolve(import.meta.dirname, '../../..');

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.GALLERY_SKIP_BUILD !== '1') {
    execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--mode', 'gallery', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
  }
  const server = await serveStatic(resolve(repo, 'renderer/dist/gallery'));
  process.env.GALLERY_URL = `${server.url}/gallery.html`;
  return () => server.close();
}
