import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rule, type Profile, type Visit } from '#contracts';
import { benchProfiles, benchStore } from '../../test/load/fixtures.js';
import { benchRules } from '../../test/load/rules.js';
import { createCapsLedger } from '../rules/caps.js';
import { rankHeuristic } from '../scoring/heuristic.js';
import type { RankRequest } from '../scoring/types.js';
import { createStoreRegistry } from '../stores/registry.js';
import type { ZoneShopper } from './consent.js';
import { decideZone, EMPTY_ZONE, type ZoneDecision, type ZoneMemory } from './zone-decision.js';

// The live path (explain off) skips rules that cannot apply to a screen and leaves out outcomes and effects.
// It must decide exactly what the full, explained path decides: the same frames, items and reasons, the
// same rules and cap counters, the same wake-ups and memory, over any mix of rules, shoppers and time.

const NOW = Date.UTC(2026, 10, 27, 15);
const config = benchStore(8);
const store = createStoreRegistry([config]).all()[0]!;
const base = benchRules(config, 48);
const profiles: Profile[] = benchProfiles(40, NOW);
const zones = config.zones.map((z) => z.zoneId);
const screenIds = config.screens.map((s) => s.screenId);
const skus = store.catalog.inStock.map((i) => i.sku);
const rank = async (req: RankRequest) => ({ items: rankHeuristic(req), ranker: 'heuristic' });

/** A bench rule, varied: switched off, aimed elsewhere (store, zones, screens), at modes, at hours. */
const ruleArb = (i: number) => fc.record({
  enabled: fc.boolean(), otherStore: fc.boolean(), zones: fc.option(fc.subarray(zones, { minLength: 1 })),
  screens: fc.option(fc.subarray(screenIds, { minLength: 1, maxLength: 3 })), modes: fc.option(fc.subarray(['shopper', 'audience', 'idle'] as const, { minLength: 1 })),
  late: fc.boolean(), priority: fc.integer({ min: 0, max: 1000 }),
}).map((v) => {
  const r = base[i % base.length]!;
  const target = { ...r.target, stores: v.otherStore ? ['s-elsewhere'] : [config.storeId] } as Rule['target'];
  if (v.zones) target.zones = v.zones;
  if (v.screens) target.screens = v.screens;
  if (v.modes) target.modes = [...v.modes];
  if (v.late) target.hours = { from: '21:00', to: '23:00' };
  return Rule.parse({ ...r, ruleId: `r-${i}`, enabled: v.enabled, priority: v.priority, target, version: 1, updatedAt: 0, updatedBy: 't' });
});

const shopperArb = fc.record({ who: fc.integer({ min: 0, max: profiles.length - 1 }), anonymous: fc.boolean(), dwellS: fc.integer({ min: 0, max: 120 }),
  tapped: fc.option(fc.integer({ min: 0, max: skus.length - 1 })), rssi: fc.integer({ min: -95, max: -40 }) });

const scenario = fc.record({
  rules: fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i)))),
  zone: fc.constantFrom(...zones.filter((z) => store.screensByZone.get(z)?.length)),
  steps: fc.array(fc.record({ shoppers: fc.array(shopperArb, { maxLength: 9 }), afterMs: fc.integer({ min: 0, max: 20_000 }), force: fc.boolean() }), { minLength: 1, maxLength: 4 }),
});

type ShopperSpec = { who: number; anonymous: boolean; dwellS: number; tapped: number | null; rssi: number };
function shoppersOf(zoneId: string, list: readonly ShopperSpec[], at: number): ZoneShopper[] {
  return list.map((s, n) => {
    const p = profiles[s.who]!;
    const visit: Visit = { storeId: config.storeId, deviceId: `d-${s.who}-${n}`, customerId: s.anonymous ? undefined : p.customerId, enteredAt: at - 900_000,
      lastSeenAt: at, lastEventTs: at, zoneId, zoneEnteredAt: at - s.dwellS * 1000, dwellMs: {}, zonesVisited: [zoneId],
      eslSkus: s.tapped !== null ? [skus[s.tapped]!] : [], eslCount: s.tapped !== null ? 1 : 0, rssi: s.rssi };
    return s.anonymous ? { visit } : { visit, profile: p };
  });
}

/** What a decision puts out and remembers, without the explanations only the preview asks for. */
const decided = (d: ZoneDecision) => ({
  screens: d.screens.map(({ outcomes: _, ...s }) => s),
  wakeAt: d.wakeAt,
  showing: [...d.memory.showing.entries()],
  turns: [...d.memory.turns.screens.entries()],
});

describe('zone decisions: the live path decides what the explained path decides', () => {
  it('the same frames, items, rules, cap counters, wake-ups and memory for any rules, shoppers and times', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ rules, zone, steps }) => {
      const z = store.zones.get(zone)!;
      const screens = store.screensByZone.get(zone)!;
      const run = async (explain: boolean) => {
        const caps = createCapsLedger();
        let memory: ZoneMemory = EMPTY_ZONE;
        let n = 0;
        let at = NOW;
        const out: ReturnType<typeof decided>[] = [];
        for (const step of steps) {
          at += step.afterMs;
          const d = await decideZone({ store, zone: z, screens, shoppers: shoppersOf(zone, step.shoppers, at), rules, caps, memory, now: at,
            force: step.force, explain, newId: () => `dec-${++n}` }, rank);
          memory = d.memory;
          for (const s of d.screens) if (s.send && !s.refresh) caps.add(s.capKeys);
          out.push(decided(d));
          if (explain) for (const s of d.screens) expect(s.outcomes.length).toBe(rules.length);
        }
        return out;
      };
      expect(await run(false)).toEqual(await run(true));
    }), { numRuns: 150 });
  });
});
