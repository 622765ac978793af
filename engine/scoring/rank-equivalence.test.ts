// The model ranker's output on a fixed sweep of demo requests (rank-equivalence.fixture.ts) must stay exactly what
// was recorded: items, scores to the last bit, reasons. Speed-ups of the ranker must not move it; a new
// model version or a deliberate change of candidates/features/reasons re-records it (see the fixture's header).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSIONS_DIR, canonical, rankerFor, readExpected, runSweep, sweepRequests } from './rank-equivalence.fixture.js';

const expected = readExpected();
const present = expected.filter((e) => existsSync(join(VERSIONS_DIR, e.version)));

describe('model ranking of a fixed request sweep is unchanged', () => {
  it('has at least one recorded version on disk', () => {
    expect(present.length).toBeGreaterThan(0);
  });

  for (const want of present) {
    it(`version ${want.version}: one call at a time`, async () => {
      const { ranker, close } = await rankerFor(want.version);
      try {
        const got = await runSweep(want.version, (req) => ranker.rank(req));
        expect(got.samples).toEqual(want.samples);
        expect(got.requests).toBe(want.requests);
        expect(got.digest).toBe(want.digest);
      } finally { await close(); }
    }, 60_000);

    it(`version ${want.version}: many calls in flight at once give the same results`, async () => {
      const { ranker, close } = await rankerFor(want.version);
      try {
        const reqs = sweepRequests();
        const sequential: string[] = [];
        for (const r of reqs.slice(0, 60)) sequential.push(canonical(await ranker.rank(r)));
        const concurrent = await Promise.all(reqs.slice(0, 60).map((r) => ranker.rank(r)));
        expect(concurrent.map(canonical)).toEqual(sequential);
      } finally { await close(); }
    }, 60_000);
  }
});
