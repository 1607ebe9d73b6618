/**
 * Settings that used to be accepted silently: certificate files that cannot be read or parsed, a
 * web shell off loopback, the development secrets with a real bank, a data folder that cannot be
 * written, and a device with only its path set.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../kiosk/config/load.js';
import { checkStartup } from '../../../kiosk/config/startup-checks.js';
import type { KioskConfig } from '../../../kiosk/config/schema.js';
import { useConfigDir } from './load.js';

const config = useConfigDir('kiosk-config-startup-');
const { load } = config;

/** the one-line ConfigError checkStartup stops with */
function refusal(c: KioskConfig): string {
  try {
    checkStartup(c);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected start-up to be refused');
}

const PROD = { KIOSK_BANK_URL: 'https://terminal-gw.bank.example' };
const SITE_SECRETS = { KIOSK_CARD_TOKEN_KEY: 'site-key-0123456789abcdef', KIOSK_SERVICE_TECHNICIAN_CODE: '804217' };

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

describe('bank certificate files', () => {
  it('a missing CA file, a missing client certificate or key, a file that is no PEM, and a key that is not the certificate\'s stop start-up', () => {
    const dir = config.dir;
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(dir, 'req', '-x509', ...ec, '-keyout', 'a.key', '-out', 'a.crt', '-days', '1', '-subj', '/CN=a');
    openssl(dir, 'req', '-x509', ...ec, '-keyout', 'b.key', '-out', 'b.crt', '-days', '1', '-subj', '/CN=b');
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate\n');
    writeFileSync(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');

    expect(refusal(load({ KIOSK_BANK_CA_FILE: 'missing-ca.pem' }))).toMatch(/^config error: bank\.caFile: cannot read .*missing-ca\.pem \(ENOENT\)$/);
    expect(refusal(load({ KIOSK_BANK_CA_FILE: 'junk.pem' }))).toMatch(/bank\.caFile: .*junk\.pem holds no PEM certificate/);
    expect(refusal(load({ KIOSK_BANK_CA_FILE: 'broken.pem' }))).toMatch(/bank\.caFile: certificate 1 in .*broken\.pem cannot be parsed/);
    expect(refusal(load({ KIOSK_BANK_CERT_FILE: 'missing.crt', KIOSK_BANK_KEY_FILE: 'a.key' }))).toMatch(/^config error: bank\.certFile: cannot read .*missing\.crt \(ENOENT\)$/);
    expect(refusal(load({ KIOSK_BANK_CERT_FILE: 'a.crt', KIOSK_BANK_KEY_FILE: 'missing.key' }))).toMatch(/bank\.keyFile: cannot read .*missing\.key \(ENOENT\)/);
    expect(refusal(load({ KIOSK_BANK_CERT_FILE: 'a.crt', KIOSK_BANK_KEY_FILE: 'junk.pem' }))).toMatch(/bank\.keyFile: .*junk\.pem is not a PEM private key/);
    expect(refusal(load({ KIOSK_BANK_CERT_FILE: 'a.crt', KIOSK_BANK_KEY_FILE: 'b.key' }))).toMatch(/bank\.keyFile: .*b\.key is not the key of the certificate in .*a\.crt/);
    expect(checkStartup(load({ KIOSK_BANK_CA_FILE: 'b.crt', KIOSK_BANK_CERT_FILE: 'a.crt', KIOSK_BANK_KEY_FILE: 'a.key' })).warnings).toHaveLength(2);
  });
});

describe('web shell host', () => {
  it('refuses 0.0.0.0 or any non-loopback address unless a reason is set, and then warns', () => {
    expect(refusal(load({ KIOSK_WEB_HOST: '0.0.0.0' }))).toMatch(/^config error: web\.host: "0\.0\.0\.0" is not loopback; .*KIOSK_WEB_NON_LOOPBACK_REASON/);
    expect(refusal(load({ KIOSK_WEB_HOST: '192.168.1.20' }))).toMatch(/web\.host/);
    const { warnings } = checkStartup(load({ KIOSK_WEB_HOST: '0.0.0.0', KIOSK_WEB_NON_LOOPBACK_REASON: 'service laptop on the cabinet LAN only' }));
    expect(warnings).toContain('web shell listens on 0.0.0.0 (not loopback): service laptop on the cabinet LAN only');
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(() => checkStartup(load({ KIOSK_WEB_HOST: host }))).not.toThrow();
  });
});

describe('development secrets', () => {
  it('stop start-up with a bank that is not on loopback', () => {
    expect(refusal(load(PROD))).toMatch(/card\.tokenKey is the development key; service\.technicianCode is the development code: not allowed with a bank that is not on loopback/);
    expect(refusal(load({ ...PROD, KIOSK_CARD_TOKEN_KEY: SITE_SECRETS.KIOSK_CARD_TOKEN_KEY }))).toMatch(/^config error: service\.technicianCode is the development code: not allowed/);
    expect(refusal(load({ ...PROD, KIOSK_SERVICE_TECHNICIAN_CODE: '804217' }))).toMatch(/^config error: card\.tokenKey is the development key: not allowed/);
    // the refusal never shows the secrets themselves
    expect(refusal(load(PROD))).not.toMatch(/123456|dev-only/);
    expect(checkStartup(load({ ...PROD, ...SITE_SECRETS })).warnings).toEqual([]);
  });

  it('are a warning with the local bank simulator', () => {
    const { warnings } = checkStartup(load());
    expect(warnings).toEqual([
      'card.tokenKey is the development key; change it before this terminal talks to a real bank',
      'service.technicianCode is the development code; change it before this terminal talks to a real bank',
    ]);
    expect(checkStartup(load(SITE_SECRETS)).warnings).toEqual([]);
  });
});

describe('service crew file', () => {
  const DEV_USERS = join(process.cwd(), 'config', 'service-users.dev.json');

  it('the development crew stops start-up with a real bank and is a warning with the simulator; a broken file stops start-up', () => {
    expect(refusal(load({ ...PROD, ...SITE_SECRETS, KIOSK_SERVICE_USERS_FILE: DEV_USERS }))).toMatch(
      /^config error: service\.usersFile holds the development crew \(T001, C001\): not allowed with a bank that is not on loopback/,
    );
    expect(checkStartup(load({ ...SITE_SECRETS, KIOSK_SERVICE_USERS_FILE: DEV_USERS })).warnings).toEqual([
      'service.usersFile holds the development crew (T001, C001); change it before this terminal talks to a real bank',
    ]);
    writeFileSync(join(config.dir, 'users.json'), JSON.stringify({ users: [{ id: 'T1', role: 'technician', pin: '1357' }] }));
    expect(refusal(load({ ...SITE_SECRETS, KIOSK_SERVICE_USERS_FILE: 'users.json' }))).toMatch(/^config error: service\.usersFile: .*users\.json: users\.0\.pin: /);
    expect(refusal(load({ ...SITE_SECRETS, KIOSK_SERVICE_USERS_FILE: 'none.json' }))).toMatch(/^config error: service\.usersFile: cannot read .*none\.json \(ENOENT\)$/);
  });
});

describe('data folder', () => {
  it('an impossible or unwritable folder stops start-up with one line', () => {
    expect(refusal(load({ ...SITE_SECRETS, KIOSK_DATA_DIR: '/proc/nope' }))).toMatch(/^config error: dataDir: cannot create \/proc\/nope \(ENOENT\)$/);
    writeFileSync(join(config.dir, 'a-file'), 'x');
    expect(refusal(load({ KIOSK_DATA_DIR: 'a-file/data' }))).toMatch(/^config error: dataDir: cannot create .*a-file\/data \(ENOTDIR\)$/);
    expect(refusal(load({ KIOSK_DATA_DIR: 'a-file' }))).toMatch(/dataDir: .*a-file is not a folder/);
    if (process.getuid?.() !== 0) {
      // root writes anywhere: the permission case only means something for the kiosk's own user
      mkdirSync(join(config.dir, 'locked'), { mode: 0o500 });
      chmodSync(join(config.dir, 'locked'), 0o500);
      expect(refusal(load({ KIOSK_DATA_DIR: 'locked' }))).toMatch(/dataDir: cannot write in .*locked \(EACCES\)/);
    }
  });
});

describe('device settings', () => {
  it('setting only the path keeps the default baud rate of each serial device', () => {
    const c = load({ KIOSK_DEVICES_CASH_ACCEPTOR_PATH: '/dev/kiosk-cash-acceptor', KIOSK_DEVICES_PRINTER_PATH: '/dev/kiosk-printer', KIOSK_DEVICES_DISPENSER_PATH: '/dev/kiosk-dispenser' });
    expect(c.devices.cashAcceptor).toEqual({ path: '/dev/kiosk-cash-acceptor', baudRate: 9600, protocol: 'ccnet' });
    expect(c.devices.printer).toEqual({ path: '/dev/kiosk-printer', baudRate: 19200, codePage: 'kz1048', escT: 53, dotWidth: 576 });
    expect(c.devices.dispenser).toMatchObject({ path: '/dev/kiosk-dispenser', baudRate: 9600, cassettesTenge: [5000, 10000] });
    expect(load({ KIOSK_DEVICES_PRINTER_BAUD_RATE: '115200' }).devices.printer.baudRate).toBe(115200);
  });
});
