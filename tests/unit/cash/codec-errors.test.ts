/**
 * Every codec refuses a frame or field it cannot handle with the typed CodecError, naming itself,
 * so a driver tells a bad frame on the wire from a bug by class, not by message text.
 */
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../drivers/common/codec-error.js';
import { encodeCount } from '../../../drivers/dispenser/lcdm-codec.js';
import { encodeTypeMask, parseBillTable, parseIdentification } from '../../../drivers/cash-acceptor/ccnet-codec.js';
import { encodeCommand } from '../../../drivers/palm/pv-hid-codec.js';
import { decodePrinterByte } from '../../../drivers/printer/status-codec.js';
import { size } from '../../../drivers/printer/escpos-commands.js';

function codecOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodecError);
    expect(err).toBeInstanceOf(Error);
    return (err as CodecError).codec;
  }
  return undefined;
}

describe('codec parse and encode failures are CodecError', () => {
  it.each([
    ['lcdm', () => encodeCount(100)],
    ['ccnet', () => encodeTypeMask([24])],
    ['ccnet', () => parseBillTable(new Uint8Array(10))],
    ['ccnet', () => parseIdentification(new Uint8Array(5))],
    ['pv-hid', () => encodeCommand(1, 0)],
    ['escpos', () => decodePrinterByte(0xff)],
    ['escpos', () => size(0, 1)],
  ] as const)('%s', (codec, fn) => {
    expect(codecOf(fn)).toBe(codec);
  });
});
