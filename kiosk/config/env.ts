/**
 * Environment overrides: every config leaf has one variable, `KIOSK_` + its path in upper snake
 * case (web.port -> KIOSK_WEB_PORT, devices.cashAcceptor.path -> KIOSK_DEVICES_CASH_ACCEPTOR_PATH).
 * The names are derived from the schema, so a new key gets its variable without a second list.
 */
import type { z } from 'zod';

type LeafKind = 'number' | 'string' | 'boolean' | 'array' | 'numberArray' | 'other';

export interface EnvKey {
  name: string;
  path: string[];
  kind: LeafKind;
}

/** names that are not config leaves but are read elsewhere (KIOSK_TEST_ARTIFACTS: the test run's artefact folder, set by npm test for every child) */
export const RESERVED_ENV = new Set(['KIOSK_CONFIG', 'KIOSK_TEST_ARTIFACTS']);
/** short names kept for the tools and tests that already use them */
export const ENV_ALIASES: Record<string, string[]> = { KIOSK_BRIDGE_TOKEN: ['web', 'bridgeToken'] };

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
  element?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (def.innerType && ['default', 'optional', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

const snake = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

export function envKeys(schema: z.ZodType, prefix: string[] = []): EnvKey[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([key, child]) => envKeys(child, [...prefix, key]));
  }
  if (def.type === 'array' && def.element && defOf(unwrap(def.element)).type === 'number') {
    return [{ name: `KIOSK_${prefix.map(snake).join('_')}`, path: prefix, kind: 'numberArray' }];
  }
  const kind: LeafKind = def.type === 'number' || def.type === 'string' || def.type === 'boolean' || def.type === 'array' ? def.type : 'other';
  return [{ name: `KIOSK_${prefix.map(snake).join('_')}`, path: prefix, kind }];
}

/** Leaves a malformed value as the raw string so the schema reports it with the value seen. */
export function coerceEnv(raw: string, kind: LeafKind): unknown {
  if (kind === 'number') return /^-?[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (kind === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (kind === 'array') return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (kind === 'numberArray') return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => (/^-?[0-9]+$/.test(s) ? Number(s) : s));
  return raw;
}
