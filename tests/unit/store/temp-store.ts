import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openKioskStore, type KioskStore } from '../../../kiosk/store/store.js';

/** a real SQLite store in a fresh temp directory, with a controllable clock */
export interface TempStore extends KioskStore {
  dir: string;
  clock: { ms: number };
  reopen(): TempStore;
  dispose(): void;
}

export function tempStore(terminalId = 'T-0001', dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-store-')), clock = { ms: Date.UTC(2026, 10, 25, 9, 0, 0) }): TempStore {
  const store = openKioskStore({ dataDir: dir, terminalId, now: () => new Date(clock.ms) });
  const self: TempStore = {
    ...store,
    dir,
    clock,
    reopen() {
      store.close();
      return tempStore(terminalId, dir, clock);
    },
    dispose() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

/**
 * Registers an afterEach that disposes every store the test made or tracked; call inside the
 * describe whose tests use it. `fresh` makes a store; `track` adds one made otherwise (a reopen).
 */
export function freshTempStores(): { fresh: () => TempStore; track: (s: TempStore) => void } {
  const stores: TempStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.dispose();
  });
  const track = (s: TempStore): void => {
    stores.push(s);
  };
  return {
    fresh: () => {
      const s = tempStore();
      track(s);
      return s;
    },
    track,
  };
}
