/**
 * The narrow storage port: only the Redis commands the engine uses (BullMQ's IRedisClient habit).
 * Implemented by Redis (production) and by memory (the zero-setup demo). Every call may reject
 * when the store is down; callers fall back, they never crash.
 */
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
  publish(channel: string, message: string): Promise<void>;
  /** Handler runs for every message on the channel, also after reconnects. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** True while commands can be served. */
  isUp(): boolean;
  /** Registers a callback for when the store comes back after being down. */
  onUp(cb: () => void): void;
  close(): Promise<void>;
}
