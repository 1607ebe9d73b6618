/**
 * The preload is bundled to CommonJS the way `npm run build:preload` does it, then run in a fresh
 * script context with only a fake `require('electron')`, as Electron's sandbox runs it.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;

async function bundle(): Promise<string> {
  const result = await build({ entryPoints: ['main/preload.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false });
  return result.outputFiles[0]!.text;
}

async function load() {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const ipcRenderer = {
    send: vi.fn(),
    on: vi.fn((channel: string, l: (...args: unknown[]) => void) => listeners.set(channel, l)),
    removeListener: vi.fn((channel: string) => listeners.delete(channel)),
  };
  const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => (exposed[key] = api)) };
  const required: string[] = [];
  const require = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`sandboxed preload cannot require ${name}`);
    return { contextBridge, ipcRenderer };
  };
  const module = { exports: {} };
  runInNewContext(await bundle(), { require, module, exports: module.exports, JSON });
  return { exposed, ipcRenderer, listeners, required };
}

describe('preload', () => {
  it('is built by build:preload as a CommonJS bundle', () => {
    expect(scripts['build:preload']).toMatch(/esbuild main\/preload\.ts --bundle .*--format=cjs .*--external:electron/);
    expect(scripts.build).toContain('build:preload');
  });

  it('runs as a plain script needing only electron, and exposes window.kiosk', async () => {
    const { exposed, required } = await load();
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['kiosk']);
    expect(Object.keys(exposed.kiosk as object).sort()).toEqual(['onMessage', 'send']);
  });

  it('send() forwards plain data on the intent channel', async () => {
    const { exposed, ipcRenderer } = await load();
    const api = exposed.kiosk as { send(m: unknown): void };
    api.send({ type: 'intent', intent: { name: 'start' } });
    expect(ipcRenderer.send).toHaveBeenCalledWith('kiosk:intent', { type: 'intent', intent: { name: 'start' } });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    api.send(circular);
    expect(ipcRenderer.send).toHaveBeenCalledTimes(1);
  });

  it('onMessage() hands the page the message only, never the IPC event, and unsubscribes', async () => {
    const { exposed, listeners, ipcRenderer } = await load();
    const api = exposed.kiosk as { onMessage(cb: (m: unknown) => void): () => void };
    const got: unknown[][] = [];
    const off = api.onMessage((...args: unknown[]) => got.push(args));
    listeners.get('kiosk:message')?.({ sender: 'secret ipc event' }, { type: 'hello', protocol: 1 });
    expect(got).toEqual([[{ type: 'hello', protocol: 1 }]]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('kiosk:message', expect.any(Function));
    expect(listeners.has('kiosk:message')).toBe(false);
  });
});
