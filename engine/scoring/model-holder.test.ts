import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { silentLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { ModelHolder } from './model-holder.js';
import { writeTestVersion, type TestVersionOptions } from './test-model.fixture.js';

const features = ['f0', 'f1', 'f2'];
const up = [1, 2, 3];
let root: string;
let holder: ModelHolder;
let metrics: ReturnType<typeof createMetrics>;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aisle-holder-'));
  metrics = createMetrics();
  clock = manualClock(1_000);
  holder = new ModelHolder({ loader: { expectedFeatures: features }, log: silentLogger(), metrics, clock });
});
afterEach(async () => {
  await holder.close();
  await rm(root, { recursive: true, force: true });
});

const version = (v: string, o: Partial<TestVersionOptions> = {}) => writeTestVersion(root, { version: v, features, weights: up, ...o });
const scoreOne = (h: ModelHolder) => h.use(async (m) => (await m.score(Float32Array.from([1, 1, 1]), 1))[0]!, async () => -1);
const counter = async (outcome: string) => (await metrics.modelLoads.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe('ModelHolder', () => {
  it('serves nothing until a version loads, then reports it in status and metrics', async () => {
    expect(await scoreOne(holder)).toBe(-1);
    expect(holder.status().serving).toBeUndefined();
    const r = await holder.load(await version('v1'));
    expect(r.ok).toBe(true);
    expect(await scoreOne(holder)).toBe(6);
    expect(holder.status().serving).toMatchObject({ name: 'test-ranker', version: 'v1', loadedAt: 1_000 });
    expect(holder.status().serving?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await counter('loaded')).toBe(1);
    const gauge = (await metrics.model.get()).values;
    expect(gauge).toEqual([expect.objectContaining({ value: 1, labels: { name: 'test-ranker', version: 'v1' } })]);
  });

  it.each(['sha256', 'features', 'golden', 'corrupt-onnx', 'manifest-json', 'shape'] as const)(
    'keeps the old version serving when the new one has a bad %s', async (tamper) => {
      await holder.watch(root, 60_000);
      await version('v1');
      await holder.poll();
      clock.advance(5);
      await version('v2', { tamper, weights: [-1, -2, -3] });
      await holder.poll();
      expect(holder.status().serving?.version).toBe('v1');
      expect(holder.status().lastError).toMatchObject({ dir: join(root, 'v2'), at: 1_005 });
      expect(await scoreOne(holder)).toBe(6);
      expect(await counter('rejected')).toBe(1);
      // remembered: the next polls don't retry it…
      await holder.poll();
      await holder.poll();
      expect(await counter('rejected')).toBe(1);
    });

  it('retries a rejected folder once its files change, and swaps to it when it is fixed', async () => {
    await holder.watch(root, 60_000);
    await version('v1');
    await holder.poll();
    await version('v2', { tamper: 'golden', weights: [-1, -2, -3] });
    await holder.poll();
    expect(holder.status().lastError?.code).toBe('golden.mismatch');
    await version('v2', { weights: [-1, -2, -3] });
    await holder.poll();
    expect(holder.status().serving?.version).toBe('v2');
    expect(await scoreOne(holder)).toBe(-6);
  });

  it('starts from the newest loadable version and ignores folders still being written', async () => {
    await version('v1');
    await version('v2', { tamper: 'sha256' });
    await version('v3', { tamper: 'features' });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(root, 'v4'));
    await writeFile(join(root, 'v4', 'model.onnx'), 'partial');
    await holder.watch(root, 60_000);
    expect(holder.status().serving?.version).toBe('v1');
    expect(await counter('rejected')).toBe(2);
  });

  it('never goes back to an older version than the one serving', async () => {
    await holder.watch(root, 60_000);
    await version('v5');
    await holder.poll();
    await version('v4', { createdAt: '2020-01-01T00:00:00Z' });
    await holder.poll();
    expect(holder.status().serving?.version).toBe('v5');
    expect(await counter('loaded')).toBe(1);
  });

  it('swaps under continuous concurrent runs: none fails, later runs see the new version, the old session is released', async () => {
    await version('v1');
    await holder.watch(root, 10);
    const old = holder.current!;
    const x = Float32Array.from({ length: 200 * 3 }, (_, i) => (i % 7) / 7);
    let failures = 0, swapped = false, stop = false;
    const seenAfterSwap: number[] = [];
    const runner = async () => {
      while (!stop) {
        const wasSwapped = swapped;
        try {
          const s = await holder.use(async (m) => (await m.score(x, 200))[0]!, async () => { throw new Error('no model'); });
          if (wasSwapped) seenAfterSwap.push(s);
        } catch { failures++; }
      }
    };
    const runners = Array.from({ length: 500 }, runner);
    await new Promise((r) => setTimeout(r, 50));
    await version('v2', { weights: [-1, -2, -3] });
    const t0 = Date.now();
    while (holder.status().serving?.version !== 'v2' && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 5));
    swapped = true;
    // Keep running until plenty of calls ran after the swap (bounded: a loaded machine is slow, not wrong).
    while (seenAfterSwap.length <= 500 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(runners);
    expect(failures).toBe(0);
    expect(holder.status().serving?.version).toBe('v2');
    expect(seenAfterSwap.length).toBeGreaterThan(500);
    expect(seenAfterSwap.every((s) => s < 0)).toBe(true);
    expect(holder.status().retiring).toBe(0);
    expect(old.released).toBe(true);
    await expect(old.score(x, 200)).rejects.toThrow();
  }, 30_000);

  it('close() is idempotent, waits for in-flight runs and releases the session', async () => {
    await holder.load(await version('v1'));
    const m = holder.current!;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const inflight = holder.use(async (mm) => { await gate; return (await mm.score(Float32Array.from([1, 1, 1]), 1))[0]; }, async () => -1);
    const closed = holder.close();
    expect(holder.close()).toBe(closed);
    expect(m.released).toBe(false);
    release();
    expect(await inflight).toBe(6);
    await closed;
    expect(m.released).toBe(true);
    expect(await scoreOne(holder)).toBe(-1);
  });
});
