import type { Redis } from 'ioredis';
import type { StoreConfig } from '#contracts';
import { startEngine, type EngineOptions } from './engine.js';
import { startMosquitto } from './mosquitto.js';
import { waitSubscribed } from './probe.js';
import { startPublisher } from './publisher.js';
import { startRedis } from './redis.js';
import type { Scope } from './scope.js';
import { faultIds } from './store.js';

export type RigOptions = {
  /** Overrides for the engine (a store of its own, a shorter shutdown deadline…). */
  engine?: Partial<EngineOptions>;
  /** The store the engine serves, for this rig's store id; default faultStore(storeId). */
  store?(storeId: string): StoreConfig;
  /** Runs against Redis before the engine starts (seed profiles under `prefix`). */
  seed?(r: Redis, prefix: string): Promise<unknown>;
};

/** The usual case: a private broker and Redis, one engine subscribed, one QoS 1 publisher, all named after `tag`. */
export async function startRig(s: Scope, tag: string, o: RigOptions = {}) {
  const ids = faultIds(tag);
  const [mosq, redis] = await Promise.all([startMosquitto(s), startRedis(s)]);
  const r = redis.client();
  await o.seed?.(r, ids.prefix);
  const engine = await startEngine(s, { mqttUrl: mosq.url, redisUrl: redis.url, storeId: ids.storeId, prefix: ids.prefix,
    clientId: ids.client('engine'), ...(o.store ? { store: o.store(ids.storeId) } : {}), ...o.engine });
  const pub = await startPublisher(s, mosq.url, ids.client('pub'));
  await waitSubscribed(engine, pub, ids.storeId);
  return { ids, mosq, redis, engine, pub, r };
}
