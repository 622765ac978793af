import { performance } from 'node:perf_hooks';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { rankHeuristic } from './heuristic.js';
import type { RankRequest, RankResult, Ranker } from './types.js';

export type RankChooser = (req: RankRequest) => Promise<RankResult>;

/**
 * The one place that picks a ranker for a screen (docs/adr/0004): the model for one consenting
 * shopper; the heuristic over shared interests for a group or an empty zone (running the model on a
 * merged "average shopper" costs milliseconds for content that is by design not personal). Any
 * failure falls back to the heuristic, and every call is timed once, here.
 */
export function createRankChooser(d: { model: Ranker; log: Logger; metrics?: Pick<Metrics, 'scoringLatency'> }): RankChooser {
  return async (req) => {
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
  };
}
