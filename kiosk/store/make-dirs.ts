/**
 * `mkdir -p` that always returns: Node's own recursive mkdir (libuv) loops for ever on a path it
 * cannot create under a pseudo file system (`/proc/nope`), which hung start-up with no output.
 * This walks down from the nearest existing ancestor and creates one level at a time, so any
 * failure is an ordinary error naming its code.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    try {
      statSync(at);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, { mode });
    } catch (err) {
      // another process may have made it in the meantime
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
