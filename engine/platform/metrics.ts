import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric of the engine, on a registry of its own (one per engine instance). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    events: new Counter({ name: 'aisle_events_total', help: 'Inbound events by type and outcome',
      labelNames: ['type', 'outcome'] as const, registers: r }),
    deadLetters: new Counter({ name: 'aisle_dead_letters_total', help: 'Events sent to the dead-letter topic, by reason code',
      labelNames: ['code'] as const, registers: r }),
    decisions: new Counter({ name: 'aisle_decisions_total', help: 'Screen decisions by reason and ranker',
      labelNames: ['reason', 'ranker'] as const, registers: r }),
    decisionLatency: new Histogram({ name: 'aisle_decision_latency_seconds', help: 'Event receipt to frame handed to the hub',
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: r }),
    wsClients: new Gauge({ name: 'aisle_ws_clients', help: 'Connected WebSocket clients by role',
      labelNames: ['role'] as const, registers: r }),
    wsFrames: new Counter({ name: 'aisle_ws_frames_total', help: 'Frames sent, or replaced before sending (coalesced)',
      labelNames: ['type', 'outcome'] as const, registers: r }),
    wsErrors: new Counter({ name: 'aisle_ws_errors_total', help: 'Error frames sent, by code', labelNames: ['code'] as const, registers: r }),
    redisErrors: new Counter({ name: 'aisle_redis_errors_total', help: 'Redis operations that failed', labelNames: ['op'] as const, registers: r }),
    profileCache: new Counter({ name: 'aisle_profile_cache_total', help: 'Profile LRU lookups', labelNames: ['result'] as const, registers: r }),
    model: new Gauge({ name: 'aisle_model_loaded', help: '1 for the model version serving now', labelNames: ['name', 'version'] as const, registers: r }),
    modelLoads: new Counter({ name: 'aisle_model_loads_total', help: 'Model version load attempts by outcome', labelNames: ['outcome'] as const, registers: r }),
    rankCache: new Counter({ name: 'aisle_rank_cache_total', help: 'Personal rankings served from the short-lived cache (hit) or ranked (miss)', labelNames: ['outcome'] as const, registers: r }),
    scoringLatency: new Histogram({ name: 'aisle_scoring_latency_seconds', help: 'One ranking call', labelNames: ['ranker'] as const,
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05], registers: r }),
    impressions: new Counter({ name: 'aisle_impressions_total', help: 'Frames screens confirmed they rendered', labelNames: ['store'] as const, registers: r }),
    profileConflicts: new Counter({ name: 'aisle_profile_conflicts_total', help: 'Profile writes retried because another writer changed the profile first', registers: r }),
    journalAppended: new Counter({ name: 'aisle_journal_appended_total', help: 'Transactional effects written to the local journal (store unreachable)', registers: r }),
    journalReplayed: new Counter({ name: 'aisle_journal_replayed_total', help: 'Journaled effects applied to the store', registers: r }),
    journalPending: new Gauge({ name: 'aisle_journal_pending', help: 'Journaled effects not yet applied to the store', registers: r }),
    journalBytes: new Gauge({ name: 'aisle_journal_bytes', help: 'Size of the local journal on disk', registers: r }),
    journalFull: new Counter({ name: 'aisle_journal_full_total', help: 'Times the journal reached its bound (acknowledgements held back)', registers: r }),
    journalCorrupt: new Counter({ name: 'aisle_journal_corrupt_lines_total', help: 'Damaged journal lines skipped (a write cut short by a crash)', registers: r }),
    journalPoison: new Counter({ name: 'aisle_journal_poison_total', help: 'Journaled effects set aside after repeated failures with the store up', registers: r }),
    ackWait: new Gauge({ name: 'aisle_mqtt_unacked', help: 'Inbound QoS 1 messages held unacknowledged until their effect is applied or durable, by session',
      labelNames: ['session'] as const, registers: r }),
    wsRefused: new Counter({ name: 'aisle_ws_refused_total', help: 'WebSocket connections and client frames refused at the edge, by reason',
      labelNames: ['reason'] as const, registers: r }),
    remoteFrames: new Counter({ name: 'aisle_remote_frames_total', help: 'Frames from other engine instances (engines-only topic), by outcome',
      labelNames: ['outcome'] as const, registers: r }),
    alerts: new Counter({ name: 'aisle_alerts_total', help: 'VIP alerts and claims, by outcome (raised, updated, cooldown, claimed, claim_lost, released, unknown)',
      labelNames: ['outcome'] as const, registers: r }),
    labels: new Counter({ name: 'aisle_label_updates_total', help: 'Shelf label frames, by outcome (sent, coalesced, unchanged)', labelNames: ['outcome'] as const, registers: r }),
    partitions: new Gauge({ name: 'aisle_partitions_held', help: 'Store partitions this instance holds the lease of (docs/scale.md)', registers: r }),
    shed: new Counter({ name: 'aisle_shed_total', help: 'Work dropped under overload (stale or coalesced), by kind', labelNames: ['kind'] as const, registers: r }),
    overload: new Gauge({ name: 'aisle_overload', help: 'Overload level (docs/performance.md §Overload): 0 normal, 1 shedding presence pings and new arrivals, 2 hard limit', registers: r }),
    overloadCollections: new Counter({ name: 'aisle_overload_gc_total', help: 'Full heap collections the overload governor asked for (memory near AISLE_RSS_BUDGET_MB)', registers: r }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
