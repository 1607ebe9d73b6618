/**
 * The session host the core serves while the terminal is still opening its devices and settling
 * what a crash left in flight: a "please wait" screen that takes no intents. The web shell is up at
 * once; the real session takes over as soon as it is ready.
 */
import type { Snapshot } from '../bridge/schema.js';
import type { IntentRefusal, SessionHost } from '../bridge/session-host.js';
import type { Locale } from '../bridge/schema.js';

export class StartingHost implements SessionHost {
  readonly #listeners = new Set<(s: Snapshot) => void>();
  #inner: SessionHost | undefined;
  #placeholder: Snapshot;

  constructor(locale: Locale) {
    this.#placeholder = {
      state: 'starting',
      screen: 'pleaseWait',
      locale,
      operations: [],
      devices: { cashAcceptor: 'offline', dispenser: 'offline', printer: 'offline', cardReader: 'offline', palm: 'offline', bank: 'online' },
    };
  }

  snapshot(): Snapshot {
    return this.#inner ? this.#inner.snapshot() : this.#placeholder;
  }

  subscribe(listener: (s: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispatch(intent: Parameters<SessionHost['dispatch']>[0]): IntentRefusal | void {
    if (!this.#inner) return { code: 'notAllowed', reason: `${intent.name} is not allowed while the terminal is starting` };
    return this.#inner.dispatch(intent);
  }

  /** the runtime is ready: its snapshots from now on */
  attach(inner: SessionHost): void {
    this.#inner = inner;
    inner.subscribe((s) => this.#publish(s));
    this.#publish(inner.snapshot());
  }

  /** start-up failed: say so on screen instead of waiting forever */
  fail(): void {
    this.#placeholder = { ...this.#placeholder, state: 'failed', screen: 'outOfService' };
    this.#publish(this.#placeholder);
  }

  #publish(s: Snapshot): void {
    for (const l of this.#listeners) l(s);
  }
}
