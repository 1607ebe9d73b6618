/** Technician commands for the receipt printer (see scripts/device.ts). */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SerialTransport } from '../drivers/common/serial-transport.js';
import { EscPosPrinter } from '../drivers/printer/escpos-printer.js';
import type { PrinterStatus } from '../drivers/printer/receipt-printer.js';
import { printReceipt } from '../kiosk/receipt/print-receipt.js';
import type { ReceiptModel } from '../kiosk/receipt/receipt-model.js';
import { deviceConfig, kioskConfig, timeoutMs, withinSeconds } from './device-common.js';
import { withTimeout } from '../domain/async.js';

export const printerHelp = `printer <status|test-print> [--port PATH] [--baud N] [--paper 80mm|58mm] [--timeout S]
  status      online, cover, paper and error state
  test-print  print a sample receipt through the kiosk's receipt composer (marked TEST, no money)`;

/** a receipt that is plainly a test: no customer, no amount */
export function sampleReceipt(terminalId: string, now = new Date()): ReceiptModel {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  return {
    locale: 'en',
    bankName: 'PRINTER TEST',
    terminalId,
    address: 'Technician test print: not a payment document',
    dateTime: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    receiptNumber: `TEST-${stamp}`,
    operation: 'balance',
    amount: 0,
    commission: 0,
    total: 0,
    status: 'completed',
  };
}

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
    const model = sampleReceipt(kioskConfig().terminalId);
    const result = await withTimeout(printReceipt(driver, model, { paper: (values.paper as '80mm' | '58mm' | undefined) ?? '80mm' }), wait * 3, withinSeconds('test print did not finish'));
    if (!result.ok) throw new Error(`test print FAILED: ${result.failure}${result.detail ? ` (${result.detail})` : ''}`);
    console.log(`test print ok: receipt ${model.receiptNumber}`);
  } finally {
    await driver.close();
  }
}
