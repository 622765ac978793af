import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { alertsTopic, decisionsTopic, ENGINE_SUBSCRIPTIONS, eventTopic, framesTopic, TRANSACTIONAL_TYPES, type ModelVersionInfo, type Profile, type RemoteFrame, type RemoteLabel, type StoreConfig, type TokenEntry } from '#contracts';
import { createApi } from './api/index.js';
import { liveView } from './api/live.js';
import { createHttpServer } from './api/server.js';
import { createStoreRepo } from './stores/store-repo.js';
import { createStoreSync } from './stores/sync.js';
import { demoTokens, loadTokens } from './auth/tokens.js';
import { ConfigError, type Config } from './config.js';
import { secretProblems } from './auth/secrets.js';
import { createIdentityStore } from './identity/store.js';
import { createDedupe, createIngest } from './ingest/index.js';
import { createDeviceQueue } from './pipeline/device-queue.js';
import { createOverloadGovernor } from './pipeline/governor.js';
import { createDurable } from './pipeline/durable.js';
import { createHandlers } from './pipeline/handlers.js';
import { createDecisionScheduler } from './pipeline/scheduler.js';
import type { Bus, MessageHandler } from './platform/bus.js';
import { createClientBus } from './platform/client-bus.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createEmbeddedBus, listen } from './platform/embedded-bus.js';
import { createKeys } from './platform/keys.js';
import type { Kv } from './platform/kv.js';
import { createLifecycle } from './platform/lifecycle.js';
import { silentLogger, type Logger } from './platform/log.js';
import { createIdSource } from './platform/ids.js';
import { openJournal } from './platform/journal.js';
import { createMemoryKv } from './platform/memory-kv.js';
import { createMetrics } from './platform/metrics.js';
import { createRedisKv, isRedisUnavailable } from './platform/redis-kv.js';
import { rebaseDemoProfile, rebaseDemoStore } from './demo/rebase.js';
import { demoExperiments } from './demo/experiments.js';
import { demoRules } from './demo/rules.js';
import { parseProfilesNdjson } from './profiles/import.js';
import { DEFAULT_LOYALTY_RULES, type LoyaltyRules } from './profiles/rules.js';
import { createProfileStore } from './profiles/store.js';
import { createProfileWriter } from './profiles/writer.js';
import { createHub, createTokenAuth } from './push/index.js';
import { createHeuristicRanker } from './scoring/heuristic.js';
import { createScoring } from './scoring/index.js';
import { createRankChooser } from './scoring/choose.js';
import { createCapsLedger } from './rules/caps.js';
import { createRuleStore, type RuleStore } from './rules/rule-store.js';
import { createPreview } from './decisions/preview.js';
import { createTracking } from './experiments/tracking.js';
import { createExperimentStore, type ExperimentStore } from './experiments/experiment-store.js';
import { modelVersionsInUse } from './experiments/running.js';
import { createAlerts, type Alerts } from './associates/alerts.js';
import { createLabelSender } from './labels/sender.js';
import { createShelfLabels } from './labels/shelf-labels.js';
import { buildReport } from './experiments/report.js';
import type { Ranker } from './scoring/types.js';
import { createStoreRegistry } from './stores/registry.js';
import { loadStoreConfigs } from './stores/load.js';
import { createVisitStore } from './visits/store.js';
import { createLeases } from './cluster/leases.js';
import { partitionOf } from './cluster/plan.js';
import { createPartitionSessions, type PartitionSessions } from './cluster/sessions.js';

export const DEMO_PROFILES_PATH = fileURLToPath(new URL('./demo/profiles.ndjson', import.meta.url));

export type EngineDeps = {
  log?: Logger; clock?: Clock;
  /** Overrides AISLE_STORES. */
  stores?: StoreConfig[];
  /** Overrides AISLE_TOKENS (and the demo tokens). */
  tokens?: TokenEntry[];
  /** Seeds the in-memory store (REDIS_URL unset); default: the demo profiles. */
  profiles?: Profile[];
  /** The ranker; default: the model from AISLE_MODEL_DIR with the heuristic as fallback. */
  ranker?: Ranker & { ready?(): boolean; status?(): unknown; close?(): Promise<void>; pin?(versions: readonly string[]): Promise<void>; versions?(): Promise<ModelVersionInfo[]> };
  loyalty?: LoyaltyRules;
  /** Folder of the built displays; default dist/public. Set to null to serve none. */
  staticRoot?: string | null;
  heartbeatMs?: number;
  sweepMs?: number;
};

/**
 * Builds the engine from configuration: stores, tokens, Redis or memory, MQTT (embedded or external),
 * the pipeline, the WebSocket hub and the HTTP API. `start()` brings it up; `stop()` takes it down in order.
 */
export async function createEngine(config: Config, deps: EngineDeps = {}) {
  const log = deps.log ?? silentLogger();
  const clock = deps.clock ?? systemClock;
  const origin = `${config.mqttClientId}-${randomBytes(3).toString('hex')}`;
  const metrics = createMetrics();
  const keys = createKeys(config.redisPrefix);
  const loyalty = deps.loyalty ?? DEFAULT_LOYALTY_RULES;
  const life = createLifecycle(log, config.shutdownDeadlineMs);
  // The bundled demo store's dates (arrivals) move to today, with the same shift as the demo profiles.
  const bundled = !deps.stores && !config.storesPath;
  const stores = createStoreRegistry(deps.stores ?? (bundled ? loadStoreConfigs().map((s) => rebaseDemoStore(s, clock.now())) : loadStoreConfigs(config.storesPath)));
  // Outside the demo, tokens come from AISLE_TOKENS and must be real secrets (docs/security.md).
  if (!config.demo && !deps.tokens && !config.tokensPath) throw new ConfigError(['AISLE_TOKENS: required outside the demo (generate the file with npm run secrets)']);
  const tokens = deps.tokens ?? (config.tokensPath ? loadTokens(config.tokensPath) : demoTokens(stores.all().map((s) => s.config)));
  if (!config.demo && !deps.tokens) {
    const problems = secretProblems({ tokens, opsToken: config.opsToken,
      urls: { MQTT_URL: config.mqttUrl, AISLE_SIMULATOR_MQTT_URL: config.simulatorMqttUrl, REDIS_URL: config.redisUrl } });
    if (problems.length) throw new ConfigError(problems);
  }
  const auth = createTokenAuth(tokens);
  const newId = createIdSource(6);

  let kv: Kv;
  if (config.redisUrl) kv = await createRedisKv({ url: config.redisUrl, cluster: config.redisCluster, log: log.child({ mod: 'redis' }) });
  else {
    kv = createMemoryKv(clock);
    // The demo's real 2011 histories are moved forward so their last day is today (else everyone looks churned).
    const seed = deps.profiles ?? parseProfilesNdjson(readFileSync(DEMO_PROFILES_PATH, 'utf8')).profiles.map((p) => rebaseDemoProfile(p, clock.now()));
    await kv.setMany(seed.map((p) => ({ key: keys.profile(p.customerId), value: JSON.stringify(p) })));
  }
  life.onStop('store', () => kv.close());
  // docs/contracts.md §Store configuration: the stored copy wins over AISLE_STORES, which only seeds a
  // store Redis lacks. Redis down at start: serve the files, and load again once it is back.
  const storeLog = log.child({ mod: 'stores' });
  const storeSync = createStoreSync({ stores, repo: createStoreRepo({ kv, keys, origin, log: storeLog }), log: storeLog });
  const loadStores = () => storeSync.load().catch((err: unknown) => storeLog.warn({ err }, 'store configurations not read from Redis; serving the files until it is back'));
  await loadStores();
  await storeSync.watch();

  // The model from AISLE_MODEL_DIR (default: the bundled one), hot-swapped when a new version appears;
  // the heuristic ranks whenever no model serves or a model call fails.
  const ranker: NonNullable<EngineDeps['ranker']> = deps.ranker
    ?? await createScoring({ modelRoot: config.modelDir, fallback: createHeuristicRanker(), log, metrics, clock });
  if (!deps.ranker) life.onStop('scoring', async () => { await ranker.close?.(); });
  const profiles = createProfileStore({ kv, keys, log, metrics, cacheSize: config.profileCacheSize, origin, clock });
  await profiles.listen();
  const identity = createIdentityStore({ kv, keys, log, metrics, ttlMs: config.deviceTtlMs, clock });
  const visits = createVisitStore({ kv, keys, log, metrics, clock, ttlMs: config.visitSilenceMs * 2 });

  // Experiments (docs/experiments.md): who is in which arm, what screens confirmed they showed, what sold.
  const experiments: ExperimentStore = createExperimentStore({ kv, keys, clock, origin, log: log.child({ mod: 'experiments' }),
    onInvalid: () => metrics.shed.inc({ kind: 'experiment_invalid' }) });
  await experiments.start();
  life.onStop('experiments', () => experiments.close());
  // Model experiments rank each arm with its own version: the versions they name stay loaded beside the serving one.
  const pinModels = () => (ranker.pin?.(modelVersionsInUse(experiments.snapshot())) ?? Promise.resolve())
    .catch((err: unknown) => log.error({ err }, 'pinning the model versions of experiments failed'));
  await pinModels();
  const tracking = createTracking({ kv, keys, clock, log: log.child({ mod: 'experiments' }), experiments });

  const hub = createHub({ auth, stores, clock, log: log.child({ mod: 'push' }), metrics, heartbeatMs: deps.heartbeatMs,
    maxConnections: config.ws.maxConnections, maxConnectionsPerAddress: config.ws.maxPerAddress,
    maxConnectionsPerToken: config.ws.maxPerToken, trustedProxies: config.ws.trustedProxies,
    // Counted now; stored per customer for attribution with the experiments work (aisle:impressions:{customerId}).
    onImpression: (storeId, f) => {
      metrics.impressions.inc({ store: storeId });
      tracking.impression(storeId, f).catch((err: unknown) => log.warn({ err, decisionId: f.decisionId }, 'impression not stored'));
    },
    // Associates (docs/associates.md): claims and releases go to the alerts module; a replay on hello is an audited view.
    onClaim: (ctx, f) => alerts.claim(ctx, f),
    onAlertsReplayed: (ctx, ids) => alerts.replayed(ctx, ids),
    // A screen joined here but its store is decided elsewhere: ask the owner for its content (it comes on the frames topic).
    onJoined: (c) => {
      if (!partitioned || owns(c.storeId)) return;
      // A label gateway here needs every label of the store; its owner sends them all again (`*labels`).
      const what = c.role === 'screen' ? c.target : c.role === 'label-gateway' ? '*labels' : undefined;
      if (what) kv.publish(keys.screensWanted(), `${origin}|${c.storeId}|${what}`).catch(() => metrics.shed.inc({ kind: 'screen_wanted' }));
    } });
  let bus: Bus | undefined;
  let txBus: Bus | undefined;
  const publish = (topic: string, payload: string, qos: 0 | 1 = 0) => (bus ? bus.publish(topic, payload, qos) : Promise.resolve());
  const holdsScreen = (storeId: string, screenId: string) => hub.holds(storeId, screenId);

  // Several instances (docs/scale.md): the registry keeps instance ids unique; with AISLE_PARTITIONS, stores are
  // shared out by leased partitions and only the holder of a store's partition takes its events and decides it.
  const partitioned = !!config.mqttUrl && config.partitions > 0 && kv.kind === 'redis';
  const partitionOfStore = (storeId: string) => partitionOf(storeId, config.partitions);
  const storesOf = (p: number) => stores.all().map((s) => s.config.storeId).filter((id) => partitionOfStore(id) === p);
  let sessions: PartitionSessions | undefined;
  // The broker as this instance sees it (its own connection, which stays open whatever partitions it holds).
  const brokerUp = () => bus?.isUp() ?? true;
  const leases = createLeases({ kv, keys, me: config.mqttClientId, partitions: partitioned ? config.partitions : 0, log: log.child({ mod: 'cluster' }),
    brokerUp,
    acquired: async (p) => {
      let restored = 0;
      for (const storeId of storesOf(p)) restored += await visits.restore(storeId);
      await sessions!.open(p);
      metrics.partitions.set(leases.held().length);
      log.info({ partition: p, stores: storesOf(p).length, visits: restored }, 'partition served here');
      for (const storeId of storesOf(p)) { scheduler.markAll(storeId, true); shelfLabels.refresh(storeId); }
    },
    released: async (p, why) => {
      // Without the broker nothing held can be acknowledged: no drain (the broker redelivers it to the next owner).
      const drain = why !== 'lost' && brokerUp();
      await sessions!.close(p, drain ? Math.round(config.shutdownDeadlineMs * 0.3) : 0);
      if (drain) await Promise.race([queue.idle(), new Promise((r) => setTimeout(r, 2000).unref())]);
      for (const storeId of storesOf(p)) { await visits.drop(storeId); scheduler.forget(storeId); }
      metrics.partitions.set(leases.held().length);
    } });
  const owns = (storeId: string) => !partitioned || leases.holds(partitionOfStore(storeId));

  // Merchandiser rules (docs/rules.md): versioned in Redis (or memory in the demo); every decision reads
  // the in-process snapshot, which change notices refresh on every instance.
  const rules: RuleStore = createRuleStore({ kv, keys, clock, origin, log: log.child({ mod: 'rules' }),
    onInvalid: () => metrics.shed.inc({ kind: 'rule_invalid' }) });
  await rules.start();
  // The in-memory demo starts with a few rules for its bundled store (engine/demo/rules.json).
  if (bundled && kv.kind === 'memory') for (const r of demoRules()) await rules.create(r, 'demo');
  // …and one running experiment on one of them (engine/demo/experiments.json), fed by the simulator's shoppers.
  if (bundled && kv.kind === 'memory') for (const e of demoExperiments()) await experiments.create(e, 'demo');
  life.onStop('rules', () => rules.close());
  const caps = createCapsLedger();
  const rank = createRankChooser({ model: ranker, log, metrics, now: () => clock.now() });
  // VIP alerts for associates and shelf labels follow every decided zone's shoppers (docs/associates.md, docs/labels.md).
  const alerts: Alerts = createAlerts({ kv, keys, clock, log, metrics, origin, stores, hub, rank, newId,
    profile: async (id) => (await profiles.get(id)).profile,
    publishAlert: (storeId, payload) => { publish(alertsTopic(storeId), payload, 1).catch(() => metrics.shed.inc({ kind: 'alert_publish' })); } });
  await alerts.start();
  const labelSender = createLabelSender({ clock, metrics, minIntervalMs: (storeId) => stores.get(storeId)?.config.labelPolicy.minIntervalMs ?? 10_000,
    send: (storeId, body) => {
      const seq = hub.sendLabel(storeId, body);
      // With partitions, every label frame also goes to the other instances: a gateway may be connected to any of them.
      if (partitioned) publish(framesTopic(storeId), JSON.stringify({ origin, storeId, label: body } satisfies RemoteLabel)).catch(() => metrics.shed.inc({ kind: 'label_publish' }));
      return seq;
    } });
  const shelfLabels = createShelfLabels({ stores, rules, rank, sender: labelSender, clock, log, markZone: (storeId, zoneId) => scheduler.mark(storeId, zoneId) });
  const scheduler = createDecisionScheduler({ stores, visits, profiles, rank, rules, caps, clock, log, metrics, loyalty, origin, newId,
    experiments, owns,
    observers: [(store, zone, shoppers, now) => alerts.observe(store, zone, shoppers, now), (store, zone, shoppers, _now, turns) => shelfLabels.observe(store, zone, shoppers, turns)],
    sendScreen: (storeId, frame, exposure) => {
      if (exposure) tracking.remember(frame.decisionId, { ...exposure, storeId, screenId: frame.screenId, skus: frame.items.map((i) => i.sku) });
      const seq = hub.sendScreen(storeId, frame);
      // Another instance may hold this screen's socket (docs/contracts.md §Scale): engines-only topic.
      if (!holdsScreen(storeId, frame.screenId)) {
        const msg: RemoteFrame = { origin, storeId, frame, ...(exposure ? { exposure } : {}) };
        publish(framesTopic(storeId), JSON.stringify(msg)).catch(() => metrics.shed.inc({ kind: 'frame_publish' }));
      }
      return seq;
    },
    publishDecision: (msg) => { publish(decisionsTopic(msg.storeId), JSON.stringify(msg)).catch(() => metrics.shed.inc({ kind: 'decision_publish' })); } });

  // Transactional effects (docs/delivery.md): committed to Redis exactly once, or journaled on disk
  // while Redis is unreachable and replayed when it returns. The in-memory demo needs no journal.
  const writer = createProfileWriter({ kv, keys, log, metrics, clock, origin, written: (p) => profiles.remember(p) });
  // Replay applies 32 effects at a time: the writer keeps each customer's in order, links are keyed by device.
  const journal = config.redisUrl ? await openJournal({ dir: config.journalDir, maxBytes: config.journalMaxBytes, log: log.child({ mod: 'journal' }), concurrency: 32,
    on: { full: () => metrics.journalFull.inc(), corrupt: (n) => metrics.journalCorrupt.inc(n),
      changed: (pending, bytes) => { metrics.journalPending.set(pending); metrics.journalBytes.set(bytes); } } }) : undefined;
  const durable = createDurable({ apply: (e) => handlers.applyEffect(e), isUp: () => kv.isUp(), unavailable: isRedisUnavailable, journal, journalDir: config.journalDir,
    log: log.child({ mod: 'durable' }), metrics });
  const handlers = createHandlers({ stores, visits, identity, writer, clock, log, metrics, loyalty, mark: scheduler.mark, maxVisitsPerStore: config.maxVisitsPerStore,
    purchased: (ev, visitStartedAt) => tracking.purchase(ev, visitStartedAt),
    commit: (e) => durable.commit(e) });
  const queue = createDeviceQueue(
    ({ event, receivedAt }) => handlers.handle(event, { receivedAt, eventTs: event.ts, eventId: event.id }),
    () => metrics.shed.inc({ kind: 'presence_coalesced' }),
    (err) => log.error({ err }, 'event handling failed'));
  // Overload (docs/performance.md §Overload): presence is shed, least harm first, to keep memory under AISLE_RSS_BUDGET_MB and the backlog short.
  const overload = createOverloadGovernor({ budgetMb: config.rssBudgetMb, inFlight: () => queue.inFlight, peek: (s, d) => visits.peek(s, d),
    freshMs: config.visitSilenceMs / 4, clock, log: log.child({ mod: 'overload' }), metrics, onStop: life.onStop });
  kv.onUp(() => { void durable.replay(); void loadStores(); scheduler.markAll(); });
  stores.onChange((e) => {
    if (partitioned && owns(e.config.storeId)) void sessions?.addStore(partitionOfStore(e.config.storeId), e.config.storeId).catch((err: unknown) => log.error({ err }, 'subscribing a new store failed'));
    scheduler.markAll(e.config.storeId, true); shelfLabels.refresh(e.config.storeId);
  });
  if (partitioned) {
    await kv.subscribe(keys.screensWanted(), (msg) => {
      const [from, storeId, screenId] = msg.split('|');
      if (from === origin || !storeId || !screenId || !owns(storeId)) return;
      if (screenId === '*labels') {
        for (const label of hub.currentLabels(storeId)) publish(framesTopic(storeId), JSON.stringify({ origin, storeId, label } satisfies RemoteLabel)).catch(() => metrics.shed.inc({ kind: 'label_publish' }));
        return;
      }
      // What the screen shows now, as this instance sent it; a screen never decided yet is decided now.
      const current = hub.current(storeId, screenId);
      if (current) {
        const { seq: _seq, ...frame } = current;
        publish(framesTopic(storeId), JSON.stringify({ origin, storeId, frame } satisfies RemoteFrame)).catch(() => metrics.shed.inc({ kind: 'frame_publish' }));
        return;
      }
      const zoneId = stores.get(storeId)?.config.screens.find((x) => x.screenId === screenId)?.zoneId;
      if (zoneId) scheduler.mark(storeId, zoneId, undefined, true);
    });
  }
  // A rule change reaches the screens (and labels) it concerns at once (docs/rules-api.md: every instance within a second).
  rules.onChange(() => { scheduler.markAll(undefined, true); shelfLabels.refresh(); });
  // An experiment started, paused or stopped changes who gets the rule: at once, too.
  experiments.onChange(() => { scheduler.markAll(undefined, true); void pinModels().then(() => scheduler.markAll(undefined, true)); });
  const preview = createPreview({ stores, profiles, visits, rank, rules, caps, clock, loyalty, experiments,
    rankFresh: createRankChooser({ model: ranker, log, metrics, cacheMs: 0 }) });

  // Two sessions (docs/delivery.md): presence is acknowledged once applied in process; identity, esl
  // and pos once their effect is durable. MQTT acknowledges in arrival order, so a slow commit on a
  // shared session would hold presence back: each kind has a connection of its own.
  const refs = { hasZone: (s: string, z: string) => !!stores.get(s)?.zones.has(z), hasLabel: (s: string, l: string) => !!stores.get(s)?.labels.has(l) };
  const ingestDeps = { isKnownStore: stores.has, refs, origin, clock, log, metrics, publish };
  const onPresence: MessageHandler = createIngest({ ...ingestDeps, types: ['presence'], dedupe: createDedupe(),
    accept: (ev, receivedAt) => overload.take(ev, () => queue.push(`${ev.storeId}/${'deviceId' in ev ? ev.deviceId : ev.id}`, { event: ev, receivedAt })),
    remoteFrame: (msg) => {
      // Only to a screen of that store, and only if this instance holds its socket.
      if (stores.get(msg.storeId)?.screens.has(msg.frame.screenId) && holdsScreen(msg.storeId, msg.frame.screenId)) {
        if (msg.exposure) tracking.remember(msg.frame.decisionId, { ...msg.exposure, storeId: msg.storeId, screenId: msg.frame.screenId, skus: msg.frame.items.map((i) => i.sku) });
        hub.sendScreen(msg.storeId, msg.frame);
      }
      else metrics.remoteFrames.inc({ outcome: 'not_here' });
    },
    // Label content decided elsewhere: kept here and sent to this instance's gateways and consoles (never for a store decided here).
    remoteLabel: (msg) => { if (!owns(msg.storeId)) hub.sendLabel(msg.storeId, msg.label); },
  });
  const onTransactional: MessageHandler = createIngest({ ...ingestDeps, types: TRANSACTIONAL_TYPES,
    accept: (ev, receivedAt) => handlers.handle(ev, { receivedAt, eventTs: ev.ts, eventId: ev.id }),
  });

  const staticRoot = deps.staticRoot === null ? undefined : (deps.staticRoot ?? 'dist/public');
  const api = createApi({
    stores, metrics, log, staticRoot, startedAt: clock.now(), verify: (t) => auth.verify(t),
    saveStore: (c) => storeSync.save(c), opsToken: config.opsToken, rules, preview,
    experiments, report: async (e) => buildReport(e, await tracking.counts(e), clock.now()),
    ...(ranker.versions ? { modelVersions: () => ranker.versions!() } : {}),
    audit: (storeId, q) => alerts.audit(storeId, q),
    screenToken: (storeId, screenId) => tokens.find((x) => x.role === 'screen' && (x.storeId === storeId || x.storeId === '*')
      && (x.subject === screenId || x.subject === undefined))?.token,
    live: async (storeId) => {
      // A store another instance decides: its visits as that instance last wrote them to Redis (docs/scale.md).
      const elsewhere = owns(storeId) ? undefined : await visits.snapshot(storeId).catch(() => []);
      const inZone = (z: string) => elsewhere ? elsewhere.filter((v) => v.zoneId === z) : visits.inZone(storeId, z);
      return liveView(stores.get(storeId)!, inZone, hub.clients(),
      (screenId) => { const f = hub.current(storeId, screenId); return f && { decisionId: f.decisionId, reason: f.reason, seq: f.seq, createdAt: f.createdAt, skus: f.items.map((i) => i.sku) }; },
      clock.now());
    },
    ready: () => ({
      broker: { ok: (bus?.isUp() ?? false) && (sessions?.isUp() ?? true), detail: bus?.kind },
      ...(partitioned ? { partitions: { ok: true, detail: { instance: config.mqttClientId, of: config.partitions, held: leases.held() } } } : {}),
      store: { ok: kv.isUp(), detail: kv.kind },
      // No model is fine in the demo (the heuristic ranks); a configured model folder that serves nothing is not.
      model: { ok: (ranker.ready?.() ?? true) || !config.modelDir, detail: ranker.status?.() ?? { serving: ranker.name } },
    }),
  });

  let server: Server | undefined;
  return {
    config, metrics, hub, stores, leases, owns, visits, profiles, kv, tokens, origin, durable, rules, scheduler, experiments, tracking, alerts, shelfLabels,
    get bus() { return bus; },
    /** What ranks items now, for the start-up banner. */
    rankerDescription(): string {
      const st = ranker.status?.() as { serving?: { name: string; version: string } } | undefined;
      return st?.serving ? `model ${st.serving.name}@${st.serving.version}` : `${ranker.name} (no model loaded)`;
    },
    /** Brings everything up; resolves with the bound addresses. */
    async start(): Promise<{ port: number; url: string; mqttUrl: string }> {
      server = createHttpServer({ fetch: api.fetch, onUpgrade: hub.handleUpgrade, log: log.child({ mod: 'http' }) });
      await listen(server, config.port, config.host).catch(async (err: NodeJS.ErrnoException) => {
        if (config.portsExplicit.http || err.code !== 'EADDRINUSE') throw err;
        log.warn({ port: config.port }, 'HTTP port busy; taking a free port');
        await listen(server!, 0, config.host);
      });
      // Stop order (reverse of registration): http, timers, intake, mqtt, drain, journal, hub, scoring, store.
      life.onStop('hub', () => hub.close());
      life.onStop('journal', () => durable.close());
      const mqttLog = log.child({ mod: 'mqtt' });
      // The instance registry refuses a second live instance with this client id (docs/scale.md). With Redis
      // down at start there is no registry to ask: the broker's one-connection-per-client-id is the only guard then.
      if (kv.kind === 'redis') {
        try { await leases.register(); } catch (err) {
          if (kv.isUp()) throw err;
          log.warn('redis not reachable: instance id not checked for uniqueness');
        }
      }
      if (config.mqttUrl && partitioned) {
        // This instance's own session publishes (decisions, alerts, frames) and takes frames of screens held here;
        // events come on the sessions of the partitions it leases.
        bus = await createClientBus({ url: config.mqttUrl, clientId: config.mqttClientId, clean: true, log: mqttLog, onMessage: onPresence });
        txBus = undefined;
        sessions = createPartitionSessions({ url: config.mqttUrl, clientPrefix: partitionClientPrefix(config.redisPrefix), log: mqttLog, metrics,
          onPresence, onTransactional, storesOf, partitionOf: partitionOfStore,
          // Two instances fighting over one partition's sessions: the one that cannot reach Redis to prove its lease yields.
          contested: (p) => {
            if (kv.isUp()) return;
            log.warn({ partition: p }, 'another instance connects with this partition\'s client ids and Redis cannot be asked: letting it go');
            void leases.lose(p);
          } });
      } else if (config.mqttUrl) {
        bus = await createClientBus({ url: config.mqttUrl, clientId: config.mqttClientId, log: mqttLog, onMessage: onPresence,
          onUnacked: (n) => metrics.ackWait.set({ session: 'presence' }, n) });
        txBus = await createClientBus({ url: config.mqttUrl, clientId: `${config.mqttClientId}-tx`, log: mqttLog, onMessage: onTransactional,
          onUnacked: (n) => metrics.ackWait.set({ session: 'transactional' }, n) });
      } else {
        const embedded = await createEmbeddedBus({ port: config.mqttPort, log: mqttLog, onMessage: onPresence, anyPortIfBusy: !config.portsExplicit.mqtt });
        bus = embedded;
        txBus = embedded.session(onTransactional);
      }
      life.onStop('drain', async () => { await queue.idle(); await scheduler.idle(); await visits.close(); });
      life.onStop('mqtt', async () => { await txBus?.close(); await bus!.close(); });
      // First step of an orderly stop: take no more messages, finish those held (their acknowledgements
      // go out), leave the rest unacknowledged for the broker to redeliver.
      life.onStop('intake', async () => {
        const within = Math.round(config.shutdownDeadlineMs * 0.6);
        await Promise.all([bus!.stopTaking(within), txBus?.stopTaking(within)]);
      });
      // Before the intake stops: each partition is drained and its lease given back, so the others take it at once.
      if (kv.kind === 'redis') life.onStop('partitions', () => leases.stop());
      void durable.replay();
      if (partitioned) await bus.subscribe(framesTopic('+'));
      else {
        for (const type of TRANSACTIONAL_TYPES) await txBus!.subscribe(eventTopic('+', type));
        for (const filter of ENGINE_SUBSCRIPTIONS) await bus.subscribe(filter);
      }
      const sweep = setInterval(() => {
        const now = clock.now();
        for (const v of [...visits.all()]) {
          if (now - v.lastSeenAt > config.visitSilenceMs) { visits.set(v.storeId, v.deviceId, undefined); scheduler.mark(v.storeId, v.zoneId); }
        }
        scheduler.refreshOlderThan(60_000);
      }, deps.sweepMs ?? 5_000);
      sweep.unref();
      scheduler.startTimers();
      // Alerts stay open (replayed to associates who connect, claimable) for two hours.
      const alertSweep = setInterval(() => alerts.sweep(), 60_000);
      alertSweep.unref();
      life.onStop('timers', () => { clearInterval(sweep); clearInterval(alertSweep); scheduler.stopTimers(); labelSender.close(); });
      // server.close() waits for upgraded sockets too: the hub closes them (1001) here, or stopping would stall until its deadline.
      life.onStop('http', async () => {
        const closed = new Promise<void>((r) => { server!.close(() => r()); server!.closeAllConnections?.(); });
        await hub.close();
        await closed;
      });
      scheduler.markAll();
      shelfLabels.refresh();
      // Takes this instance's share of the partitions (all of them when alone), then keeps the leases renewed.
      if (kv.kind === 'redis') await leases.start();
      const port = (server.address() as AddressInfo).port;
      return { port, url: config.publicUrl ?? `http://localhost:${port}`, mqttUrl: bus.url };
    },
    /** Ordered, idempotent, bounded. */
    stop: () => life.stop(),
    /** Resolves when every accepted event and the decisions it caused are done (tests, shutdown). */
    async settle(): Promise<void> {
      // Messages held unacknowledged are still at work (transactional commits, presence being applied).
      while ((bus?.unacked ?? 0) + (txBus?.unacked ?? 0) + (sessions?.unacked ?? 0) > 0) await new Promise((r) => setTimeout(r, 2));
      await queue.idle(); await scheduler.idle();
      // Alerts and labels run after the decision that saw the shoppers; their own work may mark zones again.
      await alerts.idle(); await shelfLabels.idle(); await scheduler.idle();
    },
  };
}
export type Engine = Awaited<ReturnType<typeof createEngine>>;

/** The client-id prefix of the partitions' sessions: the same for every instance of an estate (they share the Redis prefix). */
export const partitionClientPrefix = (redisPrefix: string): string => redisPrefix.replace(/[^A-Za-z0-9._-]/g, '-').replace(/-+$/, '') || 'aisle';
