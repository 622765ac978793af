import { describe, expect, it } from 'vitest';
import { Experiment } from '#contracts';
import { modelVersionsInUse, runningByRule, runningModelExperiment } from './running.js';

const NOW = 1_800_000_000_000;
const ruleExp = (id: string, ruleId: string, over: Partial<Experiment> = {}) => Experiment.parse({ experimentId: id, name: id, status: 'running', ruleId,
  arms: [{ armId: 'treatment', name: 'On', share: 0.5, rule: 'on' }, { armId: 'holdout', name: 'Off', share: 0.5, rule: 'off' }],
  attributionHours: 24, version: 1, updatedAt: 0, updatedBy: 't', ...over });
const modelExp = (id: string, models: [string, string], over: Partial<Experiment> = {}) => Experiment.parse({ experimentId: id, name: id, status: 'running',
  kind: 'model', arms: [{ armId: 'treatment', name: 'New', share: 0.5, model: models[0] }, { armId: 'holdout', name: 'Current', share: 0.5, model: models[1] }],
  attributionHours: 24, version: 1, updatedAt: 0, updatedBy: 't', ...over });

describe('which experiments split shoppers now', () => {
  it('one per rule (the oldest id), never a model experiment among the rule ones', () => {
    const m = runningByRule([ruleExp('b', 'r-1'), ruleExp('a', 'r-1'), ruleExp('c', 'r-2', { status: 'paused' }), modelExp('m', ['v2', 'v1'])], 's-001', NOW);
    expect([...m].map(([r, e]) => [r, e.experimentId])).toEqual([['r-1', 'a']]);
  });
  it('one model experiment per store at a time: the oldest id live in that store', () => {
    const all = [modelExp('m-b', ['v2', 'v1']), modelExp('m-a', ['v3', 'v1'], { stores: ['s-002'] }), modelExp('m-0', ['v4', 'v1'], { startAt: NOW + 1 }), ruleExp('a', 'r-1')];
    expect(runningModelExperiment(all, 's-001', NOW)?.experimentId).toBe('m-b');
    expect(runningModelExperiment(all, 's-002', NOW)?.experimentId).toBe('m-a');
    expect(runningModelExperiment(all, 's-001', NOW + 1)?.experimentId).toBe('m-0');
    expect(runningModelExperiment([ruleExp('a', 'r-1')], 's-001', NOW)).toBeUndefined();
  });
  it('keeps loaded the versions of running and paused model experiments, not of drafts or stopped ones', () => {
    expect(modelVersionsInUse([modelExp('a', ['v2', 'v1']), modelExp('b', ['v3', 'v1'], { status: 'paused' }),
      modelExp('c', ['v8', 'v9'], { status: 'draft' }), modelExp('d', ['v7', 'v1'], { status: 'stopped' }), ruleExp('r', 'r-1')])).toEqual(['v1', 'v2', 'v3']);
  });
});
