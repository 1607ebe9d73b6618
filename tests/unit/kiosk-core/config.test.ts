import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configEnvNames } from '../../../kiosk/config/load.js';
import { useConfigDir } from '../config/load.js';
import { DEV_CARD_TOKEN_KEY } from '../../../drivers/card-reader/pan-token.js';

const config = useConfigDir('kiosk-config-');
const { load, errorOf } = config;


describe('config defaults', () => {
  it('runs on a fresh machine with no file and no environment', () => {
    const c = load();
    expect(c.terminalId).toMatch(/^[A-Za-z0-9-]+$/);
    expect(c.dataDir).toBe(join(config.dir, 'data'));
    expect(c.web).toMatchObject({ host: '127.0.0.1', port: 7300 });
    expect(c.web.bridgeToken).toBeUndefined();
    expect(c.bank.url).toBe('http://127.0.0.1:7070');
    expect(c.locale).toBe('ru');
    expect(c.card.tokenKey).toBe(DEV_CARD_TOKEN_KEY);
    expect(c.service.technicianCode).toMatch(/^[0-9]{4,8}$/);
    expect(Number.isInteger(c.offline.perPaymentTiyn)).toBe(true);
    expect(c.offline.perPaymentTiyn).toBeLessThanOrEqual(c.offline.totalTiyn);
  });

  it('points every device at the simulators run folder under dataDir', () => {
    const c = load({ KIOSK_DATA_DIR: 'var/kiosk' });
    const run = join(config.dir, 'var', 'kiosk', 'run');
    expect(c.devices.cashAcceptor).toEqual({ path: join(run, 'cash-acceptor.tty'), baudRate: 9600, protocol: 'ccnet' });
    expect(c.devices.dispenser.path).toBe(join(run, 'dispenser.tty'));
    expect(c.devices.printer.path).toBe(join(run, 'printer.tty'));
    expect(c.devices.cardReader).toEqual({ transport: 'socket', path: join(run, 'card-reader.sock') });
    expect(c.devices.palm.path).toBe(join(run, 'palm.sock'));
    expect(c.devices.cabinet.path).toBe(join(run, 'cabinet.sock'));
  });
});

describe('config file and environment', () => {
  it('reads config/kiosk.json when present, and the environment wins over it', async () => {
    await mkdir(join(config.dir, 'config'));
    await writeFile(join(config.dir, 'config', 'kiosk.json'), JSON.stringify({ terminalId: 'ALA-0042', web: { port: 8000 }, locale: 'kk' }));
    const c = load({ KIOSK_WEB_PORT: '8100' });
    expect(c.terminalId).toBe('ALA-0042');
    expect(c.locale).toBe('kk');
    expect(c.web.port).toBe(8100);
  });

  it('reads the file named by KIOSK_CONFIG', async () => {
    const file = join(config.dir, 'site.json');
    await writeFile(file, JSON.stringify({ devices: { cardReader: { transport: 'hid', vendorId: 0x0801, productId: 0x0002 } } }));
    const c = load({ KIOSK_CONFIG: file });
    expect(c.devices.cardReader).toEqual({ transport: 'hid', vendorId: 0x0801, productId: 0x0002 });
  });

  it('takes the bridge token from KIOSK_BRIDGE_TOKEN and lists origins from a comma list', () => {
    const c = load({ KIOSK_BRIDGE_TOKEN: 'a-fixed-token-for-tests', KIOSK_WEB_ALLOWED_ORIGINS: 'http://127.0.0.1:5173, http://localhost:5173' });
    expect(c.web.bridgeToken).toBe('a-fixed-token-for-tests');
    expect(c.web.allowedOrigins).toEqual(['http://127.0.0.1:5173', 'http://localhost:5173']);
  });

  it('accepts https for a remote bank', () => {
    expect(load({ KIOSK_BANK_URL: 'https://gateway.bank.kz/terminal' }).bank.url).toBe('https://gateway.bank.kz/terminal');
  });

  it('derives one variable per key from the schema', () => {
    const names = configEnvNames();
    for (const n of ['KIOSK_WEB_PORT', 'KIOSK_BANK_URL', 'KIOSK_DEVICES_CASH_ACCEPTOR_PATH', 'KIOSK_OFFLINE_TOTAL_TIYN', 'KIOSK_CARD_TOKEN_KEY', 'KIOSK_BRIDGE_TOKEN']) {
      expect(names).toContain(n);
    }
  });
});

describe('config errors: one line naming the key', () => {
  it('picks the bill acceptor protocol, keeping the baud rate, and names a wrong one', () => {
    expect(load({ KIOSK_DEVICES_CASH_ACCEPTOR_PROTOCOL: 'id003' }).devices.cashAcceptor).toMatchObject({ protocol: 'id003', baudRate: 9600 });
    expect(errorOf({ KIOSK_DEVICES_CASH_ACCEPTOR_PROTOCOL: 'ebds' })).toBe(
      'config error: devices.cashAcceptor.protocol: must be "ccnet" or "id003" (got "ebds" from KIOSK_DEVICES_CASH_ACCEPTOR_PROTOCOL)',
    );
  });

  it('names a bad port with the value seen', () => {
    expect(errorOf({ KIOSK_WEB_PORT: 'abc' })).toBe('config error: web.port: must be an integer 1-65535 (got "abc" from KIOSK_WEB_PORT)');
    expect(errorOf({ KIOSK_WEB_PORT: '0' })).toMatch(/^config error: web\.port: must be an integer 1-65535 \(got 0/);
  });

  it('rejects an unknown key in the file', async () => {
    const file = join(config.dir, 'k.json');
    await writeFile(file, JSON.stringify({ web: { prot: 7300 } }));
    expect(errorOf({ KIOSK_CONFIG: file })).toBe('config error: web.prot: unknown key');
  });

  it('rejects an unknown KIOSK_ variable', () => {
    expect(errorOf({ KIOSK_WEB_PROT: '1' })).toBe('config error: KIOSK_WEB_PROT: unknown environment variable (no such config key)');
  });

  it('refuses plain http to a bank that is not on loopback', () => {
    expect(errorOf({ KIOSK_BANK_URL: 'http://bank.example.kz' })).toMatch(/^config error: bank\.url: plain http is allowed only on loopback/);
  });

  it('refuses fractional money', () => {
    expect(errorOf({ KIOSK_OFFLINE_PER_PAYMENT_TIYN: '10.5' })).toMatch(/^config error: offline\.perPaymentTiyn: must be a whole number of tiyn/);
  });

  it('refuses a per-payment cap above the total cap', () => {
    expect(errorOf({ KIOSK_OFFLINE_PER_PAYMENT_TIYN: '200', KIOSK_OFFLINE_TOTAL_TIYN: '100' })).toMatch(/offline\.perPaymentTiyn: perPaymentTiyn must not exceed totalTiyn/);
  });

  it('needs a path or vid/pid for a hid device', () => {
    expect(errorOf({ KIOSK_DEVICES_PALM_TRANSPORT: 'hid' })).toMatch(/^config error: devices\.palm\.transport: hid needs a path or both vendorId and productId/);
  });

  it('never echoes a secret value', () => {
    const message = errorOf({ KIOSK_SERVICE_TECHNICIAN_CODE: '12ab99' });
    expect(message).toBe('config error: service.technicianCode: must be 4-8 digits (got <hidden> from KIOSK_SERVICE_TECHNICIAN_CODE)');
    expect(message).not.toContain('12ab99');
  });

  it('reports invalid JSON and a missing file', async () => {
    const file = join(config.dir, 'bad.json');
    await writeFile(file, '{ "web": ');
    expect(errorOf({ KIOSK_CONFIG: file })).toMatch(/^config error: .*bad\.json: invalid JSON/);
    expect(errorOf({ KIOSK_CONFIG: join(config.dir, 'missing.json') })).toMatch(/^config error: KIOSK_CONFIG: cannot read file \(ENOENT\)/);
  });

  it('keeps every message on one line', async () => {
    const file = join(config.dir, 'many.json');
    await writeFile(file, JSON.stringify({ web: { port: -1, host: '' }, locale: 'de', extra: true }));
    const message = errorOf({ KIOSK_CONFIG: file });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^config error: /);
  });
});
