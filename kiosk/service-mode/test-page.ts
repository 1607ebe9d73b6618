/**
 * The printer test page: who and when, and a line of each language's own letters, so the
 * technician sees at a glance that the code page prints Kazakh and Russian correctly.
 */
import type { ReceiptPrinter } from '../../drivers/printer/receipt-printer.js';
import { printSlip } from './dead-letter-slip.js';
import type { PrintOutcome } from './service-receipts.js';

export function testPageLines(input: { terminalId: string; who: string; now: Date }): string[] {
  return [
    'TEST PRINT / СЫНАҚ БАСЫП ШЫҒАРУ / ТЕСТОВАЯ ПЕЧАТЬ',
    `Terminal: ${input.terminalId}`,
    `By: ${input.who}`,
    `At: ${input.now.toISOString().slice(0, 19).replace('T', ' ')}`,
    'kk: ӘәҒғҚқҢңӨөҰұҮүҺһІі',
    'ru: АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ',
    'en: ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789',
    '-'.repeat(48),
  ];
}

export function printTestPage(printer: ReceiptPrinter, input: { terminalId: string; who: string; now: Date }): Promise<PrintOutcome> {
  return printSlip(printer, testPageLines(input));
}
