import type { DecisionMessage } from '../contracts/decision.js';
import type { InboundEvent, PosEvent } from '../contracts/events.js';
import type { StoreConfig } from '../contracts/store-config.js';
import { eventTopic } from '../contracts/topics.js';
import type { Clock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/log.js';
import { addShownItems, basketTotal, DEFAULT_REACTION, reactionProblems, type Reaction } from './basket.js';
import { planVisit, type SimShopper } from './plan.js';
import { between, type Random } from './random.js';
import { createShownMemory } from './shown.js';

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
  /** How shoppers react to what screens showed them (basket.ts); default DEFAULT_REACTION: 15% for each of four shown items, four times that when a rule brought it. */
  reaction?: Reaction;
};

export type SimulatorStats = {
  visits: number; checkouts: number;
  /** Checkouts with at least one shown item picked up; of those, the ones the shopper had not planned. */
  withShown: number; impulse: number;
  /** Shown items picked up at checkout, all and rule-brought. */
  shownBought: number; ruleBought: number;
};

export type Simulator = {
  stop(): Promise<void>;
  /** A decision message of any store (the engine's `…/decisions` topic): personal turns of this store's shoppers are remembered. */
  decision(msg: DecisionMessage): void;
  stats(): SimulatorStats;
};

type Slot = { deviceId?: string; customerId?: string; left: boolean; entered: boolean };

/** Members free to come in now, fewest visits first: everyone comes once before anyone comes back. */
export function nextShoppers(customers: readonly SimShopper[], busy: ReadonlySet<string>, visits: ReadonlyMap<string, number>): SimShopper[] {
  const free = customers.filter((c) => !busy.has(c.customerId));
  let least = Infinity;
  for (const c of free) least = Math.min(least, visits.get(c.customerId) ?? 0);
  return free.filter((c) => (visits.get(c.customerId) ?? 0) === least);
}

/**
 * Keeps `concurrentShoppers` simulated visits going in one store (staggered starts), publishing each planned
 * event at its time on `eventTopic(storeId, type)`. Members come in turn (fewest visits first). Shoppers react to
 * screens: what `decision()` reports they were shown in their personal turns this visit may join their basket at
 * checkout (`reaction`), and a member who planned no purchase but picks something up pays for it on the way out.
 * stop() is idempotent: it clears every timer and says goodbye (`zoneId: null`) for shoppers still inside, so
 * screens don't wait out the visit silence timeout.
 */
export function startSimulator(o: SimulatorOptions): Simulator {
  const { store, customers, publish, clock, random, concurrentShoppers = 6, speed = 4, stopTimeoutMs = 2_000, reaction = DEFAULT_REACTION } = o;
  const problems = reactionProblems(reaction);
  if (problems.length) throw new RangeError(`simulator: ${problems.join('; ')}`);
  const log = (o.log ?? silentLogger()).child({ mod: 'simulator', storeId: store.storeId });
  const shown = createShownMemory();
  const visits = new Map<string, number>();
  const stats: SimulatorStats = { visits: 0, checkouts: 0, withShown: 0, impulse: 0, shownBought: 0, ruleBought: 0 };
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

  /** The checkout with what the shopper picks up from the screens; a shopper who planned none gets one when they pick something. */
  const checkout = (planned: PosEvent | undefined, customerId: string | undefined, ts: number): PosEvent | undefined => {
    const items = customerId !== undefined ? shown.items(customerId) : [];
    const before = planned?.lines ?? [];
    const lines = items.length ? addShownItems(random, before, items, { catalog: store.catalog, member: customerId !== undefined, reaction }) : before;
    const added = lines.slice(before.length);
    if (items.length) log.debug({ customerId, shown: items.length, byRule: items.filter((i) => i.byRule).length, picked: added.map((l) => l.sku), planned: !!planned }, 'shopper at checkout');
    if (added.length) {
      stats.withShown++;
      stats.shownBought += added.length;
      stats.ruleBought += added.filter((l) => items.find((i) => i.sku === l.sku)?.byRule).length;
    }
    if (planned) { stats.checkouts++; return added.length ? { ...planned, lines, total: basketTotal(lines) } : planned; }
    if (!added.length || customerId === undefined) return undefined;
    stats.checkouts++;
    stats.impulse++;
    const id = nextId++;
    return { type: 'pos', id: `${idPrefix}-${id}`, ts, storeId: store.storeId, transactionId: `${idPrefix}-T${id}`, customerId,
      currency: store.currency, total: basketTotal(lines), lines };
  };

  const runSlot = async (slot: Slot, index: number): Promise<void> => {
    // Staggered arrivals: 2 s apart at speed 4, closer with many shoppers so that all are in within about a minute.
    if (!(await sleep((index * between(random, 0.5, 1.5) * Math.min(8_000, 240_000 / concurrentShoppers)) / speed))) return;
    while (!stopped) {
      const busy = new Set(slots.map((s) => s.customerId).filter((c) => c !== undefined));
      const plan = planVisit({ store, shoppers: nextShoppers(customers, busy, visits), random, start: clock.now(), speed, idPrefix, firstId: nextId });
      nextId = plan.nextId;
      const { customerId } = plan;
      Object.assign(slot, { deviceId: plan.deviceId, customerId, left: false, entered: false });
      stats.visits++;
      if (customerId !== undefined) { visits.set(customerId, (visits.get(customerId) ?? 0) + 1); shown.begin(customerId); }
      log.debug({ deviceId: plan.deviceId, customerId, zones: plan.zones }, 'shopper arrives');
      let paid = false;
      for (const planned of plan.events) {
        if (!(await sleep(planned.ts - clock.now()))) return;
        slot.entered = true;
        let event: InboundEvent | undefined = planned;
        if (planned.type === 'pos') { event = checkout(planned, customerId, planned.ts); paid = true; }
        if (planned.type === 'presence' && planned.zoneId === null) {
          // On the way out: what caught the eye of a member who came without a shopping list.
          const impulse = paid ? undefined : checkout(undefined, customerId, planned.ts - 1);
          if (impulse) await send(impulse);
          slot.left = true;
        }
        if (event) await send(event);
      }
      if (customerId !== undefined) shown.end(customerId);
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

  return {
    stop: () => (stopping ??= shutdown()),
    decision: (msg) => { if (msg.storeId === store.storeId && !stopped) shown.record(msg); },
    stats: () => ({ ...stats }),
  };
}
