/**
 * The people allowed into service mode: a personal id, one role, and the PIN kept only as a slow
 * hash (scrypt with its own salt and parameters, so a list stolen from the terminal or the bank
 * does not give the PINs back cheaply). The list comes from a file the bank provisions
 * (`service.usersFile`) and/or from the bank host (`GET /v1/service-users`); both carry hashes only.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const SERVICE_ROLES = ['technician', 'collector'] as const;
export const ServiceRole = z.enum(SERVICE_ROLES);
export type ServiceRole = z.infer<typeof ServiceRole>;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'must be base64' });

/** scrypt's cost parameters are stored with each hash so they can be raised for new entries */
export const PinHash = z
  .object({
    alg: z.literal('scrypt'),
    N: z.number().int().min(1024).max(1_048_576).refine((n) => (n & (n - 1)) === 0, { error: 'must be a power of two' }),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    keyLength: z.number().int().min(16).max(64),
    salt: Base64.min(16).max(88),
    hash: Base64.min(16).max(88),
  })
  .strict();
export type PinHash = z.infer<typeof PinHash>;

export const ServiceUserId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'must be 1-32 letters, digits, _ or -' });

export const ServiceUser = z
  .object({
    id: ServiceUserId,
    role: ServiceRole,
    /** shown on the service screens and slips next to the id (optional; never the PIN) */
    name: z.string().max(64).optional(),
    pin: PinHash,
  })
  .strict();
export type ServiceUser = z.infer<typeof ServiceUser>;

export const ServiceUsersList = z
  .object({ users: z.array(ServiceUser).max(1000) })
  .strict()
  .refine((l) => new Set(l.users.map((u) => u.id)).size === l.users.length, { error: 'a user id appears twice' });

/** ~16 MiB and a few tens of ms per check on a kiosk PC: slow for a guesser, quick enough for a login */
export const DEFAULT_SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;

export const PIN_PATTERN = /^[0-9]{4,8}$/;

function scrypt(pin: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(pin, salt, keyLength, { ...options, maxmem: 256 * options.N! * options.r! + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPin(pin: string, params: { N: number; r: number; p: number; keyLength: number } = DEFAULT_SCRYPT, salt: Buffer = randomBytes(16)): Promise<PinHash> {
  if (!PIN_PATTERN.test(pin)) throw new Error('a PIN is 4-8 digits');
  const key = await scrypt(pin, salt, params.keyLength, { N: params.N, r: params.r, p: params.p });
  return { alg: 'scrypt', N: params.N, r: params.r, p: params.p, keyLength: params.keyLength, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await scrypt(pin, Buffer.from(stored.salt, 'base64'), stored.keyLength, { N: stored.N, r: stored.r, p: stored.p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export class ServiceUsersFileError extends Error {
  override readonly name = 'ServiceUsersFileError';
}

/** reads and checks a provisioned users file; a problem is one line naming the file and the entry */
export function readServiceUsersFile(path: string): ServiceUser[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new ServiceUsersFileError(`cannot read ${path} (${code})`);
  }
  const parsed = ServiceUsersList.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServiceUsersFileError(`${path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data.users;
}

/**
 * The development crew: T001 (technician, PIN 1357) and C001 (collector, PIN 2468), as the users
 * file `config/service-users.dev.json` and the bank simulator's list carry them. Their hashes are
 * fixed so a production terminal can recognise and refuse them (kiosk/config/startup-checks.ts).
 */
export const DEV_SERVICE_USERS: readonly ServiceUser[] = [
  {
    id: 'T001', role: 'technician', name: 'Development technician',
    pin: { alg: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32, salt: 'ZGV2LXRlY2huaWNpYW4tVDAwMQ==', hash: 'ryilX5HJ4wNQoS14fvUp6AQxMPK9ZVULXFfKPLqQcLs=' },
  },
  {
    id: 'C001', role: 'collector', name: 'Development collector',
    pin: { alg: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32, salt: 'ZGV2LWNvbGxlY3Rvci1DMDAxAA==', hash: '9aVdMQq6N0w+ZbOPNSYBKmLX+NZtM24XmJKfuaHACrk=' },
  },
];

/** a provisioned user that is one of the development crew (same hash) */
export const isDevelopmentUser = (u: ServiceUser): boolean => DEV_SERVICE_USERS.some((d) => d.pin.hash === u.pin.hash && d.pin.salt === u.pin.salt);
