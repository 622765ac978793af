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

/** Hides a password in a URL before logging it. */
export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
