import { describe, expect, it } from 'vitest';
import { Screen, Snapshot } from '../../../kiosk/bridge/schema.js';
import { fixtureNames, fixtures } from '../../../renderer/src/fixtures/snapshots.js';

describe('gallery fixtures', () => {
  it('are valid snapshots under the bridge schema', () => {
    for (const name of fixtureNames) {
      const parsed = Snapshot.safeParse(fixtures[name]);
      expect(parsed.success, `${name}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
  });

  it('cover every screen, each under its own name', () => {
    for (const screen of Screen.options) {
      const own = (fixtures as Record<string, Snapshot>)[screen];
      expect(own?.screen, screen).toBe(screen);
    }
  });

  it('carry no card number, OTP or full phone number', () => {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(fixtures);
    expect(strings.filter((s) => /\d{13,19}/.test(s.replace(/[\s-]/g, '')))).toEqual([]);
    expect(strings.filter((s) => /\+7\d{10}/.test(s))).toEqual([]);
  });
});
