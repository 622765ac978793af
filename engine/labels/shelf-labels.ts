import type { Rule, ShelfLabel, Zone } from '#contracts';
import { canPersonalize, type ZoneShopper } from '../decisions/consent.js';
import { translatorFor } from '../decisions/words.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { Lru } from '../platform/lru.js';
import { localTime } from '../rules/local-time.js';
import type { RankChooser } from '../scoring/choose.js';
import type { CurrentTurn } from '../pipeline/scheduler.js';
import type { StoreEntry, StoreRegistry } from '../stores/registry.js';
import { zoneLabels, type LabelShopper } from './content.js';
import type { LabelSender } from './sender.js';

export type ShelfLabelsDeps = {
  stores: StoreRegistry; rules: { snapshot(): readonly Rule[] }; rank: RankChooser; sender: LabelSender; clock: Clock; log: Logger;
  /** Has a zone decided again (the scheduler's mark): its labels then follow its current shoppers. */
  markZone(storeId: string, zoneId: string): void;
};

/** Consenting shoppers whose recommendations shape a zone's labels at once (the newest arrivals). */
const PERSONAL_SAMPLE = 3;
/** How far down a shopper's ranking a label's item may be to count as recommended (a screen's personal request, 3 × 4 slots, asks for as many: one model run serves both). */
const RECOMMENDED = 12;

/**
 * Shelf labels follow the zone's shoppers (docs/labels.md): the scheduler shows every decided zone
 * (`observe`); the zone's labels get base content, or personal content near consenting shoppers, through
 * the coalescing, rate-limited sender, which drops what a label already shows.
 */
export function createShelfLabels(d: ShelfLabelsDeps) {
  const log = d.log.child({ mod: 'labels' });
  const flashed = new Lru<string, true>(50_000);
  const pending = new Set<Promise<unknown>>();
  // A store's labels by zone, once per store configuration (a store has thousands of labels; a decision is one zone).
  const zonesOf = new WeakMap<StoreEntry['config'], Map<string, ShelfLabel[]>>();
  const byZone = (s: StoreEntry, zoneId: string): readonly ShelfLabel[] => {
    let m = zonesOf.get(s.config);
    if (!m) {
      m = new Map();
      for (const l of s.config.labels) { const list = m.get(l.zoneId); if (list) list.push(l); else m.set(l.zoneId, [l]); }
      zonesOf.set(s.config, m);
    }
    return m.get(zoneId) ?? [];
  };

  async function update(store: StoreEntry, zone: Zone, shoppers: readonly ZoneShopper[], labels: readonly ShelfLabel[], turns: readonly CurrentTurn[]): Promise<void> {
    const now = d.clock.now();
    const all = store.config.labelPolicy.personal ? shoppers.filter((s) => s.visit.customerId && canPersonalize(s.profile)) : [];
    // In a crowd (more consenting shoppers than the screens take turns for), a label cannot guide anyone: base content.
    const consenting = all.length > store.config.turns.audienceAbove ? [] : all.sort((a, b) => b.visit.zoneEnteredAt - a.visit.zoneEnteredAt);
    let withRecs: LabelShopper[];
    if (store.screensByZone.get(zone.zoneId)?.length) {
      // A zone with screens: labels follow the personal turns — what a screen shows a shopper, their labels light up.
      const byCustomer = new Map(turns.map((t) => [t.customerId, t.skus]));
      withRecs = consenting.flatMap((s) => {
        const skus = byCustomer.get(s.visit.customerId!);
        return skus ? [{ profile: s.profile!, visit: s.visit, recommended: skus }] : [];
      });
    } else {
      // No screen: the newest consenting arrivals' own rankings (cached per shopper and zone).
      withRecs = await Promise.all(consenting.slice(0, PERSONAL_SAMPLE).map(async (s) => {
        const r = await d.rank({ profile: s.profile, catalog: store.catalog, limit: RECOMMENDED,
          context: { storeId: store.config.storeId, zoneId: zone.zoneId, zoneCategories: zone.categories, now, eslSkus: s.visit.eslSkus } })
          .catch(() => ({ items: [], ranker: 'none' }));
        return { profile: s.profile!, visit: s.visit, recommended: r.items.map((i) => i.item.sku) };
      }));
    }
    const { bodies, flashedNow } = zoneLabels({ store: store.config, catalog: store.catalog, zoneId: zone.zoneId, labels, rules: d.rules.snapshot(),
      shoppers: withRecs, flashed: new Set(flashedNow0(labels, withRecs)), now, local: localTime(now, store.config.timezone), t: translatorFor(store.config) });
    for (const k of flashedNow) flashed.set(k, true);
    for (const b of bodies) d.sender.push(store.config.storeId, b);
  }

  /** The flash keys of these shoppers and labels already used (a label guides a shopper once per visit). */
  function flashedNow0(labels: readonly ShelfLabel[], shoppers: readonly LabelShopper[]): string[] {
    const out: string[] = [];
    for (const s of shoppers) for (const l of labels) {
      const k = `${s.visit.storeId}|${s.visit.deviceId}|${s.visit.enteredAt}|${l.labelId}`;
      if (flashed.has(k)) out.push(k);
    }
    return out;
  }

  const track = (p: Promise<unknown>) => {
    const q = p.catch((err: unknown) => log.warn({ err }, 'label update failed')).finally(() => pending.delete(q));
    pending.add(q);
  };

  return {
    observe(store: StoreEntry, zone: Zone, shoppers: readonly ZoneShopper[], turns: readonly CurrentTurn[]): undefined {
      const labels = byZone(store, zone.zoneId);
      if (labels.length) track(update(store, zone, shoppers, labels, turns));
      return undefined;
    },
    /** Every zone with labels is looked at again (start-up, a rule or store change): each label gets what it should show now. */
    refresh(storeId?: string): void {
      for (const s of d.stores.all()) {
        if (storeId && s.config.storeId !== storeId) continue;
        for (const zoneId of new Set(s.config.labels.map((l) => l.zoneId))) d.markZone(s.config.storeId, zoneId);
      }
    },
    async idle(): Promise<void> { while (pending.size) await Promise.allSettled([...pending]); },
  };
}
export type ShelfLabels = ReturnType<typeof createShelfLabels>;
