/**
 * The session tests' world: a manual clock (the only mocked edge besides devices' wires), a
 * terminal configuration, and sample bank answers shared by the model-based and flow tests.
 */
import type { ProductView, ServiceView } from '../../../kiosk/bank/bank-api.js';
import { defaultTimeouts, type Clock, type SessionConfig } from '../../../kiosk/session/ports.js';

export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: (...args: unknown[]) => void }>();

  constructor(start = Date.UTC(2026, 10, 25, 10, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** moves time on, firing due timers in order (timers set by fired ones included) */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; fn: (...args: unknown[]) => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = until;
  }
}

export const T = (tenge: number): number => tenge * 100;

export const testConfig: SessionConfig = {
  terminalId: 'KSK-TEST-01',
  localeDefault: 'kk',
  identificationMethods: ['phone', 'iin', 'card', 'palm', 'qr'],
  timeouts: { ...defaultTimeouts, inactivityMs: 30_000, moreTimeMs: 10_000, goodbyeMs: 2_000, takeCashMs: 20_000, approvalMs: 60_000 },
  offlineCaps: { perPayment: T(20_000), total: T(100_000) },
  acceptedDenominations: [T(200), T(500), T(1000), T(2000), T(5000), T(10000), T(20000)],
  withdrawal: { presets: [T(5000), T(10000), T(20000), T(50000)], multipleOf: T(1000), max: T(200_000) },
  otpLength: 6,
};

/** never appears in any snapshot, context or log */
export const SECRET_OTP = '482913';
export const CUSTOMER_PHONE = '+77011234567';
export const CUSTOMER_IIN = '900101300017';
export const CARD_PAN = '4400430000000015';
export const CARD = { maskedPan: '440043******0015', panToken: 'tok-7f3a9c0e1d2b' };

export const products: ProductView[] = [
  { id: 'p-current', kind: 'current', label: 'KZ** **** 1234', currency: 'KZT', balance: T(150_000), available: T(150_000) },
  { id: 'p-wallet', kind: 'wallet', label: 'Wallet *5678', currency: 'KZT', balance: T(3_000), available: T(3_000) },
  { id: 'p-loan', kind: 'loan', label: 'Loan *9012', currency: 'KZT', balance: 0, available: 0, dueAmount: T(25_000) },
];

export const services: ServiceView[] = [
  { id: 'svc-mobile', category: 'mobile', name: 'Mobile top-up', referenceKind: 'phone', referencePattern: '\\+77[0-9]{9}', min: T(100), max: T(50_000) },
  { id: 'svc-utility', category: 'utilities', name: 'City utilities', referenceKind: 'account', referencePattern: '[0-9]{10}', min: T(500), max: T(500_000) },
];
