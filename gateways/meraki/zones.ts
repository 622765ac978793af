import type { ZoneRule } from './config.js';
import type { Sighting } from './read-payload.js';

type Test = (s: Sighting) => boolean;

const onPlan = (plan: string): Test => {
  const name = plan.toLowerCase();
  return (s) => s.floorIds.includes(plan) || s.floorNames.includes(name);
};

function compileRule(rule: ZoneRule): Test {
  if ('floorPlan' in rule) return onPlan(rule.floorPlan);
  if ('apTag' in rule) { const tag = rule.apTag.toLowerCase(); return (s) => s.apTags.includes(tag); }
  if ('apMac' in rule) { const mac = rule.apMac; return (s) => s.apMac === mac; }
  const { floorPlanId, x1, y1, x2, y2 } = rule.rect;
  const [xMin, xMax, yMin, yMax] = [Math.min(x1, x2), Math.max(x1, x2), Math.min(y1, y2), Math.max(y1, y2)];
  const plan = floorPlanId === undefined ? undefined : onPlan(floorPlanId);
  return (s) => s.x !== undefined && s.y !== undefined && s.x >= xMin && s.x <= xMax && s.y >= yMin && s.y <= yMax && (!plan || plan(s));
}

/**
 * The zone rules as one function: a sighting's zone is that of the first rule it matches, undefined when none
 * does (docs/gateways/meraki.md §Zone mapping). A sighting without coordinates (v3's `latestRecord`, NaN
 * coordinates) never matches a rectangle but may still match a floor, a tag or an access point.
 */
export function compileZones(rules: readonly ZoneRule[]): (s: Sighting) => string | undefined {
  const compiled = rules.map((r) => ({ zoneId: r.zoneId, test: compileRule(r) }));
  return (s) => {
    for (const r of compiled) if (r.test(s)) return r.zoneId;
    return undefined;
  };
}
