import type { Rule } from '#contracts';
import { Lru } from '../platform/lru.js';
import type { RuleContext } from './match.js';

/** How often each rule took effect in a scope (a shopper's visit, a shopper's day, a screen's hour), read by the decision core. */
export interface CapsView { count(ruleId: string, scope: string): number }

/**
 * The caps ledger: counts per (rule, scope), bounded. `add` takes the keys a decision's `capKeys` lists:
 * `<ruleId>|<scope>` (a rule id never holds '|').
 */
export interface CapsLedger extends CapsView { add(keys: readonly string[]): void }

type CapCheck = { key: string; ruleId: string; scope: string; limit: number; label: string };

/** The scopes caps count in, for one screen at one instant: worked out once per context, shared by every rule. */
type Scopes = { visit?: string; day?: string; hour: string };
const scopesOf = new WeakMap<RuleContext, Scopes>();
function scopes(c: RuleContext): Scopes {
  let s = scopesOf.get(c);
  if (!s) {
    s = { hour: `hour|${c.storeId}|${c.screenId}|${c.local.date}T${Math.floor(c.local.minutes / 60)}` };
    if (c.profile && c.visit) s.visit = `visit|${c.storeId}|${c.visit.deviceId}|${c.visit.enteredAt}`;
    if (c.profile) s.day = `day|${c.profile.customerId}|${c.local.date}`;
    scopesOf.set(c, s);
  }
  return s;
}

/** The counters a rule's caps use in this context (only the caps it has, only where they make sense). */
export function capChecks(rule: Rule, c: RuleContext): CapCheck[] {
  const caps = rule.caps;
  if (!caps) return [];
  const out: CapCheck[] = [];
  const ruleId = rule.ruleId;
  const s = scopes(c);
  const check = (scope: string, limit: number, label: string) => out.push({ key: `${ruleId}|${scope}`, ruleId, scope, limit, label });
  if (caps.perShopperPerVisit && s.visit) check(s.visit, caps.perShopperPerVisit, `${caps.perShopperPerVisit} per shopper per visit`);
  if (caps.perShopperPerDay && s.day) check(s.day, caps.perShopperPerDay, `${caps.perShopperPerDay} per shopper per day`);
  if (caps.perScreenPerHour) check(s.hour, caps.perScreenPerHour, `${caps.perScreenPerHour} per screen per hour`);
  return out;
}

/** The first cap the rule has reached here, or undefined. */
export function reachedCap(rule: Rule, c: RuleContext, view: CapsView): string | undefined {
  const caps = rule.caps;
  if (!caps) return undefined;
  const s = scopes(c);
  const id = rule.ruleId;
  // The same checks as capChecks, without building their keys: this runs for every rule of every screen.
  if (caps.perShopperPerVisit && s.visit) {
    const n = view.count(id, s.visit);
    if (n >= caps.perShopperPerVisit) return `shown ${n}×: cap ${caps.perShopperPerVisit} per shopper per visit`;
  }
  if (caps.perShopperPerDay && s.day) {
    const n = view.count(id, s.day);
    if (n >= caps.perShopperPerDay) return `shown ${n}×: cap ${caps.perShopperPerDay} per shopper per day`;
  }
  if (caps.perScreenPerHour) {
    const n = view.count(id, s.hour);
    if (n >= caps.perScreenPerHour) return `shown ${n}×: cap ${caps.perScreenPerHour} per screen per hour`;
  }
  return undefined;
}

/**
 * An in-process ledger. Caps are counted where decisions are made; with several engine instances a
 * zone's decisions may be made on more than one, so a cap can be exceeded by at most the number of
 * instances (docs/rules.md §Caps). Counts are kept per scope, then per rule: a decision looks up the
 * same few scope strings for every rule it checks.
 */
export function createCapsLedger(capacity = 200_000): CapsLedger {
  const scopes = new Lru<string, Map<string, number>>(capacity);
  return {
    count: (ruleId, scope) => scopes.get(scope)?.get(ruleId) ?? 0,
    add(keys) {
      for (const k of keys) {
        const bar = k.indexOf('|');
        const ruleId = bar < 0 ? k : k.slice(0, bar);
        const scope = bar < 0 ? '' : k.slice(bar + 1);
        let m = scopes.get(scope);
        if (!m) scopes.set(scope, (m = new Map()));
        m.set(ruleId, (m.get(ruleId) ?? 0) + 1);
      }
    },
  };
}

export const NO_CAPS: CapsView = { count: () => 0 };
