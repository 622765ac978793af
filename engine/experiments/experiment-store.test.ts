import { afterEach, describe, expect, it } from 'vitest';
import { ExperimentStatus, ExperimentVersion, type ExperimentInput } from '#contracts';
import { manualClock } from '../platform/clock.js';
import { createKeys } from '../platform/keys.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { canTransition, createExperimentStore, EXPERIMENT_TRANSITIONS, ExperimentStoreError, transitionAction, type ExperimentStoreDeps } from './experiment-store.js';

const keys = createKeys('t:');
const dwell: ExperimentInput = { experimentId: 'x-dwell', name: 'Dwell offer vs holdout', ruleId: 'coffee-dwell-offer', stores: ['s-001'] };

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => { for (const s of opened.splice(0)) await s.close(); });

function setup(over: Partial<ExperimentStoreDeps> = {}) {
  const clock = manualClock(1_000);
  const kv = over.kv ?? createMemoryKv(clock);
  const store = createExperimentStore({ kv, keys, clock, origin: 'a', ...over });
  opened.push(store);
  return { kv, clock, store };
}
const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof ExperimentStoreError ? e.code : String(e)));

/** A fresh experiment walked to `status` along the allowed path. */
async function at(status: ExperimentStatus) {
  const s = setup();
  await s.store.create(dwell, 'm');
  const path: Record<ExperimentStatus, ExperimentStatus[]> = { draft: [], running: ['running'], paused: ['running', 'paused'], stopped: ['running', 'stopped'] };
  for (const step of path[status]) await s.store.setStatus('x-dwell', step, 'm');
  expect(s.store.get('x-dwell')!.status).toBe(status);
  return s;
}

describe('experiment store', () => {
  it('creates a draft with the defaults (80/20 split, 24 h), stamped; an id is made when none is given', async () => {
    const { store } = setup({ newExperimentId: () => 'e-made' });
    await store.start();
    const e = await store.create(dwell, 'merch-1');
    expect(e).toEqual({ experimentId: 'x-dwell', kind: 'rule', name: 'Dwell offer vs holdout', status: 'draft', stores: ['s-001'], ruleId: 'coffee-dwell-offer',
      arms: [{ armId: 'treatment', name: 'Rule on', share: 0.8, rule: 'on' }, { armId: 'holdout', name: 'Holdout', share: 0.2, rule: 'off' }],
      attributionHours: 24, version: 1, updatedAt: 1_000, updatedBy: 'merch-1' });
    expect((await store.create({ name: 'Made up', ruleId: 'r-1' }, 'm')).experimentId).toBe('e-made');
    expect(store.snapshot().map((x) => x.experimentId)).toEqual(['e-made', 'x-dwell']);
    expect(store.stats()).toEqual({ experiments: 2, invalid: 0, loaded: true });
  });

  it('refuses arms that do not add up or lack the holdout, and schedules that end before they start', async () => {
    const { store } = setup();
    expect(await codeOf(store.create({ ...dwell, arms: [{ armId: 'a', name: 'A', share: 0.5, rule: 'on' }, { armId: 'holdout', name: 'H', share: 0.4, rule: 'off' }] }, 'm'))).toBe('invalid');
    expect(await codeOf(store.create({ ...dwell, arms: [{ armId: 'a', name: 'A', share: 0.5, rule: 'on' }, { armId: 'b', name: 'B', share: 0.5, rule: 'off' }] }, 'm'))).toBe('invalid');
    expect(await codeOf(store.create({ ...dwell, startAt: 10, endAt: 5 }, 'm'))).toBe('invalid');
    expect(store.snapshot()).toEqual([]);
  });

  it('allows exactly draft→running, running⇄paused, running|paused→stopped; the same status is no change', async () => {
    const statuses = ExperimentStatus.options;
    const allowed: string[] = [];
    for (const from of statuses) for (const to of statuses) if (canTransition(from, to)) allowed.push(`${from}→${to}`);
    expect(allowed.sort()).toEqual(['draft→running', 'paused→running', 'paused→stopped', 'running→paused', 'running→stopped']);
    expect(EXPERIMENT_TRANSITIONS.stopped).toEqual([]);

    for (const from of statuses) {
      for (const to of statuses) {
        const { store } = await at(from);
        const before = store.get('x-dwell')!;
        const got = await store.setStatus('x-dwell', to, 'boss').then((e) => e, (e: unknown) => e);
        if (from === to) {
          expect(got, `${from}→${to}`).toEqual(before);
          expect((await store.versions('x-dwell'))[0]!.version, `${from}→${to}`).toBe(before.version);
        } else if (canTransition(from, to)) {
          expect(got, `${from}→${to}`).toMatchObject({ status: to, version: before.version + 1, updatedBy: 'boss' });
          expect((await store.versions('x-dwell'))[0]!.action, `${from}→${to}`).toBe(transitionAction(from, to));
        } else {
          expect(got, `${from}→${to}`).toBeInstanceOf(ExperimentStoreError);
          expect((got as ExperimentStoreError).code, `${from}→${to}`).toBe('invalid_transition');
          expect(store.get('x-dwell'), `${from}→${to}`).toBe(before);
        }
      }
    }
  });

  it('names each status change in the history: start, pause, resume, stop', async () => {
    const { store } = setup();
    await store.create(dwell, 'm');
    for (const s of ['running', 'paused', 'running', 'stopped'] as const) await store.setStatus('x-dwell', s, 'm');
    const v = await store.versions('x-dwell');
    expect(v.map((x) => [x.version, x.action, x.experiment?.status])).toEqual([
      [5, 'stop', 'stopped'], [4, 'resume', 'running'], [3, 'pause', 'paused'], [2, 'start', 'running'], [1, 'create', 'draft']]);
    for (const x of v) expect(ExperimentVersion.safeParse(x).success).toBe(true);
    expect(await codeOf(store.setStatus('nope', 'running', 'm'))).toBe('not_found');
  });

  it('is created as a draft or running, never paused or stopped', async () => {
    const { store } = setup();
    expect((await store.create({ ...dwell, status: 'running' }, 'm')).status).toBe('running');
    expect(await codeOf(store.create({ ...dwell, experimentId: 'p', status: 'paused' }, 'm'))).toBe('invalid_transition');
    expect(await codeOf(store.create({ ...dwell, experimentId: 's', status: 'stopped' }, 'm'))).toBe('invalid_transition');
    expect(store.snapshot().length).toBe(1);
  });

  it('update replaces arms and dates, and changes the status only along an allowed transition; a stopped one is final', async () => {
    const { store } = await at('running');
    const arms = [{ armId: 'treatment', name: 'On', share: 0.5, rule: 'on' as const }, { armId: 'holdout', name: 'Off', share: 0.5, rule: 'off' as const }];
    const u = await store.update('x-dwell', { ...dwell, status: 'running', arms, startAt: 100, endAt: 200 }, 'm');
    expect(u).toMatchObject({ status: 'running', arms, startAt: 100, endAt: 200, version: 3 });
    // Left out: the defaults (a full replace), and the status default is a draft, which cannot follow running.
    expect(await codeOf(store.update('x-dwell', dwell, 'm'))).toBe('invalid_transition');
    const paused = await store.update('x-dwell', { ...dwell, status: 'paused' }, 'm');
    expect(paused).toMatchObject({ status: 'paused', version: 4 });
    expect(paused).not.toHaveProperty('startAt');
    expect((await store.versions('x-dwell'))[0]!.action).toBe('update');
    await store.setStatus('x-dwell', 'stopped', 'm');
    expect(await codeOf(store.update('x-dwell', { ...dwell, status: 'stopped', name: 'Renamed' }, 'm'))).toBe('invalid_transition');
    expect(store.get('x-dwell')).toMatchObject({ status: 'stopped', version: 5 });
  });

  it('deletes only a draft or a stopped experiment', async () => {
    for (const status of ExperimentStatus.options) {
      const { store } = await at(status);
      const deletable = status === 'draft' || status === 'stopped';
      expect(await codeOf(store.delete('x-dwell', 'm')), status).toBe(deletable ? 'resolved' : 'invalid_transition');
      expect(store.get('x-dwell') === undefined, status).toBe(deletable);
    }
  });

  it('restores any version as a new version, status included, unless the current one is stopped', async () => {
    const { store } = await at('paused'); // v1 draft, v2 running, v3 paused
    const back = await store.restore('x-dwell', 2, 'undo');
    expect(back).toMatchObject({ status: 'running', version: 4, updatedBy: 'undo' });
    await store.setStatus('x-dwell', 'stopped', 'm');
    expect(await codeOf(store.restore('x-dwell', 1, 'm'))).toBe('invalid_transition');
    await store.delete('x-dwell', 'm');
    // Deleted: nothing is current, so any version may come back.
    expect(await store.restore('x-dwell', 1, 'm')).toMatchObject({ status: 'draft', version: 7 });
    expect((await store.versions('x-dwell')).map((v) => v.action)).toEqual(['restore', 'delete', 'stop', 'restore', 'pause', 'start', 'create']);
  });

  it('a status change on one instance reaches the other through the notice', async () => {
    const { kv, store: a } = setup();
    const { store: b } = setup({ kv, origin: 'b' });
    await a.start(); await b.start();
    const seen: string[][] = [];
    b.onChange((ids) => seen.push(ids));
    await a.create(dwell, 'm');
    await a.setStatus('x-dwell', 'running', 'm');
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(b.get('x-dwell')).toMatchObject({ status: 'running', version: 2 });
    expect(seen.flat()).toEqual(['x-dwell', 'x-dwell']);
  });
});
