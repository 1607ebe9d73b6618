/** What the technician's tools print: nothing of a card but its masked PAN, nothing of a palm but a length. */
import { describe, expect, it } from 'vitest';
import { describeCapture } from '../../../scripts/device-palm.js';
import { describeSwipe } from '../../../scripts/device-card.js';
import { describeStatus, describeTestPrint, testPrintSetup } from '../../../scripts/device-printer.js';
import { describeCabinet } from '../../../scripts/device-cabinet.js';
import { timeoutMs } from '../../../scripts/device-common.js';

describe('device tool output', () => {
  it('palm: the outcome and length, and the template is zeroed', () => {
    const template = Uint8Array.from({ length: 512 }, (_, i) => (i % 255) + 1);
    expect(describeCapture({ kind: 'template', template })).toBe('capture ok: template of 512 bytes');
    expect(template.every((b) => b === 0)).toBe(true);
    expect(describeCapture({ kind: 'liveness' })).toMatch(/liveness/);
    expect(describeCapture({ kind: 'error', message: 'sensor fault' })).toBe('capture failed: sensor fault');
  });

  it('card: the masked PAN only', () => {
    const line = describeSwipe({ card: { maskedPan: '440043******0015', panToken: 'tok-secret', expiry: '3012', holderName: 'SEITKALI/AIGERIM' } });
    expect(line).toBe('card read: 440043******0015');
    expect(describeSwipe({ error: 'badLrc' })).toBe('card not read: badLrc');
  });

  it('printer: the test print uses the configured code page and number, --paper sets the width', () => {
    const cfg = { path: '/dev/x', baudRate: 19200, codePage: 'wpc1251' as const, escT: 23, dotWidth: 512 };
    expect(describeTestPrint(testPrintSetup(cfg))).toBe('test print ok: code page WPC1251, ESC t 23, 512 dots');
    expect(testPrintSetup(cfg, '58mm').dotWidth).toBe(384);
    expect(describeStatus({ link: 'online', online: true, coverOpen: false, paper: 'nearEnd', error: false })).toBe('online, cover closed, paper NEAR END');
  });

  it('cabinet: unknown until the board reports', () => {
    expect(describeCabinet({ link: 'online' })).toBe('service switch unknown, safe door unknown');
    expect(describeCabinet({ link: 'online', serviceSwitchOpen: true, safeDoorOpen: false })).toBe('service switch OPEN, safe door closed');
  });

  it('timeouts: seconds in, milliseconds out, nonsense refused', () => {
    expect(timeoutMs(undefined, 30)).toBe(30_000);
    expect(timeoutMs('1.5', 30)).toBe(1_500);
    expect(() => timeoutMs('0', 30)).toThrow(/1-3600/);
    expect(() => timeoutMs('x', 30)).toThrow(/1-3600/);
  });
});
