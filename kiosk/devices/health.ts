/**
 * Health per device, derived from what each driver says about itself. `ok` and `degraded` are
 * usable (degraded: working, but a technician should look: paper near its end, a cassette low);
 * `offline` is not usable, whether the link is down or the device is up but cannot do its job
 * (a jam, paper out, every cassette empty); `absent` is a device this terminal does not have.
 */
import type { DeviceStatusBase } from '../../drivers/common/device.js';
import type { CashAcceptorStatus } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenserStatus } from '../../drivers/dispenser/cash-dispenser.js';
import type { PrinterStatus } from '../../drivers/printer/receipt-printer.js';
import type { Devices } from '../bridge/schema.js';

export type DeviceHealth = Devices['cashAcceptor'];

export const usable = (h: DeviceHealth): boolean => h === 'ok' || h === 'degraded';

/** link first: a device that does not answer is offline whatever it said last */
function linkHealth(s: DeviceStatusBase): DeviceHealth | undefined {
  return s.link === 'online' ? undefined : 'offline';
}

const ACCEPTOR_BLOCKED: ReadonlySet<CashAcceptorStatus['state']> = new Set(['jammed', 'cassetteFull', 'cassetteRemoved', 'failure']);

export function acceptorHealth(s: CashAcceptorStatus): DeviceHealth {
  const link = linkHealth(s);
  if (link) return link;
  if (ACCEPTOR_BLOCKED.has(s.state)) return 'offline';
  return s.fault ? 'degraded' : 'ok';
}

export function dispenserHealth(s: CashDispenserStatus): DeviceHealth {
  const link = linkHealth(s);
  if (link) return link;
  const working = s.cassettes.filter((c) => c.state === 'ok' || c.state === 'low');
  // before the first status read the cassette list is empty: the link alone decides
  if (s.cassettes.length > 0 && working.length === 0) return 'offline';
  if (s.fault || s.cassettes.some((c) => c.state !== 'ok')) return 'degraded';
  return 'ok';
}

export function printerHealth(s: PrinterStatus): DeviceHealth {
  const link = linkHealth(s);
  if (link) return link;
  if (!s.online || s.coverOpen || s.paper === 'out' || s.error) return 'offline';
  return s.fault || s.paper === 'nearEnd' ? 'degraded' : 'ok';
}

/** card reader, palm scanner, cabinet board: the link and any reported fault */
export function linkOnlyHealth(s: DeviceStatusBase): DeviceHealth {
  return linkHealth(s) ?? (s.fault ? 'degraded' : 'ok');
}
