import { useContext, useEffect, useState } from 'react';
import { FrozenClock } from '../app/view-context.js';

/** The current time, refreshed every half second while a countdown is on screen. */
export function useNow(active = true): number {
  const frozen = useContext(FrozenClock);
  const [now, setNow] = useState(() => frozen ?? Date.now());
  useEffect(() => {
    if (frozen !== null || !active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [frozen, active]);
  return frozen ?? now;
}

export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
