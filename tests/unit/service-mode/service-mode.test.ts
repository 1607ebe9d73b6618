/**
 * Service mode's entry actions over a real SQLite store (temp file): receipt look-up by the typed
 * number and its marked copy, collection with counted notes and discrepancies, replenishment with
 * validation. The printer decodes what it is sent with the printer emulator's own mechanism, so a
 * copy is checked on "paper".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceModeView } from '../../../kiosk/bridge/schema.js';
import { serviceMode } from '../../../kiosk/service-mode/service-mode.js';
import type { KioskDevices } from '../../../kiosk/runtime/devices.js';
import { listAudit } from '../../../kiosk/store/audit.js';
import { checkCounters, readCounters } from '../../../kiosk/store/counters.js';
import { iterateJournal } from '../../../kiosk/store/journal.js';
import { TypedEmitter } from '../../../domain/typed-emitter.js';
import type { PrintResult, PrinterStatus, ReceiptPrinter, ReceiptPrinterEvents } from '../../../drivers/printer/receipt-printer.js';
import { PrintMechanism } from '../../../simulators/devices/printer/print-mechanism.js';
import { FakeAcceptor, FakeDispenser } from '../session/fakes.js';
import { tempStore, type TempStore } from '../store/temp-store.js';
import { beginReceiptPrint, endReceiptPrint } from '../../../kiosk/store/receipt-prints.js';
import { settleLostReceipts } from '../../../kiosk/recovery/lost-receipts.js';

const T = (tenge: number): number => tenge * 100;

/** a printer whose paper is the emulator's print mechanism; paper can run out */
class PaperPrinter extends TypedEmitter<ReceiptPrinterEvents> implements ReceiptPrinter {
  readonly paper = new PrintMechanism(() => new Date(Date.UTC(2026, 10, 25, 10, 0, 0)));
  out = false;
  async open() {}
  async close() {}
  status(): PrinterStatus {
    return { link: 'online', online: true, coverOpen: false, paper: this.out ? 'out' : 'ok', error: false };
  }
  async refreshStatus() {
    return this.status();
  }
  async print(job: Uint8Array): Promise<PrintResult> {
    this.paper.receive(job);
    return { ok: true };
  }
}

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.dispose();
  stores = [];
});

async function rig() {
  const s = tempStore('KZ-ALA-0042');
  stores.push(s);
  const printer = new PaperPrinter();
  const log: string[] = [];
  const cabinet = { status: () => ({ serviceSwitchOpen: true }) };
  const devices = { cashAcceptor: new FakeAcceptor(log), dispenser: new FakeDispenser(log), printer, cabinet, cassetteDenominations: [T(2000), T(20000)] } as unknown as KioskDevices;
  const port = serviceMode({
    technicianCode: '246810',
    store: s.money,
    db: s.db,
    devices,
    site: { bankName: 'Test Bank', terminalId: 'KZ-ALA-0042', address: 'Almaty, Abay 1', bankBin: '080540000120' },
    locale: 'en',
    cassetteCapacity: 500,
    testPrint: async () => ({ ok: true }),
    now: () => new Date(Date.UTC(2026, 10, 26, 8, 15, 0)),
  });
  const cashIn = (notes: number[]): string => {
    const { cashInId } = s.money.beginCashIn({ sessionId: `s-${notes.join('-')}`, target: { kind: 'account', customerId: 'c-1', productId: 'p-1', label: 'Current *0101' } });
    for (const d of notes) {
      s.money.recordStacked(cashInId, s.money.recordStackIntent(cashInId, d));
    }
    const r = s.money.endCashIn(cashInId, { commission: 0 });
    if (!r.receiptNumber) throw new Error('cash-in without a receipt');
    return r.receiptNumber;
  };
  // the shared development code opens both roles' actions
  expect(await port.login('246810')).toMatchObject({ ok: true, technician: 'technician' });
  const audit = (): Array<Record<string, unknown>> => listAudit(s.db).reverse().filter((a) => a.action !== 'serviceLogin').map((a) => ({ action: a.action, ...a.details }));
  return { s, printer, port, cashIn, audit };
}

describe('receipt look-up', () => {
  it('asks for the number, then shows the receipt as it reads on paper, found by its sequence digits', async () => {
    const { port, cashIn } = await rig();
    const number = cashIn([T(1000), T(2000)]);
    expect(number).toMatch(/^KZ-ALA-0042-\d{8}-000001$/);

    expect(await port.perform('technician', 'lookupReceipt')).toEqual({ action: 'lookupReceipt', stage: 'enter' });
    for (const typed of ['1', '000001', number.slice(-15).replace('-', ''), number]) {
      const view = await port.perform('technician', 'lookupReceipt', { receiptNumber: typed, locale: 'ru' });
      expect(view, typed).toMatchObject({ action: 'lookupReceipt', stage: 'found', receiptNumber: number, operation: 'cashIn', printerUsable: true });
      const lines = (view as { lines: string[] }).lines;
      expect(lines[0]?.trim()).toBe('Test Bank');
      expect(lines.join('\n')).toContain('БИН 080540000120');
      expect(lines.join('\n')).toContain('Чек №');
      expect(lines.join('\n')).toContain('3 000,00 ₸');
      expect(lines.join('\n')).not.toMatch(/КОПИЯ/);
    }
  });

  it('answers an unknown or malformed number with a refusal, audited, never a crash', async () => {
    const { port, cashIn, audit } = await rig();
    cashIn([T(500)]);
    expect(await port.perform('technician', 'lookupReceipt', { receiptNumber: '999' })).toEqual({
      action: 'lookupReceipt', stage: 'enter', typed: '999', refusal: { code: 'unknownReceipt' },
    });
    expect(await port.perform('technician', 'lookupReceipt', { receiptNumber: '12 34' })).toMatchObject({ stage: 'enter', refusal: { code: 'badNumber' } });
    expect(await port.perform('technician', 'printReceiptCopy', { receiptNumber: '999' })).toMatchObject({ stage: 'enter', refusal: { code: 'unknownReceipt' } });
    expect(audit().slice(-3)).toEqual([
      expect.objectContaining({ action: 'lookupReceipt', ok: false, refusal: { code: 'unknownReceipt' } }),
      expect.objectContaining({ action: 'lookupReceipt', ok: false, refusal: { code: 'badNumber' } }),
      expect.objectContaining({ action: 'printReceiptCopy', ok: false, refusal: { code: 'unknownReceipt' } }),
    ]);
  });

  it('prints a copy marked as one on paper, and journals and audits the reprint', async () => {
    const { s, port, printer, cashIn, audit } = await rig();
    const number = cashIn([T(5000)]);
    const view = await port.perform('technician', 'printReceiptCopy', { receiptNumber: number, locale: 'en' });
    expect(view).toMatchObject({ action: 'lookupReceipt', stage: 'found', receiptNumber: number, copy: { printed: true } });
    const paper = printer.paper.receipts.at(-1);
    expect(paper?.lines[0]?.trim()).toBe('COPY (DUPLICATE)');
    expect(paper?.lines.join('\n')).toContain('Copy printed 26.11.2026 08:15:00');
    expect(paper?.lines.join('\n')).toContain(number);
    const entry = [...iterateJournal(s.db)].find((e) => e.type === 'receiptCopy');
    expect(entry?.payload).toEqual({ ofReceipt: number, who: 'technician', printed: true });
    expect(audit()).toContainEqual(expect.objectContaining({ action: 'receiptCopy', receiptNumber: number, printed: true }));
    expect(audit().at(-1)).toMatchObject({ action: 'printReceiptCopy', ok: true });

    // no paper: nothing "printed", and the failed reprint is on record too
    printer.out = true;
    const failed = await port.perform('technician', 'printReceiptCopy', { receiptNumber: number });
    expect(failed).toMatchObject({ copy: { printed: false, failure: 'printerUnavailable' }, printerUsable: false });
    expect(printer.paper.receipts).toHaveLength(1);
    expect([...iterateJournal(s.db)].filter((e) => e.type === 'receiptCopy').map((e) => e.payload.printed)).toEqual([true, false]);
  });
});

describe('lost receipts', () => {
  it('lists a print the core died in and a failed print, with the SMS sent instead; a reprinted copy settles it', async () => {
    const { s, port, printer, cashIn, audit } = await rig();
    const lost = cashIn([T(2000)]);
    const failed = cashIn([T(1000)]);
    const fine = cashIn([T(500)]);
    const at = new Date(Date.UTC(2026, 10, 26, 8, 0, 0));
    beginReceiptPrint(s.db, { receiptNumber: lost, locale: 'ru', phone: '+77011234567' }, at);
    settleLostReceipts({ db: s.db, store: s.money, smsText: () => 'receipt text', now: () => at });
    endReceiptPrint(s.db, beginReceiptPrint(s.db, { receiptNumber: failed, locale: 'ru' }, at), { ok: false, failure: 'paperOut' }, at);
    endReceiptPrint(s.db, beginReceiptPrint(s.db, { receiptNumber: fine, locale: 'ru' }, at), { ok: true }, at);

    const view = await port.perform('technician', 'lostReceipts', { locale: 'en' });
    expect(view).toEqual({
      action: 'lostReceipts', printerUsable: true, mayReprint: true,
      receipts: [
        { receiptNumber: failed, operation: 'cashIn', state: 'failed', startedAt: at.toISOString(), failure: 'paperOut' },
        { receiptNumber: lost, operation: 'cashIn', state: 'lost', startedAt: at.toISOString(), sms: 'pending' },
      ],
    });

    const reprinted = await port.perform('technician', 'lostReceipts', { locale: 'en', receiptNumber: lost });
    expect(reprinted).toMatchObject({ reprint: { receiptNumber: lost, printed: true }, receipts: [{ receiptNumber: failed }] });
    expect(printer.paper.receipts.at(-1)?.lines[0]?.trim()).toBe('COPY (DUPLICATE)');
    expect(printer.paper.receipts.at(-1)?.lines.join('\n')).toContain(lost);
    expect([...iterateJournal(s.db)].find((e) => e.type === 'receiptCopy')?.payload).toEqual({ ofReceipt: lost, who: 'technician', printed: true });
    expect(audit()).toContainEqual(expect.objectContaining({ action: 'lostReceiptReprinted', receiptNumber: lost }));
    // a receipt that is not on the list is not reprinted from here
    expect(await port.perform('technician', 'lostReceipts', { receiptNumber: fine })).toMatchObject({ refusal: { code: 'unknownReceipt' } });
    expect(printer.paper.receipts).toHaveLength(1);
  });
});

describe('collection', () => {
  it('shows the counters first and changes nothing until confirmed', async () => {
    const { s, port, cashIn } = await rig();
    cashIn([T(1000), T(2000), T(2000)]);
    const before = readCounters(s.db);
    const view = await port.perform('technician', 'collect');
    expect(view).toEqual({
      action: 'collect', stage: 'count', printerUsable: true,
      units: [{ unit: 'cashBox', denomination: T(1000), count: 1 }, { unit: 'cashBox', denomination: T(2000), count: 2 }],
    });
    expect(readCounters(s.db)).toEqual(before);
  });

  it('records counted notes that differ as discrepancies beside the counters, with a slip', async () => {
    const { s, port, printer, cashIn } = await rig();
    cashIn([T(1000), T(2000), T(2000)]);
    const view = await port.perform('technician', 'collect', { confirm: 1, locale: 'en', 'cashBox/100000': 1, 'cashBox/200000': 1, 'cashBox/500000': 1 });
    expect(ServiceModeView.parse(view)).toMatchObject({
      action: 'collect', stage: 'done', total: T(5000), slip: { printed: true },
      discrepancies: [
        { unit: 'cashBox', denomination: T(2000), counter: 2, counted: 1, difference: -1 },
        { unit: 'cashBox', denomination: T(5000), counter: 0, counted: 1, difference: 1 },
      ],
    });
    const receiptNumber = (view as { receiptNumber: string }).receiptNumber;
    // the counters went by the journal (what they said left the box); the difference is on record
    expect(readCounters(s.db).filter((r) => r.unit === 'cashBox' && r.count !== 0)).toEqual([]);
    expect(checkCounters(s.db)).toEqual([]);
    const entry = [...iterateJournal(s.db)].find((e) => e.type === 'collection');
    expect(entry?.payload.discrepancies).toHaveLength(2);
    const slip = printer.paper.receipts.at(-1)?.lines.join('\n') ?? '';
    expect(slip).toContain('Cash collection');
    expect(slip).toContain(receiptNumber);
    expect(slip).toMatch(/Difference\s+-1/);
    expect(slip).toMatch(/Difference\s+\+1/);
    // and the look-up reads the same slip back
    const found = await port.perform('technician', 'lookupReceipt', { receiptNumber, locale: 'en' });
    expect((found as { lines: string[] }).lines.join('\n')).toMatch(/Counted\s+1 = 2,000.00/);
  });

  it('refuses a count that is not a whole number of notes, and a unit it does not empty', async () => {
    const { s, port, cashIn, audit } = await rig();
    cashIn([T(1000)]);
    expect(await port.perform('technician', 'collect', { confirm: 1, 'cashBox/100000': -1 })).toMatchObject({ stage: 'count', refusal: { code: 'badCount', key: 'cashBox/100000' } });
    expect(await port.perform('technician', 'collect', { confirm: 1, 'cassette:0/100000': 3 })).toMatchObject({ stage: 'count', refusal: { code: 'badCount' } });
    expect(await port.perform('technician', 'collect', { confirm: 1, 'cashBox/100000': '2' })).toMatchObject({ stage: 'count', refusal: { code: 'badCount' } });
    expect(readCounters(s.db).find((r) => r.unit === 'cashBox')?.count).toBe(1);
    expect(audit().filter((a) => a.action === 'collect').map((a) => a.ok)).toEqual([false, false, false]);
  });
});

describe('replenishment', () => {
  it('offers each cassette with its configured denomination and capacity', async () => {
    const { port } = await rig();
    expect(await port.perform('technician', 'replenish', { locale: 'kk' })).toEqual({
      action: 'replenish', stage: 'enter', capacity: 500,
      cassettes: [{ cassette: 0, denomination: T(2000), count: 0 }, { cassette: 1, denomination: T(20000), count: 0 }],
    });
  });

  it('loads, then exchanges with the removed notes counted: a difference is a discrepancy', async () => {
    const { s, port, printer } = await rig();
    const first = await port.perform('technician', 'replenish', { 'load/0': 200, 'load/1': 150 });
    expect(first).toMatchObject({ stage: 'done', slip: { printed: true }, discrepancies: [] });
    expect(readCounters(s.db).filter((r) => r.unit.startsWith('cassette'))).toEqual([
      { unit: 'cassette:0', denomination: T(2000), count: 200 },
      { unit: 'cassette:1', denomination: T(20000), count: 150 },
    ]);
    const exchange = await port.perform('technician', 'replenish', { 'load/1': 300, 'removed/1': 149, locale: 'en' });
    expect(exchange).toMatchObject({
      stage: 'done',
      cassettes: [{ cassette: 1, denomination: T(20000), count: 300, removed: 149 }],
      discrepancies: [{ unit: 'cassette:1', denomination: T(20000), counter: 150, counted: 149, difference: -1 }],
    });
    expect(readCounters(s.db).find((r) => r.unit === 'cassette:1')?.count).toBe(300);
    expect(checkCounters(s.db)).toEqual([]);
    expect(printer.paper.receipts.at(-1)?.lines.join('\n')).toMatch(/Cassette 2: 20,000\.00[\s\S]*Removed\s+149/);
  });

  it('refuses negative, fractional, over-capacity and unknown-cassette entries, changing nothing', async () => {
    const { s, port, audit } = await rig();
    const refused = [
      [{ 'load/0': -1 }, 'badCount'],
      [{ 'load/0': 1.5 }, 'badCount'],
      [{ 'load/0': '10' }, 'badCount'],
      [{ 'load/0': 501 }, 'overCapacity'],
      [{ 'load/0': 10, 'removed/0': 900 }, 'overCapacity'],
      [{ 'load/2': 10 }, 'unknownCassette'],
      [{ 'load/0': 0 }, 'nothingLoaded'],
      [{ cassette: 0, count: -1 }, 'badCount'],
    ] as const;
    for (const [params, code] of refused) {
      const view = await port.perform('technician', 'replenish', params);
      expect(view, JSON.stringify(params)).toMatchObject({ action: 'replenish', stage: 'enter', refusal: { code } });
    }
    expect(readCounters(s.db)).toEqual([]);
    expect(audit().filter((a) => a.action === 'replenish').every((a) => a.ok === false)).toBe(true);
    expect(audit().filter((a) => a.action === 'replenish')).toHaveLength(refused.length);
  });
});
