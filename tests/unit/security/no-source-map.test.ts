/**
 * The renderer's source map (2 MB of the app's source) was served by the web shell and packed
 * into the installer. The kiosk build makes none, and the package leaves any out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { UserConfig } from 'vite';
import viteConfig from '../../../renderer/vite.config.js';

describe('renderer source maps', () => {
  it('the kiosk build writes no source map', () => {
    const make = viteConfig as unknown as (env: { mode: string; command: string }) => UserConfig;
    for (const mode of ['production', 'gallery']) expect(make({ mode, command: 'build' }).build?.sourcemap).toBe(false);
  });

  it('the package leaves out every .map under renderer/dist and the fixture gallery', () => {
    const files = readFileSync('electron-builder.yml', 'utf8');
    expect(files).toContain('- "!renderer/dist/**/*.map"');
    expect(files).toContain('- "!renderer/dist/gallery/**"');
    expect(files).toContain('- "!dist/main/**/*.map"');
  });
});
