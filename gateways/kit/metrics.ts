import { Counter, Gauge, Registry } from 'prom-client';

/** Every gateway's Prometheus metrics (docs/gateways.md §Operations), in its own registry. */
export function createGatewayMetrics(gateway: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ gateway });
  return {
    registry,
    received: new Counter({ name: 'aisle_gateway_received_total', help: 'Vendor messages received (a POST, an MQTT message, a file, a WebSocket frame)', labelNames: ['source'] as const, registers: [registry] }),
    published: new Counter({ name: 'aisle_gateway_published_total', help: 'Canonical events the broker acknowledged (QoS 1), by type', labelNames: ['type'] as const, registers: [registry] }),
    rejected: new Counter({ name: 'aisle_gateway_rejected_total', help: 'Vendor input refused, by reason', labelNames: ['reason'] as const, registers: [registry] }),
    duplicates: new Counter({ name: 'aisle_gateway_duplicates_total', help: 'Vendor events already seen (suppressed)', registers: [registry] }),
    buffered: new Gauge({ name: 'aisle_gateway_buffered', help: 'Events waiting for the broker (unreachable or not yet acknowledged)', registers: [registry] }),
    overflow: new Counter({ name: 'aisle_gateway_buffer_overflow_total', help: 'Events refused because the buffer was full (the sender is told to retry where it can be)', labelNames: ['type'] as const, registers: [registry] }),
    connected: new Gauge({ name: 'aisle_gateway_broker_connected', help: '1 while connected to the broker', registers: [registry] }),
  };
}
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
