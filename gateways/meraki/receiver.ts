import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { PresenceEvent } from '#contracts';
import { systemClock, type Clock } from '../../engine/platform/clock.js';
import { pseudonymize } from '../kit/pseudonym.js';
import { BufferFullError, InvalidEventError } from '../kit/publisher.js';
import type { GatewayRuntime } from '../kit/runtime.js';
import { createSeen } from '../kit/seen.js';
import { readBodyText } from './body.js';
import { field, isObject } from './coerce.js';
import type { MerakiConfig } from './config.js';
import { readPayload, type Sighting, type Source } from './read-payload.js';
import { parseRelaxed } from './relax-json.js';
import { compileZones } from './zones.js';

/** Observation times this far ahead of the gateway's clock are refused (clock skew beyond it is a fault). */
export const MAX_FUTURE_MS = 5 * 60_000;

/** How one event's delivery ended: acknowledged, refused by the contract check, or not accepted for now. */
type Delivery = 'ok' | 'invalid' | 'full' | 'failed';
type Outcome = 'ok' | 'full' | 'failed' | 'timeout';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** The event id: the same sighting (device pseudonym, time, zone) always gets the same id, so a retried POST repeats ids. */
export function merakiEventId(deviceId: string, ts: number, zoneId: string): string {
  return `mk-${createHash('sha256').update(`${deviceId}|${ts}|${zoneId}`).digest('hex').slice(0, 32)}`;
}

/** Resolves when every delivery settled ('ok'), at the first one the buffer refused, or after `ms`. */
function settle(waits: Promise<Delivery>[], ms: number): Promise<Outcome> {
  if (waits.length === 0) return Promise.resolve('ok');
  return new Promise((resolve) => {
    let left = waits.length;
    let done = false;
    const finish = (o: Outcome) => { if (!done) { done = true; clearTimeout(timer); resolve(o); } };
    const timer = setTimeout(() => finish('timeout'), ms);
    for (const w of waits) void w.then((d) => { if (d === 'full' || d === 'failed') finish(d); else if (--left === 0) finish('ok'); });
  });
}

export type MerakiReceiverDeps = { clock?: Clock };

/**
 * The Scanning API receiver (docs/gateways/meraki.md): `GET {path}` answers the validator, `POST {path}`
 * turns each observation into a `presence` event (docs/contracts.md §MQTT topics and events) and answers 200
 * once the broker acknowledged them all, 503 when the buffer is full or the broker is too slow (Meraki
 * retries; the retry repeats the same event ids, which are suppressed), 4xx for what a retry cannot fix.
 */
export function setupMerakiReceiver(rt: GatewayRuntime, config: MerakiConfig, deps: MerakiReceiverDeps = {}): void {
  const clock = deps.clock ?? systemClock;
  const m = config.meraki;
  const log = rt.log.child({ mod: 'meraki' });
  const zoneOf = compileZones(m.zones);
  const seen = createSeen();
  const inflight = new Map<string, Promise<Delivery>>();
  const secret = sha256(m.secret);
  const maxAgeMs = m.maxAgeSeconds * 1000;

  const secretMatches = (v: unknown) => typeof v === 'string' && timingSafeEqual(sha256(v), secret);

  const refuse = (c: Context, status: 400 | 403 | 413 | 500 | 503, reason: string) => {
    rt.metrics.rejected.inc({ reason });
    log.warn({ status, reason }, 'Meraki POST refused');
    if (status === 413) c.header('connection', 'close');
    return c.json({ error: reason }, status);
  };

  /** Publishes one event; a failed one is forgotten so that Meraki's retry publishes it. Never rejects. */
  const deliver = (event: PresenceEvent): Promise<Delivery> => {
    const p: Promise<Delivery> = rt.publisher.publish(event).then(() => 'ok' as const, (err: unknown) => {
      if (err instanceof InvalidEventError) {
        rt.metrics.rejected.inc({ reason: 'invalid_event' });
        log.error({ err: err.message }, 'an event failed the contract check (a bug)');
        return 'invalid' as const;
      }
      seen.forget(event.id);
      return err instanceof BufferFullError ? 'full' as const : 'failed' as const;
    }).finally(() => { if (inflight.get(event.id) === p) inflight.delete(event.id); });
    inflight.set(event.id, p);
    return p;
  };

  /** A sighting → its event, or the reason it is skipped. */
  const toEvent = (s: Sighting, source: Source, now: number): PresenceEvent | string => {
    if (s.ts === undefined) return 'invalid_observation';
    if (s.ts < now - maxAgeMs) return 'stale';
    if (s.ts > now + MAX_FUTURE_MS) return 'future_time';
    if (m.minRssi !== undefined && s.rssi !== undefined && s.rssi < m.minRssi) return 'weak_signal';
    const zoneId = zoneOf(s);
    if (zoneId === undefined) return 'unmapped_zone';
    const deviceId = pseudonymize(config.pseudonymKey, s.clientMac);
    return {
      type: 'presence', id: merakiEventId(deviceId, s.ts, zoneId), ts: s.ts, storeId: config.storeId,
      deviceId, zoneId, ...(s.rssi !== undefined ? { rssi: s.rssi } : {}), source,
    };
  };

  rt.app.get(m.path, (c) => c.text(m.validator, 200));

  rt.app.post(m.path, async (c) => {
    rt.metrics.received.inc({ source: 'meraki' });
    try {
      const text = await readBodyText(c.req.raw);
      if (text === undefined) return refuse(c, 413, 'too_large');
      const parsed = parseRelaxed(text);
      if (!parsed.ok) return refuse(c, 400, 'invalid_json');
      if (!isObject(parsed.value)) return refuse(c, 400, 'invalid_shape');
      if (!secretMatches(field(parsed.value, 'secret'))) return refuse(c, 403, 'secret');
      const payload = readPayload(parsed.value, m.source);
      if (!payload.ok) return refuse(c, 400, payload.reason);

      const now = clock.now();
      const skipped = new Map<string, number>();
      const skip = (reason: string, n = 1) => { if (n > 0) skipped.set(reason, (skipped.get(reason) ?? 0) + n); };
      skip('invalid_observation', payload.invalid);
      const waits: Promise<Delivery>[] = [];
      let fresh = 0;
      let duplicates = 0;
      for (const s of payload.sightings) {
        const event = toEvent(s, payload.source, now);
        if (typeof event === 'string') { skip(event); continue; }
        if (!seen.first(event.id)) {
          duplicates++;
          // The same event may still be on its way from an earlier POST: this one is answered when it is acknowledged.
          const pending = inflight.get(event.id);
          if (pending) waits.push(pending);
          continue;
        }
        fresh++;
        waits.push(deliver(event));
      }
      for (const [reason, n] of skipped) rt.metrics.rejected.inc({ reason }, n);
      if (duplicates) rt.metrics.duplicates.inc(duplicates);

      const outcome = await settle(waits, m.ackTimeoutMs);
      const summary = { version: payload.version, observations: payload.sightings.length + payload.invalid, events: fresh, duplicates, skipped: Object.fromEntries(skipped) };
      if (outcome === 'full') return refuse(c, 503, 'buffer_full');
      if (outcome === 'failed') return refuse(c, 503, 'unavailable');
      if (outcome === 'timeout') return refuse(c, 503, 'ack_timeout');
      log.debug(summary, 'Meraki POST handled');
      return c.json(summary, 200);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'Meraki POST failed');
      return refuse(c, 500, 'internal');
    }
  });
}
