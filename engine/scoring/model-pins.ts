import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { ModelHolder } from './model-holder.js';
import type { ModelLoaderOptions } from './model-loader.js';
import { createModelRanker, type ServingFeatures } from './model-ranker.js';
import { listVersions } from './model-versions.js';
import type { Ranker } from './types.js';

/** Where one pinned version stands: loading, serving its arm, or refused (with why). */
export type PinState = { version: string; state: 'loading' | 'ready' | 'failed'; reason?: string };

export type PinnedModelsOptions<S> = {
  /** The folder of versions the engine serves from (undefined: none found yet). */
  versionsDir(): string | undefined;
  loader: ModelLoaderOptions<S>;
  features: ServingFeatures<S>;
  fallback: Ranker;
  log: Logger;
  metrics?: Pick<Metrics, 'scoringLatency' | 'registry'>;
  /** Most versions held at once besides the serving one (each holds an ORT session and its item stats). */
  max?: number;
};

type Pin<S> = { holder: ModelHolder<S>; ranker: Ranker; state: PinState };

/**
 * Model versions held loaded beside the serving one, for model experiments (docs/experiments.md §Model
 * versions): each is verified like any version (checksum, features, golden rows) and ranks only the
 * requests that name it. `pin` is told the full set wanted now; versions no longer named are released
 * once their in-flight runs finish. A version that is missing or fails verification is reported and
 * not retried until the next `pin`; requests naming it are ranked by the serving version instead (and
 * the decision core then leaves the shopper out of the experiment).
 */
export function createPinnedModels<S>(o: PinnedModelsOptions<S>) {
  const max = o.max ?? 4;
  const log = o.log.child({ part: 'pinned-models' });
  const pins = new Map<string, Pin<S>>();
  let closed = false;
  let work: Promise<void> = Promise.resolve();

  const load = async (version: string, pin: Pin<S>): Promise<void> => {
    const root = o.versionsDir();
    const found = root ? (await listVersions(root)).find((v) => v.version === version && !v.unreadable) : undefined;
    if (!found) {
      pin.state = { version, state: 'failed', reason: root ? `no version ${version} in ${root}` : 'no model folder' };
      log.warn({ version, root }, 'pinned model version not found; its arm is ranked by the serving version');
      return;
    }
    const r = await pin.holder.load(found.dir);
    pin.state = r.ok ? { version, state: 'ready' } : { version, state: 'failed', reason: `${r.error.code}: ${r.error.reason}` };
    if (r.ok) log.info({ version, dir: found.dir }, 'model version pinned for an experiment');
  };

  return {
    /** Holds exactly these versions (at most `max`, in the order given); releases the rest. Resolves once loaded or refused. */
    pin(versions: readonly string[]): Promise<void> {
      const run = work.then(async () => {
        if (closed) return;
        const want = [...new Set(versions)];
        if (want.length > max) log.warn({ wanted: want.length, max }, 'more model versions in experiments than may be held; the rest are ranked by the serving version');
        const keep = new Set(want.slice(0, max));
        for (const [v, p] of pins) {
          if (keep.has(v) && p.state.state !== 'failed') continue;
          pins.delete(v);
          await p.holder.close();
        }
        const loads: Promise<void>[] = [];
        for (const v of keep) {
          if (pins.has(v)) continue;
          const holder = new ModelHolder<S>({ loader: o.loader, log });
          const pin: Pin<S> = { holder, state: { version: v, state: 'loading' },
            ranker: createModelRanker({ holder, features: o.features, fallback: o.fallback, log, ...(o.metrics ? { metrics: o.metrics } : {}) }) };
          pins.set(v, pin);
          loads.push(load(v, pin).catch((err: unknown) => {
            pin.state = { version: v, state: 'failed', reason: (err as Error).message };
            log.error({ err, version: v }, 'pinning a model version failed');
          }));
        }
        await Promise.all(loads);
      });
      work = run.catch(() => undefined);
      return run;
    },
    /** The ranker of a pinned version that loaded; undefined otherwise. */
    ranker(version: string): Ranker | undefined {
      const p = pins.get(version);
      return p?.state.state === 'ready' ? p.ranker : undefined;
    },
    status(): PinState[] { return [...pins.values()].map((p) => ({ ...p.state })); },
    /** Releases every pinned session (after in-flight runs). Idempotent. */
    async close(): Promise<void> {
      closed = true;
      await work;
      await Promise.all([...pins.values()].map((p) => p.holder.close()));
      pins.clear();
    },
  };
}
export type PinnedModels = ReturnType<typeof createPinnedModels>;
