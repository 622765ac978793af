/**
 * The ESPresense BLE gateway (docs/gateways/espresense.md): reads what ESPresense nodes publish on their MQTT
 * broker, places each device in a zone (tracker.ts) and publishes canonical `presence` and `identity` events.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { InboundEvent } from '#contracts';
import { systemClock, type Clock } from '../../engine/platform/clock.js';
import type { GatewayDefinition } from '../kit/definition.js';
import { BufferFullError } from '../kit/publisher.js';
import type { GatewayRuntime } from '../kit/runtime.js';
import { EspresenseConfig } from './config.js';
import { createDeviceResolver } from './ids.js';
import { classify } from './message.js';
import { createTracker, type Decision, type Step } from './tracker.js';

/** The part of an MQTT client the gateway reads with (mqtt.js; a stand-in in tests). */
export type InboundClient = Pick<MqttClient, 'on' | 'subscribe' | 'endAsync' | 'connected'>;
export type EspresenseDeps = {
  /** Default: mqtt.connect. */
  connect?: (url: string, options: IClientOptions) => InboundClient;
  clock?: Clock;
};
/** What handling one message did: accepted (events may follow), or refused with a reason (counted). */
export type MessageOutcome = { accepted: boolean; reason?: string };

/** Event ids: a per-process nonce (letters that cannot read as hex) and a counter; unique across restarts. */
function eventIds(): () => string {
  const nonce = [...randomBytes(10)].map((b) => String.fromCharCode(103 + (b % 20))).join('');
  let seq = 0;
  return () => `esp-${nonce}-${(seq++).toString(36)}`;
}

/** Starts the gateway's own part on the kit's runtime; returns its message handler (the one the MQTT client calls). */
export function setupEspresense(rt: GatewayRuntime, config: EspresenseConfig, deps: EspresenseDeps = {}) {
  const s = config.espresense;
  const clock = deps.clock ?? systemClock;
  const log = rt.log.child({ mod: 'espresense' });
  const resolve = createDeviceResolver(config.pseudonymKey, s.known);
  const tracker = createTracker({ clock, ...s });
  const nextId = eventIds();
  const warnedRooms = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let armedAt: number | undefined;
  let closed = false;

  const toEvent = (d: Decision): InboundEvent => d.kind === 'presence'
    ? { type: 'presence', id: nextId(), ts: d.ts, storeId: config.storeId, deviceId: d.deviceId, zoneId: d.zoneId,
      ...(d.rssi !== undefined ? { rssi: d.rssi } : {}), source: 'ble' }
    : { type: 'identity', id: nextId(), ts: d.ts, storeId: config.storeId, deviceId: d.deviceId, customerId: d.customerId, method: 'app-login' };

  /** Queues the decisions in order (the publisher keeps it); resolves when each was acknowledged or refused. */
  async function publish(decisions: Decision[]): Promise<void> {
    await Promise.all(decisions.map((d) => rt.publisher.publish(toEvent(d)).catch((err: Error) => {
      if (err instanceof BufferFullError) log.warn({ type: d.kind }, 'buffer full: event dropped (a newer one follows)');
      else log.error({ err: err.message }, 'event not published');
    })));
  }

  /** One timer for the tracker's earliest deadline (away, dwell, refresh). */
  function arm(at: number | undefined): void {
    if (at === undefined || closed || (armedAt !== undefined && armedAt <= at)) return;
    if (timer) clearTimeout(timer);
    armedAt = at;
    timer = setTimeout(fire, Math.max(0, at - clock.now()));
    timer.unref();
  }
  function fire(): void {
    timer = undefined;
    armedAt = undefined;
    run(tracker.tick());
  }
  function run(step: Step): Promise<void> {
    arm(step.wakeAt);
    return publish(step.decisions);
  }

  function unmapped(room: string): void {
    if (warnedRooms.size >= 100 || warnedRooms.has(room)) return;
    warnedRooms.add(room);
    log.warn({ room }, 'a node whose room is not in espresense.rooms: its readings are ignored');
  }

  /** Handles one message of the ESPresense broker; the MQTT client's message listener calls exactly this. */
  async function onMessage(topic: string, payload: Buffer | string, retained = false): Promise<MessageOutcome> {
    rt.metrics.received.inc({ source: 'mqtt' });
    const c = classify(s.topicPrefix, topic, payload, retained);
    switch (c.kind) {
      case 'rejected':
        rt.metrics.rejected.inc({ reason: c.code });
        log.debug({ reason: c.code }, 'message refused');
        return { accepted: false, reason: `${c.code}: ${c.detail}` };
      case 'ignored':
        return { accepted: true, reason: `ignored: ${c.code}` };
      case 'status':
        if (!Object.hasOwn(s.rooms, c.room)) unmapped(c.room);
        log.info({ room: c.room, online: c.online }, 'node status');
        await run(tracker.status(c.room, c.online));
        return { accepted: true };
      case 'reading': {
        const step = tracker.reading({ ...resolve(c.rawId), room: c.room, distance: c.distance, ...(c.rssi !== undefined ? { rssi: c.rssi } : {}) });
        if (step.use === 'unmapped_room') unmapped(c.room);
        if (step.use === 'over_capacity') log.warn('too many devices at once: a new device was not tracked');
        await run(step);
        return step.use === 'used' ? { accepted: true } : { accepted: true, reason: `ignored: ${step.use}` };
      }
    }
  }

  const client = (deps.connect ?? mqtt.connect)(s.url, {
    // A clean session (old readings are worthless), subscribed on every connect below. Subscribing before the first
    // connection would report a failure (`Connection closed`) whenever the nodes' broker is not up yet.
    clientId: `aisle-gw-${config.gatewayId}-espresense`, clean: true, resubscribe: false, reconnectPeriod: 1000, connectTimeout: 5000, protocolVersion: 4,
    ...(s.username ? { username: s.username } : {}), ...(s.password ? { password: s.password } : {}),
  });
  client.on('connect', () => {
    log.info('espresense broker connected');
    // Device reports and node availability only: telemetry, settings and the Companion's topics are not read.
    client.subscribe([`${s.topicPrefix}/devices/+/+`, `${s.topicPrefix}/rooms/+/status`], { qos: 0 }, (err) => {
      if (err) log.warn({ err: err.message }, 'espresense subscription failed; renewed on the next connect');
    });
  });
  client.on('offline', () => log.warn('espresense broker unreachable; devices will time out'));
  client.on('error', (err) => log.warn({ err: err.message }, 'espresense broker error'));
  client.on('message', (topic, payload, packet) => {
    onMessage(topic, payload, packet.retain).catch((err: Error) => log.error({ err: err.message }, 'message handler failed'));
  });

  rt.app.get('/healthz/espresense', (ctx) => ctx.json({ broker: client.connected, devices: tracker.size(), offlineNodes: tracker.offlineNodes() },
    client.connected ? 200 : 503));
  rt.onClose(async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    await client.endAsync();
  });
  return { onMessage, tracker };
}
export type EspresenseGateway = ReturnType<typeof setupEspresense>;

/** `npm run gateway -- espresense --config <file.json>` (gateways/cli.ts). */
export const definition: GatewayDefinition<typeof EspresenseConfig> = {
  kind: 'espresense',
  config: EspresenseConfig,
  setup: (rt, config) => { setupEspresense(rt, config); },
};
