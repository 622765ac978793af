import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Keys } from '../platform/keys.js';
import type { Kv } from '../platform/kv.js';
import type { Logger } from '../platform/log.js';
import { plan } from './plan.js';

export type LeaseDeps = {
  kv: Kv; keys: Keys; log: Logger;
  /** This instance's id (MQTT_CLIENT_ID): unique among the live instances. */
  me: string;
  /** 0: no partitions (every instance takes the stores it is given); the registry still keeps ids unique. */
  partitions: number;
  ttlMs?: number; tickMs?: number; settleMs?: number;
  now?: () => number;
  /** Takes a partition over: restore its stores, resume its MQTT sessions. A rejection gives the lease back. */
  acquired(p: number): Promise<void>;
  /** Lets a partition go: `handover` drains first (another instance is preferred), `lost` stops at once (someone else holds it). */
  released(p: number, why: 'handover' | 'lost' | 'stop'): Promise<void>;
  changed?(held: readonly number[]): void;
  /**
   * Whether this instance reaches the broker. One that has not for `brokerGraceMs` says so in the registry, and
   * every instance leaves such instances out of the plan while another one reaches it: their partitions are handed
   * to instances that can take their messages, and come back once the broker is reachable again.
   */
  brokerUp?(): boolean;
  /** Default 2 × ttlMs. */
  brokerGraceMs?: number;
};

export class DuplicateInstanceError extends Error {
  constructor(readonly id: string, readonly where: string) {
    super(`MQTT_CLIENT_ID ${id} is in use by a running engine instance (${where}); every instance needs its own`);
    this.name = 'DuplicateInstanceError';
  }
}

type Entry = { expiresAt: number; nonce: string; host: string; pid: number; partitions: number; brokerCut: boolean };
const parseEntry = (raw: string | undefined): Entry | undefined => {
  const [e, nonce, host, pid, partitions, broker] = (raw ?? '').split('|');
  const expiresAt = Number(e);
  // An entry without the broker field (an earlier version) counts as reaching the broker.
  return Number.isFinite(expiresAt) && nonce
    ? { expiresAt, nonce, host: host ?? '', pid: Number(pid), partitions: Number(partitions ?? 0), brokerCut: broker === '0' } : undefined;
};
const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
};

/**
 * The instance registry and partition leases in Redis (docs/scale.md).
 *
 * - Registry: a hash of instance id → `{expiresAt}|{nonce}|{host}|{pid}|{partitions}|{broker 1/0}`, renewed every tick. At start an id held
 *   by a live instance is refused (DuplicateInstanceError); one left by a dead incarnation on this host (its pid is
 *   gone, or it is this very pid after a restart in a container) is taken at once, any other after it expires.
 * - Leases: `lease:p{n}` holds the owner's id with a TTL, renewed every tick. A dead owner's leases expire
 *   after `ttlMs` and the survivors take them on their next tick (see plan.ts for who takes what).
 * - While Redis is unreachable nothing moves: every instance keeps what it holds (it cannot know better),
 *   and no one can take a lease, so two owners never serve one partition.
 * - An instance that has not reached the broker for `brokerGraceMs` is left out of the plan while another live
 *   instance reaches it (by everyone, itself included): it hands its partitions over without draining, and gets
 *   its share back once it reaches the broker again. If none reaches the broker, nothing moves.
 */
export function createLeases(d: LeaseDeps) {
  const ttlMs = d.ttlMs ?? 3000;
  const tickMs = d.tickMs ?? 500;
  const settleMs = d.settleMs ?? 2000;
  const now = d.now ?? Date.now;
  const nonce = randomBytes(6).toString('hex');
  const host = hostname();
  const held = new Set<number>();
  const firstSeen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = false;

  const brokerGraceMs = d.brokerGraceMs ?? 2 * ttlMs;
  let brokerDownSince: number | undefined;
  /** Whether this instance has gone without the broker for the grace period (sampled once per tick). */
  const brokerCut = (): boolean => {
    if (!d.brokerUp || d.brokerUp()) { brokerDownSince = undefined; return false; }
    brokerDownSince ??= now();
    return now() - brokerDownSince >= brokerGraceMs;
  };
  let cut = false;
  const entry = () => `${now() + ttlMs}|${nonce}|${host}|${process.pid}|${d.partitions}|${cut ? 0 : 1}`;
  const mismatched = new Set<string>();
  const heartbeat = () => d.kv.hsetMany(d.keys.instances(), { [d.me]: entry() }, 86_400_000);

  /** Registers this instance; throws DuplicateInstanceError if a live instance has the same id. */
  async function register(): Promise<void> {
    const deadline = now() + ttlMs * 2 + tickMs;
    for (;;) {
      const other = parseEntry((await d.kv.hgetall(d.keys.instances()))[d.me]);
      const stale = !other || other.nonce === nonce || other.expiresAt <= now()
        || (other.host === host && (other.pid === process.pid || !alive(other.pid)));
      if (stale) break;
      if (now() > deadline) throw new DuplicateInstanceError(d.me, `${other.host} pid ${other.pid}`);
      await new Promise((r) => setTimeout(r, Math.min(tickMs, 250)));
    }
    await heartbeat();
  }

  async function live(): Promise<Map<string, number>> {
    const all = await d.kv.hgetall(d.keys.instances());
    const t = now();
    const out = new Map<string, number>();
    const dead: string[] = [];
    const away = new Set<string>(cut ? [d.me] : []);
    for (const [id, raw] of Object.entries(all)) {
      const e = parseEntry(raw);
      if (!e || e.expiresAt <= t) { dead.push(id); firstSeen.delete(id); mismatched.delete(id); continue; }
      // An instance counting partitions differently would be given partitions it never takes (or takes others'): it
      // is left out of the plan, and said loudly, since every instance of an estate must use the same count.
      if (e.partitions !== d.partitions) {
        if (!mismatched.has(id)) {
          mismatched.add(id);
          d.log.error({ instance: id, itsPartitions: e.partitions, ours: d.partitions },
            'another instance on this Redis prefix runs with a different AISLE_PARTITIONS: it is left out of the partition plan; give every instance the same count');
        }
        continue;
      }
      if (!firstSeen.has(id)) firstSeen.set(id, t);
      out.set(id, firstSeen.get(id)!);
      if (e.brokerCut && id !== d.me) away.add(id);
    }
    out.set(d.me, firstSeen.get(d.me) ?? t);
    // Instances without the broker take no part while another one has it.
    if (away.size && away.size < out.size) for (const id of away) out.delete(id);
    if (dead.length) await d.kv.hdel(d.keys.instances(), dead).catch(() => {});
    return out;
  }

  async function drop(p: number, why: 'handover' | 'lost' | 'stop'): Promise<void> {
    if (!held.delete(p)) return;
    d.log.info({ partition: p, why }, why === 'lost' ? 'partition lease lost' : 'handing a partition over');
    try { await d.released(p, why); } catch (err) { d.log.error({ err, partition: p }, 'releasing a partition failed'); }
    if (why !== 'lost') await d.kv.release(d.keys.lease(p), d.me).catch(() => {});
    d.changed?.([...held]);
  }

  async function take(p: number): Promise<void> {
    if ((await d.kv.lease(d.keys.lease(p), d.me, ttlMs)) !== d.me) return;
    held.add(p);
    try {
      await d.acquired(p);
      d.log.info({ partition: p }, 'partition taken');
      d.changed?.([...held]);
    } catch (err) {
      d.log.error({ err, partition: p }, 'taking a partition failed; giving it back');
      held.delete(p);
      await d.released(p, 'lost').catch(() => {});
      await d.kv.release(d.keys.lease(p), d.me).catch(() => {});
    }
  }

  async function tick(): Promise<void> {
    if (stopped || !d.kv.isUp()) return;
    const began = now();
    const wasCut = cut;
    cut = brokerCut();
    if (cut !== wasCut) d.log.warn({ brokerDownMs: cut ? now() - brokerDownSince! : 0 }, cut ? 'the broker is out of reach: handing partitions to instances that reach it' : 'the broker is reachable again');
    try {
      await heartbeat();
      if (!d.partitions) return;
      // Renew first: a renewal that finds someone else holding the lease means this instance lost it.
      const renewed = await Promise.all([...held].map(async (p) => [p, await d.kv.lease(d.keys.lease(p), d.me, ttlMs)] as const));
      for (const [p, holder] of renewed) if (holder !== d.me) await drop(p, 'lost');
      const ids = Array.from({ length: d.partitions }, (_, p) => d.keys.lease(p));
      const raw = await d.kv.mget(ids);
      const holders = new Map(raw.map((h, p) => [p, h] as const));
      const next = plan({ partitions: d.partitions, me: d.me, live: await live(), held, holders, now: now(), settleMs });
      for (const p of next.release) await drop(p, 'handover');
      // Taking is slow (visits read, sessions resumed): leave the rest to the next tick before held leases need renewing.
      for (const p of next.acquire) { if (stopped || now() - began > ttlMs / 3) break; await take(p); }
    } catch (err) {
      d.log.debug({ err: (err as Error).message }, 'lease tick failed; keeping what is held');
    }
  }
  const loop = () => { if (!ticking && !stopped) ticking = tick().finally(() => { ticking = undefined; }); };

  return {
    register,
    /** Registers, takes this instance's share of the partitions, then keeps renewing. */
    async start(): Promise<void> {
      await loop(); await ticking;
      timer = setInterval(loop, tickMs);
      timer.unref();
    },
    /**
     * Lets a partition go here without touching its lease (another instance holds its sessions, and Redis cannot
     * be asked who is right): if the lease is still this instance's, the next tick takes the partition back.
     */
    lose: async (p: number): Promise<void> => { await drop(p, 'lost'); },
    /** True when this instance serves partition `p`. */
    holds: (p: number): boolean => held.has(p),
    held: (): number[] => [...held].sort((a, b) => a - b),
    /** Gives every partition back (drained) and leaves the registry, so the others take over at once. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await ticking;
      for (const p of [...held]) await drop(p, 'stop');
      await d.kv.hdel(d.keys.instances(), [d.me]).catch(() => {});
    },
    /** Tests: one tick now. */
    tick: async () => { loop(); await ticking; },
  };
}
export type Leases = ReturnType<typeof createLeases>;
