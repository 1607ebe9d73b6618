/**
 * Retry delay after `attempt` failed tries: exponential with "full jitter" (a uniform pick between
 * half the ceiling and the ceiling), so a fleet of terminals coming back after a bank outage does
 * not retry in lock step. `random` is injectable for tests.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };

export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const n = Math.max(1, Math.trunc(attempt));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
