import { describe } from 'vitest';
import { kvContract } from '../../test/helpers/kv-contract.js';
import { manualClock } from './clock.js';
import { createMemoryKv } from './memory-kv.js';

// The demo's store keeps the same contract as Redis (test/integration/kv-redis.test.ts, test/scale/kv-cluster.test.ts).
describe('Kv in memory', () => {
  const clock = manualClock(1_700_000_000_000);
  const kv = createMemoryKv(clock);
  kvContract(() => ({ kv: async () => kv, pass: async (ms) => clock.advance(ms) }));
});
