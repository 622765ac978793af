import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExperimentInput, HOLDOUT, Profile, Rule, StoreConfig, Visit } from '#contracts';
import { runningByRule } from '../experiments/running.js';
import { createExperimentStore } from '../experiments/experiment-store.js';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { localTime } from '../rules/local-time.js';
import { isShopperRule, matchRule } from '../rules/match.js';
import { indexCatalog } from '../scoring/catalog.js';
import { DEMO_EXPERIMENTS_PATH, demoExperiments } from './experiments.js';
import { rebaseDemoProfile, rebaseDemoStore } from './rebase.js';
import { demoRules } from './rules.js';

const raw = JSON.parse(readFileSync(DEMO_EXPERIMENTS_PATH, 'utf8')) as unknown[];
const experiments = demoExperiments();
const rules = new Map(demoRules().map((r) => [r.ruleId!, Rule.parse({ ...r, version: 1, updatedAt: 0, updatedBy: 'demo' })]));
const store = StoreConfig.parse(JSON.parse(readFileSync(new URL('./store.s-001.json', import.meta.url), 'utf8')));
/** The report's verdict waits for this many shoppers in every arm (experiments-method.md §Verdict). */
const MIN_SHOPPERS_PER_ARM = 100;

describe('demoExperiments', () => {
  it('loads valid experiments, each with its own e-demo- id, one of them running', () => {
    expect(experiments.length).toBeGreaterThanOrEqual(1);
    for (const e of raw) expect(ExperimentInput.safeParse(e).error).toBeUndefined();
    const ids = experiments.map((e) => e.experimentId);
    expect(ids.every((id) => typeof id === 'string' && id.startsWith('e-demo-'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(experiments.filter((e) => e.status === 'running')).toHaveLength(1);
  });

  it('names the experiment and field of a bad file', () => {
    expect(() => demoExperiments('[{"experimentId":"e-x","name":"x","ruleId":"r-demo-new-in","arms":[{"armId":"holdout","name":"H","share":1,"rule":"on"}]}]'))
      .toThrow(/experiment 0 \(e-x\) arms/);
    expect(() => demoExperiments('{')).toThrow(/not JSON/);
    expect(() => demoExperiments('{}')).toThrow(/the list/);
  });

  it('tests existing demo shopper rules in the demo store, one experiment per rule', () => {
    for (const e of experiments) {
      const rule = rules.get(e.ruleId!);
      expect(rule, `${e.experimentId}: no demo rule ${e.ruleId}`).toBeDefined();
      // Experiments split personal turns only: a place rule would have nobody to split.
      expect(isShopperRule(rule!)).toBe(true);
      for (const s of e.stores ?? []) expect(s).toBe(store.storeId);
    }
    expect(new Set(experiments.map((e) => e.ruleId)).size).toBe(experiments.length);
  });

  it('seeds like the demo rules: after them, into the in-memory experiment store, running at once', async () => {
    const clock = manualClock(1_000);
    const s = createExperimentStore({ kv: createMemoryKv(clock), keys: createKeys('t:'), clock, origin: 'demo' });
    await s.start();
    for (const e of experiments) await s.create(e, 'demo');
    const running = runningByRule(s.snapshot(), store.storeId, clock.now());
    for (const e of experiments.filter((x) => x.status === 'running')) expect(running.get(e.ruleId!)?.experimentId).toBe(e.experimentId);
    await s.close();
  });
});

describe('the running demo experiment can reach a verdict with the demo members', () => {
  // docs/experiments-method.md §Verdict: no verdict before every arm has 100 exposed shoppers. An arm's shoppers are
  // the consenting members for whom the rule matches, times the arm's share; the demo has 327 consenting members.
  const now = Date.parse('2026-11-30T15:30:00Z');
  const rebased = rebaseDemoStore(store, now);
  const catalog = indexCatalog(rebased.catalog);
  const consenting = readFileSync(new URL('./profiles.ndjson', import.meta.url), 'utf8').trim().split('\n')
    .map((l) => rebaseDemoProfile(Profile.parse(JSON.parse(l)), now)).filter((p) => p.consent.personalization);
  const experiment = ExperimentInput.parse(experiments.find((e) => e.status === 'running'));
  const rule = rules.get(experiment.ruleId!)!;

  it('tests a rule that fires for almost every consenting member, on every screen, at any hour', () => {
    expect(rule.target.zones ?? [], 'no zone limit: every personal turn counts').toEqual([]);
    expect(rule.target.screens ?? []).toEqual([]);
    expect(rule.target.hours).toBeUndefined();
    const visit = (customerId: string) => Visit.parse({ storeId: 's-001', deviceId: 'd-1', customerId, enteredAt: now - 60_000, lastSeenAt: now, lastEventTs: now,
      zoneId: 'z-kitchen', zoneEnteredAt: now - 5_000, dwellMs: {}, zonesVisited: ['z-entrance', 'z-kitchen'], eslSkus: [], eslCount: 0 });
    const matched = consenting.filter((p) => matchRule(rule, { storeId: 's-001', zoneId: 'z-kitchen', screenId: 'scr-kitchen-1', mode: 'shopper', now,
      local: localTime(now, rebased.timezone), catalog, profile: p, visit: visit(p.customerId) }).matched);
    expect(matched.length / consenting.length).toBeGreaterThan(0.85);
  });

  it('splits them so that every arm, the holdout included, can reach the minimum', () => {
    const reachable = consenting.length * 0.85;
    const holdout = experiment.arms.find((a) => a.armId === HOLDOUT)!;
    for (const a of experiment.arms) expect(reachable * a.share, `${a.armId}: ${a.share}`).toBeGreaterThan(1.2 * MIN_SHOPPERS_PER_ARM);
    // 80/20 would leave the holdout about 55 members: never a verdict in the demo.
    expect(reachable * 0.2).toBeLessThan(MIN_SHOPPERS_PER_ARM);
    expect(holdout.share).toBe(0.5);
    expect(experiment.attributionHours).toBe(24);
  });
});
