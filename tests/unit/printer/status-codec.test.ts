import { CodecError } from '../../../drivers/common/codec-error.js';
import { describe, expect, it } from 'vitest';
import {
  decodeOfflineCause,
  decodePaperSensor,
  decodePrinterByte,
  decodeErrorCause,
  encodeErrorCause,
  encodeOfflineCause,
  encodePaperSensor,
  encodePrinterByte,
  foldStatus,
  isStatusReply,
} from '../../../drivers/printer/status-codec.js';

describe('DLE EOT status bytes', () => {
  it('reads the reference examples', () => {
    expect(decodePrinterByte(0x12).offline).toBe(false);
    expect(decodePrinterByte(0x1a).offline).toBe(true);
    expect(decodeOfflineCause(0x16).coverOpen).toBe(true);
    expect(decodeOfflineCause(0x32)).toEqual({ coverOpen: false, feedByButton: false, paperEndStop: true, error: false });
    expect(decodePaperSensor(0x72)).toEqual({ nearEnd: false, paperOut: true });
    expect(decodePaperSensor(0x7e)).toEqual({ nearEnd: true, paperOut: true });
    expect(decodePaperSensor(0x1e)).toEqual({ nearEnd: true, paperOut: false });
    expect(decodePaperSensor(0x16)).toEqual({ nearEnd: true, paperOut: false }); // one bit of the pair is enough
    expect(decodeErrorCause(0x1a).autocutter).toBe(true);
    expect(decodeErrorCause(0x32).unrecoverable).toBe(true);
  });

  it('rejects bytes without the fixed bits (b0=0, b1=1, b4=1, b7=0)', () => {
    for (const b of [0x00, 0x13, 0x02, 0x10, 0x92, 0xff]) {
      expect(isStatusReply(b)).toBe(false);
      expect(() => decodePrinterByte(b)).toThrow(CodecError);
    }
    let valid = 0;
    for (let b = 0; b < 256; b++) if (isStatusReply(b)) valid++;
    expect(valid).toBe(16);
  });

  it('encoders and decoders agree on every flag combination', () => {
    for (let m = 0; m < 16; m++) {
      const f = [(m & 1) !== 0, (m & 2) !== 0, (m & 4) !== 0, (m & 8) !== 0] as const;
      expect(decodePrinterByte(encodePrinterByte({ drawerHigh: f[0], offline: f[1], waitingRecovery: f[2], feedPressed: f[3] }))).toEqual({
        drawerHigh: f[0], offline: f[1], waitingRecovery: f[2], feedPressed: f[3],
      });
      expect(decodeOfflineCause(encodeOfflineCause({ coverOpen: f[0], feedByButton: f[1], paperEndStop: f[2], error: f[3] }))).toEqual({
        coverOpen: f[0], feedByButton: f[1], paperEndStop: f[2], error: f[3],
      });
      expect(decodeErrorCause(encodeErrorCause({ recoverable: f[0], autocutter: f[1], unrecoverable: f[2], autoRecoverable: f[3] }))).toEqual({
        recoverable: f[0], autocutter: f[1], unrecoverable: f[2], autoRecoverable: f[3],
      });
    }
    expect(encodePaperSensor({ nearEnd: true, paperOut: true })).toBe(0x7e);
  });

  it('folds the four replies into one status', () => {
    expect(foldStatus({ printer: 0x12, offline: 0x12, error: 0x12, paper: 0x12 })).toEqual({ online: true, coverOpen: false, paper: 'ok', error: false });
    expect(foldStatus({ printer: 0x1a, offline: 0x16, error: 0x12, paper: 0x12 })).toMatchObject({ online: false, coverOpen: true });
    expect(foldStatus({ printer: 0x1a, offline: 0x32, error: 0x12, paper: 0x72 }).paper).toBe('out');
    expect(foldStatus({ printer: 0x12, offline: 0x12, error: 0x12, paper: 0x1e }).paper).toBe('nearEnd');
    const err = foldStatus({ printer: 0x1a, offline: 0x52, error: 0x1a, paper: 0x12 });
    expect(err.error).toBe(true);
    expect(err.fault?.code).toBe('printer.error.autocutter');
  });
});
