import { describe, expect, it } from 'vitest';
import { posMessage, purchasePlan } from './harness/plan.js';
import { startRig } from './harness/rig.js';
import { perTestScope } from './harness/scope.js';
import { appliedCount, describeDiff, untilApplied, waitUntilApplied } from './harness/verify.js';

const PURCHASES = 3000;
const CUSTOMERS = 50;
/** Slack for process start-up and exit on top of the engine's own shutdown deadline. */
const EXIT_SLACK_MS = 2000;
const SHORT_DEADLINE_MS = 100;

describe('engine crash and stop mid-burst', () => {
  const scope = perTestScope();

  it.each([
    ['SIGKILL', 10_000],
    ['SIGTERM', 10_000],
    // A deadline that passes while the engine still has work: whatever it had not committed must come back after the restart.
    ['SIGTERM', SHORT_DEADLINE_MS],
  ] as const)('%s mid-burst (shutdown deadline %i ms): every purchase applied exactly once after a restart', async (signal, shutdownDeadlineMs) => {
    const s = scope();
    const tag = signal === 'SIGKILL' ? 'kill' : shutdownDeadlineMs === SHORT_DEADLINE_MS ? 'term2' : 'term';
    const { ids, engine, pub, r } = await startRig(s, tag, { engine: { shutdownDeadlineMs } });
    const { purchases, expected } = purchasePlan({ tag: ids.hex, n: PURCHASES, customers: CUSTOMERS });

    // As fast as the broker takes them: an engine that acknowledges before its commit then holds the most in memory.
    const acked0 = pub.acked; // the probes
    const published = pub.publishAll(purchases.map((p) => posMessage(ids.storeId, p)));
    // Kill when roughly a third is in the profiles.
    const before = await untilApplied(r, ids.prefix, expected, PURCHASES / 3, 60_000);
    expect(before.ok, `before any fault, the engine applied only ${before.applied} of ${PURCHASES} purchases within 60 s`).toBe(true);
    const ackedAtKill = pub.acked - acked0;
    const exit = await engine.kill(signal);
    const appliedAtExit = await appliedCount(r, ids.prefix, expected);
    console.log(`[fault] ${signal} (deadline ${shutdownDeadlineMs} ms): sent at ${before.applied} applied (${ackedAtKill} acknowledged by the broker); `
      + `${appliedAtExit} applied when it had exited; exit ${JSON.stringify(exit)}`);

    await engine.restart();
    await published;
    const d = await waitUntilApplied(r, ids.prefix, expected, 60_000);
    console.log(`[fault] ${signal} (deadline ${shutdownDeadlineMs} ms): after restart: ${describeDiff(d)}`);

    // The kill came while purchases were still being applied, or the case proved nothing.
    expect(before.applied, 'every purchase was applied before the kill').toBeLessThan(PURCHASES);
    if (signal === 'SIGTERM') {
      // An orderly stop: the engine exits by itself, with 0, within its shutdown deadline.
      expect.soft(exit, `exit after SIGTERM (${exit.ms} ms)`).toMatchObject({ code: 0, signal: null });
      expect.soft(exit.ms, 'SIGTERM to exit, ms').toBeLessThanOrEqual(engine.shutdownDeadlineMs + EXIT_SLACK_MS);
    }
    expect(d.ok, describeDiff(d)).toBe(true);
  });
});
