/**
 * The narrow storage port: only the Redis commands the engine uses (BullMQ's IRedisClient habit).
 * Implemented by Redis (production) and by memory (the zero-setup demo). Every call may reject
 * when the store is down; callers fall back, they never crash.
 */
export type CommitOnce = {
  key: string; expected: string | null; value: string;
  seenKey: string; seenTtlMs: number;
  channel?: string; notice?: string;
};

/**
 * One versioned change of a record kept as a field of a hash, with its history as a list (newest
 * first): see `Kv.commitVersion`.
 */
export type VersionCommit = {
  hash: string; field: string;
  /** What the field holds now (null: absent); anything else → 'conflict'. */
  expected: string | null;
  /** The field's new value; null deletes the field. */
  value: string | null;
  history: string;
  /** What the history's newest entry is now (null: empty); anything else → 'conflict'. */
  expectedHead: string | null;
  /** The new newest entry. */
  entry: string;
  /** The history keeps at most this many entries. */
  keep: number;
  channel: string; notice: string;
};

export type CountOnce = {
  mark: string; markTtlMs: number; ttlMs: number;
  sadd?: readonly { key: string; member: string }[];
  hincr?: readonly { key: string; field: string; by: number }[];
};

/**
 * On a Redis Cluster every command that names several keys (a Lua script, a MULTI) must find them in one slot:
 * keys that one such call touches share a hash tag (`keys.ts`). `mget` and `setMany` are the exception: they take
 * keys of any slots and send one command (or pipeline) per slot, in parallel.
 */
export interface Kv {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Values in the order of `keys` (null: absent). On a cluster, one MGET per slot, in parallel. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Many writes in one round trip (on a cluster: one pipeline per slot, in parallel); not atomic. */
  setMany(entries: readonly { key: string; value: string; ttlMs?: number }[]): Promise<void>;
  del(key: string): Promise<void>;
  /** PTTL: milliseconds the key has left; -2 when it does not exist, -1 when it never expires. */
  pttl(key: string): Promise<number>;
  /** SET key NX PX ttl: true when this caller set it first. */
  setNx(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Takes `key` for `owner` unless someone holds it (SET NX PX, then GET, atomically): returns the holder
   * after the attempt — `owner` when this caller won, or who holds it. Exactly one of racing callers wins.
   */
  claim(key: string, owner: string, ttlMs: number): Promise<string>;
  /** Gives `key` back if `owner` holds it (compare and delete, atomically): true when it was released. */
  release(key: string, owner: string): Promise<boolean>;
  /**
   * Takes or renews a lease (a Lua script on Redis): sets `key` to `owner` for `ttlMs` unless someone holds it,
   * or, when `owner` already holds it, extends it to `ttlMs` from now. Returns the holder after the attempt:
   * `owner` when this caller holds the lease, else who does. Exactly one of racing callers wins; a lease its
   * holder stops renewing expires and can then be taken. Give it back with `release`.
   */
  lease(key: string, owner: string, ttlMs: number): Promise<string>;
  /**
   * One atomic step (a Lua script on Redis): unless `seenKey` exists, and only if `key` still holds
   * `expected` (null: absent), write `value`, set `seenKey` for `seenTtlMs` and publish `notice` on
   * `channel`. A crash can neither apply the write without its de-dupe mark nor the other way round;
   * a concurrent writer (another instance) makes it answer 'conflict' and the caller re-reads.
   */
  commitOnce(c: CommitOnce): Promise<'ok' | 'duplicate' | 'conflict'>;
  /** HGET. */
  hget(key: string, field: string): Promise<string | null>;
  /** HGETALL: every field of a hash ({} when absent). */
  hgetall(key: string): Promise<Record<string, string>>;
  /**
   * HSET of every field, then PEXPIRE of the whole hash to `ttlMs` (> 0) from now, in one round trip (MULTI).
   * With no fields it does nothing.
   */
  hsetMany(key: string, fields: Readonly<Record<string, string>>, ttlMs: number): Promise<void>;
  /** HDEL: removes these fields (absent ones are ignored; the hash goes when its last field does). */
  hdel(key: string, fields: readonly string[]): Promise<void>;
  /** LRANGE, inclusive; negative indexes count from the end. */
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  /**
   * One atomic step (a Lua script on Redis): only if the hash field still holds `expected` and the
   * history's newest entry is still `expectedHead`, set (or delete) the field, push `entry` onto the
   * history, trim it to `keep` entries and publish `notice` on `channel`. The record, its history
   * and the notice never part; a concurrent writer makes it answer 'conflict' and the caller re-reads.
   */
  commitVersion(c: VersionCommit): Promise<'ok' | 'conflict'>;
  /** LPUSH `value`, keep the newest `max` entries, expire the list `ttlMs` after this write; one round trip. */
  pushCapped(key: string, value: string, max: number, ttlMs: number): Promise<void>;
  /**
   * One atomic step (a Lua script on Redis): unless `mark` exists, set it for `markTtlMs` and apply
   * every SADD and HINCRBYFLOAT, each touched key expiring `ttlMs` after this write. A redelivered
   * event (the same mark) counts nothing twice, and a crash cannot count half of it. The mark and
   * every counter are the script's KEYS: on a cluster they share a hash tag.
   */
  countOnce(c: CountOnce): Promise<'ok' | 'duplicate'>;
  /** SCARD: members of a set (0 when absent). */
  scard(key: string): Promise<number>;
  /**
   * PUBLISH. One Kv's messages on one channel arrive in the order published, on a cluster too (they all leave from
   * the node of the channel name's slot); notices published by scripts leave from their keys' nodes, in any order.
   */
  publish(channel: string, message: string): Promise<void>;
  /** Handler runs for every message on the channel, also after reconnects. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** True while commands can be served (a cluster: once it has its slots and reports itself ready). */
  isUp(): boolean;
  /** Registers a callback for when the store comes back after being down. */
  onUp(cb: () => void): void;
  close(): Promise<void>;
}
