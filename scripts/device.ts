/**
 * Technician's device tool: `npm run device -- <kind> <command> [options]`.
 * Talks to the real device (or an emulator's pty or socket) with the kiosk's own drivers. One entry per
 * kind. The printer, card, palm and cabinet tools take their device settings from the kiosk's config.
 */
import { cashAcceptor, cashAcceptorHelp, dispenser, dispenserHelp } from './device-cash.js';
import { cabinet, cabinetHelp } from './device-cabinet.js';
import { card, cardHelp } from './device-card.js';
import { palm, palmHelp } from './device-palm.js';
import { printer, printerHelp } from './device-printer.js';

const kinds: Record<string, { run: (command: string, argv: string[]) => Promise<void>; help: string }> = {
  'cash-acceptor': { run: cashAcceptor, help: cashAcceptorHelp },
  dispenser: { run: dispenser, help: dispenserHelp },
  printer: { run: printer, help: printerHelp },
  card: { run: card, help: cardHelp },
  palm: { run: palm, help: palmHelp },
  cabinet: { run: cabinet, help: cabinetHelp },
};

const [kind, command, ...rest] = process.argv.slice(2);
const entry = kind ? kinds[kind] : undefined;
if (!entry || !command) {
  console.log('usage: npm run device -- <kind> <command> [options]\n');
  for (const k of Object.values(kinds)) console.log(`${k.help}\n`);
  process.exit(kind ? 1 : 0);
}
entry.run(command, rest).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
