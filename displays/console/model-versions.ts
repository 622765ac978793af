/**
 * @module console/model-versions
 * Model versions (`GET /api/v1/models`) in words a merchandiser reads: the day a version was made, in the
 * store's time zone and language (with the time when two versions share a day), what the engine uses it
 * for, and its offline quality. The version string (`20261129-124537`) stays a secondary detail.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ModelVersionInfo } from './api.js';
import type { StoreModel } from './store-model.js';
import { storeDate } from './store-time.js';

type Where = Pick<StoreModel, 'timezone' | 'locale'>;

export interface VersionWords {
  version: string;
  /** `29 Nov 2026` (`29 Nov 2026, 13:45` when another listed version was made the same day); the version itself when no date is known. */
  label: string;
  /** `29 Nov`, for arm names; the version when no date is known. */
  day: string;
  /** The engine's listing, when the version is (still) in its model folder. */
  info?: ModelVersionInfo | undefined;
}

/** version → its words, for every listed version. */
export type ModelNames = ReadonlyMap<string, VersionWords>;

const STAMP = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/;
const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const DATE: Intl.DateTimeFormatOptions = { ...DAY, year: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, hour: '2-digit', minute: '2-digit' };

/** When a version was made: its `createdAt`, else the UTC stamp a trained version's name is (`20261123-111256`). */
function madeAt(version: string, createdAt?: string): number | undefined {
  const t = createdAt ? Date.parse(createdAt) : NaN;
  if (Number.isFinite(t)) return t;
  const m = STAMP.exec(version);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function words(version: string, at: number | undefined, where: Where, withTime: boolean, info?: ModelVersionInfo): VersionWords {
  if (at === undefined) return { version, label: version, day: version, info };
  return { version, label: storeDate(at, where.timezone, where.locale, withTime ? DATE_TIME : DATE),
    day: storeDate(at, where.timezone, where.locale, DAY), info };
}

/** Words for every listed version; two made on the same store day are told apart by their time. */
export function nameVersions(list: readonly ModelVersionInfo[], where: Where): ModelNames {
  const at = list.map((v) => madeAt(v.version, v.createdAt));
  const dates = at.map((t) => (t === undefined ? undefined : storeDate(t, where.timezone, where.locale, DATE)));
  return new Map(list.map((v, i) => [v.version,
    words(v.version, at[i], where, dates[i] !== undefined && dates.filter((d) => d === dates[i]).length > 1, v)]));
}

/** A version's words, also for one no longer listed (its name's stamp, or the version as it is). */
export const versionWords = (names: ModelNames, version: string, where: Where): VersionWords =>
  names.get(version) ?? words(version, madeAt(version), where, false);

const USE: Record<ModelVersionInfo['use'], string> = {
  serving: 'serving now', pinned: 'in an experiment', loading: 'loading', failed: 'could not be loaded', available: '',
};

const score = (x: number, locale: string) => new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(x);

/** One option of a version select: `29 Nov 2026 · serving now · NDCG@10 0.299`. */
export function optionText(w: VersionWords, locale: string): string {
  const q = w.info?.quality;
  return [w.label, w.info ? USE[w.info.use] : '',
    q ? `NDCG@10 ${score(q.ndcg10, locale)}${q.gatePassed ? '' : ' (below the quality gate)'}` : ''].filter(Boolean).join(' · ');
}

/** The detail under a select: the version, its offline test, and why it could not be loaded. */
export function versionDetail(w: VersionWords, where: Where): string {
  const q = w.info?.quality;
  const cutoff = q && Number.isFinite(Date.parse(q.cutoff)) ? storeDate(Date.parse(q.cutoff), 'UTC', where.locale, DATE) : q?.cutoff;
  return [`Version ${w.version}`,
    q ? `offline test on purchases after ${cutoff}: NDCG@10 ${score(q.ndcg10, where.locale)}, Recall@10 ${score(q.recall10, where.locale)}` : 'no offline test recorded',
    w.info?.reason ?? ''].filter(Boolean).join(' · ');
}

/** Versions an experiment can use: all but those the engine could not load. */
export const usableVersions = (list: readonly ModelVersionInfo[]) => list.filter((v) => v.use !== 'failed');

/**
 * "Models: 29 Nov 2026 vs 23 Nov 2026 (20261129-124537 vs 20261123-111256)" — the treatments' versions
 * against the holdout's. Nothing when the arms name no models.
 */
export function modelsLine(arms: ReadonlyArray<{ armId: string; model?: string | undefined }>, names: ModelNames, where: Where): TemplateResult | typeof nothing {
  const holdout = arms.find((a) => a.armId === 'holdout')?.model;
  const treatments = arms.flatMap((a) => (a.armId !== 'holdout' && a.model ? [a.model] : []));
  if (!holdout || !treatments.length) return nothing;
  const all = [...treatments, holdout].map((v) => versionWords(names, v, where));
  const dated = all.some((w) => w.label !== w.version);
  return html`<span class="muted models">Models: ${all.slice(0, -1).map((w, i) => html`${i ? ', ' : ''}<strong>${w.label}</strong>`)}
    vs <strong>${all.at(-1)!.label}</strong>${dated ? html` <span class="faint">(${treatments.join(', ')} vs ${holdout})</span>` : nothing}</span>`;
}
