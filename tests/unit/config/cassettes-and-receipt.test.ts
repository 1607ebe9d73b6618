/**
 * The cassette denominations (whole tenge, one per cassette) and the receipt issuer keys: defaults,
 * file and environment, and the one-line errors a bad value stops start-up with; the goodbye screen's
 * duration.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configEnvNames } from '../../../kiosk/config/load.js';
import { useConfigDir } from './load.js';
import { cassetteDenominationsOf } from '../../../kiosk/runtime/devices.js';
import { sessionConfigFrom } from '../../../kiosk/runtime/session-runtime.js';

const config = useConfigDir('kiosk-config-cash-');
const { load, errorOf } = config;


describe('cassette denominations', () => {
  it('default to 5 000 and 10 000 tenge, as tiyn inside the kiosk', () => {
    const c = load();
    expect(c.devices.dispenser.cassettesTenge).toEqual([5000, 10000]);
    expect(c.devices.dispenser.cassetteCapacity).toBe(2500);
    expect(c.devices.dispenser.baudRate).toBe(9600);
    expect(cassetteDenominationsOf(c)).toEqual([500_000, 1_000_000]);
  });

  it('come from the environment as a comma list, and the withdrawal step follows them', () => {
    const c = load({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '2000, 20000', KIOSK_DEVICES_DISPENSER_CASSETTE_CAPACITY: '1800' });
    expect(cassetteDenominationsOf(c)).toEqual([200_000, 2_000_000]);
    expect(c.devices.dispenser.cassetteCapacity).toBe(1800);
    expect(c.devices.dispenser.baudRate).toBe(9600);
    expect(sessionConfigFrom(c, cassetteDenominationsOf(c)).withdrawal.multipleOf).toBe(200_000);
    expect(configEnvNames()).toEqual(expect.arrayContaining(['KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE', 'KIOSK_RECEIPT_BANK_NAME', 'KIOSK_RECEIPT_BANK_BIN']));
  });

  it('come from the file, the same denomination allowed in both cassettes', async () => {
    const file = join(config.dir, 'k.json');
    await writeFile(file, JSON.stringify({ devices: { dispenser: { path: '/dev/kiosk-dispenser', baudRate: 9600, cassettesTenge: [5000, 5000] } } }));
    expect(cassetteDenominationsOf(load({ KIOSK_CONFIG: file }))).toEqual([500_000, 500_000]);
  });

  it('stop start-up with one line for a value that is no tenge banknote, tiyn, a fraction or the wrong count', () => {
    const banknote = 'must be a tenge banknote in whole tenge (200, 500, 1000, 2000, 5000, 10000, 20000)';
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '5000,3000' })).toBe(
      `config error: devices.dispenser.cassettesTenge.1: ${banknote} (got 3000 from KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE)`,
    );
    // tiyn where tenge is meant
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '500000,1000000' })).toMatch(/cassettesTenge\.0: must be a tenge banknote/);
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '5000.5,10000' })).toMatch(/cassettesTenge\.0: must be a tenge banknote .*\(got "5000\.5"/);
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '5000' })).toMatch(/^config error: devices\.dispenser\.cassettesTenge: must be two tenge banknotes, upper then lower/);
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '5000,10000,20000' })).toMatch(/must be two tenge banknotes/);
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTE_CAPACITY: '0' })).toMatch(/cassetteCapacity: must be a number of notes 1-10000/);
    for (const m of [errorOf({ KIOSK_DEVICES_DISPENSER_CASSETTES_TENGE: '1,2' })]) expect(m.split('\n')).toHaveLength(1);
  });
});

describe('receipt issuer', () => {
  it('defaults to the name and address receipts carried before, without a BIN line', () => {
    expect(load().receipt).toEqual({ bankName: 'Bank', address: '' });
  });

  it('takes name, address and a checked BIN', () => {
    const r = load({ KIOSK_RECEIPT_BANK_NAME: 'Test Bank JSC', KIOSK_RECEIPT_ADDRESS: 'Almaty, Abay 1', KIOSK_RECEIPT_BANK_BIN: '080540000120' }).receipt;
    expect(r).toEqual({ bankName: 'Test Bank JSC', address: 'Almaty, Abay 1', bankBin: '080540000120' });
  });

  it('refuses a BIN with a wrong check digit, an IIN in its place, and an empty bank name', () => {
    const bin = 'must be a 12-digit BIN (5th digit 4-6, valid check digit)';
    expect(errorOf({ KIOSK_RECEIPT_BANK_BIN: '080540000121' })).toBe(`config error: receipt.bankBin: ${bin} (got "080540000121" from KIOSK_RECEIPT_BANK_BIN)`);
    expect(errorOf({ KIOSK_RECEIPT_BANK_BIN: '900101300017' })).toMatch(/receipt\.bankBin: must be a 12-digit BIN/);
    expect(errorOf({ KIOSK_RECEIPT_BANK_NAME: '' })).toMatch(/^config error: receipt\.bankName: must be the bank name/);
  });
});

describe('dispenser presenter', () => {
  it('defaults to a stock LCDM (no presenter); file and environment set it', async () => {
    expect(load().devices.dispenser.presenter).toBe(false);
    expect(load({ KIOSK_DEVICES_DISPENSER_PRESENTER: 'true' }).devices.dispenser.presenter).toBe(true);
    expect(configEnvNames()).toContain('KIOSK_DEVICES_DISPENSER_PRESENTER');
    const file = join(config.dir, 'kiosk.json');
    await writeFile(file, JSON.stringify({ devices: { dispenser: { presenter: true } } }));
    expect(load({ KIOSK_CONFIG: file }).devices.dispenser).toMatchObject({ presenter: true, baudRate: 9600, cassettesTenge: [5000, 10000] });
    expect(errorOf({ KIOSK_DEVICES_DISPENSER_PRESENTER: 'yes' })).toBe(
      'config error: devices.dispenser.presenter: must be true or false (got "yes" from KIOSK_DEVICES_DISPENSER_PRESENTER)',
    );
  });
});

describe('timeouts.goodbyeMs', () => {
  it('defaults to 4 s, comes from the environment into the session, and is bounded', () => {
    expect(sessionConfigFrom(load(), [500_000]).timeouts.goodbyeMs).toBe(4_000);
    expect(configEnvNames()).toContain('KIOSK_TIMEOUTS_GOODBYE_MS');
    expect(sessionConfigFrom(load({ KIOSK_TIMEOUTS_GOODBYE_MS: '1500' }), [500_000]).timeouts.goodbyeMs).toBe(1_500);
    expect(errorOf({ KIOSK_TIMEOUTS_GOODBYE_MS: '200' })).toMatch(/timeouts\.goodbyeMs/);
  });
});
