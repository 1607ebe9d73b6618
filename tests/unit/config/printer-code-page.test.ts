/**
 * devices.printer.codePage / escT / dotWidth: the table named by what it is, this model's ESC t
 * number for it (Epson's by default, reference escpos.md §2), and the head's dot width.
 */
import { describe, expect, it } from 'vitest';
import { configEnvNames } from '../../../kiosk/config/load.js';
import { useConfigDir } from './load.js';

const { load, errorOf } = useConfigDir('kiosk-config-printer-');

describe('printer code page config', () => {
  it('defaults to KZ-1048 under Epson number 53 on a 576-dot head', () => {
    const p = load().devices.printer;
    expect(p).toMatchObject({ codePage: 'kz1048', escT: 53, dotWidth: 576, baudRate: 19200 });
    expect(configEnvNames()).toEqual(expect.arrayContaining(['KIOSK_DEVICES_PRINTER_CODE_PAGE', 'KIOSK_DEVICES_PRINTER_ESC_T', 'KIOSK_DEVICES_PRINTER_DOT_WIDTH']));
  });

  it('takes Epson\'s number for the named table unless the model\'s own is given', () => {
    expect(load({ KIOSK_DEVICES_PRINTER_CODE_PAGE: 'cp866' }).devices.printer.escT).toBe(17);
    expect(load({ KIOSK_DEVICES_PRINTER_CODE_PAGE: 'wpc1251' }).devices.printer.escT).toBe(46);
    // Xprinter firmware: WPC1251 is 23 (reference §2)
    expect(load({ KIOSK_DEVICES_PRINTER_CODE_PAGE: 'wpc1251', KIOSK_DEVICES_PRINTER_ESC_T: '23' }).devices.printer).toMatchObject({ codePage: 'wpc1251', escT: 23 });
    expect(load({ KIOSK_DEVICES_PRINTER_DOT_WIDTH: '384' }).devices.printer.dotWidth).toBe(384);
  });

  it('refuses a table by vendor number, an ESC t number out of a byte and a dot width off the byte grid', () => {
    expect(errorOf({ KIOSK_DEVICES_PRINTER_CODE_PAGE: '53' })).toMatch(/: devices\.printer\.codePage: must be one of kz1048, cp866, wpc1251/);
    expect(errorOf({ KIOSK_DEVICES_PRINTER_ESC_T: '256' })).toMatch(/: devices\.printer\.escT: must be an ESC t number 0-255/);
    expect(errorOf({ KIOSK_DEVICES_PRINTER_DOT_WIDTH: '580' })).toMatch(/: devices\.printer\.dotWidth: must be a multiple of 8 dots/);
  });
});
