/** Technician commands for the receipt printer (see scripts/device.ts). */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SerialTransport } from '../drivers/common/serial-transport.js';
import { EscPosPrinter } from '../drivers/printer/escpos-printer.js';
import type { PrinterStatus } from '../drivers/printer/receipt-printer.js';
import { CODE_PAGE_LABEL, type CodePageProfile } from '../drivers/printer/code-page.js';
import { testReceiptToEscPos } from '../kiosk/receipt/test-receipt.js';
import { PAPER } from '../kiosk/receipt/receipt-layout.js';
import type { KioskConfig } from '../kiosk/config/schema.js';
import { deviceConfig, kioskConfig, timeoutMs, withinSeconds } from './device-common.js';
import { withTimeout } from '../domain/async.js';

export const printerHelp = `printer <status|test-print> [--port PATH] [--baud N] [--paper 80mm|58mm] [--timeout S]
  status      online, cover, paper and error state
  test-print  the test receipt service mode prints: a line in Kazakh (every Kazakh letter), Russian
              and English, a QR code, and the code page and ESC t number of devices.printer`;

/** the configured code page, and the dot width (--paper overrides devices.printer.dotWidth) */
export function testPrintSetup(cfg: KioskConfig['devices']['printer'], paper?: '80mm' | '58mm'): { codePage: CodePageProfile; dotWidth: number } {
  return { codePage: { name: cfg.codePage, escT: cfg.escT }, dotWidth: paper ? PAPER[paper].dots : cfg.dotWidth };
}

export const describeTestPrint = (s: { codePage: CodePageProfile; dotWidth: number }): string =>
  `test print ok: code page ${CODE_PAGE_LABEL[s.codePage.name]}, ESC t ${s.codePage.escT}, ${s.dotWidth} dots`;

export const describeStatus = (s: PrinterStatus): string =>
  `${s.online ? 'online' : 'OFFLINE'}, cover ${s.coverOpen ? 'OPEN' : 'closed'}, paper ${s.paper === 'ok' ? 'ok' : s.paper === 'nearEnd' ? 'NEAR END' : 'OUT'}${s.error ? ', ERROR' : ''}`;

export async function printer(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, baud: { type: 'string' }, paper: { type: 'string' }, timeout: { type: 'string' } },
  });
  if (command !== 'status' && command !== 'test-print') throw new Error(`unknown command "${command}"\n${printerHelp}`);
  if (values.paper !== undefined && values.paper !== '80mm' && values.paper !== '58mm') throw new Error('--paper must be 80mm or 58mm');
  const wait = timeoutMs(values.timeout, 10);
  const cfg = deviceConfig().printer;
  const path = values.port ?? cfg.path;
  if (!path) throw new Error('devices.printer: no port configured');
  if (!existsSync(path)) throw new Error(`printer not found: no serial port at ${path} (is the device simulator running, or is devices.printer.path right?)`);
  const baudRate = values.baud ? Number(values.baud) : cfg.baudRate;
  const driver = new EscPosPrinter({ transport: new SerialTransport({ path, baudRate }) });
  try {
    await withTimeout(driver.open(), wait, withinSeconds(`printer port ${path} did not open`));
    // the status poll is the first exchange: no answer means no printer on that port
    const s = await withTimeout(driver.refreshStatus(), wait, withinSeconds('no status reply')).catch((err: unknown) => {
      throw new Error(`printer on ${path} did not answer (check the port, baud rate ${baudRate}, cable and power): ${err instanceof Error ? err.message : String(err)}`);
    });
    console.log(`printer on ${path}: ${describeStatus(s)}`);
    if (command === 'status') return;
    const setup = testPrintSetup(cfg, values.paper as '80mm' | '58mm' | undefined);
    const job = testReceiptToEscPos({ terminalId: kioskConfig().terminalId, printedAt: new Date().toISOString() }, setup);
    const result = await withTimeout(driver.print(job), wait * 3, withinSeconds('test print did not finish'));
    if (!result.ok) throw new Error(`test print FAILED: ${result.failure}${result.detail ? ` (${result.detail})` : ''}`);
    console.log(describeTestPrint(setup));
  } finally {
    await driver.close();
  }
}
