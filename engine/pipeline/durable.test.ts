import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Effect } from '#contracts';
import { openJournal } from '../platform/journal.js';
import { silentLogger } from '../platform/log.js';
import { isRedisUnavailable } from '../platform/redis-kv.js';
import { createDurable } from './durable.js';

const link = (n: number): Effect => ({ kind: 'link', deviceId: `d-${n}`, customerId: `c-${n}` });
const log = silentLogger();

async function setup(maxReplayFailures = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'durable-test-'));
  const journal = await openJournal({ dir, maxBytes: 1 << 20, log });
  const store: Effect[] = [];
  const state = { up: true, failOn: undefined as string | undefined, slotDown: undefined as string | undefined };
  const durable = createDurable({ journal, journalDir: dir, log, retryMs: 10, maxReplayFailures, unavailable: isRedisUnavailable,
    isUp: () => state.up,
    apply: async (e) => {
      if (!state.up) throw new Error('store down');
      if (e.kind === 'link' && e.deviceId === state.failOn) throw new Error('poison');
      // A Redis Cluster master failing over: the client is up, the commands for its slots time out.
      if (e.kind === 'link' && e.deviceId === state.slotDown) throw new Error('Command timed out');
      store.push(e);
    } });
  return { dir, journal, store, state, durable };
}

describe('durable commit', () => {
  it('commits straight to the store while it is up', async () => {
    const { store, durable } = await setup();
    await durable.commit(link(1));
    expect(store).toEqual([link(1)]);
    expect(durable.pending).toBe(0);
  });

  it('journals while the store is down, keeps order after it returns, and replays everything once', async () => {
    const { store, state, durable } = await setup();
    state.up = false;
    for (let i = 1; i <= 5; i++) await durable.commit(link(i)); // each resolves: durable on disk
    expect(store).toEqual([]);
    expect(durable.pending).toBe(5);
    state.up = true;
    // While older effects wait in the journal, a new one queues behind them instead of overtaking.
    await durable.commit(link(6));
    await durable.replay();
    for (let i = 0; i < 50 && durable.pending; i++) await new Promise((r) => setTimeout(r, 10));
    expect(store.map((e) => (e.kind === 'link' ? e.deviceId : ''))).toEqual(['d-1', 'd-2', 'd-3', 'd-4', 'd-5', 'd-6']);
    expect(durable.pending).toBe(0);
    await durable.close();
  });

  it('sets a record aside after repeated failures with the store up, so it cannot block the rest', async () => {
    const { dir, store, state, durable } = await setup(3);
    state.up = false;
    await durable.commit(link(1));
    await durable.commit(link(2));
    state.up = true;
    state.failOn = 'd-1';
    for (let i = 0; i < 100 && durable.pending; i++) { await durable.replay(); await new Promise((r) => setTimeout(r, 10)); }
    expect(store).toEqual([link(2)]);
    expect(readFileSync(join(dir, 'poison.log'), 'utf8')).toContain('d-1');
    await durable.close();
  });

  it('never sets aside an effect whose commands the store could not serve (a cluster node failing over), however long it lasts', async () => {
    const { dir, store, state, durable } = await setup(3);
    state.up = false;
    await durable.commit(link(1));
    await durable.commit(link(2));
    state.up = true;
    state.slotDown = 'd-1';
    for (let i = 0; i < 20; i++) { await durable.replay(); await new Promise((r) => setTimeout(r, 10)); }
    expect(durable.pending, 'waiting, in order').toBe(2);
    expect(store).toEqual([]);
    expect(() => readFileSync(join(dir, 'poison.log'), 'utf8')).toThrow();
    state.slotDown = undefined; // the replica took over
    for (let i = 0; i < 100 && durable.pending; i++) { await durable.replay(); await new Promise((r) => setTimeout(r, 10)); }
    expect(store).toEqual([link(1), link(2)]);
    await durable.close();
  });

  it('sets aside a journaled record it cannot read, and applies the rest', async () => {
    const { dir, journal, store, durable } = await setup();
    await journal.append('not json at all');
    await journal.append(JSON.stringify({ kind: 'link', deviceId: 'aa:bb:cc:dd:ee:ff', customerId: 'c-1' })); // fails the schema
    await journal.append(JSON.stringify(link(3)));
    await durable.replay();
    expect(store).toEqual([link(3)]);
    expect(durable.pending).toBe(0);
    const poison = readFileSync(join(dir, 'poison.log'), 'utf8').trim().split('\n');
    expect(poison).toHaveLength(2);
    expect(poison[0]).toContain('not json at all');
    await durable.close();
  });
});
