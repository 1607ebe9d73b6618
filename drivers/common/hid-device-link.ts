/**
 * A HID driver's view of its transport's link: the state its status() reports, and the one rule
 * all HID drivers share, that an `offline` after close() is the transport's own teardown and is
 * not the device going away. Drivers keep their protocol; this keeps the lifecycle in one place.
 */
import type { LinkState } from './device.js';
import type { HidTransport } from './hid-transport.js';

export interface HidDeviceLinkHandlers {
  /** the transport (re)connected; the state is already 'online' */
  online(): void;
  /** the device went away while the driver was open; the state is already 'offline' */
  offline(reason: string): void;
  /** one input report; the receiver owns the buffer */
  report(report: Uint8Array): void;
  /** close() has marked the link closed and is about to close the transport: settle what waits */
  closing?(): void;
}

export class HidDeviceLink {
  #state: LinkState = 'closed';

  constructor(
    readonly transport: HidTransport,
    private readonly handlers: HidDeviceLinkHandlers,
  ) {
    transport.on('online', () => {
      this.#state = 'online';
      handlers.online();
    });
    transport.on('offline', ({ reason }) => {
      if (this.#state === 'closed') return;
      this.#state = 'offline';
      handlers.offline(reason);
    });
    transport.on('report', (report) => handlers.report(report));
  }

  get state(): LinkState {
    return this.#state;
  }

  async open(): Promise<void> {
    this.#state = 'connecting';
    await this.transport.open();
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    this.handlers.closing?.();
    await this.transport.close();
  }
}
