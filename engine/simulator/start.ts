import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StoreConfig } from '../contracts/store-config.js';
import { createClientBus } from '../platform/client-bus.js';
import { systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { parseProfilesNdjson } from '../profiles/import.js';
import type { SimShopper } from './plan.js';
import { startSimulator, type Simulator } from './run.js';

/** The bundled demo members the simulated shoppers log in as. */
export const DEMO_SHOPPERS_PATH = new URL('../demo/profiles.ndjson', import.meta.url);

export type DemoSimulatorOptions = {
  /** The running engine; only its store registry is read. */
  engine: { stores: { all(): readonly { config: StoreConfig }[] } };
  /** The broker the engine listens on (its own embedded one in the demo). */
  mqttUrl: string;
  log: Logger;
  /** Members to simulate; default: the bundled demo profiles. */
  customers?: readonly SimShopper[];
  concurrentShoppers?: number;
  speed?: number;
};

/** Demo members as shoppers: their ids and category affinities (what the planner steers by). */
export function loadDemoShoppers(text = readFileSync(DEMO_SHOPPERS_PATH, 'utf8')): SimShopper[] {
  return parseProfilesNdjson(text).profiles.map((p) => ({ customerId: p.customerId, affinities: p.affinities }));
}

/**
 * `AISLE_SIMULATE=1`: connects to the broker like a gateway would (a real MQTT client, QoS 1) and runs
 * simulated shoppers in every configured store. stop() ends the shoppers, then the connection.
 */
export async function startDemoSimulator(o: DemoSimulatorOptions): Promise<Simulator> {
  const log = o.log.child({ mod: 'simulator' });
  const bus = await createClientBus({
    url: o.mqttUrl, clientId: `aisle-sim-${randomBytes(4).toString('hex')}`, clean: true, log,
    onMessage: () => {},
  });
  const customers = o.customers ?? loadDemoShoppers();
  const sims = o.engine.stores.all().map(({ config }) => startSimulator({
    store: config, customers, clock: systemClock, random: Math.random, log,
    publish: (topic, payload) => bus.publish(topic, payload, 1),
    ...(o.concurrentShoppers !== undefined ? { concurrentShoppers: o.concurrentShoppers } : {}),
    ...(o.speed !== undefined ? { speed: o.speed } : {}),
  }));
  let stopping: Promise<void> | undefined;
  return {
    stop: () => (stopping ??= (async () => {
      await Promise.allSettled(sims.map((s) => s.stop()));
      await bus.close();
    })()),
  };
}
