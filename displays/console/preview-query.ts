/**
 * @module console/preview-query
 * The rule editor's preview request (docs/rules.md §Preview): one screen, a shopper (nobody, a member by
 * id, or one described by hand), optional visit facts and time, and the form's rule as a draft. Pure.
 */
import type { RuleInput } from '../shared/contracts.js';
import type { PreviewQuery } from './api.js';
import { storeWallTimeToInstant } from './store-time.js';

export type ShopperKind = 'nobody' | 'member' | 'describe';

/** A shopper described by hand: what rules and the ranker look at. */
export interface DescribedShopper {
  firstName: string;
  tier: 'member' | 'silver' | 'gold' | 'platinum';
  lifecycle: 'prospect' | 'new' | 'active' | 'dormant' | 'churned';
  /** Categories they like (affinity 0.8 each). */
  interests: string[];
  /** `YYYY-MM-DD` from a date input; only month and day are used. */
  birthday: string;
  lifeStage: string;
  personalization: boolean;
  displayName: boolean;
}

export interface PreviewState {
  screenId: string;
  shopper: ShopperKind;
  customerId: string;
  described: DescribedShopper;
  dwellSeconds: string;
  tappedSku: string;
  /** `YYYY-MM-DDTHH:MM`, store time; empty: now. */
  at: string;
}

export const DEFAULT_SHOPPER: DescribedShopper = { firstName: '', tier: 'gold', lifecycle: 'active', interests: [], birthday: '', lifeStage: '',
  personalization: true, displayName: false };

/** The id a described shopper is previewed under (no member has it). */
export const DESCRIBED_ID = 'preview-shopper';

export function buildPreviewQuery(storeId: string, timeZone: string, s: PreviewState, draft: RuleInput | undefined): PreviewQuery {
  const q: PreviewQuery = { storeId, screenId: s.screenId };
  if (s.shopper === 'member' && s.customerId.trim()) q.customerId = s.customerId.trim();
  if (s.shopper === 'describe') {
    const d = s.described;
    q.profile = {
      customerId: DESCRIBED_ID, tier: d.tier, lifecycle: d.lifecycle,
      affinities: Object.fromEntries(d.interests.map((c) => [c, 0.8])),
      consent: { personalization: d.personalization, displayName: d.displayName, associateAlerts: false },
      ...(d.firstName.trim() ? { displayName: d.firstName.trim().slice(0, 40) } : {}),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(d.birthday) ? { birthday: d.birthday.slice(5) } : {}),
      ...(d.lifeStage.trim() ? { lifeStage: d.lifeStage.trim() } : {}),
    };
  }
  const dwell = Number(s.dwellSeconds);
  const visit = {
    ...(s.dwellSeconds.trim() && Number.isFinite(dwell) && dwell >= 0 ? { dwellSeconds: Math.min(dwell, 86_400) } : {}),
    ...(s.tappedSku ? { tappedSkus: [s.tappedSku] } : {}),
  };
  if (s.shopper !== 'nobody' && Object.keys(visit).length) q.visit = visit;
  const at = s.at ? storeWallTimeToInstant(s.at, timeZone) : undefined;
  if (at !== undefined) q.at = at;
  if (draft) q.draft = [draft];
  return q;
}
