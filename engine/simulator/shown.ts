import type { DecisionMessage } from '../contracts/decision.js';

/** One item a screen showed a simulated shopper in a personal turn, and whether a merchandiser rule brought it. */
export type ShownItem = { sku: string; byRule: boolean };

/**
 * What `engine/rules/apply.ts` writes into an item's reasons when a rule brought it forward (joined with " · " on the
 * decision message): `pinned (r-…)`, `boost ×2 (r-…)`, `added by rule r-…`. A `bury ×0.5 (r-…)` pushes an item down,
 * so it is not one of them; `found by … trigger` always comes with the trigger rule's `boost ×… (r-…)`.
 */
const BROUGHT = /(?:^|· )(?:pinned \(|boost ×[0-9.]+ \(|added by rule )([A-Za-z0-9._:-]+)/g;

/** The ids of the rules whose pin or boost (factor > 1) put this item forward, from its internal reasons. */
export function rulesThatBrought(why: string): string[] {
  return [...why.matchAll(BROUGHT)].map((m) => m[1]!);
}

/**
 * Did a merchandiser rule bring this item? Its reasons name a rule that pinned or boosted it; when the message lists
 * the rules that shaped the frame, that rule must be one of them (a reason naming anything else is not trusted).
 */
export function broughtByRule(item: { why: string }, rules?: readonly string[]): boolean {
  const ids = rulesThatBrought(item.why);
  return ids.length > 0 && (!rules?.length || ids.some((id) => rules.includes(id)));
}

/** The items of a personal turn (shopper mode, a member named): undefined for audience and idle frames. */
export function shownInTurn(msg: DecisionMessage): { customerId: string; items: ShownItem[] } | undefined {
  if (msg.reason !== 'shopper' || msg.customerId === undefined) return undefined;
  return { customerId: msg.customerId, items: msg.items.map((i) => ({ sku: i.sku, byRule: broughtByRule(i, msg.rules) })) };
}

/**
 * What each simulated shopper in the store has been shown this visit, per SKU (shown once by a rule counts as brought
 * by a rule). Only shoppers whose visit began (`begin`) are remembered; `end` forgets them.
 */
export function createShownMemory() {
  const visits = new Map<string, Map<string, boolean>>();
  return {
    begin(customerId: string): void { visits.set(customerId, new Map()); },
    /** A decision message: remembered when it is a personal turn of a shopper in a visit. Returns whether it was. */
    record(msg: DecisionMessage): boolean {
      const turn = shownInTurn(msg);
      const seen = turn && visits.get(turn.customerId);
      if (!turn || !seen) return false;
      for (const it of turn.items) seen.set(it.sku, (seen.get(it.sku) ?? false) || it.byRule);
      return true;
    },
    items(customerId: string): ShownItem[] {
      return [...(visits.get(customerId) ?? [])].map(([sku, byRule]) => ({ sku, byRule }));
    },
    end(customerId: string): void { visits.delete(customerId); },
    get size(): number { return visits.size; },
  };
}
export type ShownMemory = ReturnType<typeof createShownMemory>;
