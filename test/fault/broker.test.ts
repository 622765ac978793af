import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { posMessage, purchasePlan } from './harness/plan.js';
import { startRig } from './harness/rig.js';
import { perTestScope } from './harness/scope.js';
import { appliedCount, describeDiff, waitUntilApplied } from './harness/verify.js';

const PURCHASES = 3000;
const CUSTOMERS = 50;
/** Paced so the broker goes down while purchases are still being published (a 2 s burst). */
const RATE_PER_SEC = 1500;

describe('broker restart', () => {
  const scope = perTestScope();

  it('Mosquitto stopped (SIGTERM) and started again mid-burst: nothing lost, nothing doubled', async () => {
    const s = scope();
    const { ids, mosq, engine, pub, r } = await startRig(s, 'mosq');
    const { purchases, expected } = purchasePlan({ tag: ids.hex, n: PURCHASES, customers: CUSTOMERS });

    const acked0 = pub.acked; // the probes
    const published = pub.publishAll(purchases.map((p) => posMessage(ids.storeId, p)), { ratePerSec: RATE_PER_SEC });
    // Stop the broker when about a third was published (whatever the engine has applied by then).
    await eventually(() => (pub.acked - acked0 >= PURCHASES / 3 ? true : undefined), 30_000, 5);
    const ackedAtStop = pub.acked - acked0;
    const appliedAtStop = await appliedCount(r, ids.prefix, expected);
    // SIGTERM: Mosquitto writes its persistence (sessions, queued and in-flight messages) before it exits.
    const exit = await mosq.stop('SIGTERM');
    // Down until both clients noticed (the publisher is offline, the engine reports its broker not ready).
    await eventually(async () => {
      const ready = (await fetch(`${engine.url}/readyz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined))?.status;
      return !pub.client.connected && ready !== 200 ? true : undefined;
    }, 10_000, 20).catch(() => undefined);
    const appliedWhileDown = await appliedCount(r, ids.prefix, expected);
    await mosq.restart();
    console.log(`[fault] broker: stopped at ${ackedAtStop} acknowledged by the broker (${appliedAtStop} applied), exit ${JSON.stringify(exit)}; `
      + `${appliedWhileDown} applied when it was restarted`);

    // Both the publisher and the engine reconnect by themselves; the publisher re-sends what the broker had not acknowledged.
    await published;
    const d = await waitUntilApplied(r, ids.prefix, expected, 60_000);
    console.log(`[fault] broker: after restart: ${describeDiff(d)}`);

    expect(ackedAtStop, 'the burst had ended before the broker stopped').toBeLessThan(PURCHASES);
    expect(d.ok, describeDiff(d)).toBe(true);
    expect(engine.running(), 'the engine kept running through the broker restart').toBe(true);
  });
});
