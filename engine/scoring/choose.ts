import { performance } from 'node:perf_hooks';
import type { Logger } from '../platform/log.js';
import { Lru } from '../platform/lru.js';
import type { Metrics } from '../platform/metrics.js';
import { rankHeuristic } from './heuristic.js';
import type { RankRequest, RankResult, Ranker, StoreCatalog } from './types.js';

export type RankChooser = (req: RankRequest) => Promise<RankResult>;

export type RankChooserOptions = {
  model: Ranker; log: Logger; metrics?: Pick<Metrics, 'scoringLatency' | 'rankCache'>;
  /** How long a shopper's ranking in a zone is reused while nothing about them changed; 0 turns the cache off. */
  cacheMs?: number;
  /** Rankings kept per store catalog. */
  cacheSize?: number;
  now?: () => number;
};

/** What a personal ranking depends on, besides the catalog and how many items: who, where, what they did, which model version. */
const personalKey = (req: RankRequest): string | undefined => {
  const p = req.profile;
  return p && `${p.customerId}|${p.updatedAt}|${req.context.zoneId}|${(req.context.eslSkus ?? []).slice(0, 5).join(',')}|${req.modelVersion ?? ''}`;
};

/**
 * The one place that picks a ranker for a screen (docs/adr/0004): the model for one consenting
 * shopper; the heuristic over shared interests for a group or an empty zone (running the model on a
 * merged "average shopper" costs milliseconds for content that is by design not personal). Any
 * failure falls back to the heuristic, and every call is timed once, here.
 *
 * A shopper's ranking in a zone is reused for `cacheMs` (default 10 s) while their profile, their
 * shelf-label taps and the store's catalog are unchanged (a longer one serves a shorter request, so the
 * labels' and the alert's rankings and the screen's share one model run): a shopper walking back and forth between
 * aisles, or a second turn on a screen, does not run the model again. A new model version is picked
 * up by the next ranking after that.
 */
export function createRankChooser(d: RankChooserOptions): RankChooser {
  const cacheMs = d.cacheMs ?? 10_000;
  const now = d.now ?? Date.now;
  const caches = new WeakMap<StoreCatalog, Lru<string, { at: number; result: RankResult; limit: number }>>();
  const cacheOf = (c: StoreCatalog) => {
    let lru = caches.get(c);
    if (!lru) caches.set(c, (lru = new Lru(d.cacheSize ?? 20_000)));
    return lru;
  };

  async function rank(req: RankRequest): Promise<RankResult> {
    const t0 = performance.now();
    let ranked: RankResult;
    try {
      ranked = req.profile ? await d.model.rank(req) : { items: rankHeuristic(req), ranker: 'heuristic' };
    } catch (err) {
      d.log.warn({ err, zoneId: req.context.zoneId }, 'ranker failed; heuristic used');
      ranked = { items: rankHeuristic(req), ranker: 'heuristic' };
    }
    d.metrics?.scoringLatency.observe({ ranker: ranked.ranker.startsWith('model') ? 'model' : 'heuristic' }, (performance.now() - t0) / 1000);
    return ranked;
  }

  return async (req) => {
    const key = cacheMs > 0 ? personalKey(req) : undefined;
    if (!key) return rank(req);
    const cache = cacheOf(req.catalog);
    const hit = cache.get(key);
    // A longer ranking of the same shopper serves a shorter request (the top k of a top n, k ≤ n, are the same items).
    if (hit && now() - hit.at < cacheMs && hit.limit >= req.limit) {
      d.metrics?.rankCache.inc({ outcome: 'hit' });
      return hit.limit === req.limit ? hit.result : { ...hit.result, items: hit.result.items.slice(0, req.limit) };
    }
    d.metrics?.rankCache.inc({ outcome: 'miss' });
    const result = await rank(req);
    // A fallback answer (no model yet, a failed run) is not kept: the model should get its chance next time.
    if (result.ranker.startsWith('model')) cache.set(key, { at: now(), result, limit: req.limit });
    return result;
  };
}
