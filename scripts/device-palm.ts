/**
 * Technician command for the palm-vein scanner (see scripts/device.ts). A capture prints its outcome
 * and the template's length; the template's bytes are never printed and are zeroed at once.
 */
import { parseArgs } from 'node:util';
import { PvHidPalmScanner } from '../drivers/palm/pv-hid-scanner.js';
import type { PalmCaptureResult } from '../drivers/palm/palm-scanner.js';
import { hidTransport, timeoutMs, untilSignal, waitFor } from './device-common.js';

export const palmHelp = `palm <capture> [--port PATH] [--timeout S]
  capture   ask for a hand (default 20 s, at most 60) and print the outcome and template length only`;

/** the outcome line; takes the template's length and zeroes it, as every caller must */
export function describeCapture(result: PalmCaptureResult): string {
  switch (result.kind) {
    case 'template': {
      const length = result.template.length;
      result.template.fill(0);
      return `capture ok: template of ${length} bytes`;
    }
    case 'liveness':
      return 'capture refused: liveness check failed';
    case 'timeout':
      return 'capture timed out: no hand presented';
    case 'cancelled':
      return 'capture cancelled';
    case 'error':
      return `capture failed: ${result.message}`;
  }
}

export async function palm(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, timeout: { type: 'string' } } });
  if (command !== 'capture') throw new Error(`unknown command "${command}"\n${palmHelp}`);
  const wait = timeoutMs(values.timeout, 20);
  if (wait > 60_000) throw new Error('--timeout for a palm capture is at most 60 s (the scanner cannot wait longer)');
  const { transport, where } = hidTransport('palm', values.port);
  const scanner = new PvHidPalmScanner({ transport });
  const signal = untilSignal();
  const abort = new AbortController();
  void signal.promise.then(() => abort.abort());
  try {
    await scanner.open();
    await waitFor(() => scanner.status().link === 'online', `palm scanner at ${where}`, 5_000);
    scanner.on('guidance', ({ guidance }) => console.log(`guidance: ${guidance}`));
    console.log(`palm scanner at ${where}: online; present a hand (${wait / 1000} s)`);
    const result = await scanner.capture({ timeoutMs: wait, signal: abort.signal });
    const line = describeCapture(result);
    // anything but a template fails the check (exit 1), with the outcome as its message
    if (result.kind !== 'template') throw new Error(line);
    console.log(line);
  } finally {
    signal.dispose();
    await scanner.close();
  }
}
