import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../contracts/events.js';
import { Profile } from '../contracts/profile.js';
import { StoreConfig } from '../contracts/store-config.js';
import { planVisit } from './plan.js';
import { seededRandom } from './random.js';

const read = (name: string) => readFileSync(new URL(`../demo/${name}`, import.meta.url), 'utf8');

describe('simulating the bundled demo store', () => {
  const store = StoreConfig.parse(JSON.parse(read('store.s-001.json')));
  const profiles = read('profiles.ndjson').trim().split('\n').map((l) => Profile.parse(JSON.parse(l)));
  it('plans valid visits with real members, labels and catalog items', () => {
    const random = seededRandom(2026);
    const labels = new Set(store.labels.map((l) => l.labelId));
    const skus = new Set(store.catalog.map((c) => c.sku));
    const members = new Set(profiles.map((p) => p.customerId));
    let firstId = 1;
    for (let i = 0; i < 200; i++) {
      const plan = planVisit({ store, shoppers: profiles, random, start: 1_763_856_000_000 + i * 1_000, firstId });
      firstId = plan.nextId;
      expect(plan.zones.length).toBeGreaterThanOrEqual(2);
      expect(plan.zones.length).toBeLessThanOrEqual(5);
      for (const e of plan.events) {
        InboundEvent.parse(e);
        if (e.type === 'esl') expect(labels.has(e.labelId)).toBe(true);
        if (e.type === 'pos') for (const l of e.lines) expect(skus.has(l.sku)).toBe(true);
        if ('customerId' in e && e.customerId !== undefined) expect(members.has(e.customerId)).toBe(true);
      }
    }
  });
});
