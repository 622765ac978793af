import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { Redis } from 'ioredis';
import { eventTopic, type EventType, type Profile, type StoreConfig } from '#contracts';
import { createEngine, type EngineDeps } from '../../engine/app.js';
import { loadConfig } from '../../engine/config.js';
import { createKeys } from '../../engine/platform/keys.js';
import { createHeuristicRanker } from '../../engine/scoring/heuristic.js';
import { testProfiles, testStore, testTokens, uniqueId } from './fixtures.js';

export type TestEngineOptions = {
  mqttUrl?: string; redisUrl?: string; prefix?: string; storeId?: string; clientId?: string;
  profiles?: Profile[]; store?: StoreConfig; env?: Record<string, string>; deps?: EngineDeps;
};

/** Seeds profiles into Redis under the test's own prefix. */
export async function seedProfiles(redisUrl: string, prefix: string, profiles: Profile[]): Promise<void> {
  const r = new Redis(redisUrl);
  await r.mset(...profiles.flatMap((p) => [createKeys(prefix).profile(p.customerId), JSON.stringify(p)]));
  r.disconnect();
}

/** Deletes every key under a prefix. */
export async function dropPrefix(redisUrl: string, prefix: string): Promise<void> {
  const r = new Redis(redisUrl);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

/** A real engine (real broker, real Redis) on free ports, with its own store id and key prefix. */
export async function startTestEngine(o: TestEngineOptions = {}) {
  const storeId = o.storeId ?? uniqueId('t');
  const prefix = o.prefix ?? `${uniqueId('test')}:`;
  const store = o.store ?? testStore(storeId);
  if (o.redisUrl) await seedProfiles(o.redisUrl, prefix, o.profiles ?? testProfiles());
  const journalDir = mkdtempSync(join(tmpdir(), 'aisle-journal-'));
  const config = loadConfig({ PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', MQTT_URL: o.mqttUrl, REDIS_URL: o.redisUrl, AISLE_REDIS_PREFIX: prefix,
    AISLE_JOURNAL_DIR: journalDir,
    // This engine shares its process with the test runner (and other engines): the process's memory is not its own to budget.
    AISLE_RSS_BUDGET_MB: '65536',
    MQTT_CLIENT_ID: o.clientId ?? uniqueId('engine'), LOG_LEVEL: 'silent', SHUTDOWN_DEADLINE_MS: '5000', ...o.env });
  // The spine's tests rank with the heuristic (the test catalog is not in the model's item statistics);
  // the model path has its own tests (engine/scoring, test/integration/model-serving.test.ts).
  const engine = await createEngine(config, { stores: [store], tokens: testTokens(storeId), profiles: o.profiles ?? testProfiles(),
    staticRoot: null, sweepMs: 200, ranker: createHeuristicRanker(), ...o.deps });
  const urls = await engine.start();
  const pub: MqttClient = await mqtt.connectAsync(o.mqttUrl ?? urls.mqttUrl, { reconnectPeriod: 0, clientId: uniqueId('pub') });
  let n = 0;
  return {
    engine, storeId, prefix, store, port: urls.port, mqttUrl: o.mqttUrl ?? urls.mqttUrl, pub,
    screenToken: (screenId: string) => `tok-screen-${screenId}-${storeId}`,
    /** Publishes a canonical event (QoS 1) for this store; fills id, ts and storeId. */
    async publish(type: EventType, body: Record<string, unknown>): Promise<string> {
      const id = (body.id as string) ?? `ev-${++n}-${uniqueId('x')}`;
      await pub.publishAsync(eventTopic(storeId, type), JSON.stringify({ type, id, ts: Date.now(), storeId, ...body }), { qos: 1 });
      return id;
    },
    async close(): Promise<void> {
      await pub.endAsync();
      await engine.stop();
      if (o.redisUrl) await dropPrefix(o.redisUrl, prefix);
      // Drop the engine's persistent session so the shared broker stops queueing for it.
      if (o.mqttUrl) {
        for (const clientId of [config.mqttClientId, `${config.mqttClientId}-tx`]) {
          await (await mqtt.connectAsync(o.mqttUrl, { clientId, clean: true, reconnectPeriod: 0 })).endAsync();
        }
      }
      rmSync(journalDir, { recursive: true, force: true });
    },
  };
}
export type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;
