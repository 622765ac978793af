import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DecisionMessage } from '../contracts/decision.js';
import { parseUntrusted } from '../contracts/parse.js';
import type { StoreConfig } from '../contracts/store-config.js';
import type { TokenEntry } from '../contracts/tokens.js';
import { decisionsTopic, parseTopic } from '../contracts/topics.js';
import { createClientBus } from '../platform/client-bus.js';
import { systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { parseProfilesNdjson } from '../profiles/import.js';
import { DEFAULT_REACTION, reactionProblems } from './basket.js';
import type { SimShopper } from './plan.js';
import { startSimulator, type Simulator, type SimulatorStats } from './run.js';
import { startEspresenseTransport } from './via-espresense.js';
import { startMerakiTransport } from './via-meraki.js';
import { screenTokenFor, startScreenPlayers, type ScreenPlayers } from './screens.js';

/** The bundled demo members the simulated shoppers log in as. */
export const DEMO_SHOPPERS_PATH = new URL('../demo/profiles.ndjson', import.meta.url);

/**
 * Shoppers in the store at once in the demo. Enough that most demo members come by within a few minutes (so an
 * experiment's report fills, docs/experiments.md §In the demo), few enough that a zone rarely holds more consenting
 * shoppers than the store's `turns.audienceAbove` (then its screens stop taking personal turns).
 */
export const DEMO_CONCURRENT_SHOPPERS = 80;

export type DemoSimulatorOptions = {
  /** The running engine; its store registry is read, and its tokens when the simulator plays the screens. */
  engine: { stores: { all(): readonly { config: StoreConfig }[] }; tokens?: readonly TokenEntry[] };
  /** The broker the engine listens on (its own embedded one in the demo). */
  mqttUrl: string;
  log: Logger;
  /**
   * The engine's own HTTP address (`localEngineUrl(config.host, port)`): when given, the simulator also plays every
   * screen that has a screen token (one WebSocket each, confirming what it renders with `impression`), as if each
   * screen were open in a browser. Without it, only screens really open count impressions.
   */
  engineUrl?: string;
  /** Members to simulate; default: the bundled demo profiles. */
  customers?: readonly SimShopper[];
  concurrentShoppers?: number;
  speed?: number;
  /** How much likelier shoppers buy a shown item a rule brought (3: four times as likely, 0: no difference); AISLE_SIM_EFFECT. */
  effect?: number;
  /** The chance of buying each shown item a shopper thinks of at the till (four per visit); default 0.15. */
  baseline?: number;
  /**
   * `meraki`: presence goes through an in-process Cisco Meraki receiver as Scanning API POSTs (via-meraki.ts);
   * `espresense`: as ESPresense node readings on the broker, through an in-process ESPresense gateway
   * (via-espresense.ts); default `direct`.
   */
  via?: 'direct' | 'meraki' | 'espresense';
};

export type DemoSimulator = Simulator & {
  /** Per store whose screens the simulator plays: frames received, impressions sent, sockets open. */
  screens(): ReturnType<ScreenPlayers['stats']>[];
};

/** Demo members as shoppers: their ids and category affinities (what the planner steers by). */
export function loadDemoShoppers(text = readFileSync(DEMO_SHOPPERS_PATH, 'utf8')): SimShopper[] {
  return parseProfilesNdjson(text).profiles.map((p) => ({ customerId: p.customerId, affinities: p.affinities }));
}

/** Where a process on this host reaches an engine listening on `host:port` (`0.0.0.0` and `::` mean every address). */
export function localEngineUrl(host: string, port: number): string {
  const h = host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/**
 * `AISLE_SIMULATE=1`: connects to the broker like a gateway would (a real MQTT client, QoS 1) and runs simulated
 * shoppers in every configured store. The same connection listens to the engine's decisions (`…/decisions`), so
 * shoppers know what screens showed them in their personal turns and may buy it at checkout (`effect`); with
 * `engineUrl` the simulator also plays the screens. stop() ends the screens and shoppers, then the connection.
 */
export async function startDemoSimulator(o: DemoSimulatorOptions): Promise<DemoSimulator> {
  const log = o.log.child({ mod: 'simulator' });
  const reaction = { baseline: o.baseline ?? DEFAULT_REACTION.baseline, effect: o.effect ?? DEFAULT_REACTION.effect };
  const problems = reactionProblems(reaction);
  if (problems.length) throw new RangeError(`simulator: ${problems.join('; ')}`);
  const stores = o.engine.stores.all().map((s) => s.config);
  const sims = new Map<string, Simulator>();
  let heard = 0;
  const bus = await createClientBus({
    url: o.mqttUrl, clientId: `aisle-sim-${randomBytes(4).toString('hex')}`, clean: true, log,
    onMessage: (topic, payload) => {
      const t = parseTopic(topic);
      const sim = t.kind === 'outbound' && t.type === 'decisions' ? sims.get(t.storeId) : undefined;
      if (!sim) return;
      let json: unknown;
      try { json = JSON.parse(payload.toString('utf8')); } catch { return; }
      const r = parseUntrusted(DecisionMessage, json);
      if (r.success) { heard++; sim.decision(r.data); }
    },
  });
  const customers = o.customers ?? loadDemoShoppers();
  const transports: { publish(topic: string, payload: string): Promise<void>; close(): Promise<void> }[] = [];
  for (const config of stores) {
    const direct = (topic: string, payload: string) => bus.publish(topic, payload, 1);
    const via = o.via === 'meraki' ? await startMerakiTransport({ store: config, mqttUrl: o.mqttUrl, log, direct })
      : o.via === 'espresense' ? await startEspresenseTransport({ store: config, mqttUrl: o.mqttUrl, log, direct }) : undefined;
    if (via) transports.push(via);
    sims.set(config.storeId, startSimulator({
      store: config, customers, clock: systemClock, random: Math.random, log, reaction,
      publish: via ? via.publish : direct,
      concurrentShoppers: o.concurrentShoppers ?? DEMO_CONCURRENT_SHOPPERS,
      ...(o.speed !== undefined ? { speed: o.speed } : {}),
    }));
  }
  // A broker that refuses the subscription (a gateway's account may only publish) leaves shoppers blind to screens.
  for (const config of stores) {
    await bus.subscribe(decisionsTopic(config.storeId)).catch((err: unknown) =>
      log.warn({ err, storeId: config.storeId }, 'simulator cannot read decisions: shoppers will not react to screens'));
  }
  // A broker may accept the subscription and still deliver nothing (Mosquitto without `topic read` for this user).
  const deaf = setTimeout(() => {
    if (!heard) log.warn({ topics: stores.map((c) => decisionsTopic(c.storeId)) }, 'no decision heard in a minute: shoppers do not react to screens (may the simulator read the decisions topic?)');
  }, 60_000);
  deaf.unref();
  const players: ScreenPlayers[] = [];
  if (o.engineUrl) {
    for (const config of stores) {
      const screens = config.screens.flatMap((s) => {
        const token = screenTokenFor(o.engine.tokens ?? [], config.storeId, s.screenId);
        return token ? [{ screenId: s.screenId, token }] : [];
      });
      if (screens.length < config.screens.length) log.warn({ storeId: config.storeId, missing: config.screens.length - screens.length }, 'no screen token for some screens: the simulator does not play them');
      if (screens.length) players.push(startScreenPlayers({ url: o.engineUrl, storeId: config.storeId, screens, clock: systemClock, log }));
    }
  }
  log.info({ ...reaction, screens: players.length > 0, via: o.via ?? 'direct' }, 'simulated shoppers react to screens');
  let stopping: Promise<void> | undefined;
  return {
    decision: (msg) => sims.get(msg.storeId)?.decision(msg),
    stats: () => {
      const all = [...sims.values()].map((s) => s.stats());
      return all.reduce<SimulatorStats>((a, b) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof SimulatorStats]])) as SimulatorStats,
        { visits: 0, checkouts: 0, withShown: 0, impulse: 0, shownBought: 0, ruleBought: 0 });
    },
    screens: () => players.map((p) => p.stats()),
    stop: () => (stopping ??= (async () => {
      clearTimeout(deaf);
      await Promise.allSettled([...players.map((p) => p.stop()), ...[...sims.values()].map((s) => s.stop())]);
      await Promise.allSettled(transports.map((t) => t.close()));
      await bus.close();
    })()),
  };
}
