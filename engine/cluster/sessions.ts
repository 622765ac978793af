import { eventTopic, TRANSACTIONAL_TYPES } from '#contracts';
import type { Bus, MessageHandler } from '../platform/bus.js';
import { createClientBus } from '../platform/client-bus.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';

export type PartitionSessionDeps = {
  url: string;
  /** Shared by every instance of the estate (from the Redis prefix): `{prefix}-p{n}` and `{prefix}-p{n}-tx`. */
  clientPrefix: string;
  log: Logger; metrics?: Metrics;
  onPresence: MessageHandler;
  onTransactional: MessageHandler;
  /** The stores of a partition right now. */
  storesOf(p: number): string[];
  /** The partition of a store. */
  partitionOf(storeId: string): number;
  /**
   * A partition's sessions keep being closed (3 times within 10 s): another instance connects with the same client
   * ids. The caller decides who is right (the lease); without Redis to ask, it should let the partition go.
   */
  contested?(p: number): void;
};

/** The MQTT client ids of a partition's two persistent sessions. */
export const partitionClientIds = (prefix: string, p: number) => ({ presence: `${prefix}-p${p}`, transactional: `${prefix}-p${p}-tx` });

/**
 * One pair of persistent MQTT sessions per partition (docs/scale.md), as the single-instance engine has one pair
 * for everything (docs/delivery.md): presence acknowledged once applied, transactional types once durable. The
 * client ids belong to the partition, not to the instance, so whichever instance holds the partition's lease
 * resumes the same sessions and receives what the broker queued while no one held it — including what the
 * previous owner took but never acknowledged. The broker allows one connection per client id: a stale owner
 * that still connects is disconnected by the new one.
 */
export function createPartitionSessions(d: PartitionSessionDeps) {
  const open = new Map<number, { presence: Bus; tx: Bus; stores: Set<string> }>();
  const closes = new Map<number, number[]>();
  const closed = (p: number) => {
    if (!open.has(p)) return;
    const t = Date.now();
    const recent = (closes.get(p) ?? []).filter((x) => t - x < 10_000);
    recent.push(t);
    closes.set(p, recent);
    if (recent.length >= 3) { closes.delete(p); d.contested?.(p); }
  };
  let unacked = { presence: 0, transactional: 0 };
  const report = () => {
    let pr = 0, tx = 0;
    for (const s of open.values()) { pr += s.presence.unacked; tx += s.tx.unacked; }
    unacked = { presence: pr, transactional: tx };
    d.metrics?.ackWait.set({ session: 'presence' }, pr);
    d.metrics?.ackWait.set({ session: 'transactional' }, tx);
  };

  async function subscribeStore(s: { presence: Bus; tx: Bus; stores: Set<string> }, storeId: string): Promise<void> {
    if (s.stores.has(storeId)) return;
    s.stores.add(storeId);
    await s.presence.subscribe(eventTopic(storeId, 'presence'));
    for (const type of TRANSACTIONAL_TYPES) await s.tx.subscribe(eventTopic(storeId, type));
  }

  return {
    /** Resumes a partition's sessions and subscribes its stores' event topics (kept by the broker across owners). */
    async open(p: number): Promise<void> {
      if (open.has(p)) return;
      const ids = partitionClientIds(d.clientPrefix, p);
      const log = d.log.child({ partition: p });
      // A session may still hold a subscription of another partition count (the broker keeps them): such a store's
      // events are another session's to take; acknowledged here and counted, never applied twice.
      const only = (handler: MessageHandler): MessageHandler => (topic, payload) => {
        const storeId = topic.split('/')[3];
        if (storeId !== undefined && d.partitionOf(storeId) !== p) {
          d.metrics?.events.inc({ type: topic.slice(topic.lastIndexOf('/') + 1).slice(0, 16), outcome: 'other_partition' });
          return;
        }
        return handler(topic, payload);
      };
      const presence = await createClientBus({ url: d.url, clientId: ids.presence, log, onMessage: only(d.onPresence), onUnacked: report, onClose: () => closed(p) });
      const tx = await createClientBus({ url: d.url, clientId: ids.transactional, log, onMessage: only(d.onTransactional), onUnacked: report })
        .catch(async (err: unknown) => { await presence.close(); throw err; });
      const s = { presence, tx, stores: new Set<string>() };
      open.set(p, s);
      for (const storeId of d.storesOf(p)) await subscribeStore(s, storeId);
    },
    /** A store added while its partition is open. */
    async addStore(p: number, storeId: string): Promise<void> {
      const s = open.get(p);
      if (s) await subscribeStore(s, storeId);
    },
    /**
     * Stops taking the partition's messages, lets those held finish (their acknowledgements go out) within
     * `drainMs`, and disconnects; the broker keeps the sessions and queues for the next owner.
     */
    async close(p: number, drainMs: number): Promise<void> {
      const s = open.get(p);
      if (!s) return;
      open.delete(p);
      await Promise.all([s.presence.stopTaking(drainMs), s.tx.stopTaking(drainMs)]);
      await Promise.all([s.presence.close(), s.tx.close()]);
      report();
    },
    isUp: (): boolean => [...open.values()].every((s) => s.presence.isUp() && s.tx.isUp()),
    get unacked(): number { return unacked.presence + unacked.transactional; },
    partitions: (): number[] => [...open.keys()],
  };
}
export type PartitionSessions = ReturnType<typeof createPartitionSessions>;
