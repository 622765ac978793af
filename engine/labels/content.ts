import type { CatalogItem, LabelPolicy, LabelUpdate, Profile, Rule, ShelfLabel, StoreConfig, Visit } from '#contracts';
import { fit } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { byPriority, selects } from '../rules/apply.js';
import type { LocalTime } from '../rules/local-time.js';
import { matchRule, type RuleContext } from '../rules/match.js';
import type { StoreCatalog } from '../scoring/types.js';
import { localText } from '../decisions/words.js';

/** A label frame before the hub numbers it. */
export type LabelBody = Omit<LabelUpdate, 'seq'>;

/** A consenting shopper in the zone, with the SKUs their ranking recommends, best first. */
export type LabelShopper = { profile: Profile; visit: Visit; recommended: readonly string[] };

export type ZoneLabelsInput = {
  store: Pick<StoreConfig, 'storeId' | 'locale' | 'currency' | 'labelPolicy'>;
  catalog: StoreCatalog;
  zoneId: string;
  /** The zone's labels. */
  labels: readonly ShelfLabel[];
  rules: readonly Rule[];
  /** Consenting shoppers in the zone, the newest arrival first (the first one a label is recommended to wins it). */
  shoppers: readonly LabelShopper[];
  /** `visitKey|labelId` pairs that already flashed: a label guides a shopper once per visit. */
  flashed: ReadonlySet<string>;
  now: number;
  local: LocalTime;
  t: Translator;
};

export const visitKey = (v: Pick<Visit, 'storeId' | 'deviceId' | 'enteredAt'>): string => `${v.storeId}|${v.deviceId}|${v.enteredAt}`;

/** Items a rule brings forward: its pins and its boosts over ×1. */
const brings = (rule: Rule, item: CatalogItem): boolean =>
  !!rule.actions.pin?.includes(item.sku) || !!rule.actions.boost?.some((b) => b.factor > 1 && selects(b, item));

/** The label promo of the first matching rule (by priority) that brings this item forward. */
/** The enabled rules with a label promo, in the order rules combine (once per rules snapshot). */
const promoCache = new WeakMap<readonly Rule[], readonly Rule[]>();
function promoRules(all: readonly Rule[]): readonly Rule[] {
  let out = promoCache.get(all);
  if (!out) promoCache.set(all, (out = all.filter((r) => r.enabled && r.actions.labelPromo).sort(byPriority)));
  return out;
}

function rulePromo(rules: readonly Rule[], ctx: RuleContext, item: CatalogItem, locale: string): string | undefined {
  for (const r of rules) {
    if (!r.actions.labelPromo || !brings(r, item)) continue;
    if (matchRule(r, ctx).matched) return fit(localText(r.actions.labelPromo, locale), 40);
  }
  return undefined;
}

/**
 * What every label of a zone shows now (pure; docs/labels.md). Base: name and price from the catalog, and
 * a promo from a matching place rule (or the catalog's promo flag). Near a consenting shopper to whom it is
 * recommended (their screen shows it, or their ranking puts it up): the member price (or "For you" words when the item has none, or the promo of
 * a rule matching that shopper), and for their top `maxFlashing` recommendations in the zone, a flash once
 * per visit. Words only a bystander may read too: no name, no greeting.
 */
export function zoneLabels(input: ZoneLabelsInput): { bodies: LabelBody[]; flashedNow: string[] } {
  const { store, catalog, t, now } = input;
  const policy: LabelPolicy = store.labelPolicy;
  const rules = promoRules(input.rules);
  const base: RuleContext = { storeId: store.storeId, zoneId: input.zoneId, screenId: '', mode: 'idle', now, local: input.local, catalog };
  const zoneSkus = new Set(input.labels.map((l) => l.sku));
  // Per shopper, their recommendations among this zone's labels, best first.
  const mine = policy.personal ? input.shoppers.map((s) => ({ s, skus: s.recommended.filter((x) => zoneSkus.has(x)) })) : [];
  const flashedNow: string[] = [];
  const bodies = input.labels.flatMap((label): LabelBody[] => {
    const item = catalog.bySku.get(label.sku);
    if (!item) return [];
    const common = { type: 'label.update' as const, labelId: label.labelId, sku: item.sku, name: fit(item.name, 120), price: item.price,
      currency: store.currency, locale: store.locale, ...(label.display ? { display: label.display } : {}), updatedAt: now };
    const forWhom = mine.find((m) => m.skus.includes(item.sku));
    if (!forWhom) {
      const promo = rulePromo(rules, base, item, t.locale) ?? (item.promo ? t.t('badge.offer') : undefined);
      return [{ ...common, ...(promo ? { promo } : {}) }];
    }
    const ctx: RuleContext = { ...base, mode: 'shopper', profile: forWhom.s.profile, visit: forWhom.s.visit };
    const promo = rulePromo(rules, ctx, item, t.locale) ?? t.t(item.memberPrice !== undefined ? 'badge.memberPrice' : 'badge.forYou');
    const key = `${visitKey(forWhom.s.visit)}|${label.labelId}`;
    const guide = forWhom.skus.indexOf(item.sku) < policy.maxFlashing && !input.flashed.has(key);
    if (guide) flashedNow.push(key);
    return [{ ...common, mode: 'personal', promo, ...(item.memberPrice !== undefined ? { memberPrice: item.memberPrice } : {}),
      ...(guide ? { flash: policy.flash } : {}) }];
  });
  return { bodies, flashedNow };
}
