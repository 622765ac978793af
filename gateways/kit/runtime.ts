import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { Logger } from '../../engine/platform/log.js';
import type { GatewayBase } from './config.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import { createPublisher, type Publisher } from './publisher.js';
import { scrub } from './scrub.js';

/** What a gateway gets from the kit: its logger, metrics, publisher and HTTP app (health, metrics, its own routes). */
export type GatewayRuntime = {
  config: GatewayBase; log: Logger; metrics: GatewayMetrics; publisher: Publisher; app: Hono;
  /** Things to stop, in reverse order, on close. */
  onClose(fn: () => Promise<void> | void): void;
};

/** A logger whose every line is scrubbed of MAC- and e-mail-shaped text (defence in depth: gateways log pseudonyms only). */
export function gatewayLogger(gatewayId: string, level: string, destination?: NodeJS.WritableStream): Logger {
  const out = destination ?? process.stdout;
  return pino({ level, base: { app: 'aislecast-gateway', gateway: gatewayId } },
    { write: (line: string) => { out.write(scrub(line)); } });
}

export type StartedGateway = { runtime: GatewayRuntime; port: number; close(): Promise<void> };

/**
 * Starts the common parts of a gateway (docs/gateways.md): the publisher (QoS 1, bounded buffer), the
 * HTTP server with `GET /healthz` (200 while the broker is connected, 503 otherwise) and `GET /metrics`,
 * then the gateway's own part (`setup`), which may add routes to `app` and register what to close.
 */
export async function startGateway(config: GatewayBase, setup: (rt: GatewayRuntime) => Promise<void> | void,
  o: { log?: Logger; publisherClient?: Parameters<typeof createPublisher>[0]['client'] } = {}): Promise<StartedGateway> {
  const log = o.log ?? gatewayLogger(config.gatewayId, config.logLevel);
  const metrics = createGatewayMetrics(config.gatewayId);
  const publisher = createPublisher({ url: config.mqtt.url, clientId: `aisle-gw-${config.gatewayId}`, log: log.child({ mod: 'publisher' }), metrics,
    maxBuffered: config.mqtt.maxBuffered, ...(o.publisherClient ? { client: o.publisherClient } : {}) });
  const app = new Hono();
  app.get('/healthz', (c) => {
    const body = { status: publisher.connected() ? 'ok' : 'degraded', broker: publisher.connected(), buffered: publisher.waiting() };
    return c.json(body, publisher.connected() ? 200 : 503);
  });
  // A gateway's handler that throws answers 500 without the error's text (it may quote vendor input); the log line is scrubbed.
  app.onError((err, c) => { log.error({ err: { message: err.message, name: err.name } }, 'request failed'); return c.json({ error: 'internal' }, 500); });
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  const closers: (() => Promise<void> | void)[] = [];
  const runtime: GatewayRuntime = { config, log, metrics, publisher, app, onClose: (fn) => { closers.push(fn); } };
  await setup(runtime);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  const server: Server = createServer(getRequestListener(app.fetch));
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(config.http.port, config.http.host, () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, storeId: config.storeId }, 'gateway started');
  let closing: Promise<void> | undefined;
  return {
    runtime, port,
    close: () => (closing ??= (async () => {
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
      for (const fn of closers.reverse()) await fn();
      await publisher.close();
      log.info('gateway stopped');
    })()),
  };
}
