/**
 * The pause between a poll loop's rounds, which something else may cut short: close() so the
 * loop ends at once, a link coming back, or a command that wants the next round now.
 */
export class WakeableSleep {
  #wake: (() => void) | undefined;

  /** resolves after `ms`, or as soon as wake() is called */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  /** ends the sleep in progress; does nothing when the loop is not sleeping */
  wake(): void {
    this.#wake?.();
  }
}
