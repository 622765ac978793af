import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { Profile, type AlertClaimed, type AlertVip, type DecisionMessage, type ScreenContent } from '#contracts';
import { partitionOf, preferredOwner } from '../../engine/cluster/plan.js';
import { createKeys } from '../../engine/platform/keys.js';
import { eventually } from '../helpers/eventually.js';
import { testTokens } from '../helpers/fixtures.js';
import { connectWs, type TestWs } from '../helpers/ws-client.js';
import { startEngine, type EngineProc } from '../fault/harness/engine.js';
import { startMosquitto } from '../fault/harness/mosquitto.js';
import { posMessage, presenceMessage, purchasePlan, type Expected } from '../fault/harness/plan.js';
import { startPublisher } from '../fault/harness/publisher.js';
import { startRedisCluster } from '../fault/harness/redis-cluster.js';
import { perTestScope, type Scope } from '../fault/harness/scope.js';
import { metricValue } from '../fault/harness/verify.js';
import { faultStore, screenToken } from '../fault/harness/store.js';

// Several engine instances on one broker and a three-master Redis Cluster (docs/scale.md): stores are shared out
// by leased partitions, a screen gets its frames on whichever instance it connects to, an alert claim is atomic
// across instances, and when an instance is SIGKILLed its stores are taken over with nothing lost.

const PARTITIONS = 8;
const all = { personalization: true, displayName: true, associateAlerts: true };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Estate = Awaited<ReturnType<typeof startEstate>>;

/** Two stores preferred by each instance, so both serve something; the files every instance is given. */
async function startEstate(s: Scope, tag: string) {
  // Ids under which each instance prefers some partitions (else the search for its stores below would never end).
  let hex: string, clients: { a: string; b: string }, ids: string[];
  const share = (c: string) => Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => preferredOwner(p, ids) === c).length;
  do {
    hex = randomBytes(3).toString('hex');
    clients = { a: `scale-${tag}-a-${hex}`, b: `scale-${tag}-b-${hex}` };
    ids = [clients.a, clients.b].sort();
  } while (!share(clients.a) || !share(clients.b));
  const prefix = `sc-${hex}:`;
  const owned: Record<'a' | 'b', string[]> = { a: [], b: [] };
  for (let i = 0; owned.a.length < 2 || owned.b.length < 2; i++) {
    const storeId = `sc-${tag}-${hex}-${i}`;
    const who = preferredOwner(partitionOf(storeId, PARTITIONS), ids) === clients.a ? 'a' : 'b';
    if (owned[who].length < 2) owned[who].push(storeId);
  }
  const stores = [...owned.a, ...owned.b];
  const dir = s.dir('estate');
  mkdirSync(join(dir, 'stores'), { recursive: true });
  for (const id of stores) writeFileSync(join(dir, 'stores', `${id}.json`), JSON.stringify(faultStore(id)));
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify({ tokens: stores.flatMap((id) => testTokens(id)) }));

  const [mosq, cluster] = await Promise.all([startMosquitto(s), startRedisCluster(s)]);
  const r = cluster.client();
  const keys = createKeys(prefix);
  const vip = Profile.parse({ customerId: 'c-vip-1', displayName: 'Vera', tier: 'platinum', points: 20_000, lifecycle: 'active',
    affinities: { candles: 0.8 }, consent: all, updatedAt: 1 });
  await r.set(keys.profile(vip.customerId), JSON.stringify(vip));
  const env = { REDIS_CLUSTER: '1', AISLE_PARTITIONS: String(PARTITIONS), AISLE_STORES: join(dir, 'stores'), AISLE_TOKENS: tokensFile };
  const start = (who: 'a' | 'b') => startEngine(s, { mqttUrl: mosq.url, redisUrl: cluster.url, storeId: owned[who][0]!, prefix,
    clientId: clients[who], name: `engine-${who}`, env });
  // A first, alone: it takes every partition; B's share is handed over once B has settled.
  const a = await start('a');
  await eventually(async () => ((await held(a)).length === PARTITIONS ? true : undefined), 20_000);
  const b = await start('b');
  const pub = await startPublisher(s, mosq.url, `scale-${tag}-pub-${hex}`);
  return { hex, prefix, keys, clients, owned, stores, mosq, cluster, r, a, b, pub, env };
}

/** The partitions an instance holds, from its /readyz detail. */
async function held(e: EngineProc): Promise<number[]> {
  const r = await fetch(`${e.url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  const body = (await r?.json().catch(() => undefined)) as { checks?: { partitions?: { detail?: { held?: number[] } } } } | undefined;
  return body?.checks?.partitions?.detail?.held ?? [];
}

/** Waits until A and B hold disjoint partitions that cover all of them, each its preferred share. */
async function waitSplit(e: Estate): Promise<{ a: number[]; b: number[] }> {
  const ids = [e.clients.a, e.clients.b].sort();
  let last = { a: [] as number[], b: [] as number[] };
  await eventually(async () => {
    last = { a: await held(e.a), b: await held(e.b) };
    const want = (c: string) => Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => preferredOwner(p, ids) === c);
    return JSON.stringify(last.a) === JSON.stringify(want(e.clients.a)) && JSON.stringify(last.b) === JSON.stringify(want(e.clients.b)) ? true : undefined;
  }, 30_000, 100).catch(() => { throw new Error(`partitions never split as planned: ${JSON.stringify(last)}`); });
  return last;
}

async function screen(s: Scope, e: EngineProc, storeId: string, screenId = 'scr-kitchen-1'): Promise<TestWs> {
  const ws = await connectWs(e.port, { role: 'screen', token: screenToken(storeId, screenId), storeId, screenId });
  s.defer(`screen ${screenId} on ${e.name}`, () => { ws.ws.terminate(); });
  await ws.next((f) => f.type === 'welcome', 20_000);
  return ws;
}

async function associate(s: Scope, e: EngineProc, storeId: string, who: 'assoc-1' | 'assoc-2'): Promise<TestWs> {
  const token = who === 'assoc-1' ? `tok-assoc-${storeId}-xx` : `tok-assoc2-${storeId}-x`;
  const ws = await connectWs(e.port, { role: 'associate', token, storeId, associateId: who });
  s.defer(`${who} on ${e.name}`, () => { ws.ws.terminate(); });
  await ws.next((f) => f.type === 'welcome', 20_000);
  return ws;
}

/** Every decision message on the broker, by store. */
async function watchDecisions(s: Scope, url: string) {
  const seen = new Map<string, DecisionMessage[]>();
  const c = await mqtt.connectAsync(url, { clientId: `scale-watch-${randomBytes(3).toString('hex')}`, clean: true });
  s.defer('decision watcher', () => c.endAsync(true).catch(() => {}));
  c.on('message', (_t, payload) => {
    const m = JSON.parse(payload.toString()) as DecisionMessage;
    seen.set(m.storeId, [...(seen.get(m.storeId) ?? []), m]);
  });
  await c.subscribeAsync('aisle/v1/stores/+/decisions', { qos: 0 });
  return seen;
}

/** Σ purchases applied per customer, read one key at a time (the keys live in different slots). */
async function applied(e: Estate, expected: Expected): Promise<{ missing: number; doubled: number; wrong: string[] }> {
  let missing = 0, doubled = 0;
  const wrong: string[] = [];
  for (const [c, exp] of expected) {
    const raw = await e.r.get(e.keys.profile(c));
    const f = raw ? (JSON.parse(raw) as { rfm?: { frequency?: number } }).rfm?.frequency ?? 0 : 0;
    missing += Math.max(0, exp.frequency - f);
    doubled += Math.max(0, f - exp.frequency);
    if (f !== exp.frequency) wrong.push(`${c}: ${f}/${exp.frequency}`);
  }
  return { missing, doubled, wrong };
}

let seq = 0;
const walkIn = (e: Estate, storeId: string, n: number, zoneId = 'z-kitchen') =>
  Promise.all(Array.from({ length: n }, (_, i) => e.pub.publish(presenceMessage(storeId, `pr-${++seq}`, { deviceId: `d-${storeId}-${i}`, zoneId }))));
const origin = (m: DecisionMessage) => (m.origin ?? '').replace(/-[0-9a-f]{6}$/, '');

describe('several engine instances on one broker and a Redis Cluster', () => {
  const scope = perTestScope();

  it('partitions the stores, frames reach a screen on either instance, and an alert claim is atomic across them', async () => {
    const s = scope();
    const e = await startEstate(s, 'part');
    const split = await waitSplit(e);
    console.log(`[scale] partitions: A ${JSON.stringify(split.a)}, B ${JSON.stringify(split.b)}; stores A ${e.owned.a.join(',')}, B ${e.owned.b.join(',')}`);

    // Every store is decided by its owner only.
    const decisions = await watchDecisions(s, e.mosq.url);
    for (const storeId of e.stores) await walkIn(e, storeId, 2);
    await eventually(async () => (e.stores.every((id) => decisions.get(id)?.some((m) => m.shoppers > 0)) ? true : undefined), 15_000);
    await sleep(500);
    for (const who of ['a', 'b'] as const) {
      for (const storeId of e.owned[who]) {
        const origins = new Set(decisions.get(storeId)!.map(origin));
        expect([...origins], `who decided ${storeId}`).toEqual([e.clients[who]]);
      }
    }

    // Aggregate throughput (printed, not asserted): a burst of zone changes across all four stores, taken by both instances.
    const counted = async () => {
      const [ta, tb] = await Promise.all([e.a.metrics(), e.b.metrics()]);
      const ev = (t: string) => metricValue(t, 'aisle_events_total', { type: 'presence', outcome: 'accepted' }) ?? 0;
      const dec = (t: string) => metricValue(t, 'aisle_decisions_total') ?? 0;
      return { a: ev(ta), b: ev(tb), decisions: dec(ta) + dec(tb) };
    };
    // Away from z-candles, whose screen is watched below. Decisions are few: the scheduler coalesces a zone's burst into one.
    const zones = ['z-entrance', 'z-kitchen'];
    const BURST = 6000;
    const burst = Array.from({ length: BURST }, (_, i) => presenceMessage(e.stores[i % e.stores.length]!, `burst-${e.hex}-${i}`,
      { deviceId: `d-burst-${i % 400}`, zoneId: zones[Math.floor(i / 400) % zones.length]! }));
    const c0 = await counted();
    const tb0 = Date.now();
    await e.pub.publishAll(burst);
    let c1 = c0;
    await eventually(async () => { c1 = await counted(); return c1.a + c1.b - c0.a - c0.b >= BURST ? true : undefined; }, 60_000, 100);
    const secs = (Date.now() - tb0) / 1000;
    console.log(`[scale] aggregate: ${BURST} presence events (QoS 1) taken in ${secs.toFixed(2)} s by two instances (A ${c1.a - c0.a}, B ${c1.b - c0.b}): `
      + `${Math.round(BURST / secs)} events/s, ${Math.round((c1.decisions - c0.decisions) / secs)} decisions/s`);

    // A screen of A's store connected to B: it gets content at once (asked of A) and every new decision (over MQTT).
    const sA = e.owned.a[0]!;
    const onB = await screen(s, e.b, sA, 'scr-candles-1');
    await onB.next<ScreenContent>((f) => f.type === 'screen.content', 20_000);
    const before = onB.frames.length;
    await e.pub.publish(presenceMessage(sA, `pr-${++seq}`, { deviceId: 'd-candles-1', zoneId: 'z-candles' }));
    const fresh = await onB.next<ScreenContent>((f) => f.type === 'screen.content' && f.eventTs !== undefined, 20_000, before);
    expect(fresh.screenId).toBe('scr-candles-1');
    expect(fresh.reason).toBe('audience');

    // A label gateway of A's store connected to B: every label's content reaches it (asked of A, then kept by B).
    const gw = await connectWs(e.b.port, { role: 'label-gateway', token: `tok-gateway-${sA}-x`, storeId: sA, gatewayId: 'gw-1' });
    s.defer('label gateway on B', () => { gw.ws.terminate(); });
    const labelIds = faultStore(sA).labels.map((l) => l.labelId);
    await eventually(async () => {
      const got = new Set(gw.frames.filter((f) => f.type === 'label.update').map((f) => (f as { labelId: string }).labelId));
      return labelIds.every((id) => got.has(id)) ? true : undefined;
    }, 15_000).catch(() => { throw new Error(`the gateway on B got ${gw.frames.filter((f) => f.type === 'label.update').length} label frames of ${labelIds.length} labels`); });

    // A VIP walks into A's store: associates on A and on B both get the alert, both claim it at once, one wins.
    const ann = await associate(s, e.a, sA, 'assoc-1');
    const bob = await associate(s, e.b, sA, 'assoc-2');
    await e.pub.publish(presenceMessage(sA, `vip-${e.hex}`, { deviceId: 'd-vip', customerId: 'c-vip-1', zoneId: 'z-entrance' }));
    const [alertA, alertB] = await Promise.all([ann, bob].map((w) => w.next<AlertVip>((f) => f.type === 'alert.vip', 20_000)));
    expect(alertB!.alertId).toBe(alertA!.alertId);
    for (const w of [ann, bob]) w.ws.send(JSON.stringify({ type: 'claim', alertId: alertA!.alertId }));
    const claimed = (w: TestWs) => w.next<AlertClaimed>((f) => f.type === 'alert.claimed' && f.alertId === alertA!.alertId && f.associateId !== null, 20_000);
    const [ca, cb] = await Promise.all([claimed(ann), claimed(bob)]);
    await sleep(500);
    expect(cb!.associateId).toBe(ca!.associateId);
    const holders = new Set([ann, bob].flatMap((w) => w.frames.filter((f): f is AlertClaimed => f.type === 'alert.claimed' && f.alertId === alertA!.alertId)
      .map((f) => f.associateId)));
    expect([...holders], 'every claim notice names the same holder').toEqual([ca!.associateId]);
  });

  it('an instance SIGKILLed mid-stream: the other takes its stores over with their visits, and every purchase is applied exactly once', async () => {
    const s = scope();
    const e = await startEstate(s, 'kill');
    await waitSplit(e);
    const sA = e.owned.a[0]!;
    // Shoppers in A's store before the kill; a screen of that store on B.
    await walkIn(e, sA, 5);
    const onB = await screen(s, e.b, sA, 'scr-candles-1');
    await onB.next<ScreenContent>((f) => f.type === 'screen.content', 20_000);
    await sleep(300); // the visits are written behind every 50 ms

    // Purchases to every store, paced, across the kill.
    const N = 1200;
    const { purchases, expected } = purchasePlan({ tag: e.hex, n: N, customers: 40 });
    const t0 = Date.now();
    const published = e.pub.publishAll(purchases.map((p, i) => posMessage(e.stores[i % e.stores.length]!, p)), { ratePerSec: 200 });
    await sleep(2000);
    const killedAt = Date.now();
    expect((await e.a.kill('SIGKILL')).signal).toBe('SIGKILL');
    let tookOverMs = 0;
    await eventually(async () => ((await held(e.b)).length === PARTITIONS ? true : undefined), 20_000, 50);
    tookOverMs = Date.now() - killedAt;
    await published;
    const sentMs = Date.now() - t0;

    // B now decides A's store from the visits it restored: its first decision there counts the five shoppers.
    const live = await fetch(`${e.b.url}/api/v1/stores/${sA}/live`, { headers: { authorization: `Bearer tok-console-${sA}-x` } });
    const view = (await live.json()) as { zones: { zoneId: string; shoppers: number }[] };
    expect(view.zones.find((z) => z.zoneId === 'z-kitchen')?.shoppers, 'shoppers B restored in A\'s store').toBe(5);

    let d = await applied(e, expected);
    await eventually(async () => { d = await applied(e, expected); return d.missing === 0 && d.doubled === 0 ? true : undefined; }, 60_000, 250)
      .catch(() => undefined);
    const doneMs = Date.now() - t0;
    console.log(`[scale] SIGKILL of A: B held all ${PARTITIONS} partitions ${tookOverMs} ms after the kill; ${N} purchases sent in ${sentMs} ms, `
      + `all applied ${doneMs} ms after the first (${Math.round((N * 1000) / doneMs)}/s across the kill); missing ${d.missing}, doubled ${d.doubled}`);
    expect(d.wrong, `${d.missing} missing, ${d.doubled} doubled`).toEqual([]);

    // The screen of A's store on B keeps getting frames, now decided by B: a shopper walks up to it.
    const before = onB.frames.length;
    await e.pub.publish(presenceMessage(sA, `pr-${++seq}`, { deviceId: 'd-candles-1', zoneId: 'z-candles' }));
    const after = await onB.next<ScreenContent>((f) => f.type === 'screen.content' && f.eventTs !== undefined, 20_000, before);
    expect(after.reason).toBe('audience');
  });

  it('a second instance with a live instance\'s client id is refused; a stopping instance hands its partitions over at once', async () => {
    const s = scope();
    const e = await startEstate(s, 'dup');
    await waitSplit(e);
    // The same MQTT_CLIENT_ID as A, while A runs: the registry refuses it (the broker alone would let them kick each other off).
    const twin = await startEngine(s, { mqttUrl: e.mosq.url, redisUrl: e.cluster.url, storeId: e.owned.a[0]!, prefix: e.prefix,
      clientId: e.clients.a, name: 'engine-a-twin', env: e.env }).catch((err: Error) => err);
    const exit = twin instanceof Error ? undefined : await twin.waitExit(20_000);
    const said = twin instanceof Error ? twin.message : twin.log.tail(40);
    expect(twin instanceof Error || exit !== undefined, 'the twin exits by itself').toBe(true);
    expect(said).toMatch(/MQTT_CLIENT_ID .* is in use by a running engine instance/);
    expect((await held(e.a)).length, 'A keeps its partitions').toBeGreaterThan(0);

    // SIGTERM: A drains and gives its leases back; B takes them without waiting for them to expire.
    const aHeld = await held(e.a);
    const stoppedAt = Date.now();
    const exitA = await e.a.kill('SIGTERM');
    expect(exitA.code).toBe(0);
    // Given back, not left to expire: no lease names A once it has exited.
    const holders = await Promise.all(aHeld.map((p) => e.r.get(e.keys.lease(p))));
    expect(holders.filter((h) => h === e.clients.a), 'leases A still held after exiting').toEqual([]);
    await eventually(async () => ((await held(e.b)).length === PARTITIONS ? true : undefined), 20_000, 50);
    console.log(`[scale] SIGTERM of A: exited in ${exitA.ms} ms; B held all ${PARTITIONS} partitions ${Date.now() - stoppedAt} ms after the signal`);
  });
});
