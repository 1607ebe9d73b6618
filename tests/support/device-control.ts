/**
 * The device simulators' control API as typed calls: the customer's hands (notes, cash, card,
 * palm), the technician's (service switch, safe door, loading), fault injection and what the
 * printer printed.
 */
import { z } from 'zod';
import type { DeviceKind } from '../../simulators/devices/emulator.js';
import { jsonClient } from './http-json.js';

export const DeviceInfo = z.object({
  kind: z.enum(['cashAcceptor', 'dispenser', 'printer', 'cardReader', 'palm', 'cabinet']),
  protocol: z.string(),
  endpoint: z.union([
    z.object({ type: z.literal('serial'), path: z.string(), baudRate: z.number().int() }),
    z.object({ type: z.literal('hidSocket'), path: z.string() }),
  ]),
  faults: z.array(z.string()),
  state: z.record(z.string(), z.unknown()),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const PrintedReceipt = z.object({ index: z.number().int() }).loose();
export type PrintedReceipt = z.infer<typeof PrintedReceipt>;

const Ok = z.object({ ok: z.literal(true) }).loose();

export interface CardFace {
  pan: string;
  expiry: string;
  name: string;
}

export class DeviceControl {
  readonly #http;

  constructor(readonly baseUrl: string) {
    this.#http = jsonClient(baseUrl);
  }

  devices(): Promise<DeviceInfo[]> {
    return this.#http.call('GET', '/devices', z.array(DeviceInfo));
  }

  async device(kind: DeviceKind): Promise<DeviceInfo> {
    const found = (await this.devices()).find((d) => d.kind === kind);
    if (!found) throw new Error(`device simulators host no ${kind}`);
    return found;
  }

  /** a genuine note of `denomination` tenge into the acceptor */
  async insertNote(denomination: number): Promise<void> {
    await this.#http.call('POST', '/cash-acceptor/insert', Ok, { denomination });
  }

  async insertCounterfeit(): Promise<void> {
    await this.#http.call('POST', '/cash-acceptor/insert', Ok, { counterfeit: true });
  }

  /** the customer takes the presented notes */
  async takeCash(): Promise<void> {
    await this.#http.call('POST', '/dispenser/take', Ok);
  }

  async loadCassettes(cassettes: Array<{ denomination: number; count: number }>): Promise<void> {
    await this.#http.call('POST', '/dispenser/load', Ok, { cassettes });
  }

  async insertCard(card: CardFace): Promise<void> {
    await this.#http.call('POST', '/card-reader/insert', Ok, { pan: card.pan, expiry: card.expiry, name: card.name });
  }

  async insertDamagedCard(damaged: 'badLrc' | 'unreadable'): Promise<void> {
    await this.#http.call('POST', '/card-reader/insert', Ok, { damaged });
  }

  async removeCard(): Promise<void> {
    await this.#http.call('POST', '/card-reader/remove', Ok);
  }

  /** holds a palm over the scanner; `{ fake: true }` fails liveness */
  async presentPalm(subject: string | { fake: true }): Promise<{ capturing: boolean }> {
    const body = typeof subject === 'string' ? { subject } : subject;
    return this.#http.call('POST', '/palm/present', Ok.extend({ capturing: z.boolean() }), body);
  }

  async serviceSwitch(open: boolean): Promise<{ delivered: boolean }> {
    return this.#http.call('POST', '/service-switch', Ok.extend({ delivered: z.boolean() }), { open });
  }

  async safeDoor(open: boolean): Promise<{ delivered: boolean }> {
    return this.#http.call('POST', '/cabinet/door', Ok.extend({ delivered: z.boolean() }), { open });
  }

  async setFault(device: DeviceKind, fault: string, params?: Record<string, unknown>): Promise<void> {
    await this.#http.call('POST', '/faults', Ok, { device, fault, ...(params ? { params } : {}) });
  }

  async clearFaults(): Promise<void> {
    await this.#http.call('DELETE', '/faults', Ok);
  }

  receipts(): Promise<PrintedReceipt[]> {
    return this.#http.call('GET', '/printer/receipts', z.array(PrintedReceipt));
  }

  async loadPaper(lines?: number): Promise<void> {
    await this.#http.call('POST', '/printer/load-paper', Ok, lines === undefined ? {} : { lines });
  }
}
