import { Redis } from 'ioredis';
import type { Kv } from './kv.js';
import type { Logger } from './log.js';

export type RedisKvOptions = { url: string; log: Logger; commandTimeoutMs?: number; connectWaitMs?: number };

/**
 * Kv on Redis. Commands fail fast while Redis is down (no offline queue), so the engine serves
 * fallbacks instead of stalling; ioredis reconnects in the background and resubscribes.
 */
export async function createRedisKv({ url, log, commandTimeoutMs = 500, connectWaitMs = 3000 }: RedisKvOptions): Promise<Kv> {
  const common = {
    enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: commandTimeoutMs, lazyConnect: true,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  const cmd = new Redis(url, common);
  cmd.defineCommand('aisleCommitOnce', { numberOfKeys: 2, lua: COMMIT_ONCE_LUA });
  cmd.defineCommand('aisleCommitVersion', { numberOfKeys: 2, lua: COMMIT_VERSION_LUA });
  cmd.defineCommand('aisleCountOnce', { numberOfKeys: 1, lua: COUNT_ONCE_LUA });
  cmd.defineCommand('aisleClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
  cmd.defineCommand('aisleRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  // The subscriber may queue while offline: ioredis replays subscriptions on reconnect.
  const sub = new Redis(url, { ...common, enableOfflineQueue: true, commandTimeout: undefined });
  const upCallbacks: (() => void)[] = [];
  let wasDown = false;
  cmd.on('error', (err) => log.debug({ err: err.message }, 'redis error'));
  sub.on('error', (err) => log.debug({ err: err.message }, 'redis subscriber error'));
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

  // Start even if Redis is down: the engine serves fallbacks meanwhile and reports it in /readyz.
  await Promise.race([
    Promise.allSettled([cmd.connect(), sub.connect()]),
    new Promise((r) => setTimeout(r, connectWaitMs).unref()),
  ]);
  if (cmd.status !== 'ready') { wasDown = true; log.warn({ url: redact(url) }, 'redis not reachable yet; serving fallbacks'); }

  return {
    kind: 'redis',
    get: (key) => cmd.get(key),
    mget: (keys) => (keys.length ? cmd.mget(...keys) : Promise.resolve([])),
    set: async (key, value, ttlMs) => { if (ttlMs) await cmd.set(key, value, 'PX', ttlMs); else await cmd.set(key, value); },
    setMany: async (entries) => {
      if (!entries.length) return;
      const p = cmd.pipeline();
      for (const e of entries) { if (e.ttlMs) p.set(e.key, e.value, 'PX', e.ttlMs); else p.set(e.key, e.value); }
      const res = await p.exec();
      const failed = res?.find(([err]) => err);
      if (failed) throw failed[0];
    },
    del: async (key) => { await cmd.del(key); },
    setNx: async (key, ttlMs) => (await cmd.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK',
    claim: async (key, owner, ttlMs) => String(await (cmd as unknown as ClaimCommands).aisleClaim(key, owner, String(ttlMs))),
    release: async (key, owner) => (await (cmd as unknown as ClaimCommands).aisleRelease(key, owner)) === 1,
    commitOnce: async (c) => {
      const r = await (cmd as unknown as CommitOnceCommand).aisleCommitOnce(c.key, c.seenKey,
        c.expected === null ? '0' : '1', c.expected ?? '', c.value, String(c.seenTtlMs), c.channel ?? '', c.notice ?? '');
      return r as 'ok' | 'duplicate' | 'conflict';
    },
    pushCapped: async (key, value, max, ttlMs) => {
      await cmd.multi().lpush(key, value).ltrim(key, 0, max - 1).pexpire(key, ttlMs).exec();
    },
    countOnce: async (c) => {
      const args = [String(c.markTtlMs), String(c.ttlMs), String(c.sadd?.length ?? 0)];
      for (const s of c.sadd ?? []) args.push(s.key, s.member);
      for (const h of c.hincr ?? []) args.push(h.key, h.field, String(h.by));
      return (await (cmd as unknown as CountOnceCommand).aisleCountOnce(c.mark, ...args)) as 'ok' | 'duplicate';
    },
    scard: (key) => cmd.scard(key),
    hget: async (key, field) => asText(hashAt(key, field), await cmd.hgetBuffer(key, field)),
    hgetall: (key) => cmd.hgetall(key),
    lrange: async (key, start, stop) => {
      const items = await cmd.lrangeBuffer(key, start, stop);
      if (start === 0) asText(headOf(key), items[0] ?? null);
      return items.map((b) => b.toString('utf8'));
    },
    commitVersion: async (c) => {
      const r = await (cmd as unknown as CommitVersionCommand).aisleCommitVersion(c.hash, c.history, c.field,
        c.expected === null ? '0' : '1', asRead(hashAt(c.hash, c.field), c.expected),
        c.expectedHead === null ? '0' : '1', asRead(headOf(c.history), c.expectedHead),
        c.value === null ? '0' : '1', c.value ?? '', c.entry, String(c.keep), c.channel, c.notice);
      return r as 'ok' | 'conflict';
    },
    publish: async (channel, message) => { await cmd.publish(channel, message); },
    subscribe: async (channel, handler) => {
      const list = handlers.get(channel) ?? [];
      handlers.set(channel, [...list, handler]);
      if (!list.length) await sub.subscribe(channel).catch((err) => log.warn({ err: err.message, channel }, 'subscribe deferred'));
    },
    isUp: () => cmd.status === 'ready',
    onUp: (cb) => { upCallbacks.push(cb); },
    close: async () => {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
      cmd.disconnect(); sub.disconnect();
    },
  };
}

type CountOnceCommand = { aisleCountOnce(...args: string[]): Promise<string> };
type CommitOnceCommand = { aisleCommitOnce(...args: string[]): Promise<string> };
type CommitVersionCommand = { aisleCommitVersion(...args: (string | Buffer)[]): Promise<string> };

/**
 * Kv.commitOnce as one script, so the write, its de-dupe mark and the change notice happen together.
 * KEYS[1] the record (a profile), KEYS[2] the de-dupe mark of the event
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
 * KEYS[1] the hash, KEYS[2] the history list (newest first)
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

/** Hides a password in a URL before logging it. */
export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/**
 * Kv.countOnce: KEYS[1] the mark; ARGV mark TTL, key TTL, the number of SADD pairs, then the SADD
 * pairs (key, member), then HINCRBYFLOAT triples (key, field, amount).
 */
const COUNT_ONCE_LUA = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) == false then return 'duplicate' end
local ttl = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local i = 4
for _ = 1, n do
  redis.call('SADD', ARGV[i], ARGV[i + 1])
  redis.call('PEXPIRE', ARGV[i], ttl)
  i = i + 2
end
while i <= #ARGV do
  redis.call('HINCRBYFLOAT', ARGV[i], ARGV[i + 1], ARGV[i + 2])
  redis.call('PEXPIRE', ARGV[i], ttl)
  i = i + 3
end
return 'ok'`;

type ClaimCommands = {
  aisleClaim(key: string, owner: string, ttlMs: string): Promise<string>;
  aisleRelease(key: string, owner: string): Promise<number>;
};

/** Kv.claim: KEYS[1] the claim; ARGV owner, TTL ms. Returns the holder after the attempt. */
const CLAIM_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])`;

/** Kv.release: KEYS[1] the claim; ARGV owner. 1 when the owner held it and it is gone. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
