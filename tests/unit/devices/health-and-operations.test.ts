import { describe, expect, it } from 'vitest';
import { acceptorHealth, dispenserHealth, linkOnlyHealth, printerHealth } from '../../../kiosk/devices/health.js';
import { availableOperations } from '../../../kiosk/devices/operations.js';
import type { CashAcceptorStatus } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenserStatus } from '../../../drivers/dispenser/cash-dispenser.js';
import type { PrinterStatus } from '../../../drivers/printer/receipt-printer.js';
import type { Devices } from '../../../kiosk/bridge/schema.js';
import type { ProductView } from '../../../kiosk/bank/bank-api.js';
import { allCriticalFailed, customerOperations as sessionOperations } from '../../../kiosk/session/operations.js';

const acceptor = (s: Partial<CashAcceptorStatus>): CashAcceptorStatus => ({ link: 'online', state: 'idling', billTable: [], ...s });
const dispenser = (s: Partial<CashDispenserStatus>): CashDispenserStatus => ({
  link: 'online',
  hasPresenter: true,
  cassettes: [
    { index: 0, denomination: 500_000, state: 'ok' },
    { index: 1, denomination: 1_000_000, state: 'ok' },
  ],
  ...s,
});
const printer = (s: Partial<PrinterStatus>): PrinterStatus => ({ link: 'online', online: true, coverOpen: false, paper: 'ok', error: false, ...s });

describe('device health', () => {
  it('acceptor: link first, then a state that stops acceptance, then faults', () => {
    expect(acceptorHealth(acceptor({}))).toBe('ok');
    expect(acceptorHealth(acceptor({ state: 'escrow', escrow: 100_000 }))).toBe('ok');
    for (const link of ['offline', 'connecting', 'closed'] as const) expect(acceptorHealth(acceptor({ link }))).toBe('offline');
    for (const state of ['jammed', 'cassetteFull', 'cassetteRemoved', 'failure'] as const) expect(acceptorHealth(acceptor({ state }))).toBe('offline');
    expect(acceptorHealth(acceptor({ fault: { code: 'cheated', message: 'fishing' } }))).toBe('degraded');
  });

  it('dispenser: one working cassette is degraded, none is offline', () => {
    expect(dispenserHealth(dispenser({}))).toBe('ok');
    expect(dispenserHealth(dispenser({ link: 'offline' }))).toBe('offline');
    expect(dispenserHealth(dispenser({ cassettes: [] }))).toBe('ok');
    const [a, b] = dispenser({}).cassettes as [CashDispenserStatus['cassettes'][number], CashDispenserStatus['cassettes'][number]];
    expect(dispenserHealth(dispenser({ cassettes: [{ ...a, state: 'low' }, b] }))).toBe('degraded');
    expect(dispenserHealth(dispenser({ cassettes: [{ ...a, state: 'empty' }, b] }))).toBe('degraded');
    expect(dispenserHealth(dispenser({ cassettes: [{ ...a, state: 'empty' }, { ...b, state: 'missing' }] }))).toBe('offline');
    expect(dispenserHealth(dispenser({ fault: { code: 'jam', message: 'jam' } }))).toBe('degraded');
  });

  it('printer: paper out, cover open or an error stop printing; paper near its end does not', () => {
    expect(printerHealth(printer({}))).toBe('ok');
    expect(printerHealth(printer({ paper: 'nearEnd' }))).toBe('degraded');
    expect(printerHealth(printer({ paper: 'out' }))).toBe('offline');
    expect(printerHealth(printer({ coverOpen: true }))).toBe('offline');
    expect(printerHealth(printer({ error: true }))).toBe('offline');
    expect(printerHealth(printer({ online: false }))).toBe('offline');
    expect(printerHealth(printer({ link: 'offline' }))).toBe('offline');
  });

  it('HID devices: the link and faults', () => {
    expect(linkOnlyHealth({ link: 'online' })).toBe('ok');
    expect(linkOnlyHealth({ link: 'connecting' })).toBe('offline');
    expect(linkOnlyHealth({ link: 'online', fault: { code: 'x', message: 'y' } })).toBe('degraded');
  });
});

describe('availableOperations', () => {
  const all: Omit<Devices, 'bank'> = { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok' };

  it('everything working, the bank online and a card that allows it offers everything', () => {
    expect(availableOperations(all, true, { pinChange: true })).toEqual({
      operations: ['balance', 'cashIn', 'withdraw', 'payService', 'loanRepayment', 'changePin'],
      walkUp: ['payService'],
      identificationMethods: ['phone', 'iin', 'card', 'palm', 'qr'],
      receipts: ['print', 'sms', 'none'],
      outOfService: false,
    });
  });

  it('a degraded device still serves', () => {
    expect(availableOperations({ ...all, dispenser: 'degraded', printer: 'degraded' }, true).operations).toContain('withdraw');
    expect(availableOperations({ ...all, printer: 'degraded' }, true).receipts).toContain('print');
  });

  it('no dispenser: no withdrawal', () => {
    for (const h of ['offline', 'absent'] as const) {
      const a = availableOperations({ ...all, dispenser: h }, true);
      expect(a.operations).not.toContain('withdraw');
      expect(a.operations).toContain('cashIn');
    }
  });

  it('no acceptor: no cash-in, no loan repayment in cash; a service paid from an account stays for the identified', () => {
    for (const h of ['offline', 'absent'] as const) {
      const a = availableOperations({ ...all, cashAcceptor: h }, true);
      expect(a.operations).toEqual(['balance', 'withdraw', 'payService']);
      // nobody walks up and pays without cash
      expect(a.walkUp).toEqual([]);
      expect(a.outOfService).toBe(false);
    }
  });

  it('a walk-up payment needs the acceptor; an identified one the acceptor or the bank online', () => {
    expect(availableOperations(all, true).walkUp).toEqual(['payService']);
    expect(availableOperations(all, false).walkUp).toEqual(['payService']);
    expect(availableOperations({ ...all, cashAcceptor: 'degraded' }, false).operations).toContain('payService');
    expect(availableOperations({ ...all, cashAcceptor: 'offline' }, true).operations).toContain('payService');
    // no acceptor and the bank offline: nothing at all is left (the session shows out of service too)
    expect(availableOperations({ ...all, cashAcceptor: 'offline' }, false)).toMatchObject({ operations: [], walkUp: [], outOfService: true });
  });

  it('a PIN change only for a card whose product allows it, with the card reader working and the bank online', () => {
    expect(availableOperations(all, true).operations).not.toContain('changePin');
    expect(availableOperations(all, true, { pinChange: false }).operations).not.toContain('changePin');
    expect(availableOperations(all, true, { pinChange: true }).operations).toContain('changePin');
    expect(availableOperations({ ...all, cardReader: 'offline' }, true, { pinChange: true }).operations).not.toContain('changePin');
    expect(availableOperations(all, false, { pinChange: true }).operations).not.toContain('changePin');
  });

  it('lists only the identification methods the terminal offers (config), in their order', () => {
    expect(availableOperations(all, true, undefined, ['qr', 'phone', 'card']).identificationMethods).toEqual(['phone', 'card', 'qr']);
    expect(availableOperations(all, true, undefined, ['phone', 'iin', 'card', 'qr']).identificationMethods).not.toContain('palm');
    expect(availableOperations({ ...all, palm: 'offline' }, true, undefined, ['palm']).identificationMethods).toEqual([]);
    expect(availableOperations(all, false, undefined, ['phone']).identificationMethods).toEqual([]);
  });

  it('no printer: electronic receipts only', () => {
    expect(availableOperations({ ...all, printer: 'offline' }, true).receipts).toEqual(['sms', 'none']);
  });

  it('no card reader or palm scanner: those identifications and the PIN change go', () => {
    const a = availableOperations({ ...all, cardReader: 'offline', palm: 'absent' }, true);
    expect(a.identificationMethods).toEqual(['phone', 'iin', 'qr']);
    expect(a.operations).not.toContain('changePin');
  });

  it('agrees with what the session offers a customer holding every kind of product', () => {
    const products: ProductView[] = [
      { id: 'p-cur', kind: 'current', label: 'Current account *0101', currency: 'KZT', balance: 100_000, available: 100_000 },
      { id: 'p-loan', kind: 'loan', label: 'Loan *0808', currency: 'KZT', balance: 100_000, available: 0 },
    ];
    const healths = ['ok', 'degraded', 'offline', 'absent'] as const;
    for (const cashAcceptor of healths) {
      for (const dispenser of healths) {
        for (const cardReader of ['ok', 'offline'] as const) {
          for (const bank of [true, false]) {
            const d = { ...all, cashAcceptor, dispenser, cardReader };
            const terminal = availableOperations(d, bank, { pinChange: true });
            const devices: Devices = { ...d, bank: bank ? 'online' : 'offline' };
            expect(terminal.outOfService).toBe(allCriticalFailed(devices));
            if (terminal.outOfService) continue;
            // offline nobody is identified, so the session has no products to narrow by
            const session = sessionOperations(bank ? products : [], devices, { pinChange: true });
            expect([...terminal.operations].sort(), JSON.stringify(devices)).toEqual([...session].sort());
          }
        }
      }
    }
  });

  it('bank offline: only walk-up cash payments, queued within the offline caps', () => {
    expect(availableOperations(all, false)).toMatchObject({ operations: ['payService'], walkUp: ['payService'], identificationMethods: [], outOfService: false });
  });

  it('all critical devices failed: out of service', () => {
    expect(availableOperations({ ...all, cashAcceptor: 'offline', dispenser: 'offline' }, true)).toMatchObject({ outOfService: true, operations: [] });
    // a dispenser without the bank cannot pay out anything either
    expect(availableOperations({ ...all, cashAcceptor: 'offline' }, false)).toMatchObject({ outOfService: true, operations: [] });
  });
});
