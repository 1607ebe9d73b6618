/**
 * Technician command for the card reader (see scripts/device.ts). The driver never hands out track
 * data; of what it does hand out, only the masked PAN (first 6, last 4) is printed.
 */
import { parseArgs } from 'node:util';
import { HidCardReader } from '../drivers/card-reader/hid-card-reader.js';
import type { CardReaderEvents } from '../drivers/card-reader/card-reader.js';
import { hidTransport, kioskConfig, timeoutMs, untilSignal, waitFor, withinSeconds } from './device-common.js';
import { withTimeout } from '../domain/async.js';

export const cardHelp = `card <swipe> [--port PATH] [--timeout S]
  swipe   wait for one swipe (default 30 s) and print the masked PAN, or why the card was not read`;

/** what the tool prints for one swipe: nothing but the masked PAN or the read error */
export function describeSwipe(event: CardReaderEvents['cardInserted']): string {
  return 'card' in event ? `card read: ${event.card.maskedPan}` : `card not read: ${event.error}`;
}

export async function card(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, timeout: { type: 'string' } } });
  if (command !== 'swipe') throw new Error(`unknown command "${command}"\n${cardHelp}`);
  const wait = timeoutMs(values.timeout, 30);
  const { transport, where } = hidTransport('cardReader', values.port);
  const reader = new HidCardReader({ transport, tokenKey: kioskConfig().card.tokenKey });
  const signal = untilSignal();
  try {
    const swiped = new Promise<CardReaderEvents['cardInserted']>((r) => reader.once('cardInserted', r));
    await reader.open();
    await waitFor(() => reader.status().link === 'online', `card reader at ${where}`, 5_000);
    console.log(`card reader at ${where}: online; swipe a card (${wait / 1000} s)`);
    const event = await withTimeout(Promise.race([swiped, signal.promise]), wait, withinSeconds('no card swiped'));
    if (event === 'signal') return;
    if (!('card' in event)) throw new Error(describeSwipe(event));
    console.log(describeSwipe(event));
  } finally {
    signal.dispose();
    await reader.close();
  }
}
