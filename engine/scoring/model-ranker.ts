import type { CatalogItem, Profile } from '#contracts';
import { Counter } from 'prom-client';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { mergeAudience } from './audience.js';
import type { ModelHolder } from './model-holder.js';
import type { LoadedModel } from './model-loader.js';
import type { RankContext, RankRequest, RankResult, RankedItem, Ranker, StoreCatalog } from './types.js';

/** One user's input to the shared feature builder (a shopper, or an audience merged into one). */
export type FeatureInput<S> = { profile: Profile; audience: boolean; catalog: StoreCatalog; context: RankContext; stats: S };

/** The serving side of models/ (candidates, features, reasons): the same code training uses. */
export type ServingFeatures<S> = {
  /** FEATURE_NAMES in column order. */
  readonly names: readonly string[];
  /** Candidates for the user from the store's in-stock items. */
  candidates(input: FeatureInput<S>): readonly CatalogItem[];
  /** Fills `out[i * F + j]` with feature j of `items[i]`. */
  build(input: FeatureInput<S>, items: readonly CatalogItem[], out: Float32Array): void;
  /**
   * Per request: a function giving up to 3 human-readable reasons for one item from its feature row
   * (most important first); personal reasons only when `!input.audience`.
   */
  explain(input: FeatureInput<S>): (item: CatalogItem, row: Float32Array) => string[];
};

export type ModelRankerOptions<S> = {
  holder: ModelHolder<S>;
  features: ServingFeatures<S>;
  /** The non-model ranker for requests without a model, without shoppers, or when the model run fails. */
  fallback: Ranker;
  log: Logger;
  metrics?: Pick<Metrics, 'scoringLatency' | 'registry'>;
  /** Largest candidate batch scored in one run. */
  maxCandidates?: number;
  /** Optional stage timings of every model-ranked call (benchmarks); without it nothing is timed. */
  timing?: (t: RankTiming) => void;
};

/**
 * Where one model-ranked call spent its time, ms: candidate generation (with the user aggregate), the feature
 * matrix, the model run (`LoadedModel.score`: tensor, ORT run, output check), the rest (top-k, reasons,
 * fill-up). `n`: candidates scored.
 */
export type RankTiming = { candidates: number; features: number; run: number; rest: number; n: number };

const consenting = (p: Profile | undefined): p is Profile => p?.consent.personalization === true;

function scoringErrors(metrics: ModelRankerOptions<unknown>['metrics']): Counter<'kind'> | undefined {
  if (!metrics) return undefined;
  const name = 'aisle_scoring_errors_total';
  return (metrics.registry.getSingleMetric(name) as Counter<'kind'> | undefined)
    ?? new Counter({ name, help: 'Ranking calls the model could not serve (served by the fallback)', labelNames: ['kind'] as const, registers: [metrics.registry] });
}

/** Indices of the `k` best finite scores, best first; ties go to the lower SKU so output is stable. O(N·k). */
export function topK(scores: Float32Array, items: readonly CatalogItem[], k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && items[a]!.sku < items[b]!.sku);
  for (let i = 0; i < items.length; i++) {
    if (!Number.isFinite(scores[i]!)) continue;
    if (top.length === k) {
      if (!better(i, top[k - 1]!)) continue;
      top.pop();
    }
    let j = top.length;
    top.push(i);
    for (; j > 0 && better(i, top[j - 1]!); j--) top[j] = top[j - 1]!;
    top[j] = i;
  }
  return top;
}

/**
 * Feature matrices are reused: a call takes a block, fills its rows, runs the model on them, reads its
 * reasons from them and gives the block back. A block is never shared by two calls in flight. At most
 * `keep` blocks are kept for reuse (the rest are left to the GC), so memory stays bounded under bursts.
 */
function blockPool(minFloats: number, keep = 8) {
  const free: Float32Array[] = [];
  return {
    take(floats: number): Float32Array {
      for (let i = free.length - 1; i >= 0; i--) {
        const b = free[i]!;
        if (b.length >= floats) { free[i] = free[free.length - 1]!; free.pop(); return b; }
      }
      return new Float32Array(Math.max(floats, minFloats));
    },
    give(b: Float32Array): void { if (free.length < keep) free.push(b); },
  };
}

/**
 * The model ranker: candidates and features from models/, ONE batched ORT run per call, top
 * `limit` by score, up to 3 reasons per item. Audiences are ranked as one merged user state
 * (see mergeAudience) with non-personal reasons only. It never fails a decision: no model, no
 * consenting shopper, or a failed run → the fallback ranker answers.
 */
export function createModelRanker<S>(opts: ModelRankerOptions<S>): Ranker {
  const { holder, features, fallback, log, metrics, maxCandidates = 500, timing } = opts;
  const F = features.names.length;
  const errors = scoringErrors(metrics);
  const pool = blockPool(Math.min(maxCandidates, 200) * F);
  let failed = 0;

  const viaFallback = (req: RankRequest): Promise<RankResult> => fallback.rank(req);

  async function rankWith(model: LoadedModel<S>, req: RankRequest, input: FeatureInput<S>): Promise<RankResult> {
    const t0 = timing ? performance.now() : 0;
    const all = features.candidates(input);
    const items = all.length > maxCandidates ? all.slice(0, maxCandidates) : all;
    if (items.length === 0) return await fallback.rank(req); // nothing the model knows is in stock here
    const n = items.length;
    const t1 = timing ? performance.now() : 0;
    // One [n, F] block per call, from the pool: ORT reads it asynchronously and the reasons read it afterwards.
    // Zeroed first, as a fresh block would be (a feature builder need not write every cell).
    const rows = pool.take(n * F).fill(0, 0, n * F);
    try {
      features.build(input, items, rows);
      const t2 = timing ? performance.now() : 0;
      const scores = await model.score(rows, n);
      const t3 = timing ? performance.now() : 0;
      const explain = features.explain(input);
      const ranked: RankedItem[] = topK(scores, items, req.limit).map((i) => ({
        item: items[i]!, score: scores[i]!,
        why: explain(items[i]!, rows.subarray(i * F, (i + 1) * F)).slice(0, 3),
      }));
      if (ranked.length < req.limit) {
        // Fewer known candidates than slots (a small or new catalog): fill up from the fallback, after the model's picks.
        const have = new Set(ranked.map((r) => r.item.sku));
        const extra = (await fallback.rank(req)).items.filter((r) => !have.has(r.item.sku));
        ranked.push(...extra.slice(0, req.limit - ranked.length));
      }
      if (timing) timing({ candidates: t1 - t0, features: t2 - t1, run: t3 - t2, rest: performance.now() - t3, n });
      return { items: ranked, ranker: `model:${model.manifest.name}@${model.manifest.version}` };
    } finally {
      pool.give(rows);
    }
  }

  return {
    name: 'model',
    async rank(req) {
      const audience = (req.audience ?? []).filter(consenting);
      const profile = consenting(req.profile) ? req.profile : undefined;
      const user = profile ?? (audience.length === 1 ? audience[0] : audience.length > 1 ? mergeAudience(audience) : undefined);
      if (!user) return viaFallback(req);
      return holder.use(async (model) => {
        const input: FeatureInput<S> = { profile: user, audience: !profile, catalog: req.catalog, context: req.context, stats: model.itemStats };
        try {
          return await rankWith(model, req, input);
        } catch (err) {
          errors?.inc({ kind: 'model' });
          // A broken model fails every call: log the 1st, 2nd, 4th, 8th… failure, not thousands a second.
          if ((++failed & (failed - 1)) === 0) {
            log.error({ err, failed, version: model.manifest.version, store: req.context.storeId }, 'model ranking failed; the fallback serves');
          }
          return viaFallback(req);
        }
      }, () => viaFallback(req));
    },
  };
}
