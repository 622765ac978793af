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

export interface Kv {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Many writes in one round trip. */
  setMany(entries: readonly { key: string; value: string; ttlMs?: number }[]): Promise<void>;
  del(key: string): Promise<void>;
  /** SET key NX PX ttl: true when this caller set it first. */
  setNx(key: string, ttlMs: number): Promise<boolean>;
  /**
   * One atomic step (a Lua script on Redis): unless `seenKey` exists, and only if `key` still holds
   * `expected` (null: absent), write `value`, set `seenKey` for `seenTtlMs` and publish `notice` on
   * `channel`. A crash can neither apply the write without its de-dupe mark nor the other way round;
   * a concurrent writer (another instance) makes it answer 'conflict' and the caller re-reads.
   */
  commitOnce(c: CommitOnce): Promise<'ok' | 'duplicate' | 'conflict'>;
  publish(channel: string, message: string): Promise<void>;
  /** Handler runs for every message on the channel, also after reconnects. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** True while commands can be served. */
  isUp(): boolean;
  /** Registers a callback for when the store comes back after being down. */
  onUp(cb: () => void): void;
  close(): Promise<void>;
}
