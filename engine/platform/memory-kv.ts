import type { Clock } from './clock.js';
import type { Kv } from './kv.js';

/** In-process Kv for the demo: same semantics as Redis for the commands used, TTLs included. */
export function createMemoryKv(clock: Clock): Kv {
  const data = new Map<string, { v: string; exp?: number }>();
  const subs = new Map<string, Set<(m: string) => void>>();
  const read = (key: string): string | null => {
    const e = data.get(key);
    if (!e) return null;
    if (e.exp !== undefined && e.exp <= clock.now()) { data.delete(key); return null; }
    return e.v;
  };
  const write = (key: string, v: string, ttlMs?: number) => {
    data.set(key, { v, exp: ttlMs ? clock.now() + ttlMs : undefined });
  };
  return {
    kind: 'memory',
    get: async (key) => read(key),
    mget: async (keys) => keys.map(read),
    set: async (key, value, ttlMs) => write(key, value, ttlMs),
    setMany: async (entries) => { for (const e of entries) write(e.key, e.value, e.ttlMs); },
    del: async (key) => { data.delete(key); },
    setNx: async (key, ttlMs) => {
      if (read(key) !== null) return false;
      write(key, '1', ttlMs);
      return true;
    },
    commitOnce: async (c) => {
      if (read(c.seenKey) !== null) return 'duplicate';
      if (read(c.key) !== c.expected) return 'conflict';
      write(c.key, c.value);
      write(c.seenKey, '1', c.seenTtlMs);
      if (c.channel && c.notice !== undefined) for (const h of subs.get(c.channel) ?? []) queueMicrotask(() => h(c.notice!));
      return 'ok';
    },
    publish: async (channel, message) => {
      for (const h of subs.get(channel) ?? []) queueMicrotask(() => h(message));
    },
    subscribe: async (channel, handler) => {
      let set = subs.get(channel);
      if (!set) subs.set(channel, (set = new Set()));
      set.add(handler);
    },
    isUp: () => true,
    onUp: () => {},
    close: async () => { subs.clear(); },
  };
}
