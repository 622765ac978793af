import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionOf, preferredOwner } from '../../engine/cluster/plan.js';
import { createKeys } from '../../engine/platform/keys.js';
import { eventually } from '../helpers/eventually.js';
import { testTokens } from '../helpers/fixtures.js';
import { startEngine, type EngineProc } from '../fault/harness/engine.js';
import { startMosquitto } from '../fault/harness/mosquitto.js';
import { posMessage, purchasePlan } from '../fault/harness/plan.js';
import { startPublisher } from '../fault/harness/publisher.js';
import { startRedis } from '../fault/harness/redis.js';
import { perTestScope } from '../fault/harness/scope.js';
import { faultStore } from '../fault/harness/store.js';
import { metricValue } from '../fault/harness/verify.js';
import { startTcpProxy } from '../fault/harness/tcp-proxy.js';

// One instance cut off from Redis while the broker and the other instance still reach it (docs/scale.md §When an
// instance loses Redis): its leases run out, the other takes its partitions and resumes their MQTT sessions; the two
// then kick each other off those sessions until the one that cannot prove its lease lets them go. Purchases taken on
// either side meanwhile (the cut-off one journals them) are applied exactly once; once Redis is reachable again the
// instance comes back to its share.

const PARTITIONS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function held(e: EngineProc): Promise<number[]> {
  const r = await fetch(`${e.url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  const body = (await r?.json().catch(() => undefined)) as { checks?: { partitions?: { detail?: { held?: number[] } } } } | undefined;
  return body?.checks?.partitions?.detail?.held ?? [];
}

describe('an instance cut off from Redis, with the broker and the other instance still up', () => {
  const scope = perTestScope();

  it('the other takes its partitions, the cut-off one yields their sessions, every purchase is applied once, and it comes back afterwards', async () => {
    const s = scope();
    const hex = randomBytes(3).toString('hex');
    const prefix = `rc-${hex}:`;
    const clients = { a: `rcut-a-${hex}`, b: `rcut-b-${hex}` };
    const ids = [clients.a, clients.b].sort();
    const want = (c: string) => Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => preferredOwner(p, ids) === c);
    // A store in a partition of each instance's share.
    const stores: string[] = [];
    for (const who of [clients.a, clients.b]) {
      for (let i = 0; ; i++) {
        const id = `rc-${hex}-${who.at(5)}${i}`;
        if (preferredOwner(partitionOf(id, PARTITIONS), ids) === who) { stores.push(id); break; }
      }
    }
    const dir = s.dir('estate');
    mkdirSync(join(dir, 'stores'), { recursive: true });
    for (const id of stores) writeFileSync(join(dir, 'stores', `${id}.json`), JSON.stringify(faultStore(id)));
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ tokens: stores.flatMap((id) => testTokens(id)) }));

    const [mosq, redis] = await Promise.all([startMosquitto(s), startRedis(s)]);
    const proxy = await startTcpProxy(s, redis.port, 'redis proxy for A');
    const env = { AISLE_PARTITIONS: String(PARTITIONS), AISLE_STORES: join(dir, 'stores'), AISLE_TOKENS: join(dir, 'tokens.json') };
    const a = await startEngine(s, { mqttUrl: mosq.url, redisUrl: proxy.url, storeId: stores[0]!, prefix, clientId: clients.a, name: 'engine-a', env });
    await eventually(async () => ((await held(a)).length === PARTITIONS ? true : undefined), 20_000);
    const b = await startEngine(s, { mqttUrl: mosq.url, redisUrl: redis.url, storeId: stores[1]!, prefix, clientId: clients.b, name: 'engine-b', env });
    const split = async () => JSON.stringify(await held(a)) === JSON.stringify(want(clients.a)) && JSON.stringify(await held(b)) === JSON.stringify(want(clients.b));
    await eventually(async () => ((await split()) ? true : undefined), 30_000, 100);

    // Purchases to both stores, paced, across the cut and the fight that follows.
    const pub = await startPublisher(s, mosq.url, `rcut-pub-${hex}`);
    const N = 1000;
    const { purchases, expected } = purchasePlan({ tag: hex, n: N, customers: 30 });
    const published = pub.publishAll(purchases.map((p, i) => posMessage(stores[i % stores.length]!, p)), { ratePerSec: 100 });
    await sleep(1500);
    const cutAt = Date.now();
    proxy.cut();

    // B takes every partition once A's leases have run out, and keeps them: A yields the sessions it cannot prove are its.
    let tookMs = 0;
    await eventually(async () => ((await held(b)).length === PARTITIONS ? true : undefined), 30_000, 100);
    tookMs = Date.now() - cutAt;
    await eventually(async () => ((await held(a)).length === 0 ? true : undefined), 30_000, 100)
      .catch(async () => { throw new Error(`A still holds ${JSON.stringify(await held(a))}\n${a.log.tail(20)}`); });
    const yieldedMs = Date.now() - cutAt;
    // It let them go because it was kicked off their sessions and could not ask Redis (not because it stopped answering).
    expect(a.log.tail(400)).toMatch(/Redis cannot be asked: letting it go/);
    expect(metricValue(await a.metrics(), 'aisle_partitions_held'), 'partitions A counts as its own').toBe(0);
    await sleep(3000);
    expect((await held(b)).length, 'B keeps every partition while A is cut off').toBe(PARTITIONS);
    expect(a.running() && b.running()).toBe(true);
    await published;

    // Redis reachable again: A replays what it journaled, registers, and gets its share back.
    proxy.restore();
    const restoredAt = Date.now();
    await eventually(async () => ((await split()) ? true : undefined), 40_000, 100)
      .catch(async () => { throw new Error(`no split after the restore: A ${JSON.stringify(await held(a))}, B ${JSON.stringify(await held(b))}`); });
    const backMs = Date.now() - restoredAt;

    const r = redis.client();
    const keys = createKeys(prefix);
    const wrong = async () => {
      const out: string[] = [];
      for (const [c, exp] of expected) {
        const raw = await r.get(keys.profile(c));
        const f = raw ? (JSON.parse(raw) as { rfm?: { frequency?: number } }).rfm?.frequency ?? 0 : 0;
        if (f !== exp.frequency) out.push(`${c}: ${f}/${exp.frequency}`);
      }
      return out;
    };
    let off: string[] = [];
    await eventually(async () => { off = await wrong(); return off.length ? undefined : true; }, 60_000, 250).catch(() => undefined);
    console.log(`[scale] Redis cut off from A: B held all ${PARTITIONS} partitions ${tookMs} ms after the cut, A had let go ${yieldedMs} ms after; `
      + `back to the planned split ${backMs} ms after the restore; ${N} purchases, ${off.length} customers off`);
    expect(off, 'customers whose purchases were not applied exactly once').toEqual([]);
  });
});
