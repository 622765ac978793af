import type { Clock } from './clock.js';
import type { Kv } from './kv.js';

/** In-process Kv for the demo: same semantics as Redis for the commands used, TTLs included. */
export function createMemoryKv(clock: Clock): Kv {
  const data = new Map<string, { v: string; exp?: number }>();
  const subs = new Map<string, Set<(m: string) => void>>();
  // Hashes and lists live apart from strings (no TTLs: the engine sets none on them).
  const hashes = new Map<string, Map<string, string>>();
  const lists = new Map<string, string[]>();
  const sets = new Map<string, Set<string>>();
  const read = (key: string): string | null => {
    const e = data.get(key);
    if (!e) return null;
    if (e.exp !== undefined && e.exp <= clock.now()) { data.delete(key); return null; }
    return e.v;
  };
  const write = (key: string, v: string, ttlMs?: number) => {
    data.set(key, { v, exp: ttlMs ? clock.now() + ttlMs : undefined });
  };
  const notify = (channel: string, message: string) => { for (const h of subs.get(channel) ?? []) queueMicrotask(() => h(message)); };
  /** Redis LRANGE index rules: negative counts from the end, out of range clamps. */
  const range = (xs: readonly string[], start: number, stop: number) => {
    const from = Math.max(start < 0 ? xs.length + start : start, 0);
    const to = Math.min(stop < 0 ? xs.length + stop : stop, xs.length - 1);
    return from > to ? [] : xs.slice(from, to + 1);
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
    claim: async (key, owner, ttlMs) => {
      const held = read(key);
      if (held !== null) return held;
      write(key, owner, ttlMs);
      return owner;
    },
    release: async (key, owner) => {
      if (read(key) !== owner) return false;
      data.delete(key);
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
    hget: async (key, field) => hashes.get(key)?.get(field) ?? null,
    hgetall: async (key) => Object.fromEntries(hashes.get(key) ?? []),
    lrange: async (key, start, stop) => range(lists.get(key) ?? [], start, stop),
    commitVersion: async (c) => {
      const hash = hashes.get(c.hash);
      const history = lists.get(c.history) ?? [];
      if ((hash?.get(c.field) ?? null) !== c.expected || (history[0] ?? null) !== c.expectedHead) return 'conflict';
      if (c.value !== null) {
        if (hash) hash.set(c.field, c.value); else hashes.set(c.hash, new Map([[c.field, c.value]]));
      } else hash?.delete(c.field);
      lists.set(c.history, [c.entry, ...history].slice(0, c.keep));
      notify(c.channel, c.notice);
      return 'ok';
    },
    pushCapped: async (key, value, max) => { lists.set(key, [value, ...(lists.get(key) ?? [])].slice(0, max)); },
    countOnce: async (c) => {
      if (read(c.mark) !== null) return 'duplicate';
      write(c.mark, '1', c.markTtlMs);
      for (const { key, member } of c.sadd ?? []) { let set = sets.get(key); if (!set) sets.set(key, (set = new Set())); set.add(member); }
      for (const { key, field, by } of c.hincr ?? []) {
        let h = hashes.get(key);
        if (!h) hashes.set(key, (h = new Map()));
        h.set(field, String(Number(h.get(field) ?? 0) + by));
      }
      return 'ok';
    },
    scard: async (key) => sets.get(key)?.size ?? 0,
    publish: async (channel, message) => notify(channel, message),
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
