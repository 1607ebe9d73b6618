/**
 * Global setup for the renderer specs: builds the kiosk renderer and the fixture gallery
 * (vite --mode gallery), and serves the gallery on an ephemeral port; GALLERY_URL says where.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { serveStatic } from './static-server.js';

const repo = resolve(import.meta.dirname, '../../..');

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.GALLERY_SKIP_BUILD !== '1') {
    // The kiosk build first: it empties renderer/dist, where the gallery build then goes.
    const vite = (...extra: string[]) =>
      execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error', ...extra], { cwd: repo, stdio: 'inherit' });
    vite();
    vite('--mode', 'gallery');
  }
  const server = await serveStatic(resolve(repo, 'renderer/dist/gallery'));
  process.env.GALLERY_URL = `${server.url}/gallery.html`;
  return () => server.close();
}
