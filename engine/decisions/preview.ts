import type { Experiment, PreviewRequest, PreviewResult, Profile, Rule, Visit } from '#contracts';
import { ApiError } from '../api/errors.js';
import type { Clock } from '../platform/clock.js';
import { refreshRecency } from '../profiles/reduce.js';
import type { LoyaltyRules } from '../profiles/rules.js';
import type { ProfileStore } from '../profiles/store.js';
import type { CapsView } from '../rules/caps.js';
import type { RankChooser } from '../scoring/choose.js';
import type { StoreRegistry } from '../stores/registry.js';
import type { VisitStore } from '../visits/store.js';
import { decideZone, EMPTY_ZONE } from './zone-decision.js';

export type PreviewDeps = {
  stores: StoreRegistry; profiles: ProfileStore; visits: VisitStore; rank: RankChooser;
  /** Ranks without the live path's short-lived cache: for hand-made profiles, which may reuse a member's id. */
  rankFresh?: RankChooser;
  rules: { snapshot(): readonly Rule[] }; caps: CapsView; clock: Clock; loyalty: LoyaltyRules;
  /** Running experiments split the preview's shopper as they split the live path's (docs/experiments.md). */
  experiments?: { snapshot(): readonly Experiment[] };
};

const instant = (at: PreviewRequest['at'], now: number): number => (at === undefined ? now : typeof at === 'number' ? at : Date.parse(at));

/** The shopper's visit: their live one (when in this store), with the request's facts on top; else one made up in the zone. */
function visitFor(live: Visit | undefined, req: PreviewRequest, zoneId: string, customerId: string, at: number): Visit {
  const v = req.visit ?? {};
  const inZone = live?.zoneId === zoneId ? live : undefined;
  const zoneEnteredAt = v.dwellSeconds !== undefined ? at - v.dwellSeconds * 1000 : inZone?.zoneEnteredAt ?? at;
  const enteredAt = v.visitSeconds !== undefined ? at - v.visitSeconds * 1000 : Math.min(live?.enteredAt ?? zoneEnteredAt, zoneEnteredAt);
  const eslSkus = v.tappedSkus ?? live?.eslSkus ?? [];
  return {
    storeId: req.storeId, deviceId: live?.deviceId ?? 'preview', customerId, enteredAt, lastSeenAt: at, lastEventTs: at,
    zoneId, zoneEnteredAt, dwellMs: v.dwellSeconds !== undefined ? {} : inZone?.dwellMs ?? {},
    zonesVisited: [...new Set([...(live?.zonesVisited ?? []), zoneId])], eslSkus, eslCount: Math.max(live?.eslCount ?? 0, eslSkus.length),
    ...(live?.rssi !== undefined ? { rssi: live.rssi } : {}),
  };
}

/**
 * `POST /api/v1/rules/preview` (docs/rules.md §Preview): the live decision core, fed with one
 * shopper at the start of their turn (or nobody), the live rules plus drafts, the live caps (read,
 * never counted) and the live model. Each screen is decided as if that shopper stood before it.
 */
export function createPreview(d: PreviewDeps) {
  return async function preview(req: PreviewRequest): Promise<PreviewResult> {
    const store = d.stores.get(req.storeId);
    if (!store) throw new ApiError(404, 'store.not_found', `no store ${req.storeId}`);
    const screen = req.screenId ? store.screens.get(req.screenId) : undefined;
    if (req.screenId && !screen) throw new ApiError(404, 'screen.not_found', `store ${req.storeId} has no screen ${req.screenId}`);
    const zoneId = screen?.zoneId ?? req.zoneId!;
    if (req.zoneId && req.zoneId !== zoneId) {
      throw new ApiError(400, 'validation', `screen ${req.screenId} is in zone ${zoneId}, not ${req.zoneId}`, [{ path: ['zoneId'], message: `must be ${zoneId}, the zone of screen ${req.screenId}` }]);
    }
    const zone = store.zones.get(zoneId);
    if (!zone) throw new ApiError(404, 'zone.not_found', `store ${req.storeId} has no zone ${zoneId}`);
    const screens = screen ? [screen] : store.screensByZone.get(zoneId) ?? [];
    const at = instant(req.at, d.clock.now());

    let profile: Profile | undefined = req.profile;
    if (req.customerId) {
      const found = await d.profiles.get(req.customerId);
      if (!found.profile) throw new ApiError(404, 'customer.not_found', `no profile for ${req.customerId}`);
      profile = found.profile;
    }
    let shoppers: { visit: Visit; profile: Profile }[] = [];
    if (profile) {
      profile = refreshRecency(profile, at, d.loyalty);
      let live: Visit | undefined;
      for (const v of d.visits.all()) if (v.storeId === req.storeId && v.customerId === profile.customerId) { live = v; break; }
      shoppers = [{ visit: visitFor(live, req, zoneId, profile.customerId, at), profile }];
    }

    const drafts: Rule[] = (req.draft ?? []).map((r, i) => ({ ...(r as Rule), ruleId: r.ruleId ?? `draft-${i + 1}`, enabled: true, version: 1, updatedAt: at, updatedBy: 'preview' }));
    const ids = new Set(drafts.map((r) => r.ruleId));
    const rules = [...d.rules.snapshot().filter((r) => !ids.has(r.ruleId)), ...drafts];

    const out: PreviewResult['screens'] = [];
    for (const s of screens) {
      const decision = await decideZone({ store, zone, screens: [s], shoppers, rules, caps: d.caps, memory: EMPTY_ZONE, now: at, force: true, explain: true, newId: () => 'dec-preview',
        experiments: d.experiments?.snapshot() },
        req.profile ? d.rankFresh ?? d.rank : d.rank);
      for (const x of decision.screens) {
        out.push({ screenId: x.screenId, mode: x.mode, ranker: x.ranker, frame: x.frame, items: x.items, rules: x.outcomes });
      }
    }
    return { storeId: req.storeId, zoneId, at, locale: store.config.locale, screens: out };
  };
}
export type Preview = ReturnType<typeof createPreview>;
