/** The emulated validator's state machine, driven command by command with fake time. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CcnetValidator, defaultTiming } from '../../../simulators/devices/cash-acceptor/ccnet-validator.js';
import { Cmd, encodeTypeMask } from '../../../drivers/cash-acceptor/ccnet-codec.js';

const enableAll = (v: CcnetValidator): void => {
  v.command(Cmd.enableBillTypes, Uint8Array.from([...encodeTypeMask([0, 1, 2, 3, 4, 5, 6]), ...encodeTypeMask([0, 1, 2, 3, 4, 5, 6])]));
};
const poll = (v: CcnetValidator): string => Buffer.from(v.pollBody()).toString('hex');

describe('emulated CCNET validator', () => {
  let v: CcnetValidator;
  beforeEach(() => {
    vi.useFakeTimers();
    v = new CcnetValidator(defaultTiming);
  });
  afterEach(() => {
    v.dispose();
    vi.useRealTimers();
  });

  async function ready(): Promise<void> {
    expect(poll(v)).toBe('10');
    expect(v.command(Cmd.reset, new Uint8Array())).toEqual({ ack: true });
    expect(poll(v)).toBe('13');
    await vi.advanceTimersByTimeAsync(defaultTiming.initMs);
    expect(poll(v)).toBe('19');
    enableAll(v);
    expect(poll(v)).toBe('14');
  }

  it('runs power up, initialise, disabled, idling', async () => {
    await ready();
  });

  it('refuses identification and bill table while idling', async () => {
    await ready();
    expect(v.command(Cmd.identification, new Uint8Array())).toEqual({ illegal: true });
    expect(v.command(Cmd.getBillTable, new Uint8Array())).toEqual({ illegal: true });
  });

  it('keeps STACKED until the host ACKs a poll reply that carried it', async () => {
    await ready();
    expect(v.insert({ denomination: 100_000 })).toBeUndefined();
    expect(poll(v)).toBe('15');
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    expect(poll(v)).toBe('8002');
    expect(v.command(Cmd.stack, new Uint8Array())).toEqual({ ack: true });
    v.pollAcked(); // ACK of a reply sent before the note was stacked
    await vi.advanceTimersByTimeAsync(defaultTiming.stackMs);
    v.pollAcked(); // still the old reply's ACK: must not retire the event
    expect(poll(v)).toBe('8102');
    expect(poll(v)).toBe('8102');
    v.pollAcked();
    expect(poll(v)).toBe('14');
    expect(v.cashBox.get(100_000)).toBe(1);
  });

  it('hands a note back after the escrow timeout unless held', async () => {
    await ready();
    v.insert({ denomination: 500_000 });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    v.command(Cmd.hold, new Uint8Array());
    expect(poll(v)).toBe('1a');
    await vi.advanceTimersByTimeAsync(defaultTiming.holdMs - 1);
    expect(poll(v)).toBe('1a');
    await vi.advanceTimersByTimeAsync(1 + defaultTiming.returnMs);
    expect(poll(v)).toBe('8204');
    expect(v.cashBox.size).toBe(0);
  });

  it('rejects inhibited and counterfeit notes', async () => {
    await ready();
    v.command(Cmd.enableBillTypes, Uint8Array.from([...encodeTypeMask([2]), ...encodeTypeMask([2])]));
    v.insert({ denomination: 2_000_000 });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    expect(poll(v)).toBe('1c68');
    await vi.advanceTimersByTimeAsync(defaultTiming.rejectMs);
    v.insert({ denomination: 100_000, counterfeit: true });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    expect(poll(v)).toBe('1c66');
    expect(v.insert({ denomination: 100_000 })).toMatch(/rejecting/);
  });

  it('power cycle while stacking reports 12, then credits the note after RESET', async () => {
    await ready();
    v.insert({ denomination: 1_000_000 });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    v.command(Cmd.stack, new Uint8Array());
    v.powerCycle();
    expect(poll(v)).toBe('12');
    v.command(Cmd.reset, new Uint8Array());
    await vi.advanceTimersByTimeAsync(defaultTiming.initMs);
    expect(poll(v)).toBe('8105');
    expect(v.cashBox.get(1_000_000)).toBe(1);
  });

  it('power cycle in escrow reports 11 and RESET hands the note back without a credit', async () => {
    await ready();
    v.insert({ denomination: 1_000_000 });
    await vi.advanceTimersByTimeAsync(defaultTiming.acceptMs);
    v.powerCycle();
    expect(poll(v)).toBe('11');
    v.command(Cmd.reset, new Uint8Array());
    await vi.advanceTimersByTimeAsync(defaultTiming.initMs);
    expect(poll(v)).toBe('19');
    expect(v.cashBox.size).toBe(0);
  });

  it('hard faults override the state until cleared', async () => {
    await ready();
    v.setHardFault('jamCassette');
    expect(poll(v)).toBe('44');
    expect(v.insert({ denomination: 100_000 })).toMatch(/fault/);
    v.setHardFault(undefined);
    expect(poll(v)).toBe('14');
  });
});
