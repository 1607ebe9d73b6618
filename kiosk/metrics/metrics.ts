/**
 * One Prometheus registry per core process, shared by every part of the core (devices, queue,
 * sessions register their own series on it) and served at GET /metrics for the fleet's scraper.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface KioskMetrics {
  registry: Registry;
  bridgeClients: Gauge;
  bridgeIntents: Counter<'name'>;
  bridgeRejected: Counter<'transport'>;
  snapshotsSent: Counter;
}

export function createMetrics(labels: { terminalId: string; version?: string }): KioskMetrics {
  const registry = new Registry();
  // every series names the terminal, so a fleet dashboard can tell a thousand kiosks apart
  registry.setDefaultLabels({ terminal: labels.terminalId });
  collectDefaultMetrics({ register: registry, prefix: 'kiosk_' });
  // prom-client's gauges named *_total break the Prometheus naming rule (`promtool check metrics`
  // reports them); kiosk_nodejs_active_resources{type} and its siblings say the same
  for (const name of ['kiosk_nodejs_active_handles_total', 'kiosk_nodejs_active_requests_total', 'kiosk_nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  new Gauge({ name: 'kiosk_build_info', help: 'Kiosk software version', labelNames: ['version'], registers: [registry] })
    .labels(labels.version ?? '0.0.0')
    .set(1);
  return {
    registry,
    bridgeClients: new Gauge({ name: 'kiosk_bridge_clients', help: 'UI connections currently open on the bridge', registers: [registry] }),
    bridgeIntents: new Counter({ name: 'kiosk_bridge_intents_total', help: 'Valid intents received from the UI', labelNames: ['name'], registers: [registry] }),
    bridgeRejected: new Counter({
      name: 'kiosk_bridge_rejected_total',
      help: 'Frames from the UI rejected by validation or size',
      labelNames: ['transport'],
      registers: [registry],
    }),
    snapshotsSent: new Counter({ name: 'kiosk_bridge_snapshots_total', help: 'Snapshots sent to the UI', registers: [registry] }),
  };
}
