/**
 * Fault injection for the terminal API. Admin routes are exempt, so a test can always switch a
 * fault off again. Fault expiry runs on the real monotonic clock, not the ledger's injectable one,
 * so moving the bank's business time never ends a fault by surprise.
 */
import { z } from 'zod';

export const FaultMode = z.enum(['down', 'slow', 'error', 'timeout', 'ackLoss']);
export type FaultMode = z.infer<typeof FaultMode>;

export const FaultRequest = z.object({
  mode: FaultMode,
  /** share of terminal requests affected, 0..1 (default 1) */
  rate: z.number().min(0).max(1).optional(),
  /** the fault switches itself off after this long (default: until DELETE /admin/faults) */
  durationMs: z.number().int().positive().optional(),
  /** added latency for mode "slow" (default 2000 ms) */
  delayMs: z.number().int().nonnegative().max(600_000).optional(),
});
export type FaultRequest = z.infer<typeof FaultRequest>;

export interface ActiveFault {
  mode: FaultMode;
  rate: number;
  delayMs: number;
  until: number | null;
}

export class FaultInjector {
  private active: ActiveFault | null = null;

  constructor(
    private readonly clock: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {}

  set(request: FaultRequest): ActiveFault {
    this.active = {
      mode: request.mode,
      rate: request.rate ?? 1,
      delayMs: request.delayMs ?? 2000,
      until: request.durationMs === undefined ? null : this.clock() + request.durationMs,
    };
    return this.active;
  }

  clear(): void {
    this.active = null;
  }

  current(): ActiveFault | null {
    if (this.active !== null && this.active.until !== null && this.clock() >= this.active.until) this.active = null;
    return this.active;
  }

  /** the fault to play on this request, if any (rolls the rate dice once per request) */
  pick(): ActiveFault | null {
    const fault = this.current();
    if (fault === null) return null;
    return fault.rate >= 1 || this.random() < fault.rate ? fault : null;
  }
}
