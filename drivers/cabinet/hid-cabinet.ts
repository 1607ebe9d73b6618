/**
 * Driver for the CAB-HID 1 cabinet sensor board over any HidTransport. Asks for the state on
 * every (re)connect, so a switch flipped while the link was down is still reported.
 */
import { HidLinkDriver } from '../common/hid-link-driver.js';
import type { HidTransport } from '../common/hid-transport.js';
import type { CabinetEvents, CabinetSensors, CabinetStatus } from './cabinet.js';
import { decodeCabinetState, encodeGetState, type CabinetState } from './cab-hid-codec.js';

export interface HidCabinetOptions {
  transport: HidTransport;
  /** how long refresh() waits for the board's answer */
  replyTimeoutMs?: number;
}

export class HidCabinet extends HidLinkDriver<CabinetEvents> implements CabinetSensors {
  #state: CabinetState | undefined;
  #waiters: (() => void)[] = [];

  constructor(private readonly options: HidCabinetOptions) {
    super(options.transport);
  }

  protected override linkUp(): void {
    this.refresh().catch(() => undefined); // the board also reports on its next change
  }

  status(): CabinetStatus {
    const status: CabinetStatus = { link: this.link };
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
    await this.transport.write(encodeGetState());
    await answered;
  }

  protected onReport(report: Uint8Array): void {
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
