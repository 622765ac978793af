import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelVersionInfo } from '#contracts';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { ModelHolder, type ModelStatus } from './model-holder.js';
import type { ModelLoaderOptions } from './model-loader.js';
import { createModelRanker, type RankTiming, type ServingFeatures } from './model-ranker.js';
import { createPinnedModels, type PinState } from './model-pins.js';
import { listVersions, resolveVersionsDir } from './model-versions.js';
import { readSummary } from './model-quality.js';
import { servingFeatures } from './serving-features.js';
import type { Ranker } from './types.js';
import type { ItemStats } from '../../models/features/index.js';

export type { Ranker, RankRequest, RankResult, RankedItem, RankContext, StoreCatalog } from './types.js';
export type { ModelStatus } from './model-holder.js';
export type { RankTiming } from './model-ranker.js';
export { indexCatalog } from './catalog.js';

/** The scoring service the engine holds: a Ranker plus the model's lifecycle. */
export type Scoring = Ranker & {
  /** Serving version and last rejected one. */
  status(): ModelStatus & { pinned: PinState[] };
  /** True while a model version serves (/readyz). */
  ready(): boolean;
  /** Model versions held beside the serving one for model experiments (model-pins.ts); resolves once loaded or refused. */
  pin(versions: readonly string[]): Promise<void>;
  /** Every version in the model folder, newest first, with what the engine does with it (GET /api/v1/models). */
  versions(): Promise<ModelVersionInfo[]>;
  /** Stops watching, finishes in-flight runs, releases the session. Idempotent. */
  close(): Promise<void>;
};

export type ScoringOptions<S> = {
  /** Folder of model names (or of one model's versions); default `models/artifacts` in the repo. */
  modelRoot?: string;
  /** Serve this model name under modelRoot; default: the name with the newest version. */
  modelName?: string;
  fallback: Ranker;
  log: Logger;
  metrics?: Pick<Metrics, 'model' | 'modelLoads' | 'scoringLatency' | 'registry'>;
  /** How often to look for a new version, ms. */
  pollMs?: number;
  clock?: Clock;
  /** The models/ feature contract (FEATURE_NAMES, candidates, builder, item-stats parser); default: models/features. */
  features?: ServingFeatures<S> & { parseItemStats?: ModelLoaderOptions<S>['parseItemStats'] };
  /** Stage timings of each call the serving version ranks (benchmarks: test/load/rank-bench.ts); off when absent. */
  timing?: (t: RankTiming) => void;
};

/** The repo root: the nearest folder above this module with a package.json (works from engine/ and from dist/). */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/**
 * Starts scoring: serves the newest verified model version under `modelRoot` and watches for newer
 * ones; with none (yet), every request is served by `fallback` and `ready()` is false.
 */
export async function createScoring<S = ItemStats>(opts: ScoringOptions<S>): Promise<Scoring> {
  const { fallback, metrics, pollMs = 5_000, clock } = opts;
  // Without an override S is ItemStats (the type parameter's default), which servingFeatures serves.
  const features = opts.features ?? (servingFeatures as unknown as NonNullable<ScoringOptions<S>['features']>);
  const log = opts.log.child({ mod: 'scoring' });
  const root = opts.modelRoot ?? join(repoRoot(), 'models', 'artifacts');
  const holder = new ModelHolder<S>({
    loader: { expectedFeatures: features.names, parseItemStats: features.parseItemStats },
    log, metrics, clock,
  });
  const ranker = createModelRanker({ holder, features, fallback, log, metrics, ...(opts.timing ? { timing: opts.timing } : {}) });
  let versionsDir: string | undefined;
  const pins = createPinnedModels<S>({ versionsDir: () => versionsDir, loader: { expectedFeatures: features.names, parseItemStats: features.parseItemStats },
    features, fallback, log, ...(metrics ? { metrics } : {}) });

  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const start = async (): Promise<void> => {
    const dir = await resolveVersionsDir(root, opts.modelName);
    if (closed) return;
    versionsDir = dir;
    if (dir) {
      log.info({ dir }, 'watching model versions');
      await holder.watch(dir, pollMs);
      return;
    }
    // Nothing to serve yet: keep looking, so a first model dropped in later is picked up without a restart.
    timer = setTimeout(() => void start().catch((err: unknown) => log.error({ err, root }, 'looking for model versions failed')), pollMs);
    timer.unref();
  };
  await start();
  if (!holder.current) log.warn({ root, modelName: opts.modelName }, 'no model version serving; using the fallback ranker');

  return {
    name: ranker.name,
    rank: (req) => {
      // A model experiment's arm names its version: ranked by it when it is pinned and is not the serving one.
      const v = req.modelVersion;
      const pinned = v !== undefined && v !== holder.current?.manifest.version ? pins.ranker(v) : undefined;
      return (pinned ?? ranker).rank(req);
    },
    status: () => ({ ...holder.status(), pinned: pins.status() }),
    ready: () => holder.current !== undefined,
    pin: (versions) => pins.pin(versions),
    async versions() {
      if (!versionsDir) return [];
      const serving = holder.current?.manifest.version;
      const pinned = new Map(pins.status().map((p) => [p.version, p]));
      const out: ModelVersionInfo[] = [];
      for (const v of await listVersions(versionsDir)) {
        if (v.unreadable) continue;
        const p = pinned.get(v.version);
        const use: ModelVersionInfo['use'] = v.version === serving ? 'serving' : p ? (p.state === 'ready' ? 'pinned' : p.state) : 'available';
        const { name, quality } = await readSummary(v.dir);
        out.push({ name, version: v.version, createdAt: v.createdAt, use, ...(p?.reason ? { reason: p.reason } : {}), ...(quality ? { quality } : {}) });
      }
      return out;
    },
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await pins.close();
      return holder.close();
    },
  };
}
