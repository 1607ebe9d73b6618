/**
 * The technician's non-device tools over real files and a real SQLite store: the configuration
 * view masks every secret by its key, the log export copies the core's log to the removable folder
 * and refuses (deleting the copy) one that holds a card number, track data or a code, the
 * out-of-service toggle is read back from the audit trail, and the dead-letter slip says what was
 * done in the terminal's language.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configView, MASKED, maskSecrets } from '../../../kiosk/service-mode/config-view.js';
import { exportLogs, findLeaks } from '../../../kiosk/service-mode/log-export.js';
import { outOfServiceState, requestedState } from '../../../kiosk/service-mode/out-of-service.js';
import { slipLines } from '../../../kiosk/service-mode/dead-letter-slip.js';
import { recordAuditIn } from '../../../kiosk/store/audit.js';
import { loadConfig } from '../../../kiosk/config/load.js';
import { tempStore } from '../store/temp-store.js';

let cleanup: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'svc-tools-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('configuration view', () => {
  it('masks keys, tokens, codes and hashes at any depth and keeps the rest', () => {
    const config = loadConfig({ env: { KIOSK_BRIDGE_TOKEN: 'bridge-token-0123456789', KIOSK_DATA_DIR: tempDir() } });
    const view = configView({ config, appVersion: '9.9.9', endpoints: {}, devices: {
      cashAcceptor: { protocol: 'ccnet' }, dispenser: { model: 'LCDM', presenter: false }, printer: { model: 'p' },
      cardReader: { model: 'c', motorised: false }, palm: { model: 'v' }, cabinet: { model: 'b' },
    } });
    const shown = view.config as typeof config;
    expect(shown.card.tokenKey).toBe(MASKED);
    expect(shown.service.technicianCode).toBe(MASKED);
    expect(shown.web.bridgeToken).toBe(MASKED);
    expect(shown.terminalId).toBe(config.terminalId);
    expect(JSON.stringify(view)).not.toContain('bridge-token-0123456789');
    expect(JSON.stringify(view)).not.toContain(config.card.tokenKey);
    expect(view.versions).toMatchObject({ app: '9.9.9', node: process.version });
    expect(maskSecrets({ users: [{ id: 'T1', pinHash: 'scrypt$abc' }], bank: { keyFile: '/etc/k.pem' } })).toEqual({ users: [{ id: 'T1', pinHash: MASKED }], bank: { keyFile: '/etc/k.pem' } });
  });
});

describe('log export', () => {
  it('copies the log to the export folder and checks the copy', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'kiosk.log');
    writeFileSync(log, '{"level":30,"msg":"kiosk core started"}\n{"level":30,"card":"440043******0015","otp":"[redacted]"}\n');
    const out = path.join(dir, 'usb');
    const r = await exportLogs({ logFile: log, exportDir: out, terminalId: 'KZ-1', now: new Date('2026-12-05T08:00:00Z') });
    expect(r).toMatchObject({ ok: true, outcome: 'written', lines: 2 });
    expect(readdirSync(out)).toEqual(['KZ-1-20261205T080000-kiosk.log']);
  });

  it('deletes a copy holding a PAN, track data or a code and names only kinds and lines', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'kiosk.log');
    writeFileSync(log, ['{"msg":"ok"}', '{"msg":"card 4400430000000015"}', '{"t":";4400430000000015=3012101"}', '{"otp":"482913"}'].join('\n'));
    const out = path.join(dir, 'usb');
    const r = await exportLogs({ logFile: log, exportDir: out, terminalId: 'KZ-1', now: new Date() });
    expect(r).toMatchObject({ ok: false, outcome: 'leakFound', leaks: [{ line: 2, kind: 'pan' }, { line: 3, kind: 'track' }, { line: 4, kind: 'otp' }] });
    expect(JSON.stringify(r)).not.toContain('4400430000000015');
    expect(readdirSync(out)).toEqual([]);
    expect(findLeaks('receipt KZ-1-20261205-000123, amount 1000000')).toEqual([]);
    // 1764921600003 passes Luhn: as pino's time it is no card, anywhere else it would be
    expect(findLeaks('{"level":30,"time":1764921600003,"msg":"x"}')).toEqual([]);
    expect(findLeaks('{"level":30,"n":1764921600003}')).toEqual([{ line: 1, kind: 'pan' }]);
  });

  it('answers noLogFile when the core keeps none', async () => {
    expect(await exportLogs({ exportDir: tempDir(), terminalId: 'KZ-1', now: new Date() })).toMatchObject({ ok: false, outcome: 'noLogFile' });
  });
});

describe('out-of-service toggle', () => {
  it('is the latest audit row, so a restart reads it back', () => {
    const s = tempStore('KZ-OOS-1');
    cleanup.push(() => s.dispose());
    expect(outOfServiceState(s.db)).toEqual({ on: false });
    s.db.transaction(() => recordAuditIn(s.db, 'T001', 'outOfService', { on: true }, new Date('2026-12-05T08:00:00Z')))();
    // service-mode.ts audits every action after it ran: that row, with the same name, is not the toggle
    s.db.transaction(() => recordAuditIn(s.db, 'T001', 'outOfService', { params: { on: 1 }, ok: true }, new Date('2026-12-05T08:00:01Z')))();
    expect(outOfServiceState(s.db)).toEqual({ on: true, by: 'T001', at: '2026-12-05T08:00:00.000Z' });
    s.db.transaction(() => recordAuditIn(s.db, 'T002', 'outOfService', { on: false }, new Date('2026-12-05T09:00:00Z')))();
    expect(outOfServiceState(s.db)).toMatchObject({ on: false, by: 'T002' });
    expect([requestedState({ on: 1 }), requestedState({ on: '0' }), requestedState({ on: 2 }), requestedState(undefined)]).toEqual([true, false, undefined, undefined]);
  });
});

describe('dead-letter slip', () => {
  it('lists the message and every resolution with its comment, in the chosen language', () => {
    const lines = slipLines({
      terminalId: 'KZ-1',
      letter: { key: 'm-1', kind: 'cashIn', receiptNumber: 'KZ-1-20261205-000007', amount: 1_500_050, reason: 'account closed' },
      resolutions: [{ resolution: 'closed', who: 'T001', at: '2026-12-05T08:10:00.000Z', comment: 'Refunded to the customer in branch 12' }],
      locale: 'ru',
      now: new Date('2026-12-05T08:20:00Z'),
    });
    expect(lines[0]).toBe('НЕДОСТАВЛЕННОЕ СООБЩЕНИЕ');
    expect(lines).toContain('Сумма: 15000.50 KZT');
    expect(lines).toContain('2026-12-05 08:10:00 T001: Закрыто');
    expect(lines).toContain('Refunded to the customer in branch 12');
    expect(lines.every((l) => l.length <= 48)).toBe(true);
  });
});
