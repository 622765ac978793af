import { describe, expect, it } from 'vitest';
import { silentLogger } from '../platform/log.js';
import { createKeys } from '../platform/keys.js';
import { createMemoryKv } from '../platform/memory-kv.js';
import { createLeases } from './leases.js';
import { preferredOwner } from './plan.js';

// Two instances' leases on one store with a clock the test moves: an instance that has lost the broker for the
// grace period hands its partitions to the one that reaches it, and gets them back when it reaches it again.

const P = 8;
function estate() {
  let t = 1_000_000;
  const clock = { now: () => t };
  const kv = createMemoryKv(clock);
  const keys = createKeys('lt:');
  const broker = { a: true, b: true };
  const make = (me: 'a' | 'b') => {
    const served = new Set<number>();
    const leases = createLeases({ kv, keys, log: silentLogger(), me, partitions: P, now: clock.now, ttlMs: 3000, tickMs: 500, settleMs: 2000,
      brokerUp: () => broker[me],
      acquired: async (p) => { served.add(p); }, released: async (p) => { served.delete(p); } });
    return { leases, served };
  };
  const a = make('a');
  const b = make('b');
  /** Both tick every 500 ms for `ms`. */
  const run = async (ms: number) => { for (let k = 0; k < ms / 500; k++) { t += 500; await a.leases.tick(); await b.leases.tick(); } };
  const share = (me: 'a' | 'b') => Array.from({ length: P }, (_, p) => p).filter((p) => preferredOwner(p, ['a', 'b']) === me);
  return { a, b, broker, run, share };
}

describe('partition leases when an instance loses the broker', () => {
  it('hands its share to the instance that reaches the broker after the grace, and takes it back once it reaches it again', async () => {
    const e = estate();
    await e.a.leases.register(); await e.b.leases.register();
    await e.run(6000);
    expect(e.a.leases.held()).toEqual(e.share('a'));
    expect(e.b.leases.held()).toEqual(e.share('b'));

    e.broker.a = false;
    await e.run(4000); // within the grace (6 s): nothing moves
    expect(e.a.leases.held()).toEqual(e.share('a'));
    await e.run(4000);
    expect(e.a.leases.held()).toEqual([]);
    expect(e.a.served.size).toBe(0);
    expect(e.b.leases.held()).toHaveLength(P);

    e.broker.a = true;
    await e.run(6000);
    expect(e.a.leases.held()).toEqual(e.share('a'));
    expect(e.b.leases.held()).toEqual(e.share('b'));
  });

  it('moves nothing when no instance reaches the broker', async () => {
    const e = estate();
    await e.a.leases.register(); await e.b.leases.register();
    await e.run(6000);
    e.broker.a = false; e.broker.b = false;
    await e.run(15_000);
    expect(e.a.leases.held()).toEqual(e.share('a'));
    expect(e.b.leases.held()).toEqual(e.share('b'));
  });

  it('a brief loss of the broker, shorter than the grace, moves nothing', async () => {
    const e = estate();
    await e.a.leases.register(); await e.b.leases.register();
    await e.run(6000);
    for (let k = 0; k < 3; k++) { e.broker.a = false; await e.run(4000); e.broker.a = true; await e.run(1000); }
    expect(e.a.leases.held()).toEqual(e.share('a'));
  });
});
