/** Which optional tools this machine has: an Electron binary, Chromium, a display. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

/** the Electron binary's path, or undefined when only the npm package (no binary) is installed */
export function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export function which(command: string): string | undefined {
  try {
    const out = execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out.length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}

export function chromiumBinary(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
}

export const hasDisplay = (): boolean => Boolean(process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY);
