/**
 * Loads the configuration: defaults, then the JSON file (KIOSK_CONFIG, or config/kiosk.json when
 * present), then KIOSK_* environment overrides, validated by one strict schema. Any problem becomes
 * a ConfigError whose message is one line naming the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { defaultEndpointName, RUN_DIR_NAME, type DeviceKind } from '../../domain/devices.js';
import { ENV_ALIASES, RESERVED_ENV, coerceEnv, envKeys, type EnvKey } from './env.js';
import { ConfigSchema, type KioskConfig } from './schema.js';
import { EPSON_ESC_T } from '../../drivers/printer/code-page.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(`config error: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function readFile(path: string, origin: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${origin}: cannot read file (${code ?? String(err)}) (got "${path}")`);
  }
  return parseConfigText(text, path);
}

/** the config file's text as the JSON object it must hold; anything else is a ConfigError */
export function parseConfigText(text: string, path: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(parsed)) throw new ConfigError(`${path}: must hold a JSON object`);
  return parsed;
}

function setPath(target: Json, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isObject(next)) node[key] = {};
    node = node[key] as Json;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

function getPath(source: unknown, path: readonly PropertyKey[]): unknown {
  let node = source;
  for (const key of path) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function formatIssue(issue: z.core.$ZodIssue, input: unknown, fromEnv: Map<string, string>): string {
  if (issue.code === 'unrecognized_keys') {
    const where = [...issue.path.map(String), issue.keys[0] ?? '?'].join('.');
    const more = issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : '';
    return `${where}: unknown key${more}`;
  }
  const key = issue.path.map(String).join('.') || '(root)';
  const value = getPath(input, issue.path);
  const shown = SECRET_KEYS.has(String(issue.path.at(-1))) ? '<hidden>' : JSON.stringify(value);
  // an element of a list names the variable that carried the whole list
  const envName = issue.path.map((_, i) => fromEnv.get(issue.path.slice(0, issue.path.length - i).map(String).join('.'))).find((n) => n !== undefined);
  const got = value === undefined ? '' : ` (got ${shown}${envName ? ` from ${envName}` : ''})`;
  return `${key}: ${issue.message}${got}`;
}

/** keys whose values never appear in an error message */
const SECRET_KEYS = new Set(['tokenKey', 'technicianCode', 'bridgeToken']);

/** the schema's KIOSK_* names, derived once: walking the schema costs more than a whole load */
let envIndexCache: { keys: EnvKey[]; byName: Map<string, EnvKey> } | undefined;
function envIndex(): { keys: EnvKey[]; byName: Map<string, EnvKey> } {
  if (envIndexCache === undefined) {
    const keys = envKeys(ConfigSchema);
    envIndexCache = { keys, byName: new Map(keys.map((k) => [k.name, k] as const)) };
  }
  return envIndexCache;
}

const serialKinds = ['cashAcceptor', 'dispenser', 'printer'] as const;
const hidKinds = ['cardReader', 'palm', 'cabinet'] as const;

export function loadConfig(options: LoadOptions = {}): KioskConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();

  const explicit = env.KIOSK_CONFIG;
  const fallback = join(cwd, 'config', 'kiosk.json');
  const input: Json = explicit ? readFile(resolve(cwd, explicit), 'KIOSK_CONFIG') : existsSync(fallback) ? readFile(fallback, 'config/kiosk.json') : {};
  return resolveConfig(input, env, cwd);
}

/** the file's object (modified in place) with the KIOSK_* overrides from env applied, validated, paths resolved against cwd */
export function resolveConfig(input: Json, env: NodeJS.ProcessEnv, cwd: string): KioskConfig {
  const { keys, byName } = envIndex();
  const fromEnv = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('KIOSK_') || raw === undefined || RESERVED_ENV.has(name)) continue;
    const alias = ENV_ALIASES[name];
    const key = alias ? keys.find((k) => k.path.join('.') === alias.join('.')) : byName.get(name);
    if (!key) throw new ConfigError(`${name}: unknown environment variable (no such config key)`);
    setPath(input, key.path, coerceEnv(raw, key.kind));
    fromEnv.set(key.path.join('.'), name);
  }

  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const [first] = result.error.issues;
    const more = result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : '';
    throw new ConfigError(first ? formatIssue(first, input, fromEnv) + more : 'invalid configuration');
  }
  const c = result.data;
  const dataDir = resolve(cwd, c.dataDir);
  const runPath = (kind: DeviceKind): string => join(dataDir, RUN_DIR_NAME, defaultEndpointName[kind]);
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));

  const devices = { ...c.devices } as KioskConfig['devices'];
  for (const kind of serialKinds) Object.assign(devices, { [kind]: { ...c.devices[kind], path: abs(c.devices[kind].path ?? runPath(kind)) } });
  devices.printer.escT = c.devices.printer.escT ?? EPSON_ESC_T[c.devices.printer.codePage];
  for (const kind of hidKinds) {
    const d = c.devices[kind];
    const path = d.path ?? (d.transport === 'socket' ? runPath(kind) : undefined);
    devices[kind] = { ...d, ...(path === undefined ? {} : { path: abs(path) }) };
  }
  return {
    ...c,
    dataDir,
    web: { ...c.web, rendererDir: abs(c.web.rendererDir ?? 'renderer/dist') },
    bank: {
      ...c.bank,
      ...(c.bank.caFile ? { caFile: abs(c.bank.caFile) } : {}),
      ...(c.bank.certFile ? { certFile: abs(c.bank.certFile) } : {}),
      ...(c.bank.keyFile ? { keyFile: abs(c.bank.keyFile) } : {}),
    },
    devices,
    log: { ...c.log, ...(c.log.file ? { file: abs(c.log.file) } : {}) },
    service: {
      ...c.service,
      ...(c.service.usersFile ? { usersFile: abs(c.service.usersFile) } : {}),
      ...(c.service.exportDir ? { exportDir: abs(c.service.exportDir) } : {}),
    },
  };
}

/** every KIOSK_* variable the configuration understands, for the README and `--help` */
export function configEnvNames(): string[] {
  return [...envKeys(ConfigSchema).map((k) => k.name), ...Object.keys(ENV_ALIASES), ...RESERVED_ENV].sort();
}
