import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** a fresh bridge token for this launch: 32 random bytes, URL-safe */
export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** constant-time comparison that does not reveal the expected token's length either */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
