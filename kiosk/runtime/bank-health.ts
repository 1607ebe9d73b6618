/**
 * The bank's reachability as the session sees it: every call through this wrapper that gets an
 * answer (a refusal included) says "online", every BankUnavailableError says "offline". While
 * offline a cheap idempotent call probes the gateway now and then, so the menu comes back without
 * waiting for a customer to try.
 */
import { BankUnavailableError, type BankApi } from '../bank/bank-api.js';

export interface WatchedBank {
  bank: BankApi;
  stop(): void;
}

export function watchBank(inner: BankApi, onChange: (online: boolean) => void, options: { probeMs?: number } = {}): WatchedBank {
  let online = true;
  let probe: NodeJS.Timeout | undefined;
  const set = (next: boolean): void => {
    if (next === online) return;
    online = next;
    onChange(next);
    if (!next && !probe) {
      probe = setInterval(() => void inner.services().then(() => set(true), () => undefined), options.probeMs ?? 15_000);
      probe.unref?.();
    }
    if (next && probe) {
      clearInterval(probe);
      probe = undefined;
    }
  };
  const bank = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          set(true);
          return result;
        } catch (err) {
          if (err instanceof BankUnavailableError) set(false);
          throw err;
        }
      };
    },
  });
  return {
    bank,
    stop() {
      if (probe) clearInterval(probe);
      probe = undefined;
    },
  };
}
