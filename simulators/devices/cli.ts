/**
 * `npm run sim:devices`: starts every device emulator and the control API.
 * Env: SIM_DEVICES_HOST (127.0.0.1), SIM_DEVICES_PORT (7400), SIM_RUN_DIR (data/run),
 * SIM_DISPENSER_CASSETTES_TENGE (e.g. "5000,10000": the notes in the upper and lower cassette, whole
 * tenge; the kiosk's devices.dispenser.cassettesTenge, so both ends of the wire agree),
 * SIM_CASH_ACCEPTOR_PROTOCOL or `--cash-acceptor-protocol ccnet|id003` (default ccnet; the kiosk's
 * devices.cashAcceptor.protocol; GET /devices reports the one running),
 * SIM_DISPENSER_PRESENTER ("true" / "false", default false: a stock LCDM; the kiosk's devices.dispenser.presenter).
 * SIM_CASH_ACCEPTOR_STATE_FILE (default <SIM_RUN_DIR>/cash-acceptor.state.json): the acceptor's cash box
 * and a note caught in its path when it died, kept across restarts as a real validator's box survives a
 * power cut; the note is reported at power-up (CCNET 11 / 12, ID003 41 / 42). Delete it for an empty box.
 * SIM_PRINTER_ESC_T (e.g. "kz1048:53,cp866:17,wpc1251:46", Epson's numbering by default): which ESC t
 * number selects which table on the emulated printer model; a table left out is one the model lacks.
 * SIM_PRINTER_DOT_WIDTH (default 576): the emulated head's dots per line (the kiosk's devices.printer.dotWidth).
 */
import { resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { buildControlServer } from './control-server.js';
import { emulatorFactories } from './registry.js';
import { DispenserEmulator } from './dispenser/emulator.js';
import { parseEscTNumbering, type EscTNumbering } from '../../drivers/printer/code-page.js';

const NOMINAL_LOAD = 100;

/** "5000,10000" -> two positive whole-tenge denominations, or a one-line reason */
function cassettesFrom(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length !== 2 || !parts.every((p) => /^[1-9][0-9]{0,5}$/.test(p))) {
    throw new Error(`SIM_DISPENSER_CASSETTES_TENGE must be two whole-tenge denominations such as "5000,10000" (got "${raw}")`);
  }
  return parts.map(Number);
}

/** `--cash-acceptor-protocol X` wins over SIM_CASH_ACCEPTOR_PROTOCOL */
function acceptorProtocolFrom(argv: readonly string[], env: NodeJS.ProcessEnv): 'ccnet' | 'id003' {
  const at = argv.indexOf('--cash-acceptor-protocol');
  const raw = at >= 0 ? argv[at + 1] : env.SIM_CASH_ACCEPTOR_PROTOCOL;
  if (raw === undefined || raw === '') return 'ccnet';
  if (raw !== 'ccnet' && raw !== 'id003') throw new Error(`the cash acceptor protocol must be "ccnet" or "id003" (got "${raw}")`);
  return raw;
}

function printerEscTFrom(env: NodeJS.ProcessEnv): EscTNumbering | undefined {
  const raw = env.SIM_PRINTER_ESC_T;
  if (raw === undefined || raw === '') return undefined;
  try {
    return parseEscTNumbering(raw);
  } catch (err) {
    throw new Error(`SIM_PRINTER_ESC_T ${err instanceof Error ? err.message : String(err)} (got "${raw}")`);
  }
}

function printerDotWidthFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SIM_PRINTER_DOT_WIDTH;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^[0-9]+$/.test(raw) || n < 64 || n > 2040 || n % 8 !== 0) throw new Error(`SIM_PRINTER_DOT_WIDTH must be a multiple of 8 from 64 to 2040 (got "${raw}")`);
  return n;
}

async function main(): Promise<void> {
  const host = process.env.SIM_DEVICES_HOST ?? '127.0.0.1';
  const port = Number(process.env.SIM_DEVICES_PORT ?? 7400);
  const runDir = resolve(process.env.SIM_RUN_DIR ?? 'data/run');
  await mkdir(runDir, { recursive: true });
  const cashAcceptorProtocol = acceptorProtocolFrom(process.argv.slice(2), process.env);
  const presenter = process.env.SIM_DISPENSER_PRESENTER ?? 'false';
  if (presenter !== 'true' && presenter !== 'false') throw new Error(`SIM_DISPENSER_PRESENTER must be "true" or "false" (got "${presenter}")`);
  const stateFile = process.env.SIM_CASH_ACCEPTOR_STATE_FILE;
  const printerEscT = printerEscTFrom(process.env);
  const printerDotWidth = printerDotWidthFrom(process.env);
  const emulators = emulatorFactories.map((make) =>
    make({
      runDir, cashAcceptorProtocol, dispenserPresenter: presenter === 'true',
      ...(stateFile ? { cashAcceptorStateFile: resolve(stateFile) } : {}),
      ...(printerEscT ? { printerEscT } : {}),
      ...(printerDotWidth ? { printerDotWidth } : {}),
    }));
  const cassettes = process.env.SIM_DISPENSER_CASSETTES_TENGE;
  if (cassettes) {
    const load = cassettesFrom(cassettes).map((denomination) => ({ denomination, count: NOMINAL_LOAD }));
    for (const e of emulators) if (e instanceof DispenserEmulator) e.load(load);
  }
  for (const e of emulators) await e.start();
  const app = buildControlServer({ emulators });
  await app.listen({ host, port });
  console.log(`device simulators: control API http://${host}:${port}`);
  for (const e of emulators) console.log(`  ${e.kind} (${e.protocol}) at ${e.endpoint.path}`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    for (const e of emulators) await e.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`device simulators failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
