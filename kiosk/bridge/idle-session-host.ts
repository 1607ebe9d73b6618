/**
 * The smallest SessionHost that lets the UI run end to end before the session machine is wired in:
 * the attract screen, language choice, and "start" leading to the start screen. Anything else is
 * refused as not allowed; cancel, back and finish return to the attract screen.
 */
import type { Devices, Intent, Locale, Snapshot } from './schema.js';
import type { IntentRefusal, SessionHost } from './session-host.js';

const NO_DEVICES: Devices = { cashAcceptor: 'absent', dispenser: 'absent', printer: 'absent', cardReader: 'absent', palm: 'absent', bank: 'offline' };

export class IdleSessionHost implements SessionHost {
  #snapshot: Snapshot;
  readonly #listeners = new Set<(s: Snapshot) => void>();

  constructor(locale: Locale = 'ru', devices: Devices = NO_DEVICES) {
    this.#snapshot = IdleSessionHost.attract(locale, devices);
  }

  static attract(locale: Locale, devices: Devices): Snapshot {
    return { state: 'idle', screen: 'attract', locale, operations: [], devices };
  }

  snapshot(): Snapshot {
    return this.#snapshot;
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispatch(intent: Intent): IntentRefusal | void {
    const s = this.#snapshot;
    const notAllowed: IntentRefusal = { code: 'notAllowed', reason: `${intent.name} is not allowed in state ${s.state}` };
    switch (intent.name) {
      case 'setLocale':
        if (intent.payload.locale !== s.locale) this.#set({ ...s, locale: intent.payload.locale });
        return;
      case 'start':
        if (s.screen !== 'attract') return notAllowed;
        this.#set({
          state: 'start',
          screen: 'start',
          locale: s.locale,
          operations: [],
          identificationMethods: ['phone', 'iin', 'card', 'palm', 'qr'],
          devices: s.devices,
        });
        return;
      case 'cancel':
      case 'back':
      case 'finish':
        if (s.screen === 'attract') return notAllowed;
        this.#set(IdleSessionHost.attract(s.locale, s.devices));
        return;
      default:
        return notAllowed;
    }
  }

  #set(next: Snapshot): void {
    this.#snapshot = next;
    for (const listener of this.#listeners) listener(next);
  }
}
