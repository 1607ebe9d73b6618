/** waits `ms` milliseconds */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How a wait that ran out is reported: the name of what was awaited ("<what> did not answer within
 * <ms> ms"), or the whole message made from the limit, for a caller whose reader expects other words.
 */
export type TimeoutMessage = string | ((ms: number) => string);

/** Every I/O wait has an end: `promise`, or a rejection after `ms` described by `what`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: TimeoutMessage): Promise<T> {
  const message = typeof what === 'string' ? `${what} did not answer within ${ms} ms` : what(ms);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
