import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis, type ClusterNode, type ClusterOptions } from 'ioredis';
import type { Kv } from './kv.js';
import type { Logger } from './log.js';
import { redisSeedUrls } from './redis-url.js';

export type RedisKvOptions = {
  url: string; log: Logger; commandTimeoutMs?: number; connectWaitMs?: number;
  /**
   * A Redis Cluster (REDIS_CLUSTER=1): `url` may then list several seed nodes, `redis://[user:pass@]h1:7000,h2:7001`;
   * the rest of the cluster is discovered from them.
   */
  cluster?: boolean;
};

/** Cluster seeds and the connection options every node shares (user, password, TLS) from a Redis URL. */
function clusterSeeds(url: string): { nodes: ClusterNode[]; auth: { username?: string; password?: string; tls?: object } } {
  const seeds = redisSeedUrls(url).map((s) => new URL(s));
  const first = seeds[0]!;
  const auth = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return { auth, nodes: seeds.map((u) => ({ host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 6379) })) };
}

/** Indexes of `keys` grouped by Redis Cluster slot, in their order within each group. */
const bySlot = (keys: readonly string[]): number[][] => {
  const groups = new Map<number, number[]>();
  keys.forEach((k, i) => {
    const slot = calculateSlot(k);
    const g = groups.get(slot);
    if (g) g.push(i); else groups.set(slot, [i]);
  });
  return [...groups.values()];
};

/** Throws the first error of a pipeline or MULTI result (null: the transaction was aborted). */
const failedIn = (res: [Error | null, unknown][] | null): void => {
  if (!res) throw new Error('redis transaction aborted');
  const failed = res.find(([err]) => err);
  if (failed) throw failed[0];
};

/**
 * Kv on Redis, a single server or a Redis Cluster. Commands fail fast while Redis is down (no offline queue), so
 * the engine serves fallbacks instead of stalling; ioredis reconnects in the background and resubscribes.
 */
export async function createRedisKv({ url, log, commandTimeoutMs = 500, connectWaitMs = 3000, cluster = false }: RedisKvOptions): Promise<Kv> {
  const retryStrategy = (times: number) => Math.min(100 * times, 2000);
  const common = {
    enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: commandTimeoutMs, lazyConnect: true, retryStrategy,
  };
  /**
   * A cluster client with the same fail-fast behaviour: no offline queue (while the cluster is not ready every
   * command fails at once; one for the slots of a master that is down fails within the command timeout, ioredis
   * retrying it meanwhile in case a replica takes over), no retries per command on the node connections, the same
   * reconnect pacing. The subscriber (`offlineQueue`) may queue while offline, as on a single Redis.
   */
  const newCluster = (offlineQueue: boolean, timeoutMs: number | undefined): Cluster => {
    const { nodes, auth } = clusterSeeds(url);
    const options: ClusterOptions = {
      enableOfflineQueue: offlineQueue, lazyConnect: true, clusterRetryStrategy: retryStrategy,
      redisOptions: { maxRetriesPerRequest: 0, commandTimeout: timeoutMs, connectTimeout: 2000, ...auth },
    };
    return new Cluster(nodes, options);
  };
  // On a single Redis, commands issued in the same tick (the reads and writes of a burst of events) go out in one
  // write: one syscall instead of one per command (docs/performance.md §Redis). Not on a cluster: there ioredis's
  // auto-pipelines kept failing with MOVED for as long as 20 s after a master came back (test/scale/kv-cluster).
  const cmd: Redis | Cluster = cluster ? newCluster(false, commandTimeoutMs) : new Redis(url, { ...common, enableAutoPipelining: true });
  cmd.defineCommand('aisleCommitOnce', { numberOfKeys: 2, lua: COMMIT_ONCE_LUA });
  cmd.defineCommand('aisleCommitVersion', { numberOfKeys: 2, lua: COMMIT_VERSION_LUA });
  // No numberOfKeys: every call passes how many keys it names (the mark and each counter) first.
  cmd.defineCommand('aisleCountOnce', { lua: COUNT_ONCE_LUA });
  cmd.defineCommand('aisleClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
  cmd.defineCommand('aisleRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  cmd.defineCommand('aisleLease', { numberOfKeys: 1, lua: LEASE_LUA });
  cmd.defineCommand('aislePublish', { numberOfKeys: 1, lua: PUBLISH_LUA });
  const scripts = cmd as unknown as Scripts;
  // The subscriber may queue while offline: ioredis replays subscriptions on reconnect. A cluster client subscribes
  // on one node of its choice; Redis Cluster forwards every PUBLISH to the subscribers of every node.
  const sub: Redis | Cluster = cluster ? newCluster(true, undefined) : new Redis(url, { ...common, enableOfflineQueue: true, commandTimeout: undefined });
  /**
   * A pipeline or MULTI on a cluster client that has not got its slots yet waits for them, offline queue or not:
   * fail fast instead, as every single command does.
   */
  const readyForBatch = (): void => {
    if (cluster && cmd.status !== 'ready') throw new Error(`redis cluster not ready (${cmd.status})`);
  };
  const upCallbacks: (() => void)[] = [];
  let wasDown = false;
  cmd.on('error', (err: Error) => log.debug({ err: err.message }, 'redis error'));
  sub.on('error', (err: Error) => log.debug({ err: err.message }, 'redis subscriber error'));
  if (cluster) cmd.on('node error', (err: Error, node: string) => log.debug({ err: err.message, node }, 'redis cluster node error'));
  cmd.on('close', () => { if (!wasDown) log.warn('redis connection lost'); wasDown = true; });
  cmd.on('ready', () => {
    if (wasDown) { log.info('redis connection back'); for (const cb of upCallbacks) cb(); }
    wasDown = false;
  });
  const handlers = new Map<string, ((m: string) => void)[]>();
  sub.on('message', (channel: string, message: string) => {
    for (const h of handlers.get(channel) ?? []) {
      try { h(message); } catch (err) { log.error({ err, channel }, 'redis message handler failed'); }
    }
  });

  // A value that is not valid UTF-8 reads as text with U+FFFD in it, which does not encode back to the bytes Redis
  // holds, so a compare-and-set against what was read would conflict forever (found by the fuzz suite: hand-written
  // garbage made its rule unchangeable, 409 rule.busy). For such values only, the bytes last read at that place are
  // kept and commitVersion compares those.
  const undecodable = new Map<string, Buffer>();
  const asText = (where: string, b: Buffer | null): string | null => {
    if (b === null) { undecodable.delete(where); return null; }
    const s = b.toString('utf8');
    if (Buffer.from(s).equals(b)) undecodable.delete(where);
    else { if (undecodable.size >= 1000) undecodable.clear(); undecodable.set(where, b); }
    return s;
  };
  const asRead = (where: string, s: string | null): string | Buffer => {
    const b = undecodable.get(where);
    return b && s !== null && b.toString('utf8') === s ? b : s ?? '';
  };
  const hashAt = (key: string, field: string) => `h\u0000${key}\u0000${field}`;
  const headOf = (key: string) => `l\u0000${key}`;

  /** SETs of one slot (or, on a single Redis, all of them) in one round trip: a pipeline, or one SET alone. */
  const setBatch = async (entries: readonly { key: string; value: string; ttlMs?: number }[]): Promise<void> => {
    if (entries.length === 1) {
      const e = entries[0]!;
      if (e.ttlMs) await cmd.set(e.key, e.value, 'PX', e.ttlMs); else await cmd.set(e.key, e.value);
      return;
    }
    const p = cmd.pipeline();
    for (const e of entries) { if (e.ttlMs) p.set(e.key, e.value, 'PX', e.ttlMs); else p.set(e.key, e.value); }
    failedIn(await p.exec());
  };

  // Start even if Redis is down: the engine serves fallbacks meanwhile and reports it in /readyz.
  await Promise.race([
    Promise.allSettled([cmd.connect(), sub.connect()]),
    new Promise((r) => setTimeout(r, connectWaitMs).unref()),
  ]);
  if (cmd.status !== 'ready') { wasDown = true; log.warn({ url: redact(url), cluster }, 'redis not reachable yet; serving fallbacks'); }

  return {
    kind: 'redis',
    get: (key) => cmd.get(key),
    mget: async (keys) => {
      if (!keys.length) return [];
      if (!cluster) return cmd.mget(...keys);
      // MGET takes keys of one slot only: one per slot, in parallel, the answers put back in the order asked.
      const out = new Array<string | null>(keys.length).fill(null);
      await Promise.all(bySlot(keys).map(async (idx) => {
        const values = await cmd.mget(...idx.map((i) => keys[i]!));
        idx.forEach((i, j) => { out[i] = values[j] ?? null; });
      }));
      return out;
    },
    set: async (key, value, ttlMs) => { if (ttlMs) await cmd.set(key, value, 'PX', ttlMs); else await cmd.set(key, value); },
    setMany: async (entries) => {
      if (!entries.length) return;
      if (!cluster) { await setBatch(entries); return; }
      readyForBatch();
      // A pipeline goes to one node: one per slot, in parallel; every batch is waited for before the first error is thrown.
      const results = await Promise.allSettled(bySlot(entries.map((e) => e.key)).map((idx) => setBatch(idx.map((i) => entries[i]!))));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    del: async (key) => { await cmd.del(key); },
    pttl: (key) => cmd.pttl(key),
    setNx: async (key, ttlMs) => (await cmd.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK',
    claim: async (key, owner, ttlMs) => String(await scripts.aisleClaim(key, owner, String(ttlMs))),
    release: async (key, owner) => (await scripts.aisleRelease(key, owner)) === 1,
    lease: async (key, owner, ttlMs) => String(await scripts.aisleLease(key, owner, String(ttlMs))),
    commitOnce: async (c) => {
      const r = await scripts.aisleCommitOnce(c.key, c.seenKey,
        c.expected === null ? '0' : '1', c.expected ?? '', c.value, String(c.seenTtlMs), c.channel ?? '', c.notice ?? '');
      return r as 'ok' | 'duplicate' | 'conflict';
    },
    pushCapped: async (key, value, max, ttlMs) => {
      readyForBatch();
      await cmd.multi().lpush(key, value).ltrim(key, 0, max - 1).pexpire(key, ttlMs).exec();
    },
    countOnce: async (c) => {
      const sadd = c.sadd ?? [], hincr = c.hincr ?? [];
      // Every key the script touches is one of its KEYS (on a cluster they must share a slot: keys.ts tags them).
      const keys = [c.mark, ...sadd.map((s) => s.key), ...hincr.map((h) => h.key)];
      const args = [String(c.markTtlMs), String(c.ttlMs), String(sadd.length), ...sadd.map((s) => s.member)];
      for (const h of hincr) args.push(h.field, String(h.by));
      return (await scripts.aisleCountOnce(String(keys.length), ...keys, ...args)) as 'ok' | 'duplicate';
    },
    scard: (key) => cmd.scard(key),
    hget: async (key, field) => asText(hashAt(key, field), await cmd.hgetBuffer(key, field)),
    hgetall: (key) => cmd.hgetall(key),
    hsetMany: async (key, fields, ttlMs) => {
      if (!Object.keys(fields).length) return;
      readyForBatch();
      failedIn(await cmd.multi().hset(key, fields).pexpire(key, ttlMs).exec());
    },
    hdel: async (key, fields) => { if (fields.length) await cmd.hdel(key, ...fields); },
    lrange: async (key, start, stop) => {
      const items = await cmd.lrangeBuffer(key, start, stop);
      if (start === 0) asText(headOf(key), items[0] ?? null);
      return items.map((b) => b.toString('utf8'));
    },
    commitVersion: async (c) => {
      const r = await scripts.aisleCommitVersion(c.hash, c.history, c.field,
        c.expected === null ? '0' : '1', asRead(hashAt(c.hash, c.field), c.expected),
        c.expectedHead === null ? '0' : '1', asRead(headOf(c.history), c.expectedHead),
        c.value === null ? '0' : '1', c.value ?? '', c.entry, String(c.keep), c.channel, c.notice);
      return r as 'ok' | 'conflict';
    },
    // A cluster client sends a plain PUBLISH to any node, so two notices could overtake each other on their way to
    // the subscribers (found by the Kv contract on a cluster): through the node of the channel name's slot they keep
    // their order, as on a single Redis.
    publish: async (channel, message) => { if (cluster) await scripts.aislePublish(channel, message); else await cmd.publish(channel, message); },
    subscribe: async (channel, handler) => {
      const list = handlers.get(channel) ?? [];
      handlers.set(channel, [...list, handler]);
      if (!list.length) {
        const done = sub.subscribe(channel).then(() => true, (err: Error) => { log.warn({ err: err.message, channel }, 'subscribe deferred'); return true; });
        // A cluster client keeps the SUBSCRIBE queued until it is connected, however long that takes: wait a moment,
        // never for a cluster that is down (the engine starts anyway; the subscription follows once it is up).
        const waited = cluster ? await Promise.race([done, new Promise<false>((r) => setTimeout(() => r(false), commandTimeoutMs).unref())]) : await done;
        if (!waited) log.warn({ channel }, 'redis cluster not ready: subscription deferred until it is');
      }
    },
    isUp: () => cmd.status === 'ready',
    onUp: (cb) => { upCallbacks.push(cb); },
    close: async () => {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
      cmd.disconnect(); sub.disconnect();
    },
  };
}

type Scripts = {
  aisleCommitOnce(...args: string[]): Promise<string>;
  aisleCommitVersion(...args: (string | Buffer)[]): Promise<string>;
  aisleCountOnce(...args: string[]): Promise<string>;
  aisleClaim(key: string, owner: string, ttlMs: string): Promise<string>;
  aisleRelease(key: string, owner: string): Promise<number>;
  aisleLease(key: string, owner: string, ttlMs: string): Promise<string>;
  aislePublish(channel: string, message: string): Promise<number>;
};

/**
 * Kv.commitOnce as one script, so the write, its de-dupe mark and the change notice happen together.
 * KEYS[1] the record (a profile), KEYS[2] the de-dupe mark of the event (on a cluster: the record's hash tag)
 * ARGV[1] '1' if the record is expected to exist, ARGV[2] its expected value, ARGV[3] the new value,
 * ARGV[4] the mark's TTL in ms, ARGV[5] channel for the change notice ('' for none), ARGV[6] notice
 * Returns 'duplicate' (mark present: applied before), 'conflict' (record changed since read), 'ok'.
 */
const COMMIT_ONCE_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 'duplicate' end
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if cur ~= ARGV[2] then return 'conflict' end
elseif cur then return 'conflict' end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return 'ok'`;

/**
 * Kv.commitVersion as one script, so a record, its history and the change notice change together.
 * KEYS[1] the hash, KEYS[2] the history list (newest first); on a cluster they share a hash tag
 * ARGV[1] field, ARGV[2] '1' if the field is expected to exist, ARGV[3] its expected value,
 * ARGV[4] '1' if the history is expected to have a newest entry, ARGV[5] that entry,
 * ARGV[6] '1' to set the field ('0' deletes it), ARGV[7] the new value, ARGV[8] the new history entry,
 * ARGV[9] how many entries the history keeps, ARGV[10] channel, ARGV[11] notice.
 * Returns 'conflict' (field or history changed since read) or 'ok'.
 */
const COMMIT_VERSION_LUA = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  if cur ~= ARGV[3] then return 'conflict' end
elseif cur then return 'conflict' end
local head = redis.call('LINDEX', KEYS[2], 0)
if ARGV[4] == '1' then
  if head ~= ARGV[5] then return 'conflict' end
elseif head then return 'conflict' end
if ARGV[6] == '1' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[7]) else redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('LPUSH', KEYS[2], ARGV[8])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[9]) - 1)
redis.call('PUBLISH', ARGV[10], ARGV[11])
return 'ok'`;

/**
 * True when an error says Redis (or a node of the cluster) could not serve the command, not that the command was wrong:
 * timeouts, lost or refused connections, a cluster that is down or resharding, a client not ready. Such failures are
 * transient; the journal waits them out instead of setting an effect aside (docs/delivery.md).
 */
export function isRedisUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string } | null;
  if (!e) return false;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code ?? '')) return true;
  if (['MaxRetriesPerRequestError', 'ClusterAllFailedError'].includes(e.name ?? '')) return true;
  return /Command timed out|Connection is closed|Stream isn't writeable|enableOfflineQueue|CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|Failed to refresh slots cache|cluster not ready|None of startup nodes is available/i
    .test(e.message ?? '');
}

/** Hides a password in a URL before logging it. */
export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/**
 * Kv.countOnce (called with the number of KEYS first): KEYS[1] the mark, then the n sets to SADD to, then the
 * hashes to HINCRBYFLOAT in; ARGV[1] the mark's TTL, ARGV[2] the counters' TTL, ARGV[3] n, then the n members
 * (one per set), then a (field, amount) pair per hash.
 */
const COUNT_ONCE_LUA = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) == false then return 'duplicate' end
local ttl = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
for i = 1, n do
  redis.call('SADD', KEYS[1 + i], ARGV[3 + i])
  redis.call('PEXPIRE', KEYS[1 + i], ttl)
end
local a = 4 + n
for k = 2 + n, #KEYS do
  redis.call('HINCRBYFLOAT', KEYS[k], ARGV[a], ARGV[a + 1])
  redis.call('PEXPIRE', KEYS[k], ttl)
  a = a + 2
end
return 'ok'`;

/** Kv.claim: KEYS[1] the claim; ARGV owner, TTL ms. Returns the holder after the attempt. */
const CLAIM_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])`;

/** Kv.release: KEYS[1] the claim; ARGV owner. 1 when the owner held it and it is gone. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Kv.publish on a cluster: KEYS[1] the channel, named as a key only so the script runs on the node that serves its
 * slot (every publish of a channel leaves from one node, in order); ARGV[1] the message.
 */
const PUBLISH_LUA = `return redis.call('PUBLISH', KEYS[1], ARGV[1])`;

/** Kv.lease: KEYS[1] the lease; ARGV owner, TTL ms. Takes it if free, renews it if the owner holds it; returns the holder. */
const LEASE_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return holder`;
