import { describe, expect, it } from 'vitest';
import { PrintMechanism } from '../../../simulators/devices/printer/print-mechanism.js';
import { concatBytes, cut, initialize, selectCodePage, statusRequest, textLine, bold, align, size } from '../../../drivers/printer/escpos-commands.js';
import { EPSON_CODE_PAGES } from '../../../drivers/printer/code-page.js';
import { receiptSvg } from '../../../simulators/devices/printer/receipt-svg.js';
import { ReceiptModel } from '../../../kiosk/receipt/receipt-model.js';
import { receiptToEscPos } from '../../../kiosk/receipt/receipt-escpos.js';

const kz = EPSON_CODE_PAGES.kz1048;
const job = (...lines: string[]): Uint8Array =>
  concatBytes([initialize(), selectCodePage(kz), ...lines.map((l) => textLine(l, kz)), cut('full', 3)]);

describe('emulated print mechanism', () => {
  it('prints lines in the selected page with their styles, and cuts', () => {
    const m = new PrintMechanism(() => new Date('2026-11-25T10:00:00Z'));
    m.receive(concatBytes([initialize(), selectCodePage(kz), align('center'), bold(true), size(1, 2), textLine('Қазақстан', kz), bold(false), size(1, 1), align('left'), textLine('Сома 100', kz), cut()]));
    expect(m.receipts).toHaveLength(1);
    const r = m.receipts[0]!;
    expect(r.lines).toEqual(['Қазақстан', 'Сома 100']);
    expect(r.items[0]).toEqual({ kind: 'line', text: 'Қазақстан', bold: true, align: 'center', width: 1, height: 2 });
    expect(r).toMatchObject({ cut: true, truncated: false, time: '2026-11-25T10:00:00.000Z' });
  });

  it('ESC d n prints the line and feeds blank lines', () => {
    const m = new PrintMechanism();
    m.receive(concatBytes([initialize(), Uint8Array.of(0x41, 0x1b, 0x64, 0x03, 0x42, 0x0a), cut()]));
    expect(m.receipts[0]!.lines).toEqual(['A', '', '', 'B']);
  });

  it('answers DLE EOT from its sensors', () => {
    const m = new PrintMechanism();
    expect(m.receive(Uint8Array.of(0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04))).toEqual([0x12, 0x12, 0x12, 0x12]);
    m.sensors.coverOpen = true;
    expect(m.receive(concatBytes([statusRequest(1), statusRequest(2)]))).toEqual([0x1a, 0x16]);
    m.sensors.coverOpen = false;
    m.sensors.paperOut = true;
    m.sensors.nearEnd = true;
    expect(m.receive(concatBytes([statusRequest(1), statusRequest(2), statusRequest(4)]))).toEqual([0x1a, 0x32, 0x7e]);
  });

  it('runs out of paper mid-job: keeps what was printed, marks it truncated, prints nothing more', () => {
    const m = new PrintMechanism();
    m.linesLeft = 2;
    m.receive(job('one', 'two', 'three', 'four'));
    expect(m.receipts).toHaveLength(1);
    expect(m.receipts[0]).toMatchObject({ lines: ['one', 'two'], cut: false, truncated: true });
    expect(m.sensors.paperOut).toBe(true);
    m.receive(job('lost'));
    expect(m.receipts).toHaveLength(1);
    m.loadPaper();
    m.receive(job('after reload'));
    expect(m.receipts[1]).toMatchObject({ lines: ['after reload'], cut: true });
  });

  it('a printer without native QR skips GS ( k but prints the raster fallback', () => {
    const model = ReceiptModel.parse({
      locale: 'en', bankName: 'Bank', terminalId: 'T1', address: '', dateTime: '2026-11-25T10:00:00+05:00',
      receiptNumber: 'R-7', operation: 'cashIn', amount: 100, commission: 0, total: 100, status: 'completed',
    });
    const m = new PrintMechanism(undefined, { nativeQr: false });
    m.receive(receiptToEscPos(model));
    m.receive(receiptToEscPos(model, { qr: 'raster' }));
    expect(m.receipts[0]!.qr).toEqual([]);
    expect(m.receipts[0]!.items.some((i) => i.kind === 'image')).toBe(false);
    expect(m.receipts[1]!.items.some((i) => i.kind === 'image')).toBe(true);
    expect(m.receipts[1]!.lines).toEqual(m.receipts[0]!.lines);
  });

  it('prints nothing with the cover open', () => {
    const m = new PrintMechanism();
    m.sensors.coverOpen = true;
    m.receive(job('nothing'));
    expect(m.receipts).toHaveLength(0);
  });

  it('draws a receipt as SVG with escaped text', () => {
    const m = new PrintMechanism();
    m.receive(job('<Банк & Co>'));
    const svg = receiptSvg(m.receipts[0]!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('&lt;Банк\u00a0&amp;\u00a0Co&gt;');
  });
});
