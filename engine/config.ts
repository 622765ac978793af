import { isIP } from 'node:net';
import { z } from 'zod';
import { redisSeedUrls } from './platform/redis-url.js';

const isAddressOrRange = (s: string): boolean => {
  const [ip, bits, ...rest] = s.split('/');
  const v = isIP(ip ?? '');
  if (!v || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (v === 4 ? 32 : 128) && /^\d+$/.test(bits);
};

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const url = (schemes: string[]) => z.string().refine((s) => {
  try { return schemes.includes(new URL(s).protocol.replace(':', '')); } catch { return false; }
}, `must be a URL with scheme ${schemes.join(' or ')}`);

/** docs/contracts.md §Running and configuration. With nothing set, the engine runs the zero-setup demo. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  MQTT_URL: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']).optional(),
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  // 60, not 64: the transactional session's client id adds "-tx" (docs/delivery.md).
  MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,60}$/, 'must match ^[A-Za-z0-9._-]{1,60}$').optional(),
  REDIS_URL: z.string().refine((s) => redisSeedUrls(s).every((u) => url(['redis', 'rediss']).safeParse(u).success), 'must be a URL with scheme redis or rediss (with REDIS_CLUSTER=1: redis://h1:7000,h2:7001)').optional(),
  REDIS_CLUSTER: flag.optional(),
  AISLE_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9._:-]{1,32}$/).default('aisle:'),
  AISLE_STORES: z.string().min(1).optional(),
  AISLE_TOKENS: z.string().min(1).optional(),
  AISLE_MODEL_DIR: z.string().min(1).optional(),
  AISLE_SIMULATE: flag.optional(),
  AISLE_SIMULATOR_MQTT_URL: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']).optional(),
  AISLE_SIM_EFFECT: z.coerce.number().min(-1).max(5).default(3),
  AISLE_SIM_VIA: z.enum(['direct', 'meraki', 'espresense']).default('direct'),
  AISLE_VISIT_SILENCE_MS: z.coerce.number().int().positive().optional(),
  AISLE_DEVICE_TTL_DAYS: z.coerce.number().positive().default(90),
  AISLE_PROFILE_CACHE: z.coerce.number().int().positive().default(10_000),
  AISLE_WS_MAX_CONNECTIONS: z.coerce.number().int().positive().default(10_000),
  AISLE_WS_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(256),
  AISLE_WS_MAX_PER_TOKEN: z.coerce.number().int().positive().default(8),
  AISLE_TRUSTED_PROXIES: z.string().optional().refine((v) => v === undefined || v.split(',').map((x) => x.trim()).filter(Boolean).every(isAddressOrRange),
    'must be a comma-separated list of IP addresses or CIDR ranges'),
  AISLE_MAX_VISITS: z.coerce.number().int().positive().default(50_000),
  AISLE_RSS_BUDGET_MB: z.coerce.number().int().min(64).max(1_000_000).default(512),
  AISLE_PUBLIC_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().positive().default(10_000),
  AISLE_OPS_TOKEN: z.string().min(1).optional(),
  AISLE_JOURNAL_DIR: z.string().min(1).optional(),
  AISLE_JOURNAL_MAX_MB: z.coerce.number().positive().max(1_000_000).default(256),
  AISLE_PARTITIONS: z.coerce.number().int().min(0).max(4096).default(0),
});

export type Config = Readonly<{
  port: number;
  host: string;
  /** undefined: run the embedded broker on mqttPort. */
  mqttUrl?: string;
  mqttPort: number;
  /** False when the port is the default: the demo then takes a free port if the default is busy. */
  portsExplicit: { http: boolean; mqtt: boolean };
  mqttClientId: string;
  /** undefined: in-memory stores seeded with demo data. */
  redisUrl?: string;
  /** A Redis Cluster (REDIS_CLUSTER=1): redisUrl lists one or more seed nodes, comma-separated. */
  redisCluster: boolean;
  redisPrefix: string;
  storesPath?: string;
  tokensPath?: string;
  modelDir?: string;
  simulate: boolean;
  /** The simulator publishes as a gateway would, with its own broker user; default: the engine's broker URL. */
  simulatorMqttUrl?: string;
  /** How much likelier simulated shoppers buy a shown item a rule brought (3: four times as likely, 0: no effect). */
  simulatorEffect: number;
  /** How simulated shoppers' presence reaches the engine: canonical events, or through an in-process Meraki or ESPresense gateway. */
  simulatorVia: 'direct' | 'meraki' | 'espresense';
  visitSilenceMs: number;
  deviceTtlMs: number;
  profileCacheSize: number;
  /** WebSocket bounds (docs/security.md); X-Forwarded-For is believed only from trustedProxies. */
  ws: { maxConnections: number; maxPerAddress: number; maxPerToken: number; trustedProxies: string[] };
  /** Devices followed at once per store; more are counted and ignored until some leave. */
  maxVisitsPerStore: number;
  /** Resident memory the engine keeps under by shedding presence (docs/performance.md §Overload), MB. */
  rssBudgetMb: number;
  publicUrl?: string;
  logLevel: string;
  shutdownDeadlineMs: number;
  /** When set, /metrics and the detailed /readyz need it as a bearer token (docs/security.md). */
  opsToken?: string;
  /** Where transactional effects wait while Redis is unreachable (docs/delivery.md). */
  journalDir: string;
  journalMaxBytes: number;
  /**
   * Store partitions shared out among the instances by leases in Redis (docs/scale.md); 0: this instance takes
   * every store it is given (one instance, or instances given disjoint store lists).
   */
  partitions: number;
  /** True when nothing external is configured: demo data, demo tokens, simulator on by default. */
  demo: boolean;
}>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = Env.safeParse(clean);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = r.data;
  const demo = !e.REDIS_URL && !e.MQTT_URL && !e.AISLE_STORES;
  // The embedded broker has no login: it serves the demo only, on loopback (docs/security.md).
  if (!demo && !e.MQTT_URL) throw new ConfigError(['MQTT_URL: required outside the demo (the embedded broker serves the zero-setup demo only)']);
  if (e.REDIS_URL && redisSeedUrls(e.REDIS_URL).length > 1 && !e.REDIS_CLUSTER) throw new ConfigError(['REDIS_URL: several hosts are seed nodes of a Redis Cluster: set REDIS_CLUSTER=1']);
  // The persistent sessions, the journal folder and the instance registry are keyed by it: no default an instance could share (docs/scale.md).
  if (e.MQTT_URL && !e.MQTT_CLIENT_ID) throw new ConfigError(['MQTT_CLIENT_ID: required with MQTT_URL, and unique per engine instance (e.g. aisle-engine-1)']);
  if (e.AISLE_PARTITIONS && !e.REDIS_URL) throw new ConfigError(['AISLE_PARTITIONS: needs REDIS_URL (partitions are leased in Redis)']);
  return Object.freeze({
    port: e.PORT, host: e.HOST, mqttUrl: e.MQTT_URL, mqttPort: e.MQTT_PORT,
    portsExplicit: { http: clean.PORT !== undefined, mqtt: clean.MQTT_PORT !== undefined },
    mqttClientId: e.MQTT_CLIENT_ID ?? 'aisle-engine-1',
    redisUrl: e.REDIS_URL, redisCluster: e.REDIS_CLUSTER ?? false, redisPrefix: e.AISLE_REDIS_PREFIX,
    storesPath: e.AISLE_STORES, tokensPath: e.AISLE_TOKENS, modelDir: e.AISLE_MODEL_DIR,
    simulate: e.AISLE_SIMULATE ?? demo, simulatorMqttUrl: e.AISLE_SIMULATOR_MQTT_URL, simulatorEffect: e.AISLE_SIM_EFFECT, simulatorVia: e.AISLE_SIM_VIA,
    // Seen through a Meraki receiver, a shopper who leaves is simply not seen again: end visits sooner in that demo.
    visitSilenceMs: e.AISLE_VISIT_SILENCE_MS ?? (e.AISLE_SIM_VIA === 'meraki' ? 20_000 : 120_000), deviceTtlMs: Math.round(e.AISLE_DEVICE_TTL_DAYS * 86_400_000),
    profileCacheSize: e.AISLE_PROFILE_CACHE, maxVisitsPerStore: e.AISLE_MAX_VISITS, rssBudgetMb: e.AISLE_RSS_BUDGET_MB,
    ws: { maxConnections: e.AISLE_WS_MAX_CONNECTIONS, maxPerAddress: e.AISLE_WS_MAX_PER_ADDRESS, maxPerToken: e.AISLE_WS_MAX_PER_TOKEN,
      trustedProxies: (e.AISLE_TRUSTED_PROXIES ?? '').split(',').map((x) => x.trim()).filter(Boolean) }, publicUrl: e.AISLE_PUBLIC_URL,
    logLevel: e.LOG_LEVEL, shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS, demo, opsToken: e.AISLE_OPS_TOKEN,
    // One journal per instance: the client id is unique per instance, so two engines on one host never share one.
    journalDir: e.AISLE_JOURNAL_DIR ?? `var/journal/${e.MQTT_CLIENT_ID ?? 'aisle-engine-1'}`, journalMaxBytes: Math.round(e.AISLE_JOURNAL_MAX_MB * 1024 * 1024),
    partitions: e.AISLE_PARTITIONS,
  });
}
