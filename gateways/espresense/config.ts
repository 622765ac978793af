import { z } from 'zod';
import { CustomerId, ZoneId } from '#contracts';
import { GatewayBase, Secret } from '../kit/config.js';

/** One MQTT topic level as ESPresense writes a room (a slug): no separators or wildcards. */
const TopicLevel = z.string().min(1).max(64).regex(/^[^/+#\s]+$/, 'must be one MQTT topic level (no "/", "+", "#" or spaces)');

/** The topic prefix: one or more levels, no wildcards, no leading or trailing "/". */
const TopicPrefix = z.string().min(1).max(200).regex(/^[^/+#\s]+(\/[^/+#\s]+)*$/, 'must be topic levels separated by "/", without wildcards');

/** What an ESPresense gateway adds to the kit's configuration (docs/gateways/espresense.md §Configuration). */
export const EspresenseSettings = z.object({
  /** The broker the ESPresense nodes publish to (may be the same as mqtt.url). */
  url: z.string().regex(/^(mqtts?|tcp|wss?):\/\//, 'must be an mqtt://, mqtts://, ws:// or wss:// URL'),
  username: z.string().min(1).optional(),
  password: Secret.optional(),
  /** ESPresense's base topic (the firmware's CHANNEL, `espresense`). */
  topicPrefix: TopicPrefix.default('espresense'),
  /** Room (the node's slug, as in its topics) → the store's zone. Rooms not listed are ignored. */
  rooms: z.record(TopicLevel, ZoneId).refine((r) => Object.keys(r).length > 0, 'name at least one room'),
  /** A device not heard for this long has left: presence with zoneId null. */
  awayAfterMs: z.number().int().positive().max(3_600_000).default(30_000),
  /** A node's reading older than this no longer counts when choosing the nearest room. */
  staleMs: z.number().int().positive().max(3_600_000).default(10_000),
  /** Weight of a new reading in the moving average of a device's distance to a node (1: no smoothing). */
  smoothing: z.number().gt(0).max(1).default(0.3),
  /** Metres: another zone must be nearer than the current one by at least this to take over. */
  switchMargin: z.number().min(0).max(100).default(0.5),
  /** A zone must stay the winner for this long before the device moves there. */
  dwellMs: z.number().int().min(0).max(600_000).default(3_000),
  /** Metres: readings farther than this are ignored (the node no longer vouches for the device). */
  maxDistance: z.number().positive().max(1000).default(10),
  /** A present device's zone is published again this often, so the engine's silence window never ends a visit in progress; 0: never. */
  refreshMs: z.number().int().min(0).max(3_600_000).default(30_000),
  /** ESPresense id (an iBeacon of the loyalty app, an `irk:`, a known MAC) → the member it belongs to. */
  known: z.record(z.string().min(1).max(200), CustomerId).default({}),
}).strict();
export type EspresenseSettings = z.output<typeof EspresenseSettings>;

/** The whole configuration file of an ESPresense gateway. */
export const EspresenseConfig = GatewayBase.extend({ espresense: EspresenseSettings }).strict();
export type EspresenseConfig = z.output<typeof EspresenseConfig>;
