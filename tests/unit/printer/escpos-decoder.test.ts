import { describe, expect, it } from 'vitest';
import { EscPosDecoder, MAX_COMMAND_BYTES, type DecodedCommand } from '../../../drivers/printer/escpos-decoder.js';
import { receiptToEscPos } from '../../../kiosk/receipt/receipt-escpos.js';
import { ReceiptModel } from '../../../kiosk/receipt/receipt-model.js';
import { PrintMechanism } from '../../../simulators/devices/printer/print-mechanism.js';

const WORKED = Buffer.from(
  '1b401b74111b61011b450191afa0e1a8a1ae210a1b45001d286b0400314132001d286b03003143061d286b03003145311d286b0800315030' +
    '4b5a3132331d286b03003151300a1d564100',
  'hex',
);

function decodeAll(bytes: Uint8Array, chunk = bytes.length): DecodedCommand[] {
  const d = new EscPosDecoder();
  const out: DecodedCommand[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  return out;
}

/** mulberry32: small, seeded, reproducible */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const model = ReceiptModel.parse({
  locale: 'ru', bankName: 'Банк', terminalId: 'T1', address: 'Алматы', dateTime: '2026-11-25T10:00:00+05:00',
  receiptNumber: 'R-1', operation: 'withdraw', amount: 500000, commission: 5000, total: 505000, status: 'completed',
});

describe('ESC/POS decoder', () => {
  it('decodes the reference worked receipt', () => {
    const types = decodeAll(WORKED).map((c) => c.type);
    expect(types).toEqual([
      'init', 'codePage', 'align', 'bold', 'text', 'lf', 'bold',
      'qrModel', 'qrModuleSize', 'qrErrorLevel', 'qrStore', 'qrPrint', 'lf', 'cut',
    ]);
    const cmds = decodeAll(WORKED);
    expect(cmds[1]).toEqual({ type: 'codePage', n: 17 });
    const store = cmds.find((c) => c.type === 'qrStore');
    expect(store && store.type === 'qrStore' && Buffer.from(store.data).toString()).toBe('KZ123');
    expect(cmds.at(-1)).toEqual({ type: 'cut', kind: 'full', feed: 0 });
  });

  it('gives the same commands however the stream is split', () => {
    const job = receiptToEscPos(model, { qr: 'raster' });
    const whole = decodeAll(job);
    // text may arrive in pieces; join neighbours before comparing
    const join = (cs: DecodedCommand[]): string[] => {
      const out: string[] = [];
      let text = '';
      for (const c of cs) {
        if (c.type === 'text') {
          text += Buffer.from(c.bytes).toString('hex');
          continue;
        }
        if (text) out.push(`text ${text}`);
        text = '';
        const bytes = 'data' in c ? c.data : 'bytes' in c ? c.bytes : undefined;
        out.push(`${c.type} ${JSON.stringify({ ...c, data: undefined, bytes: undefined })} ${bytes ? Buffer.from(bytes).toString('hex') : ''}`);
      }
      if (text) out.push(`text ${text}`);
      return out;
    };
    for (const chunk of [1, 2, 3, 7, 64, 333]) expect(join(decodeAll(job, chunk))).toEqual(join(whole));
    expect(whole.some((c) => c.type === 'raster')).toBe(true);
  });

  it('answers status requests in the middle of other data', () => {
    const cmds = decodeAll(Uint8Array.of(0x41, 0x10, 0x04, 0x04, 0x42, 0x10, 0x04, 0x09));
    expect(cmds.map((c) => c.type)).toEqual(['text', 'status', 'text', 'unknown']);
  });

  it('skips an absurd raster header instead of waiting for gigabytes', () => {
    const d = new EscPosDecoder();
    const cmds = d.push(Uint8Array.of(0x1d, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff, 0x41, 0x0a));
    expect(cmds.map((c) => c.type)).toEqual(['unknown', 'text', 'lf']);
    expect(d.pending).toBe(0);
  });

  it('fuzz: 120,000 seeded inputs never throw and never hold back more than one command', () => {
    const rand = prng(0x4b5a);
    const job = receiptToEscPos(model);
    const interesting = [0x10, 0x04, 0x1b, 0x1d, 0x1c, 0x28, 0x6b, 0x76, 0x30, 0x56, 0x0a, 0x00, 0x31, 0x50, 0xff, 0x2a, 0x38, 0x4c];
    let commands = 0;
    const started = Date.now();
    for (let n = 0; n < 120_000; n++) {
      const d = new EscPosDecoder();
      let input: Uint8Array;
      if (n % 3 === 0) {
        // a real job with a few bytes mutated
        input = Uint8Array.from(job.subarray(0, 1 + Math.floor(rand() * 200)));
        for (let k = 0; k < 3; k++) input[Math.floor(rand() * input.length)] = Math.floor(rand() * 256);
      } else {
        input = new Uint8Array(1 + Math.floor(rand() * 48));
        for (let k = 0; k < input.length; k++) {
          input[k] = rand() < 0.5 ? interesting[Math.floor(rand() * interesting.length)]! : Math.floor(rand() * 256);
        }
      }
      const cut = Math.floor(rand() * input.length);
      commands += d.push(input.subarray(0, cut)).length + d.push(input.subarray(cut)).length;
      expect(d.pending).toBeLessThanOrEqual(MAX_COMMAND_BYTES);
    }
    expect(commands).toBeGreaterThan(120_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fuzz: the whole emulated printer takes 20,000 seeded garbage streams without throwing', () => {
    const rand = prng(1048);
    const m = new PrintMechanism();
    let replies = 0;
    for (let n = 0; n < 20_000; n++) {
      const input = new Uint8Array(1 + Math.floor(rand() * 64));
      for (let k = 0; k < input.length; k++) input[k] = rand() < 0.3 ? [0x10, 0x04, 0x1b, 0x1d, 0x0a, 0x74, 0x35][Math.floor(rand() * 7)]! : Math.floor(rand() * 256);
      if (n % 1000 === 0) m.loadPaper(Math.floor(rand() * 50) + 1);
      replies += m.receive(input).length;
    }
    expect(replies).toBeGreaterThan(0);
  });
});

describe('command boundaries for polling', () => {
  it('ends every command, never inside QR or image data', async () => {
    const { commandEnds } = await import('../../../drivers/printer/escpos-decoder.js');
    expect(commandEnds(WORKED)).toEqual([2, 5, 8, 11, 19, 20, 23, 32, 40, 48, 61, 69, 70, 74]);
    expect(commandEnds(Uint8Array.of(0x1d, 0x28, 0x6b, 0x08))).toEqual([4]); // truncated job: one piece
    expect(commandEnds(new Uint8Array(0))).toEqual([]);
  });

  it('the emulated printer answers DLE EOT on arrival, even inside another command', () => {
    const m = new PrintMechanism();
    // QR store announcing 8 data bytes, a poll arrives after 2 of them
    expect(m.receive(Uint8Array.of(0x1d, 0x28, 0x6b, 0x08, 0x00, 0x31, 0x50, 0x30, 0x41, 0x42))).toEqual([]);
    expect(m.receive(Uint8Array.of(0x10, 0x04, 0x04))).toEqual([0x12]);
    expect(m.receive(Uint8Array.of(0x10))).toEqual([]);
    expect(m.receive(Uint8Array.of(0x04, 0x01))).toEqual([0x12]);
  });
});
