/**
 * Device supervision: watches every driver's link and failure events (and re-reads their status
 * on a slow timer, since a cleared jam or new paper has no event of its own), derives the bridge's
 * `Devices` health plus the bank's reachability fed by the caller, emits each change once, and
 * keeps Prometheus gauges in step for the fleet's dashboards.
 */
import { Gauge, type Registry } from 'prom-client';
import { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../../drivers/common/device.js';
import type { CashAcceptor, CashAcceptorEvents } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenser, CashDispenserEvents } from '../../drivers/dispenser/cash-dispenser.js';
import type { ReceiptPrinter, ReceiptPrinterEvents } from '../../drivers/printer/receipt-printer.js';
import type { CardReader, CardReaderEvents } from '../../drivers/card-reader/card-reader.js';
import type { PalmScanner, PalmScannerEvents } from '../../drivers/palm/palm-scanner.js';
import type { CabinetEvents, CabinetSensors } from '../../drivers/cabinet/cabinet.js';
import type { Devices, IdentificationMethod } from '../bridge/schema.js';
import type { DeviceKind } from './create-devices.js';
import { DEVICE_KINDS } from './create-devices.js';
import { acceptorHealth, dispenserHealth, linkOnlyHealth, printerHealth, usable, type DeviceHealth } from './health.js';
import { availableOperations, type Availability } from './operations.js';

export type HealthMap = Record<DeviceKind, DeviceHealth>;

export interface SupervisedDevices {
  cashAcceptor: CashAcceptor;
  dispenser: CashDispenser;
  printer: ReceiptPrinter;
  cardReader: CardReader;
  palm: PalmScanner;
  cabinet: CabinetSensors;
}

export interface SupervisorEvents {
  /** the bridge view changed (any device's health or the bank) */
  change: { devices: Devices; previous: Devices; availability: Availability };
  /** one device's health changed; `reason` is the driver's last offline/failure text, for logs */
  device: { device: DeviceKind; health: DeviceHealth; previous: DeviceHealth; reason?: string };
}

export interface SupervisorOptions {
  devices: SupervisedDevices;
  /** Prometheus registry the gauges go on (the core's shared one) */
  registry?: Registry;
  /** devices this terminal does not have: always `absent`, never watched */
  absent?: readonly DeviceKind[];
  /** how often statuses are re-read; events alone miss a cleared fault */
  pollIntervalMs?: number;
  bankOnline?: boolean;
  /** the identification methods this terminal offers at all (config `identification.methods`) */
  identificationMethods?: readonly IdentificationMethod[];
}

const HEALTH_VALUES: readonly DeviceHealth[] = ['ok', 'degraded', 'offline', 'absent'];

interface Gauges {
  health: Gauge<'device' | 'health'>;
  usable: Gauge<'device'>;
  bank: Gauge;
}

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Gauge<L> {
  // a core restarted in-process reuses its registry: take the series already there
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

export class DeviceSupervisor extends TypedEmitter<SupervisorEvents> {
  readonly #d: SupervisedDevices;
  readonly #absent: ReadonlySet<DeviceKind>;
  readonly #pollMs: number;
  readonly #gauges: Gauges | undefined;
  readonly #reasons = new Map<DeviceKind, string>();
  readonly #unsubscribe: Array<() => void> = [];
  #health: HealthMap;
  #bankOnline: boolean;
  readonly #methods: readonly IdentificationMethod[] | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SupervisorOptions) {
    super();
    this.#d = options.devices;
    this.#absent = new Set(options.absent ?? []);
    this.#pollMs = options.pollIntervalMs ?? 1_000;
    this.#bankOnline = options.bankOnline ?? false;
    this.#methods = options.identificationMethods;
    this.#health = this.#derive();
    if (options.registry) {
      const r = options.registry;
      this.#gauges = {
        health: gauge(r, 'kiosk_device_health', 'Device health, one series per state; the current one is 1', ['device', 'health']),
        usable: gauge(r, 'kiosk_device_usable', '1 when the device can serve customers (ok or degraded)', ['device']),
        bank: gauge(r, 'kiosk_bank_online', '1 when the bank host answers', []),
      };
      this.#updateGauges();
    }
  }

  /** subscribes to every driver and starts the status timer */
  start(): void {
    if (this.#timer) return;
    const d = this.#d;
    const recheck = (): void => this.recompute();
    const watch = <E extends { online: unknown; offline: { reason: string } }>(
      kind: DeviceKind,
      emitter: {
        on<K extends keyof E & string>(e: K, l: (p: E[K]) => void): unknown;
        off<K extends keyof E & string>(e: K, l: (p: E[K]) => void): unknown;
      },
      extra: ReadonlyArray<keyof E & string>,
    ): void => {
      if (this.#absent.has(kind)) return;
      const onOffline = (p: { reason: string }): void => {
        this.#reasons.set(kind, p.reason);
        this.recompute();
      };
      emitter.on('offline', onOffline as (p: E['offline']) => void);
      emitter.on('online', recheck);
      for (const e of extra) emitter.on(e, recheck);
      this.#unsubscribe.push(() => {
        emitter.off('offline', onOffline as (p: E['offline']) => void);
        emitter.off('online', recheck);
        for (const e of extra) emitter.off(e, recheck);
      });
    };
    const onFailure = (kind: DeviceKind) => (p: { message: string }): void => {
      this.#reasons.set(kind, p.message);
      this.recompute();
    };
    const acceptorFailure = onFailure('cashAcceptor');
    const dispenserFailure = onFailure('dispenser');
    watch<CashAcceptorEvents>('cashAcceptor', d.cashAcceptor, ['jammed', 'cassetteFull', 'cassetteRemoved', 'stacked', 'returned', 'escrow']);
    watch<CashDispenserEvents>('dispenser', d.dispenser, []);
    watch<ReceiptPrinterEvents>('printer', d.printer, ['status']);
    watch<CardReaderEvents>('cardReader', d.cardReader, []);
    watch<PalmScannerEvents>('palm', d.palm, []);
    watch<CabinetEvents>('cabinet', d.cabinet, []);
    if (!this.#absent.has('cashAcceptor')) d.cashAcceptor.on('failure', acceptorFailure);
    if (!this.#absent.has('dispenser')) d.dispenser.on('failure', dispenserFailure);
    this.#unsubscribe.push(() => {
      if (!this.#absent.has('cashAcceptor')) d.cashAcceptor.off('failure', acceptorFailure);
      if (!this.#absent.has('dispenser')) d.dispenser.off('failure', dispenserFailure);
    });
    this.#timer = setInterval(recheck, this.#pollMs);
    this.#timer.unref();
    this.recompute();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** the caller (bank client / sync worker) says whether the bank answers */
  setBankOnline(online: boolean): void {
    if (online === this.#bankOnline) return;
    const previous = this.devices();
    this.#bankOnline = online;
    this.#updateGauges();
    this.#emitChange(previous);
  }

  get bankOnline(): boolean {
    return this.#bankOnline;
  }

  health(): HealthMap {
    return { ...this.#health };
  }

  /** the bridge's view: the five customer-facing devices and the bank */
  devices(): Devices {
    const h = this.#health;
    return {
      cashAcceptor: h.cashAcceptor, dispenser: h.dispenser, printer: h.printer, cardReader: h.cardReader, palm: h.palm,
      bank: this.#bankOnline ? 'online' : 'offline',
    };
  }

  availability(): Availability {
    return availableOperations(this.devices(), this.#bankOnline, undefined, this.#methods);
  }

  /** last offline or failure text per device, for logs and service mode */
  reasons(): Partial<Record<DeviceKind, string>> {
    return Object.fromEntries(this.#reasons);
  }

  /** re-reads every status and emits what changed; cheap (statuses are cached by the drivers) */
  recompute(): void {
    const next = this.#derive();
    const previousDevices = this.devices();
    const before = this.#health;
    this.#health = next;
    let changed = false;
    for (const kind of DEVICE_KINDS) {
      if (next[kind] === before[kind]) continue;
      changed = true;
      if (next[kind] === 'ok') this.#reasons.delete(kind);
      const reason = this.#reasons.get(kind);
      this.emit('device', { device: kind, health: next[kind], previous: before[kind], ...(reason ? { reason } : {}) });
    }
    if (!changed) return;
    this.#updateGauges();
    this.#emitChange(previousDevices);
  }

  #emitChange(previous: Devices): void {
    const devices = this.devices();
    if (JSON.stringify(devices) === JSON.stringify(previous)) return;
    this.emit('change', { devices, previous, availability: this.availability() });
  }

  #derive(): HealthMap {
    const d = this.#d;
    const one = <S extends DeviceStatusBase>(kind: DeviceKind, read: () => S, derive: (s: S) => DeviceHealth): DeviceHealth => {
      if (this.#absent.has(kind)) return 'absent';
      try {
        return derive(read());
      } catch (err) {
        // a driver that cannot even say how it is, is not usable
        this.#reasons.set(kind, `status failed: ${err instanceof Error ? err.message : String(err)}`);
        return 'offline';
      }
    };
    return {
      cashAcceptor: one('cashAcceptor', () => d.cashAcceptor.status(), acceptorHealth),
      dispenser: one('dispenser', () => d.dispenser.status(), dispenserHealth),
      printer: one('printer', () => d.printer.status(), printerHealth),
      cardReader: one('cardReader', () => d.cardReader.status(), linkOnlyHealth),
      palm: one('palm', () => d.palm.status(), linkOnlyHealth),
      cabinet: one('cabinet', () => d.cabinet.status(), linkOnlyHealth),
    };
  }

  #updateGauges(): void {
    const g = this.#gauges;
    if (!g) return;
    for (const kind of DEVICE_KINDS) {
      for (const value of HEALTH_VALUES) g.health.labels(kind, value).set(this.#health[kind] === value ? 1 : 0);
      g.usable.labels(kind).set(usable(this.#health[kind]) ? 1 : 0);
    }
    g.bank.set(this.#bankOnline ? 1 : 0);
  }
}
