/**
 * Fuzzing the PV-HID 1 report parser with 100,000+ seeded reports: random bytes, plausible
 * headers with random payloads, and mutated genuine reports. Nothing may throw; whatever is
 * accepted must satisfy the protocol's rules and re-encode to exactly the bytes received (the
 * encoder is the specification's other half), so no malformed report passes as valid.
 */
import { describe, expect, it } from 'vitest';
import { chunkCountFor, Code, decodeDeviceReport, encodeDeviceMessage, PV_REPORT_LENGTH, type DeviceMessage } from '../../../drivers/palm/pv-hid-codec.js';
import { prng } from './prng.js';

const N = 120_000;
const CODES = Object.values(Code);

function genuine(rng: ReturnType<typeof prng>): DeviceMessage {
  const total = 1 + rng.int(4096);
  const options: DeviceMessage[] = [
    { kind: 'ack', tag: 1 + rng.int(255), cmd: rng.int(5) },
    { kind: 'nak', tag: 1 + rng.int(255), cmd: rng.int(5), error: 1 + rng.int(8) },
    { kind: 'event', event: 'presentPalm' },
    { kind: 'event', event: 'tooClose', mm: rng.byte() },
    { kind: 'event', event: 'move', direction: rng.int(6) },
    { kind: 'event', event: 'error', code: 1 + rng.int(8) },
    { kind: 'event', event: 'captureOk', capture: { captureId: rng.byte(), totalLength: total, chunkCount: chunkCountFor(total), crc: rng.int(2 ** 32), format: 1, quality: rng.int(101) } },
    { kind: 'chunk', captureId: rng.byte(), seq: rng.int(70), data: Uint8Array.from({ length: 1 + rng.int(59) }, () => rng.byte()) },
    { kind: 'status', tag: 1 + rng.int(255), status: { state: rng.int(5), lastEvent: rng.byte(), lastError: rng.int(9), distanceMm: rng.int(65536) } },
    { kind: 'info', tag: 1 + rng.int(255), info: { protoMajor: 1, protoMinor: 0, firmware: [rng.byte(), rng.byte(), rng.byte()], maxTemplate: 4096, formats: 1, serial: 'PV-0001' } },
  ];
  return options[rng.int(options.length)]!;
}

function input(rng: ReturnType<typeof prng>): Uint8Array {
  const kind = rng.int(4);
  if (kind === 0) return Uint8Array.from({ length: rng.chance(0.9) ? PV_REPORT_LENGTH : rng.int(130) }, () => rng.byte());
  if (kind === 1) {
    // plausible header, random payload, mostly clean padding
    const r = new Uint8Array(PV_REPORT_LENGTH);
    r[0] = 1 + rng.int(3);
    r[1] = rng.chance(0.8) ? CODES[rng.int(CODES.length)]! : rng.byte();
    r[2] = rng.chance(0.5) ? 0 : rng.byte();
    const len = rng.chance(0.8) ? rng.int(16) : rng.byte();
    r[3] = len;
    for (let i = 4; i < Math.min(PV_REPORT_LENGTH, 4 + len); i++) r[i] = rng.chance(0.3) ? 0 : rng.byte();
    if (rng.chance(0.1)) r[4 + rng.int(60)] = rng.byte();
    return r;
  }
  const r = encodeDeviceMessage(genuine(rng));
  if (kind === 2) return r;
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) r[rng.int(PV_REPORT_LENGTH)] = rng.byte();
  return r;
}

function rulesHold(m: DeviceMessage): boolean {
  switch (m.kind) {
    case 'ack':
    case 'nak':
    case 'info':
    case 'status':
      return m.tag >= 1 && m.tag <= 255 && (m.kind !== 'nak' || (m.error >= 1 && m.error <= 8));
    case 'chunk':
      return m.data.length >= 1 && m.data.length <= 59;
    case 'event':
      if (m.event === 'captureOk') {
        const c = m.capture;
        return c.totalLength >= 1 && c.totalLength <= 4096 && c.chunkCount === Math.ceil(c.totalLength / 59) && c.quality <= 100;
      }
      if (m.event === 'move') return m.direction <= 5;
      if (m.event === 'error') return m.code >= 1 && m.code <= 8;
      return true;
  }
}

describe('PV-HID 1 report parser fuzz', () => {
  it(`${N} reports: never throws; accepted reports obey the rules and re-encode byte for byte`, () => {
    const rng = prng(0x64);
    const counts = { accepted: 0, rejected: 0 };
    const failures: string[] = [];
    for (let i = 0; i < N; i++) {
      const report = input(rng);
      const copy = Buffer.from(report);
      const decoded = decodeDeviceReport(report);
      if (!decoded.ok) {
        counts.rejected++;
        continue;
      }
      counts.accepted++;
      const again = Buffer.from(encodeDeviceMessage(decoded.value));
      if (!rulesHold(decoded.value) || !again.equals(copy)) {
        if (failures.length < 5) failures.push(copy.toString('hex'));
      }
    }
    expect(failures).toEqual([]);
    expect(counts.accepted).toBeGreaterThan(N / 5);
    expect(counts.rejected).toBeGreaterThan(N / 5);
  });
});
