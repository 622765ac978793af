import type { Clock } from './clock.js';
import type { Kv } from './kv.js';

/** In-process Kv for the demo: same semantics as Redis for the commands used, TTLs included. */
export function createMemoryKv(clock: Clock): Kv {
  const data = new Map<string, { v: string; exp?: number }>();
  const subs = new Map<string, Set<(m: string) => void>>();
  // Hashes, lists and sets live apart from strings, their TTLs in `expiry` (PEXPIRE on Redis).
  const hashes = new Map<string, Map<string, string>>();
  const lists = new Map<string, string[]>();
  const sets = new Map<string, Set<string>>();
  const expiry = new Map<string, number>();
  const read = (key: string): string | null => {
    const e = data.get(key);
    if (!e) return null;
    if (e.exp !== undefined && e.exp <= clock.now()) { data.delete(key); return null; }
    return e.v;
  };
  const write = (key: string, v: string, ttlMs?: number) => {
    data.set(key, { v, exp: ttlMs ? clock.now() + ttlMs : undefined });
  };
  /** Drops a hash, list or set whose TTL has passed, so every read below sees it absent, as Redis would. */
  const live = (key: string): void => {
    const exp = expiry.get(key);
    if (exp !== undefined && exp <= clock.now()) drop(key);
  };
  const drop = (key: string): void => { hashes.delete(key); lists.delete(key); sets.delete(key); expiry.delete(key); };
  const expire = (key: string, ttlMs: number): void => { expiry.set(key, clock.now() + ttlMs); };
  const hashOf = (key: string): Map<string, string> => {
    live(key);
    let h = hashes.get(key);
    if (!h) hashes.set(key, (h = new Map()));
    return h;
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
    del: async (key) => { data.delete(key); drop(key); },
    pttl: async (key) => {
      if (read(key) !== null) { const exp = data.get(key)!.exp; return exp === undefined ? -1 : exp - clock.now(); }
      live(key);
      if (!hashes.has(key) && !lists.has(key) && !sets.has(key)) return -2;
      const exp = expiry.get(key);
      return exp === undefined ? -1 : exp - clock.now();
    },
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
    lease: async (key, owner, ttlMs) => {
      const held = read(key);
      if (held !== null && held !== owner) return held;
      write(key, owner, ttlMs);
      return owner;
    },
    commitOnce: async (c) => {
      if (read(c.seenKey) !== null) return 'duplicate';
      if (read(c.key) !== c.expected) return 'conflict';
      write(c.key, c.value);
      write(c.seenKey, '1', c.seenTtlMs);
      if (c.channel && c.notice !== undefined) notify(c.channel, c.notice);
      return 'ok';
    },
    hget: async (key, field) => { live(key); return hashes.get(key)?.get(field) ?? null; },
    hgetall: async (key) => { live(key); return Object.fromEntries(hashes.get(key) ?? []); },
    hsetMany: async (key, fields, ttlMs) => {
      const entries = Object.entries(fields);
      if (!entries.length) return;
      const h = hashOf(key);
      for (const [f, v] of entries) h.set(f, v);
      expire(key, ttlMs);
    },
    hdel: async (key, fields) => {
      live(key);
      const h = hashes.get(key);
      if (!h) return;
      for (const f of fields) h.delete(f);
      if (!h.size) drop(key);
    },
    lrange: async (key, start, stop) => { live(key); return range(lists.get(key) ?? [], start, stop); },
    commitVersion: async (c) => {
      live(c.hash); live(c.history);
      const hash = hashes.get(c.hash);
      const history = lists.get(c.history) ?? [];
      if ((hash?.get(c.field) ?? null) !== c.expected || (history[0] ?? null) !== c.expectedHead) return 'conflict';
      if (c.value !== null) hashOf(c.hash).set(c.field, c.value);
      else if (hash) { hash.delete(c.field); if (!hash.size) drop(c.hash); }
      lists.set(c.history, [c.entry, ...history].slice(0, c.keep));
      notify(c.channel, c.notice);
      return 'ok';
    },
    pushCapped: async (key, value, max, ttlMs) => {
      live(key);
      lists.set(key, [value, ...(lists.get(key) ?? [])].slice(0, max));
      expire(key, ttlMs);
    },
    countOnce: async (c) => {
      if (read(c.mark) !== null) return 'duplicate';
      write(c.mark, '1', c.markTtlMs);
      for (const { key, member } of c.sadd ?? []) {
        live(key);
        let set = sets.get(key);
        if (!set) sets.set(key, (set = new Set()));
        set.add(member);
        expire(key, c.ttlMs);
      }
      for (const { key, field, by } of c.hincr ?? []) {
        const h = hashOf(key);
        h.set(field, String(Number(h.get(field) ?? 0) + by));
        expire(key, c.ttlMs);
      }
      return 'ok';
    },
    scard: async (key) => { live(key); return sets.get(key)?.size ?? 0; },
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
