import type { Rule } from '#contracts';
import { Lru } from '../platform/lru.js';
import type { RuleContext } from './match.js';

/** How often each rule took effect, read by the decision core. */
export interface CapsView { count(key: string): number }

/** The caps ledger: counts per (rule, shopper visit | shopper day | screen hour), bounded. */
export interface CapsLedger extends CapsView { add(keys: readonly string[]): void }

type CapCheck = { key: string; limit: number; label: string };

/** The counters a rule's caps use in this context (only the caps it has, only where they make sense). */
export function capChecks(rule: Rule, c: RuleContext): CapCheck[] {
  const caps = rule.caps;
  if (!caps) return [];
  const out: CapCheck[] = [];
  const id = rule.ruleId;
  if (caps.perShopperPerVisit && c.profile && c.visit) {
    out.push({ key: `${id}|visit|${c.storeId}|${c.visit.deviceId}|${c.visit.enteredAt}`, limit: caps.perShopperPerVisit, label: `${caps.perShopperPerVisit} per shopper per visit` });
  }
  if (caps.perShopperPerDay && c.profile) {
    out.push({ key: `${id}|day|${c.profile.customerId}|${c.local.date}`, limit: caps.perShopperPerDay, label: `${caps.perShopperPerDay} per shopper per day` });
  }
  if (caps.perScreenPerHour) {
    out.push({ key: `${id}|hour|${c.storeId}|${c.screenId}|${c.local.date}T${Math.floor(c.local.minutes / 60)}`, limit: caps.perScreenPerHour, label: `${caps.perScreenPerHour} per screen per hour` });
  }
  return out;
}

/** The first cap the rule has reached here, or undefined. */
export function reachedCap(rule: Rule, c: RuleContext, view: CapsView): string | undefined {
  for (const check of capChecks(rule, c)) {
    const n = view.count(check.key);
    if (n >= check.limit) return `shown ${n}×: cap ${check.label}`;
  }
  return undefined;
}

/**
 * An in-process ledger. Caps are counted where decisions are made; with several engine instances a
 * zone's decisions may be made on more than one, so a cap can be exceeded by at most the number of
 * instances (docs/rules.md §Caps).
 */
export function createCapsLedger(capacity = 200_000): CapsLedger {
  const counts = new Lru<string, number>(capacity);
  return {
    count: (key) => counts.get(key) ?? 0,
    add(keys) { for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1); },
  };
}

export const NO_CAPS: CapsView = { count: () => 0 };
