import { watch as fsWatch, type FSWatcher } from 'node:fs';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import { loadModelVersion, type LoadedModel, type LoadResult, type ModelLoadErrorCode, type ModelLoaderOptions } from './model-loader.js';
import { compareVersions, listVersions, readVersionDir } from './model-versions.js';

export type ModelStatus = {
  serving?: { name: string; version: string; sha256: string; dir: string; loadedAt: number };
  lastError?: { version?: string; dir: string; code: ModelLoadErrorCode; reason: string; at: number };
  /** Replaced versions still finishing in-flight runs before their session is released. */
  retiring: number;
};

export type ModelHolderOptions<S> = {
  loader: ModelLoaderOptions<S>;
  log: Logger;
  metrics?: Pick<Metrics, 'model' | 'modelLoads'>;
  clock?: Clock;
};

type Entry<S> = { model: LoadedModel<S>; loadedAt: number; inflight: number; retired: boolean };

/**
 * Holds the serving model version. A new version is loaded and verified off to the side, then
 * swapped in by replacing one reference; runs already on the old session finish, and the old
 * session is released when the last of them returns. A version that fails to load is reported
 * (status, metric, log), remembered so polls don't retry it, and the old version keeps serving.
 */
export class ModelHolder<S = undefined> {
  readonly #opts: ModelHolderOptions<S>;
  readonly #clock: Clock;
  #entry: Entry<S> | undefined;
  readonly #retiring = new Set<Entry<S>>();
  readonly #releasing = new Set<Promise<void>>();
  #drained: (() => void) | undefined;
  readonly #rejected = new Map<string, string>(); // dir -> fingerprint
  #lastError: ModelStatus['lastError'];
  #loads: Promise<unknown> = Promise.resolve();
  #polling: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;
  #versionsDir: string | undefined;
  #closing: Promise<void> | undefined;

  constructor(opts: ModelHolderOptions<S>) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  /** The serving model, for reading its manifest; use `use()` to run it. */
  get current(): LoadedModel<S> | undefined { return this.#entry?.model; }

  /** Runs `fn` on the serving model, keeping its session alive until `fn` settles; `otherwise` when none serves. */
  async use<T>(fn: (model: LoadedModel<S>) => Promise<T>, otherwise: () => Promise<T>): Promise<T> {
    const entry = this.#entry;
    if (!entry) return otherwise();
    entry.inflight++;
    try {
      return await fn(entry.model);
    } finally {
      if (--entry.inflight === 0 && entry.retired) this.#release(entry);
    }
  }

  /** Loads and verifies one version folder, then swaps it in; a failure leaves the serving version untouched. */
  load(dir: string): Promise<LoadResult<S>> {
    const run = this.#loads.then(() => this.#loadNow(dir));
    this.#loads = run.catch(() => undefined);
    return run;
  }

  /** Serves the newest loadable version under `versionsDir` and polls it every `intervalMs` for newer ones. */
  async watch(versionsDir: string, intervalMs = 5_000): Promise<void> {
    this.#stopWatching();
    this.#versionsDir = versionsDir;
    await this.poll();
    if (this.#closing) return;
    const tick = () => {
      this.#timer = setTimeout(() => void this.poll().finally(() => { if (this.#timer) tick(); }), intervalMs);
      this.#timer.unref();
    };
    tick();
    // fs.watch only hurries the next poll; polling stays the source of truth (fs.watch misses events on some filesystems).
    try {
      let soon: NodeJS.Timeout | undefined;
      this.#watcher = fsWatch(versionsDir, () => {
        clearTimeout(soon);
        soon = setTimeout(() => void this.poll(), Math.min(250, intervalMs));
        soon.unref();
      });
      this.#watcher.on('error', () => this.#watcher?.close());
      this.#watcher.unref();
    } catch { /* folder missing or watch unsupported: polling covers it */ }
  }

  /** One scan of the watched folder: loads the newest version newer than the serving one, skipping known rejects. */
  poll(): Promise<void> {
    return (this.#polling ??= this.#scan()
      .catch((err: unknown) => this.#opts.log.error({ err, dir: this.#versionsDir }, 'scanning model versions failed'))
      .finally(() => { this.#polling = undefined; }));
  }

  status(): ModelStatus {
    const e = this.#entry;
    const m = e?.model.manifest;
    return {
      serving: e && m ? { name: m.name, version: m.version, sha256: m.sha256, dir: e.model.dir, loadedAt: e.loadedAt } : undefined,
      lastError: this.#lastError,
      retiring: this.#retiring.size,
    };
  }

  /** Stops watching, lets in-flight runs finish and releases every session. Idempotent. */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      this.#stopWatching();
      await this.#polling;
      await this.#loads;
      const last = this.#entry;
      this.#entry = undefined;
      if (last) {
        this.#opts.metrics?.model.remove({ name: last.model.manifest.name, version: last.model.manifest.version });
        this.#retire(last);
      }
      if (this.#retiring.size > 0) await new Promise<void>((res) => { this.#drained = res; });
      await Promise.all(this.#releasing);
    })());
  }

  async #scan(): Promise<void> {
    if (!this.#versionsDir || this.#closing) return;
    const serving = this.#entry?.model.manifest;
    for (const v of await listVersions(this.#versionsDir)) {
      if (serving && !v.unreadable && compareVersions(v, serving) <= 0) break;
      if (v.dir === this.#entry?.model.dir || this.#rejected.get(v.dir) === v.fingerprint) continue;
      const r = await this.load(v.dir);
      if (r.ok || this.#closing) break;
    }
  }

  async #loadNow(dir: string): Promise<LoadResult<S>> {
    const { log, metrics, loader } = this.#opts;
    const seen = await readVersionDir(dir);
    const r = await loadModelVersion(dir, loader);
    const at = this.#clock.now();
    if (!r.ok) {
      this.#rejected.set(dir, seen?.fingerprint ?? '');
      this.#lastError = { version: r.error.version, dir, code: r.error.code, reason: r.error.reason, at };
      metrics?.modelLoads.inc({ outcome: 'rejected' });
      log.warn({ dir, version: r.error.version, code: r.error.code, reason: r.error.reason, serving: this.#entry?.model.manifest.version },
        'model version rejected; the serving version stays');
      return r;
    }
    if (this.#closing) { await r.model.release(); return r; }
    this.#rejected.delete(dir);
    const prev = this.#entry;
    this.#entry = { model: r.model, loadedAt: at, inflight: 0, retired: false }; // the swap: one reference
    const m = r.model.manifest;
    metrics?.modelLoads.inc({ outcome: 'loaded' });
    if (prev) metrics?.model.remove({ name: prev.model.manifest.name, version: prev.model.manifest.version });
    metrics?.model.set({ name: m.name, version: m.version }, 1);
    log.info({ dir, name: m.name, version: m.version, sha256: m.sha256, replaced: prev?.model.manifest.version }, 'model version serving');
    if (prev) this.#retire(prev);
    return r;
  }

  #retire(entry: Entry<S>): void {
    entry.retired = true;
    this.#retiring.add(entry);
    if (entry.inflight === 0) this.#release(entry);
  }

  #release(entry: Entry<S>): void {
    if (!this.#retiring.delete(entry)) return;
    const p = entry.model.release()
      .catch((e: unknown) => this.#opts.log.warn({ err: e, version: entry.model.manifest.version }, 'model session release failed'))
      .finally(() => this.#releasing.delete(p));
    this.#releasing.add(p);
    if (this.#retiring.size === 0) this.#drained?.();
  }

  #stopWatching(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
