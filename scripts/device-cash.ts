/** Technician commands for the cash devices (see scripts/device.ts). */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { CcnetBillValidator } from '../drivers/cash-acceptor/ccnet-driver.js';
import { LcdmDispenser } from '../drivers/dispenser/lcdm-driver.js';
import { SerialTransport } from '../drivers/common/serial-transport.js';
import type { CashAcceptorEvents } from '../drivers/cash-acceptor/cash-acceptor.js';
import { kioskConfig } from './device-common.js';

const runDir = (): string => resolve(process.env.SIM_RUN_DIR ?? 'data/run');
const tenge = (tiyn: number): string => `${tiyn / 100} KZT`;

function waitOnline(isOnline: () => boolean, what: string, ms = 15_000): Promise<void> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const tick = (): void => {
      if (isOnline()) return res();
      if (Date.now() - started > ms) return rej(new Error(`${what} did not come online within ${ms / 1000} s (check the port and cable)`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

const untilSignal = (): Promise<void> => new Promise((r) => {
  process.once('SIGINT', () => r());
  process.once('SIGTERM', () => r());
});

export const cashAcceptorHelp = `cash-acceptor <status|watch|accept|disable> [--port PATH] [--baud 9600] [--stack] [--count N]
  status   initialise, print model, serial, bill table and state
  watch    print every device event (validator stays disabled) until Ctrl-C
  accept   enable every note; each escrowed note is returned (or stacked with --stack); stops after --count notes
  disable  disable acceptance`;

export async function cashAcceptor(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, baud: { type: 'string' }, stack: { type: 'boolean' }, count: { type: 'string' } },
  });
  const path = values.port ?? process.env.CASH_ACCEPTOR_PORT ?? `${runDir()}/cash-acceptor.tty`;
  const baudRate = Number(values.baud ?? 9600);
  const driver = new CcnetBillValidator({ transport: new SerialTransport({ path, baudRate }), baudRate });
  const log = (e: string) => (p: unknown) => console.log(`${new Date().toISOString()} ${e} ${JSON.stringify(p)}`);
  const events: Array<keyof CashAcceptorEvents> = ['online', 'offline', 'escrow', 'stacked', 'returned', 'rejected', 'jammed', 'cassetteFull', 'cassetteRemoved', 'cheated', 'failure'];
  try {
    await driver.open();
    await waitOnline(() => driver.status().link === 'online', `bill validator on ${path}`);
    switch (command) {
      case 'status': {
        const s = driver.status();
        console.log(`bill validator on ${path}: ${s.model ?? '?'} serial ${s.serial ?? '?'}, state ${s.state}`);
        console.log(`bill table: ${s.billTable.map(tenge).join(', ')}`);
        if (s.escrow !== undefined) console.log(`note in escrow: ${tenge(s.escrow)}`);
        if (s.billInPathAtPowerUp) console.log(`note in the ${s.billInPathAtPowerUp} at power-up`);
        break;
      }
      case 'watch':
        for (const e of events) driver.on(e, log(e));
        console.log('watching (Ctrl-C to stop)');
        await untilSignal();
        break;
      case 'accept': {
        const limit = Number(values.count ?? Infinity);
        let seen = 0;
        for (const e of events) driver.on(e, log(e));
        let done: () => void = () => undefined;
        const finished = new Promise<void>((r) => (done = r));
        driver.on('escrow', () => {
          void (values.stack ? driver.stack() : driver.return()).catch((err: unknown) => console.error(String(err)));
        });
        const settle = (): void => {
          if (++seen >= limit) done();
        };
        driver.on('stacked', settle);
        driver.on('returned', settle);
        await driver.enable(driver.status().billTable);
        console.log(`accepting ${driver.status().billTable.map(tenge).join(', ')}; notes are ${values.stack ? 'STACKED' : 'returned'} (Ctrl-C to stop)`);
        await Promise.race([finished, untilSignal()]);
        await driver.disable();
        break;
      }
      case 'disable':
        await driver.disable();
        console.log('disabled');
        break;
      default:
        throw new Error(`unknown command "${command}"\n${cashAcceptorHelp}`);
    }
  } finally {
    await driver.close();
  }
}

export const dispenserHelp = `dispenser <status|purge|test|dispense|present|retract|version> [--port PATH] [--baud 9600] [--upper N] [--lower N] [--cassette 0|1]
  status    cassette states and notes in the presenter
  purge     clear the note path into the reject tray
  test      one note from --cassette (0 upper, 1 lower) to the reject tray
  dispense  count --upper N and --lower N notes into the presenter (shutter stays closed)
  present   open the shutter on the presenter (devices.dispenser.presenter: true only)
  retract   pull presented notes into the retract bin (presenter only)
  version   ROM version`;

export async function dispenser(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' }, baud: { type: 'string' }, upper: { type: 'string' }, lower: { type: 'string' },
      cassette: { type: 'string' }, upper_denomination: { type: 'string' }, lower_denomination: { type: 'string' },
    },
  });
  const path = values.port ?? process.env.DISPENSER_PORT ?? `${runDir()}/dispenser.tty`;
  const baudRate = Number(values.baud ?? 9600);
  const driver = new LcdmDispenser({
    transport: new SerialTransport({ path, baudRate }),
    // the configured cassettes (devices.dispenser.cassettesTenge) unless the flags say otherwise
    denominations: [
      Number(values.upper_denomination ?? kioskConfig().devices.dispenser.cassettesTenge[0]) * 100,
      Number(values.lower_denomination ?? kioskConfig().devices.dispenser.cassettesTenge[1]) * 100,
    ],
    presenter: kioskConfig().devices.dispenser.presenter,
    replyTimeoutMs: 60_000,
  });
  try {
    await driver.open();
    await waitOnline(() => driver.status().link === 'online', `dispenser on ${path}`);
    switch (command) {
      case 'status': {
        const s = await driver.refreshStatus();
        for (const c of s.cassettes) console.log(`cassette ${c.index} (${c.index === 0 ? 'upper' : 'lower'}): ${tenge(c.denomination)} ${c.state}`);
        console.log(s.hasPresenter ? `notes in presenter: ${s.notesInPresenter ?? '?'}` : 'no presenter: notes counted at the exit are paid out');
        break;
      }
      case 'purge':
        await driver.reset();
        console.log('path purged');
        break;
      case 'test': {
        const r = await driver.testDispense(values.cassette === '1' ? 1 : 0);
        console.log(`test dispense: ${r.ok ? 'ok' : 'FAILED'} (${r.message}), ${r.rejected} note(s) to the reject tray`);
        break;
      }
      case 'dispense': {
        const plan = [
          { cassette: 0, count: Number(values.upper ?? 0) },
          { cassette: 1, count: Number(values.lower ?? 0) },
        ].filter((p) => p.count > 0);
        console.log(JSON.stringify(await driver.dispense(plan), null, 2));
        break;
      }
      case 'present':
        console.log(`present: ${await driver.present()}`);
        break;
      case 'retract':
        console.log(`retracted ${(await driver.retract()).retracted} note(s)`);
        break;
      case 'version':
        console.log(`ROM ${await driver.romVersion()}`);
        break;
      default:
        throw new Error(`unknown command "${command}"\n${dispenserHelp}`);
    }
  } finally {
    await driver.close();
  }
}
