import type { InboundEvent } from '../contracts/events.js';
import type { StoreConfig } from '../contracts/store-config.js';
import { eventTopic } from '../contracts/topics.js';
import type { Clock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/log.js';
import { planVisit, type SimShopper } from './plan.js';
import { between, type Random } from './random.js';

export type SimulatorOptions = {
  store: StoreConfig;
  /** Demo members the shoppers may be (consent is the engine's business, not the simulator's). */
  customers: readonly SimShopper[];
  /** Publishes one JSON payload; the engine's MQTT client in production, a collector in tests. */
  publish: (topic: string, payload: string) => Promise<void>;
  clock: Clock;
  random: Random;
  log?: Logger;
  concurrentShoppers?: number;
  /** Real-life pacing divided by this (4: a zone takes 5–22 s). */
  speed?: number;
  /** Event id prefix; the default carries the start time so a restarted simulator never reuses an id the engine deduped. */
  idPrefix?: string;
  /** How long stop() waits for in-flight publishes and the farewell presences. */
  stopTimeoutMs?: number;
};

export type Simulator = { stop(): Promise<void> };

type Slot = { deviceId?: string; customerId?: string; left: boolean; entered: boolean };

/**
 * Keeps `concurrentShoppers` simulated visits going in one store (staggered starts), publishing each planned
 * event at its time on `eventTopic(storeId, type)`. stop() is idempotent: it clears every timer and says
 * goodbye (`zoneId: null`) for shoppers still inside, so screens don't wait out the visit silence timeout.
 */
export function startSimulator(o: SimulatorOptions): Simulator {
  const { store, customers, publish, clock, random, concurrentShoppers = 6, speed = 4, stopTimeoutMs = 2_000 } = o;
  const log = (o.log ?? silentLogger()).child({ mod: 'simulator', storeId: store.storeId });
  const idPrefix = o.idPrefix ?? `sim-${clock.now().toString(36)}`;
  let nextId = 1;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  const waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  const slots: Slot[] = [];

  /** Resolves true after ms, or false at once when the simulator stops. */
  const sleep = (ms: number): Promise<boolean> => new Promise((resolve) => {
    if (stopped) return resolve(false);
    const timer = setTimeout(() => { waits.delete(timer); resolve(!stopped); }, Math.max(0, ms));
    waits.set(timer, () => resolve(false));
  });

  const send = async (event: InboundEvent): Promise<void> => {
    try { await publish(eventTopic(store.storeId, event.type), JSON.stringify(event)); }
    catch (err) { log.warn({ err, eventId: event.id }, 'simulator publish failed'); }
  };

  const runSlot = async (slot: Slot, index: number): Promise<void> => {
    if (!(await sleep((index * between(random, 500, 1_500) * 8) / speed))) return;
    while (!stopped) {
      const busy = new Set(slots.map((s) => s.customerId).filter((c) => c !== undefined));
      const plan = planVisit({ store, shoppers: customers.filter((c) => !busy.has(c.customerId)), random, start: clock.now(), speed, idPrefix, firstId: nextId });
      nextId = plan.nextId;
      Object.assign(slot, { deviceId: plan.deviceId, customerId: plan.customerId, left: false, entered: false });
      log.debug({ deviceId: plan.deviceId, customerId: plan.customerId, zones: plan.zones }, 'shopper arrives');
      for (const event of plan.events) {
        if (!(await sleep(event.ts - clock.now()))) return;
        slot.entered = true;
        if (event.type === 'presence' && event.zoneId === null) slot.left = true;
        await send(event);
      }
      slot.customerId = undefined;
      if (!(await sleep(between(random, 2_000, 10_000) / speed))) return;
    }
  };

  const loops = Array.from({ length: Math.max(0, concurrentShoppers) }, (_, i) => {
    const slot: Slot = { left: true, entered: false };
    slots.push(slot);
    return runSlot(slot, i);
  });
  log.info({ shoppers: concurrentShoppers, speed, members: customers.length }, 'simulator started');

  const shutdown = async (): Promise<void> => {
    stopped = true;
    for (const [timer, cancel] of waits) { clearTimeout(timer); cancel(); }
    waits.clear();
    const farewells = slots.filter((s) => s.entered && !s.left && s.deviceId !== undefined).map((s) => send({
      type: 'presence', id: `${idPrefix}-${nextId++}`, ts: clock.now(), storeId: store.storeId, deviceId: s.deviceId!, zoneId: null, source: 'wifi',
    }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, stopTimeoutMs); });
    await Promise.race([Promise.allSettled([...loops, ...farewells]), deadline]);
    clearTimeout(timer);
    log.info('simulator stopped');
  };

  return { stop: () => (stopping ??= shutdown()) };
}
