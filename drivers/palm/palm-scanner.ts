/**
 * Palm-vein scanner. The template is opaque bytes for the bank's 1:N match; callers must zero it
 * (template.fill(0)) once the bank call is done. Never logged or stored.
 */
import type { TypedEmitter } from '../../domain/typed-emitter.js';
import type { DeviceStatusBase } from '../common/device.js';

export type PalmGuidance = 'placeHand' | 'holdStill' | 'moveCloser' | 'moveAway' | 'processing';

export type PalmCaptureResult =
  | { kind: 'template'; template: Uint8Array }
  | { kind: 'liveness' }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

export interface PalmScannerEvents {
  online: Record<string, never>;
  offline: { reason: string };
  guidance: { guidance: PalmGuidance };
}

export interface PalmScanner extends TypedEmitter<PalmScannerEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  status(): DeviceStatusBase;
  capture(options: { timeoutMs: number; signal?: AbortSignal }): Promise<PalmCaptureResult>;
  /**
   * Whether a hand is over the sensor now, from its proximity reading alone: no capture, no
   * template. False while a capture runs. Optional: a scanner without it cannot start a session
   * from the attract screen.
   */
  handPresent?(): Promise<boolean>;
}
