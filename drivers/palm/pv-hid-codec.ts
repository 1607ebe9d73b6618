/**
 * "PV-HID 1", the project's palm-vein scanner report protocol (reference palm-vein.md §4), as
 * pure functions. Every report is 64 bytes with the report ID at byte 0, unused bytes 00,
 * integers little-endian:
 *   01 host -> device: cmd, tag (1-FF, echoed), len (0-3C), payload
 *   02 device -> host: code, tag (echo; 00 for events), len, payload
 *   03 device -> host: capture id, seq (u16), n (1-3B), n template bytes
 * Decoders are strict (exact lengths, value ranges, zero padding), so that whatever decodes
 * re-encodes to the very same bytes; anything else is rejected with a reason.
 */

import { CodecError } from '../common/codec-error.js';
export const PV_REPORT_LENGTH = 64;
export const PV_MAX_PAYLOAD = 0x3c;
export const PV_CHUNK_DATA = 0x3b;
export const PV_MAX_TEMPLATE = 4096;

export const ReportId = { command: 0x01, reply: 0x02, chunk: 0x03 } as const;
export const Command = { getInfo: 0x01, startCapture: 0x02, cancel: 0x03, getStatus: 0x04 } as const;
export const CaptureMode = { verify: 1, identify: 2, enroll: 3 } as const;
export const DeviceState = { idle: 0, waitingHand: 1, capturing: 2, sending: 3, fault: 4 } as const;
export const Code = {
  ack: 0x80,
  info: 0x81,
  status: 0x82,
  nak: 0x8f,
  presentPalm: 0x20,
  handNotPresent: 0x21,
  tooFar: 0x22,
  tooClose: 0x23,
  move: 0x24,
  capturing: 0x25,
  captureOk: 0x30,
  livenessFail: 0x31,
  timeout: 0x32,
  cancelled: 0x33,
  error: 0x3f,
} as const;
export const PvError = {
  badCommand: 0x01,
  badParameter: 0x02,
  busy: 0x03,
  notCapturing: 0x04,
  sensorFault: 0x05,
  illuminationFault: 0x06,
  extractionFailed: 0x07,
  internal: 0x08,
} as const;
export const FORMAT_OPAQUE_SIMULATED = 0x01;

export type SimpleEvent = 'presentPalm' | 'handNotPresent' | 'capturing' | 'livenessFail' | 'timeout' | 'cancelled';
const SIMPLE_EVENTS: Record<SimpleEvent, number> = {
  presentPalm: Code.presentPalm,
  handNotPresent: Code.handNotPresent,
  capturing: Code.capturing,
  livenessFail: Code.livenessFail,
  timeout: Code.timeout,
  cancelled: Code.cancelled,
};

export interface CaptureOk {
  captureId: number;
  totalLength: number;
  chunkCount: number;
  crc: number;
  format: number;
  quality: number;
}

export interface DeviceInfo {
  protoMajor: number;
  protoMinor: number;
  firmware: [number, number, number];
  maxTemplate: number;
  formats: number;
  serial: string;
}

export interface DeviceStatusReply {
  state: number;
  lastEvent: number;
  lastError: number;
  distanceMm: number;
}

export type DeviceMessage =
  | { kind: 'ack'; tag: number; cmd: number }
  | { kind: 'nak'; tag: number; cmd: number; error: number }
  | { kind: 'info'; tag: number; info: DeviceInfo }
  | { kind: 'status'; tag: number; status: DeviceStatusReply }
  | { kind: 'event'; event: SimpleEvent }
  | { kind: 'event'; event: 'tooFar' | 'tooClose'; mm: number }
  | { kind: 'event'; event: 'move'; direction: number }
  | { kind: 'event'; event: 'error'; code: number }
  | { kind: 'event'; event: 'captureOk'; capture: CaptureOk }
  /** data is a view into the report: copy it out, then zero the report */
  | { kind: 'chunk'; captureId: number; seq: number; data: Uint8Array };

export interface HostCommand {
  cmd: number;
  tag: number;
  payload: Uint8Array;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = <T>(reason: string): Decoded<T> => ({ ok: false, reason });

/** number of 03 reports a template of `length` bytes takes */
export function chunkCountFor(length: number): number {
  return Math.ceil(length / PV_CHUNK_DATA);
}

function paddingIsZero(report: Uint8Array, from: number): boolean {
  for (let i = from; i < report.length; i++) if (report[i] !== 0) return false;
  return true;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
}

function putU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}

function putU32(b: Uint8Array, o: number, v: number): void {
  for (let i = 0; i < 4; i++) b[o + i] = (v >>> (8 * i)) & 0xff;
}

function frame(id: number, a: number, tag: number, payload: Uint8Array): Uint8Array {
  if (payload.length > PV_MAX_PAYLOAD) throw new CodecError('pv-hid', `PV-HID payload ${payload.length} > ${PV_MAX_PAYLOAD}`);
  const report = new Uint8Array(PV_REPORT_LENGTH);
  report[0] = id;
  report[1] = a;
  report[2] = tag;
  report[3] = payload.length;
  report.set(payload, 4);
  return report;
}

// ---- host -> device -------------------------------------------------------------------------

export function encodeCommand(cmd: number, tag: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (tag < 1 || tag > 0xff) throw new CodecError('pv-hid', `PV-HID tag ${tag} outside 1..255`);
  return frame(ReportId.command, cmd, tag, payload);
}

export function startCapturePayload(mode: number, timeoutS: number, livenessRequired: boolean): Uint8Array {
  return Uint8Array.of(mode, timeoutS, livenessRequired ? 1 : 0);
}

/** Structural decode of a host report; command-specific checks are the device's (NAK 01/02). */
export function decodeCommand(report: Uint8Array): Decoded<HostCommand> {
  if (report.length !== PV_REPORT_LENGTH) return fail(`report length ${report.length}`);
  if (report[0] !== ReportId.command) return fail(`report id ${report[0]} is not a command`);
  const tag = report[2] as number;
  const len = report[3] as number;
  if (tag === 0) return fail('tag 0 is reserved for events');
  if (len > PV_MAX_PAYLOAD) return fail(`payload length ${len}`);
  if (!paddingIsZero(report, 4 + len)) return fail('non-zero padding');
  return { ok: true, value: { cmd: report[1] as number, tag, payload: new Uint8Array(report.subarray(4, 4 + len)) } };
}

// ---- device -> host -------------------------------------------------------------------------

function encodeInfo(info: DeviceInfo): Uint8Array {
  const serial = Buffer.from(info.serial, 'ascii');
  const p = new Uint8Array(8 + serial.length);
  p.set([info.protoMajor, info.protoMinor, ...info.firmware]);
  putU16(p, 5, info.maxTemplate);
  p[7] = info.formats;
  p.set(serial, 8);
  return p;
}

function encodeCaptureOk(c: CaptureOk): Uint8Array {
  const p = new Uint8Array(13);
  p[0] = c.captureId;
  putU32(p, 1, c.totalLength);
  putU16(p, 5, c.chunkCount);
  putU32(p, 7, c.crc);
  p[11] = c.format;
  p[12] = c.quality;
  return p;
}

export function encodeDeviceMessage(m: DeviceMessage): Uint8Array {
  switch (m.kind) {
    case 'ack':
      return frame(ReportId.reply, Code.ack, m.tag, Uint8Array.of(m.cmd));
    case 'nak':
      return frame(ReportId.reply, Code.nak, m.tag, Uint8Array.of(m.cmd, m.error));
    case 'info':
      return frame(ReportId.reply, Code.info, m.tag, encodeInfo(m.info));
    case 'status': {
      const p = Uint8Array.of(m.status.state, m.status.lastEvent, m.status.lastError, 0, 0);
      putU16(p, 3, m.status.distanceMm);
      return frame(ReportId.reply, Code.status, m.tag, p);
    }
    case 'chunk': {
      if (m.data.length < 1 || m.data.length > PV_CHUNK_DATA) throw new CodecError('pv-hid', `chunk of ${m.data.length} bytes`);
      const report = new Uint8Array(PV_REPORT_LENGTH);
      report[0] = ReportId.chunk;
      report[1] = m.captureId;
      putU16(report, 2, m.seq);
      report[4] = m.data.length;
      report.set(m.data, 5);
      return report;
    }
    case 'event':
      switch (m.event) {
        case 'tooFar':
        case 'tooClose':
          return frame(ReportId.reply, m.event === 'tooFar' ? Code.tooFar : Code.tooClose, 0, Uint8Array.of(m.mm));
        case 'move':
          return frame(ReportId.reply, Code.move, 0, Uint8Array.of(m.direction));
        case 'error':
          return frame(ReportId.reply, Code.error, 0, Uint8Array.of(m.code));
        case 'captureOk':
          return frame(ReportId.reply, Code.captureOk, 0, encodeCaptureOk(m.capture));
        default:
          return frame(ReportId.reply, SIMPLE_EVENTS[m.event], 0, new Uint8Array(0));
      }
  }
}

function decodeReply(code: number, tag: number, p: Uint8Array): Decoded<DeviceMessage> {
  if (tag === 0) return fail(`reply ${code.toString(16)} with event tag 0`);
  switch (code) {
    case Code.ack:
      return p.length === 1 ? { ok: true, value: { kind: 'ack', tag, cmd: p[0] as number } } : fail('ACK length');
    case Code.nak: {
      if (p.length !== 2) return fail('NAK length');
      const error = p[1] as number;
      if (error < PvError.badCommand || error > PvError.internal) return fail(`NAK error ${error}`);
      return { ok: true, value: { kind: 'nak', tag, cmd: p[0] as number, error } };
    }
    case Code.info: {
      if (p.length < 8 || p.length > 8 + 16) return fail('INFO length');
      const serialBytes = p.subarray(8);
      for (const b of serialBytes) if (b < 0x20 || b > 0x7e) return fail('INFO serial not printable ASCII');
      return {
        ok: true,
        value: {
          kind: 'info',
          tag,
          info: {
            protoMajor: p[0] as number,
            protoMinor: p[1] as number,
            firmware: [p[2] as number, p[3] as number, p[4] as number],
            maxTemplate: u16(p, 5),
            formats: p[7] as number,
            serial: Buffer.from(serialBytes).toString('ascii'),
          },
        },
      };
    }
    case Code.status: {
      if (p.length !== 5) return fail('STATUS length');
      const [state, lastEvent, lastError] = [p[0] as number, p[1] as number, p[2] as number];
      if (state > DeviceState.fault) return fail(`STATUS state ${state}`);
      if (lastError > PvError.internal) return fail(`STATUS error ${lastError}`);
      return { ok: true, value: { kind: 'status', tag, status: { state, lastEvent, lastError, distanceMm: u16(p, 3) } } };
    }
    default:
      return fail(`unknown reply code ${code.toString(16)}`);
  }
}

function decodeEvent(code: number, p: Uint8Array): Decoded<DeviceMessage> {
  for (const [event, c] of Object.entries(SIMPLE_EVENTS) as [SimpleEvent, number][]) {
    if (c === code) return p.length === 0 ? { ok: true, value: { kind: 'event', event } } : fail(`event ${event} with payload`);
  }
  switch (code) {
    case Code.tooFar:
    case Code.tooClose:
      if (p.length !== 1) return fail('distance event length');
      return { ok: true, value: { kind: 'event', event: code === Code.tooFar ? 'tooFar' : 'tooClose', mm: p[0] as number } };
    case Code.move:
      if (p.length !== 1 || (p[0] as number) > 5) return fail('MOVE payload');
      return { ok: true, value: { kind: 'event', event: 'move', direction: p[0] as number } };
    case Code.error:
      if (p.length !== 1 || (p[0] as number) < PvError.badCommand || (p[0] as number) > PvError.internal) return fail('ERROR payload');
      return { ok: true, value: { kind: 'event', event: 'error', code: p[0] as number } };
    case Code.captureOk: {
      if (p.length !== 13) return fail('CAPTURE_OK length');
      const capture: CaptureOk = {
        captureId: p[0] as number,
        totalLength: u32(p, 1),
        chunkCount: u16(p, 5),
        crc: u32(p, 7),
        format: p[11] as number,
        quality: p[12] as number,
      };
      if (capture.totalLength < 1 || capture.totalLength > PV_MAX_TEMPLATE) return fail(`template length ${capture.totalLength}`);
      if (capture.chunkCount !== chunkCountFor(capture.totalLength)) return fail('chunk count does not fit the length');
      if (capture.quality > 100) return fail(`quality ${capture.quality}`);
      return { ok: true, value: { kind: 'event', event: 'captureOk', capture } };
    }
    default:
      return fail(`unknown event code ${code.toString(16)}`);
  }
}

export function decodeDeviceReport(report: Uint8Array): Decoded<DeviceMessage> {
  if (report.length !== PV_REPORT_LENGTH) return fail(`report length ${report.length}`);
  const id = report[0];
  if (id === ReportId.chunk) {
    const n = report[4] as number;
    if (n < 1 || n > PV_CHUNK_DATA) return fail(`chunk length ${n}`);
    if (!paddingIsZero(report, 5 + n)) return fail('non-zero padding');
    return { ok: true, value: { kind: 'chunk', captureId: report[1] as number, seq: u16(report, 2), data: report.subarray(5, 5 + n) } };
  }
  if (id !== ReportId.reply) return fail(`report id ${id}`);
  const code = report[1] as number;
  const tag = report[2] as number;
  const len = report[3] as number;
  if (len > PV_MAX_PAYLOAD) return fail(`payload length ${len}`);
  if (!paddingIsZero(report, 4 + len)) return fail('non-zero padding');
  const payload = report.subarray(4, 4 + len);
  if (code >= 0x80) return decodeReply(code, tag, payload);
  if (tag !== 0) return fail(`event ${code.toString(16)} with tag ${tag}`);
  return decodeEvent(code, payload);
}
