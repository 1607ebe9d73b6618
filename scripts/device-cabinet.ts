/** Technician commands for the cabinet sensor board: service switch and safe door (see scripts/device.ts). */
import { parseArgs } from 'node:util';
import { HidCabinet } from '../drivers/cabinet/hid-cabinet.js';
import type { CabinetStatus } from '../drivers/cabinet/cabinet.js';
import { hidTransport, timeoutMs, untilSignal, waitFor, withinSeconds } from './device-common.js';
import { withTimeout } from '../domain/async.js';

export const cabinetHelp = `cabinet <status|watch> [--port PATH] [--timeout S]
  status   ask the board and print the service switch and safe door state
  watch    print every change until Ctrl-C (or --timeout)`;

const word = (open: boolean | undefined): string => (open === undefined ? 'unknown' : open ? 'OPEN' : 'closed');
export const describeCabinet = (s: CabinetStatus): string => `service switch ${word(s.serviceSwitchOpen)}, safe door ${word(s.safeDoorOpen)}`;

export async function cabinet(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, timeout: { type: 'string' } } });
  if (command !== 'status' && command !== 'watch') throw new Error(`unknown command "${command}"\n${cabinetHelp}`);
  const wait = timeoutMs(values.timeout, command === 'watch' ? 3600 : 5);
  const { transport, where } = hidTransport('cabinet', values.port);
  const board = new HidCabinet({ transport, replyTimeoutMs: Math.min(wait, 5_000) });
  const signal = untilSignal();
  try {
    await board.open();
    await waitFor(() => board.status().link === 'online', `cabinet board at ${where}`, Math.min(wait, 5_000));
    await withTimeout(board.refresh(), wait, withinSeconds(`cabinet board at ${where} did not report its state`));
    console.log(`cabinet board at ${where}: ${describeCabinet(board.status())}`);
    if (command === 'status') return;
    const stamp = (): string => new Date().toISOString();
    board.on('serviceSwitch', ({ open }) => console.log(`${stamp()} service switch ${word(open)}`));
    board.on('safeDoor', ({ open }) => console.log(`${stamp()} safe door ${word(open)}`));
    board.on('offline', ({ reason }) => console.log(`${stamp()} board offline: ${reason}`));
    console.log('watching (Ctrl-C to stop)');
    await Promise.race([signal.promise, new Promise((r) => setTimeout(r, wait).unref())]);
  } finally {
    signal.dispose();
    await board.close();
  }
}
