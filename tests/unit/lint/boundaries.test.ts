/**
 * The layer boundaries of eslint.config.js, run through ESLint's own API over the real config: each
 * rule fires on a deliberate violation written as a file of that layer, and a permitted import of the
 * same layer passes. The probe files are never written; only their paths decide which rules apply.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let eslint: ESLint;

/** the messages of the import-boundary rule for `code` as if it were the file at `path` */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: `${root}${path}` });
  if (!result) throw new Error(`no lint result for ${path}`);
  const unexpected = result.messages.filter((m) => m.fatal);
  if (unexpected.length > 0) throw new Error(`${path} did not parse: ${unexpected.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const use = (names: string, from: string): string => `import type { ${names} } from '${from}';\nexport type Used = ${names.split(',')[0]};`;

beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await boundaryErrors('domain/probe.ts', 'export const warm = 1;'); // loads the config and parsers once
}, 60_000);

describe('import boundaries', () => {
  it('domain/ imports nothing of ours, only its own files and packages', async () => {
    expect(await boundaryErrors('domain/probe.ts', use('Snapshot', '../kiosk/bridge/schema.js'))).toEqual([
      expect.stringContaining('domain/ imports nothing of ours'),
    ]);
    expect(await boundaryErrors('domain/probe.ts', use('ByteTransport', '../drivers/common/serial-transport.js'))).toHaveLength(1);
    expect(await boundaryErrors('domain/probe.ts', `${use('Tiyn', './money.js')}\nimport { z } from 'zod';\nexport const n = z.number();`)).toEqual([]);
  });

  it('kiosk/ never imports the simulators or main/', async () => {
    expect(await boundaryErrors('kiosk/config/probe.ts', use('DeviceEmulator', '../../simulators/devices/emulator.js'))).toEqual([
      expect.stringContaining('never imports the simulators'),
    ]);
    expect(await boundaryErrors('kiosk/devices/probe.ts', use('KioskAppPaths', '../../main/app.js'))).toEqual([
      expect.stringContaining('Only the Electron shell imports main/'),
    ]);
    expect(await boundaryErrors('kiosk/devices/probe.ts', use('DeviceKind', '../../domain/devices.js'))).toEqual([]);
    expect(await boundaryErrors('kiosk/devices/probe.ts', use('ByteTransport', '../../drivers/common/serial-transport.js'))).toEqual([]);
  });

  it('kiosk/ and drivers/ never import electron', async () => {
    expect(await boundaryErrors('kiosk/runtime/probe.ts', use('BrowserWindow', 'electron'))).toEqual([
      expect.stringContaining('Only main/'),
    ]);
    expect(await boundaryErrors('drivers/printer/probe.ts', use('BrowserWindow', 'electron'))).toHaveLength(1);
  });

  it('drivers/ never import the kiosk, the simulators or main/', async () => {
    expect(await boundaryErrors('drivers/dispenser/probe.ts', use('KioskConfig', '../../kiosk/config/schema.js'))).toEqual([
      expect.stringContaining('Drivers know devices, not the kiosk'),
    ]);
    expect(await boundaryErrors('drivers/dispenser/probe.ts', use('LcdmDevice', '../../simulators/devices/dispenser/lcdm-device.js'))).toEqual([
      expect.stringContaining('never imports the simulators'),
    ]);
    expect(await boundaryErrors('drivers/dispenser/probe.ts', use('KioskAppPaths', '../../main/app.js'))).toEqual([
      expect.stringContaining('Only the Electron shell imports main/'),
    ]);
    expect(await boundaryErrors('drivers/dispenser/probe.ts', `${use('Tiyn', '../../domain/money.js')}\n${use('LinkState', '../common/device.js').replace('Used', 'Link')}`)).toEqual([]);
  });

  it('main/ reaches the kiosk only through kiosk/index.ts', async () => {
    expect(await boundaryErrors('main/probe.ts', use('Snapshot', '../kiosk/bridge/schema.js'))).toEqual([
      expect.stringContaining('only through its public entry, kiosk/index.ts'),
    ]);
    expect(await boundaryErrors('main/probe.ts', use('MoneyStore', '../kiosk/store/money-store.js'))).toHaveLength(1);
    expect(await boundaryErrors('main/probe.ts', use('DeviceEmulator', '../simulators/devices/emulator.js'))).toEqual([
      expect.stringContaining('never imports the simulators'),
    ]);
    expect(await boundaryErrors('main/probe.ts', use('Snapshot', '../kiosk/index.js'))).toEqual([]);
  });

  it('the renderer imports only the bridge schema and domain/', async () => {
    const screen = 'renderer/src/screens/Probe.tsx';
    expect(await boundaryErrors(screen, use('SessionMachine', '../../../kiosk/session/machine.js'))).toEqual([
      expect.stringContaining('only kiosk/bridge/schema.ts and domain/'),
    ]);
    expect(await boundaryErrors(screen, use('BridgeLink', '../../../kiosk/bridge/bridge-link.js'))).toHaveLength(1);
    expect(await boundaryErrors(screen, use('CashAcceptor', '../../../drivers/cash-acceptor/cash-acceptor.js'))).toHaveLength(1);
    expect(await boundaryErrors(screen, use('DeviceEmulator', '../../../simulators/devices/emulator.js'))).toHaveLength(1);
    expect(await boundaryErrors(screen, `import { readFileSync } from 'node:fs';\nexport const r = readFileSync;`)).toEqual([
      expect.stringContaining('never touches Node or devices'),
    ]);
    expect(await boundaryErrors(screen, `${use('Snapshot', '../../../kiosk/bridge/schema.js')}\n${use('Tiyn', '../../../domain/money.js').replace('Used', 'Money')}`)).toEqual([]);
  });

  it('the bank wire format does not import the bridge schema', async () => {
    expect(await boundaryErrors('kiosk/bank/wire.ts', use('Operation', '../bridge/schema.js'))).toEqual([
      expect.stringContaining('The bank wire format is not the UI contract'),
    ]);
    expect(await boundaryErrors('kiosk/bank/wire.ts', use('Operation', '../../domain/operations.js'))).toEqual([]);
    // the bank module keeps the kiosk's own rules too
    expect(await boundaryErrors('kiosk/bank/wire.ts', use('CustomerRow', '../../simulators/bank/customers.js'))).toHaveLength(1);
  });
});
