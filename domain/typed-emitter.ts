import { EventEmitter } from 'node:events';

/**
 * An EventEmitter whose event names and payloads are checked by the compiler.
 * Drivers extend it so callers can only subscribe to events the device can really emit.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #ee = new EventEmitter();

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#ee.on(event, listener);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#ee.once(event, listener);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#ee.off(event, listener);
    return this;
  }

  protected emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.#ee.emit(event, payload);
  }

  removeAllListeners(): void {
    this.#ee.removeAllListeners();
  }
}
