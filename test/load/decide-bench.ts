// Decision micro-benchmark: `npm run bench:decide [-- --iterations=3000 --warmup=1000 --reps=3 --rules=100 --shoppers=30 --in-turn=4 --only=personal|audience]`.
// See test/load/README.md §Decision micro-benchmark. One process, no network: what one zone decision costs on this
// machine, with the ranking taken out (each distinct request is ranked once by the real model, then served from a
// map), so what is left is the engine's own work: turns, rules (matching, caps, triggers), combining rules with the
// ranking, picking, the shopper-facing words and the frames.
//
// It builds what the load bench's engine holds: the bench store (test/load/fixtures.ts) through the store
// registry, `--rules` bench rules (test/load/rules.ts) parsed as the API stores them, bench profiles, and
// `--shoppers` shoppers in the zone under decision (visits with dwell and label taps). Two shapes, timed apart:
//   personal: `--in-turn` consenting shoppers (few enough for turns), a different group every call, so each
//             screen starts a new personal turn (memory kept between calls, as the scheduler keeps it);
//   audience: `--shoppers` shoppers, half of them consenting (a busy zone: no turns, public content), force on.
import { performance } from 'node:perf_hooks';
import { Rule, type Profile, type Visit } from '#contracts';
import { decideZone, EMPTY_ZONE, type ZoneMemory } from '../../engine/decisions/zone-decision.js';
import type { ZoneShopper } from '../../engine/decisions/consent.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createCapsLedger } from '../../engine/rules/caps.js';
import { createRankChooser } from '../../engine/scoring/choose.js';
import { createHeuristicRanker } from '../../engine/scoring/heuristic.js';
import { createScoring, repoRoot, type RankRequest, type RankResult } from '../../engine/scoring/index.js';
import { createStoreRegistry } from '../../engine/stores/registry.js';
import { benchProfiles, benchStore } from './fixtures.js';
import { benchRules } from './rules.js';
import { join } from 'node:path';

const arg = (name: string, dflt: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const v = a ? Number(a.slice(name.length + 3)) : dflt;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: not a number`);
  return v;
};
const ITER = arg('iterations', 3_000);
const WARM = arg('warmup', 1_000);
const REPS = Math.max(1, arg('reps', 3));
const RULES = arg('rules', 100);
const SHOPPERS = Math.max(1, arg('shoppers', 30));
/** Personal turns need a zone at most `turns.audienceAbove` (6) eligible shoppers busy. */
const IN_TURN = Math.max(1, arg('in-turn', 4));

const now = Date.now();
const config = benchStore();
const store = createStoreRegistry([config]).all()[0]!;
const rules = benchRules(config, RULES).map((r, i) => Rule.parse({ ...r, enabled: true, version: 1, updatedAt: now - 1000 + i, updatedBy: 'bench' }));
const profiles: Profile[] = benchProfiles(Math.max(SHOPPERS, IN_TURN) * 4, now);
// The zone with two screens (4 and 6 slots), as half of the bench store's zones.
const zone = store.zones.get(config.zones[0]!.zoneId)!;
const screens = store.screensByZone.get(zone.zoneId)!;
const skus = store.catalog.inStock.map((i) => i.sku);

const visit = (n: number, p: Profile, at: number): Visit => ({
  storeId: config.storeId, deviceId: `d-${n}`, customerId: p.customerId, enteredAt: at - 600_000, lastSeenAt: at, lastEventTs: at,
  zoneId: zone.zoneId, zoneEnteredAt: at - 5_000 - (n % 30) * 1_000, dwellMs: { [zone.zoneId]: (n % 7) * 4_000 }, zonesVisited: [zone.zoneId],
  eslSkus: n % 3 === 0 ? [skus[(n * 11) % skus.length]!] : [], eslCount: n % 3 === 0 ? 1 : 0, rssi: -60 - (n % 20),
});

const scoring = await createScoring({ modelRoot: join(repoRoot(), 'models', 'artifacts'), fallback: createHeuristicRanker(), log: silentLogger(), pollMs: 3_600_000 });
const ranker = createRankChooser({ model: scoring, log: silentLogger(), cacheMs: 0 });
// Each distinct request ranked once by the real ranker; the loop is then the decision's own work.
const memo = new Map<string, RankResult>();
const rank = async (req: RankRequest): Promise<RankResult> => {
  const k = req.profile ? `p:${req.profile.customerId}:${req.limit}` : `a:${req.audience?.map((p) => p.customerId).join(',')}:${req.limit}:${req.catalog === store.catalog}`;
  let r = memo.get(k);
  if (!r) memo.set(k, (r = await ranker(req)));
  return r;
};

type Shape = 'personal' | 'audience';
const modes = { shopper: 0, audience: 0, idle: 0 };
async function run(shape: Shape, iterations: number): Promise<number[]> {
  const caps = createCapsLedger();
  let memory: ZoneMemory = EMPTY_ZONE;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const at = now + i * 50;
    // Personal: a different group of shoppers each call (turns change, so every screen is decided again).
    const base = shape === 'personal' ? (i * 7) % (profiles.length - IN_TURN) : 0;
    const shoppers: ZoneShopper[] = Array.from({ length: shape === 'personal' ? IN_TURN : SHOPPERS }, (_, k) => {
      const p = profiles[base + k]!;
      const prof = shape === 'personal' ? p : { ...p, consent: { ...p.consent, personalization: k % 2 === 0 } };
      return { visit: visit(base + k, prof, at), profile: prof };
    });
    const t0 = performance.now();
    const d = await decideZone({ store, zone, screens, shoppers, rules, caps, memory, now: at, force: shape === 'audience' }, rank);
    times.push(performance.now() - t0);
    memory = d.memory;
    for (const s of d.screens) { modes[s.mode]++; if (s.send && !s.refresh) caps.add(s.capKeys); }
  }
  return times;
}

const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

console.log(`decide bench: ${RULES} rules, ${IN_TURN} (personal) or ${SHOPPERS} (audience) shoppers in ${zone.zoneId} (${screens.length} screens: ${screens.map((s) => s.slots).join(' + ')} slots), `
  + `${ITER} calls × ${REPS} reps after ${WARM} warm-up; ranker ${scoring.status().serving?.version ?? 'heuristic'} (memoised)`);
const only = process.argv.find((x) => x.startsWith('--only='))?.slice(7);
for (const shape of (['personal', 'audience'] as const).filter((x) => !only || x === only)) {
  await run(shape, WARM);
  for (const k of Object.keys(modes) as (keyof typeof modes)[]) modes[k] = 0;
  const rows: string[] = [];
  for (let r = 0; r < REPS; r++) {
    const t = await run(shape, ITER);
    rows.push(`p50 ${fmt(q(t, 0.5))}  p99 ${fmt(q(t, 0.99))}  mean ${fmt(t.reduce((a, b) => a + b, 0) / t.length)}`);
  }
  const n = modes.shopper + modes.audience + modes.idle;
  console.log(`  ${shape.padEnd(9)} ${rows.join('  |  ')}  (screens decided: ${n}; personal turns ${(100 * modes.shopper / Math.max(1, n)).toFixed(0)} %)`);
}
await scoring.close();
