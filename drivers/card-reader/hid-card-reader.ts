/**
 * Driver for a MagTek-style USB HID swipe reader over any HidTransport. Each input report is
 * one swipe: the driver decodes it, zeroes the report, and hands the core only CardInfo (masked
 * PAN, PAN token, expiry, name). Track data, the PAN and the service code never leave here and
 * are never logged.
 *
 * A swipe reader holds no card: `cardRemoved` is synthetic (see README.md), `eject()` has nothing
 * to move, and `capture()` resolves false.
 */
import { HidLinkDriver } from '../common/hid-link-driver.js';
import type { HidTransport } from '../common/hid-transport.js';
import type { CardInfo, CardReader, CardReaderEvents, CardReaderStatus } from './card-reader.js';
import { maskPan, panToken } from './pan-token.js';
import { decodeSwipe } from './swipe-decoder.js';
import type { LrcMode } from './track-parser.js';

export interface HidCardReaderOptions {
  transport: HidTransport;
  /** key shared with the bank for panToken (config `card.tokenKey`) */
  tokenKey: string;
  /** 'required' when the reader is known to pass the LRC on (the project extension) */
  lrcMode?: LrcMode;
}

export class HidCardReader extends HidLinkDriver<CardReaderEvents> implements CardReader {
  #cardPresent = false;

  constructor(private readonly options: HidCardReaderOptions) {
    super(options.transport);
  }

  status(): CardReaderStatus {
    return { link: this.link, cardPresent: this.#cardPresent, motorised: false };
  }

  /** Nothing to move: the card left the slot with the swipe. Ends the card's presence. */
  async eject(): Promise<void> {
    this.#removed();
  }

  /** A swipe reader cannot retain a card. */
  async capture(): Promise<boolean> {
    return false;
  }

  #removed(): void {
    if (!this.#cardPresent) return;
    this.#cardPresent = false;
    this.emit('cardRemoved', {});
  }

  protected onReport(report: Uint8Array): void {
    let event: CardReaderEvents['cardInserted'];
    try {
      const result = decodeSwipe(report, this.options.lrcMode ?? 'auto');
      event = result.ok ? { card: this.#cardInfo(result.card.pan, result.card.expiry, result.card.name) } : { error: result.error };
    } catch {
      event = { error: 'unreadable' };
    } finally {
      report.fill(0);
    }
    // a new swipe while the previous card was never released: that card is gone
    this.#removed();
    this.#cardPresent = 'card' in event;
    this.emit('cardInserted', event);
  }

  #cardInfo(pan: string, expiry: string, name: string | undefined): CardInfo {
    const info: CardInfo = { maskedPan: maskPan(pan), panToken: panToken(pan, this.options.tokenKey), expiry };
    if (name) info.holderName = name;
    return info;
  }
}
