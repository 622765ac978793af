import { afterAll, describe, inject } from 'vitest';
import type { Kv } from '../../engine/platform/kv.js';
import { silentLogger } from '../../engine/platform/log.js';
import { createRedisKv } from '../../engine/platform/redis-kv.js';
import { dropPrefix } from '../helpers/engine.js';
import { uniqueId } from '../helpers/fixtures.js';
import { kvContract } from '../helpers/kv-contract.js';

// The Kv contract on a single Redis; test/scale/kv-cluster.test.ts runs the same checks on a Redis Cluster.
describe('Kv on a single Redis', () => {
  const prefix = `${uniqueId('kvc')}-`;
  const opened: Kv[] = [];
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((kv) => kv.close()));
    await dropPrefix(inject('redisUrl'), prefix);
  });
  const open = async (): Promise<Kv> => {
    const kv = await createRedisKv({ url: inject('redisUrl'), log: silentLogger() });
    opened.push(kv);
    return kv;
  };
  kvContract(() => ({ kv: open, pass: (ms) => new Promise((r) => setTimeout(r, ms)) }), prefix);
});
