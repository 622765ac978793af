import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { connectWs } from '../helpers/ws-client.js';
import {
  armOf, confirm, countersWhen, leave, personalTurn, purchase, readCounters, report, seedMembers, startExperiment, type Counters,
} from './harness/experiments.js';
import { EVENTS_TOTAL, IMPRESSIONS_TOTAL, JOURNAL_APPENDED, JOURNAL_PENDING } from './harness/metric-names.js';
import { readyz, whenReadyz } from './harness/rules.js';
import { startRig } from './harness/rig.js';
import { perTestScope, type Scope } from './harness/scope.js';
import { screenToken } from './harness/store.js';
import { metricValue, readApplied, waitMetric } from './harness/verify.js';

// Experiments across failures (docs/experiments.md §Conversions, §Caveats; docs/delivery.md): impressions and
// conversions are counted once per decision and once per purchase, by marks set in the same atomic step as the counts.
// Real engine processes, a private Mosquitto and Redis per case (AOF, fsync always: what Redis acknowledged survives).

const A = 'c-xa';
const B = 'c-xb';
const C = 'c-xc';

/** The candles screen of the rig's engine, closed with the scope. */
async function candles(s: Scope, port: number, storeId: string) {
  const ws = await connectWs(port, { role: 'screen', token: screenToken(storeId, 'scr-candles-1'), storeId, screenId: 'scr-candles-1' });
  s.defer('candles screen', () => { ws.ws.terminate(); });
  await ws.next(() => true, 10_000); // welcome
  return ws;
}

/** Purchases the engine has taken (accepted) so far: a barrier for redeliveries that change nothing. */
const posAccepted = async (metrics: () => Promise<string>) => (await waitMetric(metrics, EVENTS_TOTAL, () => true, 0, { type: 'pos', outcome: 'accepted' })).value ?? 0;

const sum = (c: Counters, f: (arm: Counters['arms'][string]) => number) => Object.values(c.arms).reduce((a, x) => a + f(x), 0);

describe('experiments across failures', () => {
  const scope = perTestScope();

  it('Redis down while impressions and purchases arrive: frames keep coming, impressions are lost, purchases journaled and committed once; no conversion counted twice', async () => {
    const s = scope();
    const { ids, redis, engine, pub, r } = await startRig(s, 'xdown', { seed: (x, prefix) => seedMembers(x, prefix, [A, B, C]) });
    await startExperiment(engine, ids.storeId);
    const screen = await candles(s, engine.port, ids.storeId);
    const who = [A, B, C];

    // Before the outage: A and B see their personal turns and the screen confirms them; C walks by unconfirmed (their profile is now cached).
    const shown: Record<string, string[]> = {};
    for (const c of who) {
      const f = await personalTurn(pub, screen, ids.storeId, c, `d-${c}-1`);
      shown[c] = f.items.map((i) => i.sku);
      if (c !== C) confirm(screen, f);
      await leave(pub, screen, ids.storeId, `d-${c}-1`);
    }
    await countersWhen(r, ids.prefix, who, (x) => x.impressions[A]!.length === 1 && x.impressions[B]!.length === 1 && sum(x, (a) => a.impressions) === 2,
      10_000, 'impressions of A and B');
    // A buys what they were shown: converted in A's arm with that line's revenue.
    const p1 = purchase(ids.storeId, `${ids.hex}-p1`, A, shown[A]![0]!, 11);
    await pub.publish(p1);
    await countersWhen(r, ids.prefix, who, (x) => x.arms[armOf(A)]!.revenue[A] === 11, 10_000, 'A\'s conversion');
    const profiles0 = await readApplied(r, ids.prefix, who);

    await redis.stop('SIGKILL');
    await whenReadyz(engine, 503, 10_000);
    const accepted0 = await posAccepted(() => engine.metrics());
    // The engine keeps serving frames: C's personal turn comes, the screen confirms it (lost: nowhere to keep it).
    const fc = await personalTurn(pub, screen, ids.storeId, C, `d-${C}-2`);
    confirm(screen, fc);
    await leave(pub, screen, ids.storeId, `d-${C}-2`);
    // The engine took the confirmation (A's, B's and now C's): what is lost, is lost to the outage.
    expect(metricValue(await engine.metrics(), IMPRESSIONS_TOTAL), 'impressions the screen confirmed').toBe(3);
    // B buys what B was shown; A's purchase is redelivered; C buys what C was shown: all journaled.
    const p2 = purchase(ids.storeId, `${ids.hex}-p2`, B, shown[B]![0]!, 13);
    const p3 = purchase(ids.storeId, `${ids.hex}-p3`, C, fc.items[0]!.sku, 17);
    await pub.publishAll([p2, p1, p3]);
    const journaled = await waitMetric(() => engine.metrics(), JOURNAL_APPENDED, (v) => (v ?? 0) >= 3, 10_000);
    expect(journaled.ok, `${JOURNAL_APPENDED} = ${journaled.value ?? 'absent'} after 3 purchases with Redis down`).toBe(true);
    expect(await posAccepted(() => engine.metrics())).toBeGreaterThanOrEqual(accepted0 + 3);

    await redis.restart();
    await whenReadyz(engine, 200, 15_000);
    expect((await waitMetric(() => engine.metrics(), JOURNAL_PENDING, (v) => v === 0, 15_000)).ok, 'the journal is drained').toBe(true);
    // Every purchase committed once: B and C once more, A's redelivered purchase not again.
    const profiles1 = await eventually(async () => {
      const p = await readApplied(r, ids.prefix, who);
      return p.get(B)!.frequency === profiles0.get(B)!.frequency + 1 && p.get(C)!.frequency === profiles0.get(C)!.frequency + 1 ? p : undefined;
    }, 15_000);
    expect(profiles1.get(A)!.frequency, 'A\'s purchase, redelivered during the outage').toBe(profiles0.get(A)!.frequency);
    expect(profiles1.get(B)!.monetary - profiles0.get(B)!.monetary).toBeCloseTo(13, 6);
    expect(profiles1.get(C)!.monetary - profiles0.get(C)!.monetary).toBeCloseTo(17, 6);

    // Counters after the outage (docs/experiments.md §Caveats): C's impression is lost (no record, not exposed); the
    // conversions of purchases taken while Redis was down are not counted; A's conversion is not counted again.
    const after = await readCounters(r, ids.prefix, who);
    expect(after.impressions[C], 'C\'s impression, confirmed while Redis was down').toEqual([]);
    expect(Object.values(after.arms).flatMap((a) => a.exposed).sort()).toEqual([A, B].sort());
    expect(sum(after, (a) => a.impressions), 'impressions counted').toBe(2);
    expect(Object.fromEntries(Object.entries(after.arms).map(([arm, a]) => [arm, [a.converted, a.revenue]])), 'conversions after the outage')
      .toEqual(Object.fromEntries(Object.keys(after.arms).map((arm) => [arm, arm === armOf(A) ? [[A], { [A]: 11 }] : [[], {}]])));

    // After Redis is back, both purchases are delivered again (and B's twice): A's counts nothing new; B's conversion,
    // lost to the outage, is counted now — once.
    const accepted1 = await posAccepted(() => engine.metrics());
    await pub.publishAll([p1, p2, p2]);
    await eventually(async () => ((await posAccepted(() => engine.metrics())) >= accepted1 + 3 ? true : undefined), 10_000);
    const final = await countersWhen(r, ids.prefix, who, (x) => x.arms[armOf(B)]!.revenue[B] !== undefined, 10_000, 'B\'s redelivered purchase');
    await new Promise((res) => setTimeout(res, 300)); // nothing else is on its way: the same once more
    expect(await readCounters(r, ids.prefix, who)).toEqual(final);
    const converted = Object.fromEntries(Object.entries(final.arms).map(([arm, a]) => [arm, [a.converted, a.revenue]]));
    const want: Record<string, [string[], Record<string, number>]> = Object.fromEntries(Object.keys(final.arms).map((arm) => [arm, [[], {}]]));
    for (const [c, revenue] of [[A, 11], [B, 13]] as const) { want[armOf(c)]![0].push(c); want[armOf(c)]![1][c] = revenue; }
    for (const w of Object.values(want)) w[0].sort();
    console.log(`[fault] experiments, Redis down: C's impression during the outage lost; conversions after redeliveries ${JSON.stringify(converted)}; `
      + `journaled ${journaled.value}`);
    expect(converted, 'each conversion once: A\'s never twice, B\'s once when redelivered after the outage').toEqual(want);
    const profiles2 = await readApplied(r, ids.prefix, who);
    expect(who.map((c) => profiles2.get(c)!.frequency), 'redeliveries change no profile').toEqual(who.map((c) => profiles1.get(c)!.frequency));
    // The report says the same.
    const rep = await report(engine, ids.storeId);
    for (const a of rep.arms) {
      const x = final.arms[a.armId]!;
      expect({ arm: a.armId, shoppers: a.shoppers, impressions: a.impressions, conversions: a.conversions })
        .toEqual({ arm: a.armId, shoppers: x.exposed.length, impressions: x.impressions, conversions: x.converted.length });
    }
    expect(await readyz(engine)).toBe(200);
  });

  it('engine SIGKILLed between an impression and the purchase: after the restart the purchase converts (the impression is in Redis), exactly once', async () => {
    const s = scope();
    const { ids, engine, pub, r } = await startRig(s, 'xkill', { seed: (x, prefix) => seedMembers(x, prefix, [A]) });
    await startExperiment(engine, ids.storeId);
    const screen = await candles(s, engine.port, ids.storeId);
    const f = await personalTurn(pub, screen, ids.storeId, A, `d-${A}`);
    confirm(screen, f);
    await countersWhen(r, ids.prefix, [A], (x) => x.impressions[A]!.length === 1 && x.arms[armOf(A)]!.impressions === 1, 10_000, 'A\'s impression');
    const profile0 = (await readApplied(r, ids.prefix, [A])).get(A)!;

    const exit = await engine.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    // A pays while the engine is down (the broker keeps it for the engine's session) …
    const p = purchase(ids.storeId, `${ids.hex}-p`, A, f.items[0]!.sku, 19);
    await pub.publish(p);
    const t0 = Date.now();
    await engine.restart();
    // … and the purchase is delivered again after the restart.
    await pub.publish(p);
    const done = await countersWhen(r, ids.prefix, [A], (x) => x.arms[armOf(A)]!.revenue[A] !== undefined, 15_000, 'A\'s conversion after the restart');
    const profile1 = await eventually(async () => { const x = (await readApplied(r, ids.prefix, [A])).get(A)!; return x.frequency > profile0.frequency ? x : undefined; }, 10_000);
    await new Promise((res) => setTimeout(res, 300));
    expect(await readCounters(r, ids.prefix, [A]), 'nothing more after the redelivery').toEqual(done);
    console.log(`[fault] experiments, engine SIGKILL: converted ${Date.now() - t0} ms after the restart began; ${JSON.stringify(done.arms[armOf(A)])}`);
    expect(done.arms[armOf(A)]).toEqual({ exposed: [A], converted: [A], impressions: 1, revenue: { [A]: 19 } });
    for (const [arm, x] of Object.entries(done.arms)) if (arm !== armOf(A)) expect(x).toEqual({ exposed: [], converted: [], impressions: 0, revenue: {} });
    expect(profile1.frequency - profile0.frequency, 'the purchase committed once').toBe(1);
    expect((await readApplied(r, ids.prefix, [A])).get(A)!.frequency).toBe(profile1.frequency);
    const rep = await report(engine, ids.storeId);
    expect(rep.arms.map((a) => [a.armId, a.shoppers, a.impressions, a.conversions]))
      .toEqual(rep.arms.map((a) => [a.armId, ...(a.armId === armOf(A) ? [1, 1, 1] : [0, 0, 0])]));
  });
});
