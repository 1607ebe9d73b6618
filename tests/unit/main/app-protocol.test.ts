import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock);

const { appResponse, resolveAppPath } = await import('../../../main/app-protocol.js');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kiosk-app-protocol-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'export {}');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('app:// renderer protocol', () => {
  it('never resolves outside the renderer folder', () => {
    expect(resolveAppPath(root, 'app://kiosk/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    // the URL parser folds encoded dot segments itself: the result stays inside the root
    expect(resolveAppPath(root, 'app://kiosk/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppPath(root, 'app://kiosk/..%2f..%2fetc/passwd')).toBeUndefined();
    expect(resolveAppPath(root, 'app://other/index.html')).toBeUndefined();
  });

  it('serves files with the CSP and a content type', async () => {
    const res = await appResponse(root, 'app://kiosk/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toBe('export {}');
  });

  it('falls back to index.html for routes, 404 for missing assets, 403 for escapes', async () => {
    const page = await appResponse(root, 'app://kiosk/service/menu');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>kiosk</title>');
    expect((await appResponse(root, 'app://kiosk/assets/missing.js')).status).toBe(404);
    expect((await appResponse(root, 'app://kiosk/..%2f..%2fetc/passwd')).status).toBe(403);
  });
});
