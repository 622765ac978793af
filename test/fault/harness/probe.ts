import { eventTopic } from '#contracts';
import type { EngineProc } from './engine.js';
import { EVENTS_TOTAL } from './metric-names.js';
import type { Publisher } from './publisher.js';
import { metricValue } from './verify.js';

/**
 * Waits until the engine receives what is published on its store's POS topic. /healthz answers before
 * the engine's MQTT subscriptions exist, and a first-ever session queues nothing published before it
 * subscribed: without this, the first purchases of a case could miss a fresh engine altogether.
 * The probe is a purchase without a customer (valid, and it changes no profile), re-sent every 250 ms
 * until the engine counts a POS event.
 */
export async function waitSubscribed(engine: EngineProc, pub: Publisher, storeId: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const id = `probe-${engine.clientId}-${i}`;
    await pub.publish({ topic: eventTopic(storeId, 'pos'), payload: JSON.stringify({ type: 'pos', id, ts: Date.now(), storeId,
      transactionId: id, currency: 'GBP', total: 0, lines: [{ sku: 'SKU-00', qty: 1, unitPrice: 0 }] }) });
    const stop = Date.now() + 250;
    while (Date.now() < stop) {
      const text = await engine.metrics().catch(() => '');
      if ((metricValue(text, EVENTS_TOTAL, { type: 'pos' }) ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    if (Date.now() > end) throw new Error(`${engine.name} never received a probe on its POS topic within ${timeoutMs} ms\n${engine.log.tail(30)}`);
  }
}
