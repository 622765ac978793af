import { describe, expect, it } from 'vitest';
import { createKeys } from '../../engine/platform/keys.js';
import { eventually } from '../helpers/eventually.js';
import { startEngine, type EngineProc } from './harness/engine.js';
import { EVENTS_TOTAL } from './harness/metric-names.js';
import { startMosquitto } from './harness/mosquitto.js';
import { eslMessage, posMessage, purchasePlan, type Message } from './harness/plan.js';
import { waitSubscribed } from './harness/probe.js';
import { startPublisher } from './harness/publisher.js';
import { startRedis } from './harness/redis.js';
import { perTestScope } from './harness/scope.js';
import { faultIds, faultStore } from './harness/store.js';
import { describeDiff, metricValue, readApplied, waitUntilApplied } from './harness/verify.js';

const CUSTOMER = 'c-race';
const PURCHASES = 300;
const TAPS = 30;

describe('two engine instances, one customer', () => {
  const scope = perTestScope();

  it('label taps and purchases racing on one customer: every purchase once, every tap kept', async () => {
    const s = scope();
    const ids = faultIds('race');
    const [mosq, redis] = await Promise.all([startMosquitto(s), startRedis(s)]);
    const r = redis.client();
    // The customer exists (a member with no purchases yet): a tap only records browsing on an existing profile.
    await r.set(createKeys(ids.prefix).profile(CUSTOMER), JSON.stringify({ customerId: CUSTOMER, tier: 'member', points: 0, lifecycle: 'prospect', vip: false,
      affinities: {}, recentSkus: [], browsedSkus: [], tags: [], consent: { personalization: true, displayName: false, associateAlerts: false }, updatedAt: 1 }));

    // Two instances on one store and one Redis prefix, each with its own MQTT session: both receive every event.
    const common = { mqttUrl: mosq.url, redisUrl: redis.url, storeId: ids.storeId, prefix: ids.prefix };
    const [a, b] = await Promise.all([
      startEngine(s, { ...common, name: 'engine-a', clientId: ids.client('a') }),
      startEngine(s, { ...common, name: 'engine-b', clientId: ids.client('b') }),
    ]);
    const pub = await startPublisher(s, mosq.url, ids.client('pub'));
    await Promise.all([waitSubscribed(a, pub, ids.storeId), waitSubscribed(b, pub, ids.storeId)]);

    // 300 purchases of kitchen SKUs, a tap on a candles/bags label after every 10th: interleaved, as fast as the broker takes them.
    const { purchases, expected } = purchasePlan({ tag: ids.hex, n: PURCHASES, customerIds: [CUSTOMER] });
    const labels = faultStore(ids.storeId).labels.filter((l) => l.labelId.startsWith('L-x-'));
    const msgs: Message[] = [];
    const tapped = new Set<string>();
    let taps = 0;
    purchases.forEach((p, i) => {
      msgs.push(posMessage(ids.storeId, p));
      if (i % (PURCHASES / TAPS) === 0) {
        const label = labels[taps++ % labels.length]!;
        tapped.add(label.sku);
        msgs.push(eslMessage(ids.storeId, `${ids.hex}-tap${i}`, { labelId: label.labelId, customerId: CUSTOMER }));
      }
    });
    expect(taps).toBe(TAPS);
    expect(tapped.size).toBeLessThanOrEqual(50); // browsedSkus keeps 50
    await pub.publishAll(msgs);

    const d = await waitUntilApplied(r, ids.prefix, expected, 60_000);
    const browsedSkus = async () => new Set(((await readApplied(r, ids.prefix, [CUSTOMER])).get(CUSTOMER)?.profile?.browsedSkus as string[] | undefined) ?? []);
    const browsed = await eventually(async () => { const b = await browsedSkus(); return [...tapped].every((sku) => b.has(sku)) ? b : undefined; }, 5000, 100)
      .catch(browsedSkus);
    const lostTaps = [...tapped].filter((sku) => !browsed.has(sku));
    const seen = async (e: EngineProc) => { const m = await e.metrics(); return `${e.name} counted ${metricValue(m, EVENTS_TOTAL, { type: 'pos' }) ?? 0} pos, ${metricValue(m, EVENTS_TOTAL, { type: 'esl' }) ?? 0} esl`; };
    console.log(`[fault] race: ${describeDiff(d)}; taps: ${tapped.size - lostTaps.length} of ${tapped.size} tapped SKUs in browsedSkus; `
      + `${await seen(a)}, ${await seen(b)} (all outcomes, probes included)`);

    expect.soft(d.ok, describeDiff(d)).toBe(true);
    expect(lostTaps, `tapped SKUs missing from browsedSkus (${[...browsed].join(',')})`).toEqual([]);
  });
});
