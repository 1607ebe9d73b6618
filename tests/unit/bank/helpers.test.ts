import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../simulators/bank/canonical-json.js';
import { maskName } from '../../../simulators/bank/customers.js';
import { maskPhone } from '../../../simulators/bank/otp.js';
import { formatTenge } from '../../../simulators/bank/apply-messages.js';
import { isLoopbackHost } from '../../../kiosk/bank/http-transport.js';
import { FaultInjector } from '../../../simulators/bank/faults.js';

describe('canonicalJson', () => {
  it('is independent of key order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('masking', () => {
  it('shows the first name and an initial only', () => {
    expect(maskName('Aigerim Seitkali')).toBe('Aigerim S.');
    expect(maskName('Madonna')).toBe('Madonna');
  });
  it('masks the middle of a phone number', () => {
    expect(maskPhone('+77011234567')).toBe('+7701***4567');
  });
  it('formats tiyn as tenge without floating point', () => {
    expect(formatTenge(300_000)).toBe('3000 KZT');
    expect(formatTenge(12_345)).toBe('123.45 KZT');
    expect(formatTenge(5)).toBe('0.05 KZT');
  });
});

describe('isLoopbackHost', () => {
  it('accepts only this machine', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', 'LOCALHOST']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', 'bank.kz', '127.0.0.1.example.com', 'localhost.evil', '0.0.0.0', '::']) expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('FaultInjector', () => {
  it('expires on its own clock and applies a rate by the dice', () => {
    let clock = 0;
    const dice = [0.1, 0.9];
    const faults = new FaultInjector(() => clock, () => dice.shift() ?? 0);
    faults.set({ mode: 'error', rate: 0.5, durationMs: 100 });
    expect(faults.pick()?.mode).toBe('error');
    expect(faults.pick()).toBeNull();
    clock = 100;
    expect(faults.current()).toBeNull();
  });
});
