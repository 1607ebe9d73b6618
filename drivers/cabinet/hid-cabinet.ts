/**
 * Driver for the CAB-HID 1 cabinet sensor board over any HidTransport. Asks for the state on
 * every (re)connect, so a switch flipped while the link was down is still reported.
 */
import { HidDeviceLink } from '../common/hid-device-link.js';
import type { HidTransport } from '../common/hid-transport.js';
import { TypedEmitter } from '../common/typed-emitter.js';
import type { CabinetEvents, CabinetSensors, CabinetStatus } from './cabinet.js';
import { decodeCabinetState, encodeGetState, type CabinetState } from './cab-hid-codec.js';

export interface HidCabinetOptions {
  transport: HidTransport;
  /** how long refresh() waits for the board's answer */
  replyTimeoutMs?: number;
}

export class HidCabinet extends TypedEmitter<CabinetEvents> implements CabinetSensors {
  #state: CabinetState | undefined;
  #waiters: (() => void)[] = [];
  readonly #link: HidDeviceLink;

  constructor(private readonly options: HidCabinetOptions) {
    super();
    this.#link = new HidDeviceLink(options.transport, {
      online: () => {
        this.emit('online', {});
        this.refresh().catch(() => undefined); // the board also reports on its next change
      },
      offline: (reason) => this.emit('offline', { reason }),
      report: (report) => this.#onReport(report),
    });
  }

  async open(): Promise<void> {
    await this.#link.open();
  }

  async close(): Promise<void> {
    await this.#link.close();
  }

  status(): CabinetStatus {
    const status: CabinetStatus = { link: this.#link.state };
    if (this.#state) {
      status.serviceSwitchOpen = this.#state.serviceSwitchOpen;
      status.safeDoorOpen = this.#state.safeDoorOpen;
    }
    return status;
  }

  async refresh(): Promise<void> {
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(new Error('cabinet board did not report its state'));
      }, this.options.replyTimeoutMs ?? 1_000);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(done);
    });
    await this.#link.transport.write(encodeGetState());
    await answered;
  }

  #onReport(report: Uint8Array): void {
    const decoded = decodeCabinetState(report);
    if (!decoded.ok) return;
    const next = decoded.state;
    const prev = this.#state;
    this.#state = next;
    if (prev?.serviceSwitchOpen !== next.serviceSwitchOpen) this.emit('serviceSwitch', { open: next.serviceSwitchOpen });
    if (prev?.safeDoorOpen !== next.safeDoorOpen) this.emit('safeDoor', { open: next.safeDoorOpen });
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
