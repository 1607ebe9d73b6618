/**
 * Reconnect delays for links that come and go (unplugged USB, restarted simulator): the first
 * retry is quick, then the delay doubles up to a cap so a missing device does not spin the CPU.
 */
export class Backoff {
  #next: number;

  constructor(
    private readonly firstMs = 250,
    private readonly maxMs = 5_000,
  ) {
    this.#next = firstMs;
  }

  /** the delay to wait now; the following call returns a longer one */
  take(): number {
    const delay = this.#next;
    this.#next = Math.min(this.#next * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.#next = this.firstMs;
  }
}
