/**
 * What every HID driver does with its transport's link, whatever the protocol: keep the link
 * state its status() reports, pass `online` and `offline` on to its listeners, and treat an
 * `offline` after close() as the transport's own teardown, not the device going away. A driver
 * extends this and adds its protocol through the hooks below.
 */
import type { LinkState } from './device.js';
import type { HidTransport } from './hid-transport.js';
import { TypedEmitter } from '../../domain/typed-emitter.js';

export interface HidLinkEvents {
  online: Record<string, never>;
  offline: { reason: string };
}

export abstract class HidLinkDriver<Events extends HidLinkEvents> extends TypedEmitter<Events> {
  #link: LinkState = 'closed';

  constructor(protected readonly transport: HidTransport) {
    super();
    transport.on('online', () => {
      this.#link = 'online';
      this.emit('online', {} as Events['online']);
      this.linkUp();
    });
    transport.on('offline', ({ reason }) => {
      if (this.#link === 'closed') return;
      this.#link = 'offline';
      // what waited on the device is settled before listeners hear it is gone
      this.linkLost(reason);
      this.emit('offline', { reason } as Events['offline']);
    });
    transport.on('report', (report) => this.onReport(report));
  }

  protected get link(): LinkState {
    return this.#link;
  }

  async open(): Promise<void> {
    this.#link = 'connecting';
    await this.transport.open();
  }

  async close(): Promise<void> {
    this.#link = 'closed';
    this.closing();
    await this.transport.close();
  }

  /** one input report; the driver owns the buffer */
  protected abstract onReport(report: Uint8Array): void;

  /** after listeners heard `online`: a driver that must ask the device for its state does it here */
  protected linkUp(): void {}

  /** the device went away while open, before listeners hear `offline` */
  protected linkLost(_reason: string): void {}

  /** close() has marked the link closed and is about to close the transport */
  protected closing(): void {}
}
