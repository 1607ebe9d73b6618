/**
 * What the technician sees of the terminal's configuration: the effective values (file, environment
 * and defaults merged) with every secret masked, the app and Node versions, and the device models.
 * A key is a secret by its name (keys, tokens, codes, hashes, PINs, passwords, certificates' private
 * keys), whatever its depth, so a new secret key is masked without a second list to keep.
 */
export const MASKED = '••••••';

const SECRET_KEY = /(key|token|code|hash|pin|secret|password|passphrase)$/i;
/** names that end like a secret but only say where one is or how it is used */
const NOT_SECRET = new Set(['keyFile', 'tokenKeyFile']);

export function maskSecrets(value: unknown, key = ''): unknown {
  if (key !== '' && SECRET_KEY.test(key) && !NOT_SECRET.has(key)) return value === undefined ? undefined : MASKED;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}

export interface DeviceModels {
  cashAcceptor: { protocol: string; model?: string; serial?: string };
  dispenser: { model: string; presenter: boolean; rom?: string };
  printer: { model: string };
  cardReader: { model: string; motorised: boolean };
  palm: { model: string };
  cabinet: { model: string };
}

export function configView(input: { config: unknown; appVersion: string; devices: DeviceModels; endpoints: Record<string, string> }): Record<string, unknown> {
  return {
    action: 'configuration',
    versions: { app: input.appVersion, node: process.version, platform: `${process.platform}-${process.arch}` },
    devices: input.devices,
    endpoints: input.endpoints,
    config: maskSecrets(input.config),
  };
}
